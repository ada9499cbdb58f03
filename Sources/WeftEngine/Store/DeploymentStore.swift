import Foundation
import WeftModel

/// A flow deployed to targets: while it exists, the flow's schedule, event and scan triggers fire.
public struct DeploymentRecord: Sendable, Equatable {
    public var flowId: String
    /// The flow version that was deployed (the latest when deployed).
    public var version: Int
    /// The targets as the flow document spells them: an array of `{connector, regions?}` objects.
    public var targets: JSON
    /// The id of the user who deployed.
    public var deployedBy: String?
    public var deployedAt: Date

    public init(flowId: String, version: Int, targets: JSON, deployedBy: String?, deployedAt: Date) {
        self.flowId = flowId; self.version = version; self.targets = targets; self.deployedBy = deployedBy
        self.deployedAt = deployedAt
    }
}

/// Which flows are deployed, at most one deployment per flow. Dates come back rounded to the
/// millisecond; deleting a flow removes its deployment.
public protocol DeploymentStore: Sendable {
    /// Records `record` as the flow's deployment, replacing an earlier one.
    /// Throws `StoreError.notFound` (kind `flow`) when the flow does not exist.
    func deploy(_ record: DeploymentRecord) async throws
    /// Removes the flow's deployment; returns whether there was one.
    @discardableResult
    func undeploy(flowId: String) async throws -> Bool
    /// The flow's deployment, `nil` when it is not deployed.
    func deployment(flowId: String) async throws -> DeploymentRecord?
    /// Every deployment, ordered by flow id.
    func deployments() async throws -> [DeploymentRecord]
}

extension DeploymentRecord {
    /// A deployment to `requests`; none means the flow's own targets.
    public init(flowId: String, version: Int, requests: [TargetRequest], deployedBy: String?, deployedAt: Date) {
        self.init(flowId: flowId, version: version, targets: .array(requests.map(\.json)), deployedBy: deployedBy,
                  deployedAt: deployedAt)
    }

    /// The deployment's targets as requests; empty when it deploys to the flow's own targets.
    public var targetRequests: [TargetRequest] {
        (targets.arrayValue ?? []).compactMap { target in
            guard let connector = target["connector"]?.stringValue else { return nil }
            return TargetRequest(connector: connector, regions: target["regions"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
    }

    /// Whether the deployment covers `region` of `connector`: always when it has no targets of its own.
    public func covers(connector: String, region: String) -> Bool {
        let requests = targetRequests
        return requests.isEmpty
            || requests.contains { $0.connector == connector && ($0.regions.isEmpty || $0.regions.contains(region)) }
    }
}
