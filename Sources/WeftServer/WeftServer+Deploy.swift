import Foundation
import Hummingbird
import WeftEngine
import WeftModel

extension WeftServer {
    /// The most events one `POST /api/v1/events` accepts.
    static let maxEventsPerRequest = 100

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
        let record = DeploymentRecord(
            flowId: flow.id, version: flow.latestVersion,
            targets: .array(requests.map { ["connector": .string($0.connector), "regions": .array($0.regions.map(JSON.string))] }),
            deployedBy: user.id, deployedAt: Date())
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

    /// `POST /api/v1/events` (Manager and Admin) with one EventBridge event or `{"events": [...]}` (at
    /// most `maxEventsPerRequest`): every deployed flow whose trigger has an active event pattern
    /// matching an event starts a run (trigger `event`) with one execution per fitting connector — a
    /// stored connector whose `accountId` is the event's `account`, among the deployment's targets when
    /// it has any — in the event's `region`. The trigger node outputs `{"type": "event", "firedAt",
    /// "event"}`. Answers 202 with the runs started (`[]` when no flow matches) and, per flow that
    /// matched but could not start, the reason.
    func ingestEvents(_ input: RouteInput) async throws -> Response {
        let user = try input.user
        guard user.role == .manager || user.role == .admin else { throw APIError.forbidden() }
        let events = try Self.events(in: try await JSONBody.readValue(input.request, limit: configuration.maxBodyBytes))
        let listeners = try await eventListeners()
        let connectors = try await store.connectors()
        var runs: [JSON] = []
        var failures: [JSON] = []
        for event in events {
            guard let account = event["account"]?.stringValue, let region = event["region"]?.stringValue else { continue }
            for listener in listeners where listener.pattern.matches(event) {
                let targets = Self.eventTargets(account: account, region: region, deployment: listener.deployment,
                                                connectors: connectors)
                guard !targets.isEmpty else { continue }
                var options = RunOptions(targets: targets, trigger: "event", flowId: listener.deployment.flowId,
                                         flowVersion: listener.deployment.version)
                options.triggerItem = ["type": "event", "firedAt": .string(ISODate.format(Date())), "event": event]
                do {
                    let (run, executions) = try await launch(listener.document, options: options)
                    runs.append([
                        "flowId": .string(listener.deployment.flowId), "eventId": event["id"] ?? .null,
                        "run": RunJSON.run(run), "executions": .array(executions.map(RunJSON.execution)),
                    ])
                } catch {
                    failures.append([
                        "flowId": .string(listener.deployment.flowId), "eventId": event["id"] ?? .null,
                        "error": .string(APIError.from(error).message),
                    ])
                }
            }
        }
        var answer: JSONObject = ["accepted": .int(Int64(events.count)), "runs": .array(runs)]
        if !failures.isEmpty { answer["failed"] = .array(failures) }
        return JSONResponse.make(.object(answer), status: .accepted)
    }

    /// A deployed flow listening for events: its deployment, the deployed document and its pattern.
    struct EventListener: Sendable {
        var deployment: DeploymentRecord
        var document: FlowDocument
        var pattern: EventPattern
    }

    /// The deployed flows whose trigger has an active event pattern; flows whose deployed version no
    /// longer decodes or whose pattern is invalid are left out.
    func eventListeners() async throws -> [EventListener] {
        var listeners: [EventListener] = []
        for deployment in try await store.deployments() {
            guard let saved = try? await store.flowVersion(flowId: deployment.flowId, version: deployment.version) else { continue }
            let (decoded, issues) = FlowDocument.decode(saved.document)
            guard let document = decoded, issues.isEmpty else { continue }
            for node in document.nodes where node.type == "trigger" {
                guard case .object(let event)? = node.params["event"], event["active"] == true,
                      let raw = event["pattern"], let pattern = try? EventPattern(raw) else { continue }
                listeners.append(EventListener(deployment: deployment, document: document, pattern: pattern))
                break
            }
        }
        return listeners
    }

    /// The events of a request body: one event object, or `{"events": [...]}`; each must be an object
    /// with string `source`, `detail-type`, `account` and `region`.
    static func events(in body: JSON) throws -> [JSON] {
        guard let object = body.objectValue else {
            throw APIError.invalidRequest("the body must be an EventBridge event or {\"events\": [...]}")
        }
        let events: [JSON]
        let prefix: String
        if let list = object["events"], object["source"] == nil {
            guard let array = list.arrayValue, !array.isEmpty, array.count <= maxEventsPerRequest else {
                throw APIError.invalidRequest("'events' must be an array of 1 to \(maxEventsPerRequest) events",
                                              details: ["pointer": "/events"])
            }
            events = array
            prefix = "/events/"
        } else {
            events = [body]
            prefix = ""
        }
        for (index, event) in events.enumerated() {
            let pointer = prefix.isEmpty ? "" : prefix + String(index)
            guard event.objectValue != nil else {
                throw APIError.invalidRequest("an event must be an object", details: ["pointer": .string(pointer)])
            }
            for key in ["source", "detail-type", "account", "region"] where event[key]?.stringValue == nil {
                throw APIError.invalidRequest("an event needs a string '\(key)'", details: ["pointer": .string(pointer + "/" + key)])
            }
        }
        return events
    }

    /// One target per stored connector with the event's account — limited to the deployment's target
    /// connectors (and their regions, when listed) when it has targets — in the event's region.
    static func eventTargets(account: String, region: String, deployment: DeploymentRecord,
                             connectors: [ConnectorRecord]) -> [ExecutionTarget] {
        let targets = deployment.targets.arrayValue ?? []
        return connectors.filter { connector in
            guard connector.accountId == account else { return false }
            guard !targets.isEmpty else { return true }
            return targets.contains { target in
                guard target["connector"]?.stringValue == connector.name else { return false }
                let regions = target["regions"]?.arrayValue?.compactMap(\.stringValue) ?? []
                return regions.isEmpty || regions.contains(region)
            }
        }.map {
            ExecutionTarget(connector: $0.name, accountId: $0.accountId, region: region, provider: $0.provider)
        }
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
