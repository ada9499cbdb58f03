import Foundation
import WeftModel

/// A request to run on a connector, in some or all of its regions (`--target NAME[:REGION,…]`).
public struct TargetRequest: Sendable, Equatable {
    public var connector: String
    /// Empty means all the connector's regions.
    public var regions: [String]

    public init(connector: String, regions: [String] = []) { self.connector = connector; self.regions = regions }

    /// Parses `NAME` or `NAME:REGION,REGION`.
    public init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = parts.first, !name.isEmpty else { return nil }
        connector = String(name)
        regions = parts.count > 1 ? parts[1].split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
    }

    /// `NAME` or `NAME:REGION,REGION`, as `init(argument:)` reads it.
    public var argument: String { regions.isEmpty ? connector : connector + ":" + regions.joined(separator: ",") }

    /// `{"connector", "regions"}`, as flow documents and deployments spell a target.
    public var json: JSON { ["connector": .string(connector), "regions": .array(regions.map(JSON.string))] }
}

public enum TargetResolutionError: Error, CustomStringConvertible, Equatable {
    case noConnectors(String)
    case unknownConnector(String, known: [String])
    case noRegions(String)

    public var description: String {
        switch self {
        case .noConnectors(let name):
            return "the run targets connector '\(name)' but no connectors are configured (give --connectors FILE)"
        case .unknownConnector(let name, let known):
            return "unknown connector '\(name)'" + (known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))")
        case .noRegions(let name):
            return "connector '\(name)' lists no regions; name them in the target (\(name):REGION,…)"
        }
    }
}

extension ExecutionTarget {
    /// One target per connector × region: the requested targets when given, else the flow's own.
    /// An empty result means the flow runs once, locally.
    public static func resolve(requested: [TargetRequest], flowTargets: [FlowTarget],
                               connectors: [Connector]) throws(TargetResolutionError) -> [ExecutionTarget] {
        let requests = requested.isEmpty ? flowTargets.map { TargetRequest(connector: $0.connector, regions: $0.regions) } : requested
        var result: [ExecutionTarget] = []
        for request in requests {
            guard !connectors.isEmpty else { throw .noConnectors(request.connector) }
            guard let connector = connectors.first(where: { $0.name == request.connector }) else {
                throw .unknownConnector(request.connector, known: connectors.map(\.name))
            }
            let regions = request.regions.isEmpty ? connector.regions : request.regions
            guard !regions.isEmpty else { throw .noRegions(connector.name) }
            for region in regions {
                let target = ExecutionTarget(connector: connector.name, accountId: connector.accountId, region: region,
                                             provider: connector.provider)
                if !result.contains(target) { result.append(target) }
            }
        }
        return result
    }
}
