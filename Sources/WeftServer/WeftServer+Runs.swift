import Foundation
import Hummingbird
import WeftEngine
import WeftModel

extension WeftServer {
    /// `POST /api/v1/flows/{id}/runs {"variables"?, "targets"?, "runTill"?, "dryRun"?, "allowActions"?, "version"?,
    /// "document"?}`: 202 with the run (a dry run — `dryRun`, `runTill`, or an unsaved draft given as
    /// `document` — is named `_dry_run_<flow name>`, and its action nodes only plan unless
    /// `allowActions`) and its executions once recorded; the run goes on in a server task. A draft
    /// needs the right to edit the flow, not only to run it. Options the runner rejects (unknown
    /// variable or node, targets the server cannot resolve) and invalid drafts are 422.
    func startRun(_ input: RouteInput) async throws -> Response {
        let body = try await JSONBody.readOptional(input.request, limit: configuration.maxBodyBytes)
        try body.allowOnly(["variables", "targets", "runTill", "dryRun", "allowActions", "version", "document"])
        let draft = body.object["document"].flatMap { $0.isNull ? nil : $0 }
        let flow = try await authorizedFlow(input, draft == nil ? .run : .edit)
        var variables: [String: JSON] = [:]
        if let value = body.object["variables"], !value.isNull {
            guard let object = value.objectValue else { throw APIError.invalidRequest("'variables' must be an object") }
            for (name, value) in object { variables[name] = value }
        }
        var requests: [TargetRequest] = []
        if let value = body.object["targets"], !value.isNull {
            guard let array = value.arrayValue else { throw APIError.invalidRequest("'targets' must be an array") }
            for item in array {
                let target = JSONBody(object: item.objectValue ?? [:])
                guard item.objectValue != nil else {
                    throw APIError.invalidRequest("each target must be {\"connector\", \"regions\"?}")
                }
                try target.allowOnly(["connector", "regions"])
                requests.append(
                    TargetRequest(connector: try target.requiredString("connector"), regions: try target.strings("regions") ?? [])
                )
            }
        }
        var versionNumber = flow.latestVersion
        if let value = body.object["version"], !value.isNull {
            guard let number = value.intValue, number > 0 else {
                throw APIError.invalidRequest("'version' must be a positive integer")
            }
            versionNumber = Int(number)
        }
        let document: FlowDocument
        if let draft {
            guard draft.objectValue != nil else { throw APIError.invalidRequest("'document' must be a flow document (an object)") }
            document = try validatedDocument(draft, pointerPrefix: "/document")
        } else {
            document = try await savedDocument(flowId: flow.id, version: versionNumber)
        }
        let storedConnectors = try await connectorsForTargets()
        let targets: [ExecutionTarget]
        do {
            targets = try ExecutionTarget.resolve(
                requested: requests, flowTargets: document.targets, connectors: storedConnectors)
        } catch {
            throw APIError(.unprocessableContent, code: "validation_failed", message: error.description)
        }
        var options = RunOptions(
            variables: variables, targets: targets, runTill: try body.string("runTill"),
            dryRun: try draft != nil || (body.bool("dryRun") ?? false), allowActions: try body.bool("allowActions") ?? false)
        options.trigger = "manual"
        options.flowId = flow.id
        options.flowVersion = draft == nil ? versionNumber : nil
        let (run, executions) = try await launch(document, options: options)
        return JSONResponse.make(
            ["run": RunJSON.run(run), "executions": .array(executions.map(RunJSON.execution))], status: .accepted,
            headers: [.location: "/api/v1/runs/\(run.id)"])
    }

    /// `GET /api/v1/flows/{id}/runs?limit=N`: the flow's runs, newest first (at most N, default 50, ≤ 500).
    func listRuns(_ input: RouteInput) async throws -> Response {
        let flow = try await authorizedFlow(input, .read)
        let limit = try input.intQuery("limit", default: 50, range: 1...500)
        let runs = try await store.runs(flowId: flow.id, limit: limit)
        return JSONResponse.make(["runs": .array(runs.map(RunJSON.run))])
    }

