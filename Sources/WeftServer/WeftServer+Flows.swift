import Foundation
import Hummingbird
import WeftEngine
import WeftModel

extension WeftServer {
    /// `GET /api/v1/flows?q=&category=&tag=`: the flows the caller may read, by name, each with its
    /// last three executions (newest first, dry runs left out), when it last ran and how that ended,
    /// whether it is deployed, and the names of the control nodes in its latest version.
    /// `q` keeps names containing it (case-insensitive); `category` and `tag` keep flows carrying them.
    func listFlows(_ input: RouteInput) async throws -> Response {
        let flows = try await readableFlows(input)
        let query = input.request.uri.queryParameters
        let search = query["q"].map { String($0).lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        let category = query["category"].map(String.init)
        let tag = query["tag"].map(String.init)
        let recent = try await store.recentExecutions(limit: 3)
        let listed = flows.filter { flow in
            (search.map { flow.name.lowercased().contains($0) } ?? true)
                && (category.map { flow.categories.contains($0) } ?? true) && (tag.map { flow.tags.contains($0) } ?? true)
        }
        let deployed = Set(try await store.deployments().map(\.flowId))
        var controls: [String: [String]] = [:]
        for flow in listed {
            let document = try await store.flowVersion(flowId: flow.id, version: flow.latestVersion).document
            controls[flow.id] = (document["nodes"]?.arrayValue ?? []).compactMap { node in
                node["type"] == "control" ? (node["name"]?.stringValue ?? node["id"]?.stringValue) : nil
            }
        }
        return JSONResponse.make([
            "total": .int(Int64(listed.count)),
            "flows": .array(listed.map { flow in
                var entry = FlowJSON.flow(flow).objectValue ?? [:]
                entry["deployed"] = .bool(deployed.contains(flow.id))
                entry["controls"] = .array((controls[flow.id] ?? []).map(JSON.string))
                let executions = recent[flow.id] ?? []
                entry["lastExecutions"] = .array(executions.map { execution in
                    [
                        "id": .string(execution.id), "runId": .string(execution.runId), "status": .string(execution.status.rawValue),
                        "connector": .string(execution.connector), "region": .string(execution.region),
                        "startedAt": DateJSON.json(execution.startedAt),
                    ]
                })
                entry["lastExecutedAt"] = DateJSON.json(executions.first?.startedAt)
                entry["lastStatus"] = executions.first.map { .string($0.status.rawValue) } ?? .null
                return .object(entry)
            }),
        ])
    }

    /// `GET /api/v1/flows/categories` and `GET /api/v1/flows/tags`: the values used by the flows the
    /// caller may read, by name, with how many flows carry each.
    func listFlowLabels(_ input: RouteInput, _ labels: @Sendable (FlowRecord) -> [String], key: String) async throws -> Response {
        var counts: [String: Int64] = [:]
        for flow in try await readableFlows(input) {
            for label in Set(labels(flow)) { counts[label, default: 0] += 1 }
        }
        return JSONResponse.make([key: .array(counts.sorted { $0.key < $1.key }.map { ["name": .string($0.key), "flows": .int($0.value)] })])
    }

    /// `GET /api/v1/flows/{id}/diff?from=N&to=M`: what changed from version N to version M (default:
    /// the version before the latest, and the latest), as `DocumentDiff` gives it.
    func diffVersions(_ input: RouteInput) async throws -> Response {
        let flow = try await authorizedFlow(input, .read)
        let latest = flow.latestVersion
        let to = try input.intQuery("to", default: latest, range: 1...max(1, latest))
        let from = try input.intQuery("from", default: max(1, to - 1), range: 1...max(1, latest))
        let before = try await store.flowVersion(flowId: flow.id, version: from)
        let after = try await store.flowVersion(flowId: flow.id, version: to)
        let changes = DocumentDiff.changes(from: before.document, to: after.document)
        return JSONResponse.make([
            "flowId": .string(flow.id), "from": .int(Int64(from)), "to": .int(Int64(to)),
            "changes": .array(changes.map(\.json)),
        ])
    }

    private func readableFlows(_ input: RouteInput) async throws -> [FlowRecord] {
        let user = try input.user
        return try await store.flows().filter { AccessPolicy.allows(user, .read, flow: $0) }
    }

    /// `POST /api/v1/flows` with a flow document as the body: 201 with the flow (version 1). The caller
    /// owns it. An invalid document is 422 `validation_failed` with every issue in `details.issues`.
    func createFlow(_ input: RouteInput) async throws -> Response {
        let user = try input.user
        guard AccessPolicy.mayCreateFlow(user) else { throw APIError.forbidden() }
        let (value, document) = try await readFlowDocument(input.request)
        let id = Credentials.newId("flw")
        let version = try await store.saveFlow(
            id: id, name: document.name, owner: user.id, categories: document.categories, tags: document.tags,
            document: value, author: user.id)
        return JSONResponse.make(
            ["flow": FlowJSON.flow(try await store.flow(id: id)), "version": FlowJSON.version(version, document: false)],
            status: .created, headers: [.location: "/api/v1/flows/\(id)"])
    }

    /// `GET /api/v1/flows/{id}`: the flow, its latest document and its deployment (`null` when not deployed).
    func readFlow(_ input: RouteInput) async throws -> Response {
        let flow = try await authorizedFlow(input, .read)
        let latest = try await store.flowVersion(flowId: flow.id, version: flow.latestVersion)
        let deployment = try await store.deployment(flowId: flow.id)
        return JSONResponse.make([
            "flow": FlowJSON.flow(flow), "document": latest.document,
            "deployment": deployment.map(DeployJSON.deployment) ?? .null,
        ])
    }

    /// `PUT /api/v1/flows/{id}` with a flow document: saves it as a new version; the owner is kept.
    func updateFlow(_ input: RouteInput) async throws -> Response {
        let user = try input.user
        let flow = try await authorizedFlow(input, .edit)
        let (value, document) = try await readFlowDocument(input.request)
        let version = try await store.saveFlow(
            id: flow.id, name: document.name, owner: flow.owner, categories: document.categories, tags: document.tags,
            document: value, author: user.id)
        return JSONResponse.make(
            ["flow": FlowJSON.flow(try await store.flow(id: flow.id)), "version": FlowJSON.version(version, document: false)])
    }

    /// `DELETE /api/v1/flows/{id}`: 204; its runs stay in history.
    func deleteFlow(_ input: RouteInput) async throws -> Response {
        let flow = try await authorizedFlow(input, .delete)
        try await store.deleteFlow(id: flow.id)
        return JSONResponse.noContent()
    }

    /// `GET /api/v1/flows/{id}/versions`: every version's number, author and time, oldest first.
    func listVersions(_ input: RouteInput) async throws -> Response {
        let flow = try await authorizedFlow(input, .read)
        let versions = try await store.flowVersions(flowId: flow.id)
        return JSONResponse.make(["versions": .array(versions.map { FlowJSON.version($0, document: false) })])
    }

    /// `GET /api/v1/flows/{id}/versions/{version}`: one version with its document.
    func readVersion(_ input: RouteInput) async throws -> Response {
        let flow = try await authorizedFlow(input, .read)
        let raw = try input.parameter("version")
        guard let number = Int(raw), number > 0 else { throw APIError.invalidRequest("version must be a positive integer") }
        let version = try await store.flowVersion(flowId: flow.id, version: number)
        return JSONResponse.make(["version": FlowJSON.version(version, document: true)])
    }

    /// The flow named by the `id` parameter, when the caller may do `action` on it: 404 when there is
    /// no such flow, 403 when the role forbids it.
    func authorizedFlow(_ input: RouteInput, _ action: FlowAction) async throws -> FlowRecord {
        let user = try input.user
        let flow = try await store.flow(id: try input.parameter("id"))
        guard AccessPolicy.allows(user, action, flow: flow) else { throw APIError.forbidden() }
        return flow
    }

    /// The body as a flow document, decoded strictly and validated against the registry.
    private func readFlowDocument(_ request: Request) async throws -> (JSON, FlowDocument) {
        let value = try await JSONBody.readValue(request, limit: configuration.maxBodyBytes)
        guard value.objectValue != nil else {
            throw APIError(.badRequest, code: "invalid_json", message: "the body must be a flow document (a JSON object)")
        }
        return (value, try validatedDocument(value))
    }

    /// `value` decoded strictly as a flow document and validated against the registry; 422
    /// `validation_failed` with every issue (pointers under `pointerPrefix`) otherwise.
    func validatedDocument(_ value: JSON, pointerPrefix: String = "") throws -> FlowDocument {
        var (document, issues) = FlowDocument.decode(value)
        if let document { issues += configuration.registry.validator.validate(document) }
        guard let document, issues.isEmpty else {
            var details = issues.map(FlowJSON.issue)
            if !pointerPrefix.isEmpty {
                details = details.map { issue in
                    var object = issue.objectValue ?? [:]
                    object["pointer"] = .string(pointerPrefix + (object["pointer"]?.stringValue ?? ""))
                    return .object(object)
                }
            }
            throw APIError(
                .unprocessableContent, code: "validation_failed",
                message: "the flow is invalid (\(issues.count) issue\(issues.count == 1 ? "" : "s"))",
                details: ["issues": .array(details)])
        }
        return document
    }
}

/// The JSON shapes of flows, versions and validation issues.
enum FlowJSON {
    static func flow(_ flow: FlowRecord) -> JSON {
        [
            "id": .string(flow.id), "name": .string(flow.name), "owner": flow.owner.map(JSON.string) ?? .null,
            "categories": .array(flow.categories.map(JSON.string)), "tags": .array(flow.tags.map(JSON.string)),
            "latestVersion": .int(Int64(flow.latestVersion)), "createdAt": DateJSON.json(flow.createdAt),
            "updatedAt": DateJSON.json(flow.updatedAt),
        ]
    }

    static func version(_ version: FlowVersion, document: Bool) -> JSON {
        var object: JSONObject = [
            "flowId": .string(version.flowId), "version": .int(Int64(version.version)),
            "author": version.author.map(JSON.string) ?? .null, "createdAt": DateJSON.json(version.createdAt),
        ]
        if document { object["document"] = version.document }
        return .object(object)
    }

    static func issue(_ issue: FlowIssue) -> JSON {
        var object: JSONObject = ["pointer": .string(issue.pointer), "message": .string(issue.message)]
        if let nodeId = issue.nodeId { object["nodeId"] = .string(nodeId) }
        return .object(object)
    }
}
