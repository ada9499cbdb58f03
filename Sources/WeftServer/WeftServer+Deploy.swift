import Foundation
import Hummingbird
import WeftEngine
import WeftModel

extension WeftServer {

    /// `POST /api/v1/flows/{id}/deploy {"targets"?}`: deploys the flow's latest version to `targets`
    /// (`[{"connector", "regions"?}]`, default the flow's own), replacing an earlier deployment.
    /// 422 when a target names no stored connector.
    func deployFlow(_ input: RouteInput) async throws -> Response {
        let user = try input.user
        let flow = try await authorizedFlow(input, .deploy)
        let body = try await JSONBody.readOptional(input.request, limit: configuration.maxBodyBytes)
        try body.allowOnly(["targets"])
        let document = try await savedDocument(flowId: flow.id, version: flow.latestVersion)
        var requests = document.targets.map { TargetRequest(connector: $0.connector, regions: $0.regions) }
        if let value = body.object["targets"], !value.isNull {
            guard let array = value.arrayValue else { throw APIError.invalidRequest("'targets' must be an array") }
            requests = []
            for (index, item) in array.enumerated() {
                guard let object = item.objectValue else {
                    throw APIError.invalidRequest("each target must be {\"connector\", \"regions\"?}",
                                                  details: ["pointer": .string("/targets/\(index)")])
                }
                let target = JSONBody(object: object)
                try target.allowOnly(["connector", "regions"])
                requests.append(TargetRequest(connector: try target.requiredString("connector"),
                                              regions: try target.strings("regions") ?? []))
            }
        }
        if !requests.isEmpty {
            let connectors = try await connectorsForTargets()
            do {
                _ = try ExecutionTarget.resolve(requested: requests, flowTargets: [], connectors: connectors)
            } catch {
                throw APIError(.unprocessableContent, code: "validation_failed", message: error.description)
            }
        }
        let record = DeploymentRecord(flowId: flow.id, version: flow.latestVersion, requests: requests, deployedBy: user.id,
                                      deployedAt: Date())
        try await store.deploy(record)
        return JSONResponse.make(["deployment": DeployJSON.deployment(try await store.deployment(flowId: flow.id) ?? record)])
    }

    /// `POST /api/v1/flows/{id}/undeploy`: stops the flow's schedule, event and scan triggers;
    /// answers whether it was deployed.
    func undeployFlow(_ input: RouteInput) async throws -> Response {
        let flow = try await authorizedFlow(input, .deploy)
        let removed = try await store.undeploy(flowId: flow.id)
        return JSONResponse.make(["deployment": .null, "wasDeployed": .bool(removed)])
    }
}

/// The JSON shape of a deployment.
enum DeployJSON {
    static func deployment(_ record: DeploymentRecord) -> JSON {
        [
            "flowId": .string(record.flowId), "version": .int(Int64(record.version)), "targets": record.targets,
            "deployedBy": record.deployedBy.map(JSON.string) ?? .null, "deployedAt": DateJSON.json(record.deployedAt),
        ]
    }
}