    /// `GET /api/v1/runs/{id}`: the run and its executions.
    func readRun(_ input: RouteInput) async throws -> Response {
        let run = try await accessibleRun(input, .read)
        let executions = try await store.executions(runId: run.id)
        return JSONResponse.make(["run": RunJSON.run(run), "executions": .array(executions.map(RunJSON.execution))])
    }

    /// `GET /api/v1/executions/{id}`.
    func readExecution(_ input: RouteInput) async throws -> Response {
        let execution = try await store.execution(id: try input.parameter("id"))
        _ = try await accessibleRun(input, .read, id: execution.runId)
        return JSONResponse.make(["execution": RunJSON.execution(execution)])
    }

    /// `GET /api/v1/executions/{id}/steps`: the execution's journal in sequence order. Inline outputs
    /// are included; paged outputs are listed by blob.
    func readSteps(_ input: RouteInput) async throws -> Response {
        let execution = try await store.execution(id: try input.parameter("id"))
        _ = try await accessibleRun(input, .read, id: execution.runId)
        let steps = try await store.steps(executionId: execution.id)
        return JSONResponse.make(["steps": .array(steps.map(RunJSON.step))])
    }
}

/// The JSON shapes of runs, executions and steps.
enum RunJSON {
    static func run(_ run: RunRecord) -> JSON {
        [
            "id": .string(run.id), "flowId": run.flowId.map(JSON.string) ?? .null,
            "flowVersion": run.flowVersion.map { .int(Int64($0)) } ?? .null, "flowName": .string(run.flowName),
            "trigger": .string(run.trigger), "dryRun": .bool(run.dryRun), "status": .string(run.status.rawValue),
            "options": run.options, "createdAt": DateJSON.json(run.createdAt), "endedAt": DateJSON.json(run.endedAt),
        ]
    }

    static func execution(_ execution: ExecutionRecord) -> JSON {
        [
            "id": .string(execution.id), "runId": .string(execution.runId), "connector": .string(execution.connector),
            "accountId": execution.accountId.map(JSON.string) ?? .null, "region": .string(execution.region),
            "provider": execution.provider.map(JSON.string) ?? .null, "status": .string(execution.status.rawValue),
            "error": execution.error ?? .null, "summary": execution.summary,
            "worker": execution.worker.map(JSON.string) ?? .null, "startedAt": DateJSON.json(execution.startedAt),
            "endedAt": DateJSON.json(execution.endedAt),
        ]
    }

    static func step(_ step: StepRecord) -> JSON {
        var outputs = JSONObject()
        for name in step.outputs.keys.sorted() {
            switch step.outputs[name]! {
            case .inline(let items):
                outputs[name] = ["items": .array(items)]
            case .pages(let pages):
                outputs[name] = [
                    "pages": .array(
                        pages.map {
                            [
                                "blobId": .string($0.blobId), "firstItem": .int(Int64($0.firstItem)),
                                "count": .int(Int64($0.count)),
                            ]
                        })
                ]
            }
        }
        return [
            "sequence": .int(Int64(step.sequence)), "nodeId": .string(step.nodeId), "attempt": .int(Int64(step.attempt)),
            "iteration": .int(Int64(step.iteration)), "worker": step.worker.map(JSON.string) ?? .null,
            "status": .string(step.status.rawValue), "startedAt": DateJSON.json(step.startedAt),
            "endedAt": DateJSON.json(step.endedAt), "input": step.input, "outputs": .object(outputs),
            "itemCounts": .object(
                JSONObject(
                    uniqueKeysWithValues: step.itemCounts.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })),
            "error": step.error?.json ?? .null, "logs": .array(step.logs.map(JSON.string)), "trace": step.trace ?? .null,
        ]
    }
}
