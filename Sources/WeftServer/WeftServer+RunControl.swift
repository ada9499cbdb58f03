import Foundation
import Hummingbird
import WeftEngine
import WeftModel

extension WeftServer {
    /// `POST /api/v1/runs/{id}/cancel`: 202 when the run was in progress here and is being cancelled
    /// (it ends `cancelled`, its journal complete); 409 when it is not in progress.
    func cancelRun(_ input: RouteInput) async throws -> Response {
        let run = try await accessibleRun(input, .run)
        guard await worker.cancel(runId: run.id) else {
            throw APIError(.conflict, code: "not_running", message: "run \(run.id) is not in progress (status \(run.status.rawValue))")
        }
        return JSONResponse.make(["run": RunJSON.run(run), "cancelling": true], status: .accepted)
    }

    /// `POST /api/v1/runs/{id}/retry {"mode"?, "nodeId"?}`: a new run of the same flow version with
    /// the same options. Modes: `all` (default) runs every target again; `failedTargets` only the
    /// targets whose executions failed or were cancelled; `fromNode` runs `nodeId` and everything
    /// downstream of it, every other node's outputs reused from the retried execution of its target.
    func retryRun(_ input: RouteInput) async throws -> Response {
        let run = try await accessibleRun(input, .run)
        let body = try await JSONBody.readOptional(input.request, limit: configuration.maxBodyBytes)
        try body.allowOnly(["mode", "nodeId"])
        let mode = try body.string("mode") ?? "all"
        guard ["all", "failedTargets", "fromNode"].contains(mode) else {
            throw APIError.invalidRequest("'mode' must be all, failedTargets or fromNode", details: ["pointer": "/mode"])
        }
        guard let flowId = run.flowId, let versionNumber = run.flowVersion else {
            throw APIError(.unprocessableContent, code: "not_retryable", message: "only runs of saved flows can be retried")
        }
        if await worker.isActive(runId: run.id) || run.status == .running || run.status == .queued {
            throw APIError(.conflict, code: "still_running", message: "run \(run.id) is still in progress")
        }
        let document = try await savedDocument(flowId: flowId, version: versionNumber)
        var executions = try await store.executions(runId: run.id)
        if mode == "failedTargets" {
            executions = executions.filter { $0.status == .failed || $0.status == .cancelled }
            guard !executions.isEmpty else {
                throw APIError(.conflict, code: "nothing_to_retry", message: "no execution of run \(run.id) failed or was cancelled")
            }
        }
        var options = RunOptions(targets: executions.map(\.target).filter { $0 != .local }, trigger: "retry",
                                 flowId: flowId, flowVersion: versionNumber)
        options.retryOf = run.id
        options.runTill = run.options["runTill"]?.stringValue
        options.dryRun = run.dryRun
        options.allowActions = run.options["allowActions"]?.boolValue ?? false
        for (name, value) in run.options["variables"]?.objectValue ?? [:] where value != .string(SecretMasker.mask) {
            options.variables[name] = value
        }
        if mode == "fromNode" {
            guard let nodeRef = try body.string("nodeId") else {
                throw APIError.invalidRequest("mode fromNode needs 'nodeId'", details: ["pointer": "/nodeId"])
            }
            let reusedIds = try Self.reusableNodes(document, from: nodeRef)
            let reader = JournalReader(journal: store)
            for execution in executions {
                let recorded = try await reader.recordedOutputs(executionId: execution.id, nodeIds: reusedIds)
                if let missing = reusedIds.subtracting(recorded.outputs.keys).sorted().first {
                    throw APIError(.conflict, code: "nothing_to_reuse",
                                   message: "node \(missing) did not succeed in execution \(execution.id) (\(execution.connector)/\(execution.region)); retry from an earlier node",
                                   details: ["nodeId": .string(missing), "executionId": .string(execution.id)])
                }
                options.reused[execution.target] = recorded
            }
        }
        let (retry, started) = try await launch(document, options: options)
        return JSONResponse.make(
            ["run": RunJSON.run(retry), "executions": .array(started.map(RunJSON.execution))], status: .accepted,
            headers: [.location: "/api/v1/runs/\(retry.id)"])
    }

    /// The ids of the nodes a retry from `nodeRef` reuses: every node that is not `nodeRef` or
    /// downstream of it. Loops that would be reused are refused: their bodies run per iteration.
    static func reusableNodes(_ document: FlowDocument, from nodeRef: String) throws -> Set<String> {
        guard let start = document.node(nodeRef) else {
            throw APIError(.unprocessableContent, code: "validation_failed", message: "no node '\(nodeRef)' in the flow",
                           details: ["pointer": "/nodeId"])
        }
        var downstream: Set<String> = [start.id]
        var queue = [start.id]
        while let next = queue.popLast() {
            for edge in document.edges where edge.from == next && !downstream.contains(edge.to) {
                downstream.insert(edge.to)
                queue.append(edge.to)
            }
        }
        let reused = Set(document.nodes.map(\.id)).subtracting(downstream)
        if let loop = document.nodes.first(where: { $0.type == "loop" && reused.contains($0.id) }) {
            throw APIError(.unprocessableContent, code: "not_retryable",
                           message: "cannot retry from \(start.id): loop \(loop.id) runs before it; retry the whole run")
        }
        return reused
    }

    /// `GET /api/v1/runs/{id}/events`: server-sent events of the run — a `snapshot` first (the run and
    /// its executions as stored), then `run.started`, `step.started`, `step.finished`,
    /// `execution.finished` as they happen, and `run.finished`, after which the stream ends. A run
    /// that has already ended gets its snapshot and `run.finished` at once. A comment line every
    /// `heartbeat` keeps proxies from closing the stream; the store is checked then too, so a run
    /// that ends elsewhere (another process) also ends the stream.
    func runEvents(_ input: RouteInput) async throws -> Response {
        let run = try await accessibleRun(input, .read)
        let stream = events.subscribe(runId: run.id)
        let store = self.store
        let heartbeat = configuration.eventHeartbeat
        let body = AsyncStream<ByteBuffer> { continuation in
            let task = Task {
                func send(_ event: RunEvents.Event) { continuation.yield(ByteBuffer(string: RunEvents.encode(event))) }
                func snapshot() async -> RunRecord? {
                    guard let current = try? await store.run(id: run.id),
                          let executions = try? await store.executions(runId: run.id) else { return nil }
                    send(RunEvents.Event(name: "snapshot", data: [
                        "run": RunJSON.run(current), "executions": .array(executions.map(RunJSON.execution)),
                    ]))
                    return current
                }
                let current = await snapshot()
                if let current, !current.status.isActive {
                    send(RunEvents.Event(name: "run.finished", data: ["run": RunJSON.run(current)]))
                    continuation.finish()
                    return
                }
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await event in stream {
                            send(event)
                            if event.name == "run.finished" { break }
                        }
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: heartbeat)
                            continuation.yield(ByteBuffer(string: ": heartbeat\n\n"))
                            if let stored = try? await store.run(id: run.id), !stored.status.isActive {
                                send(RunEvents.Event(name: "run.finished", data: ["run": RunJSON.run(stored)]))
                                return
                            }
                        }
                    }
                    await group.next()
                    group.cancelAll()
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"],
            body: ResponseBody(asyncSequence: body))
    }

    /// `GET /api/v1/flows/{id}/executions?status=&limit=`: the flow's executions, newest run first
    /// (at most `limit`, default 100, ≤ 1000), with counts over all its runs: total, success, failed,
    /// running (queued or running), cancelled.
    func flowExecutions(_ input: RouteInput) async throws -> Response {
        let flow = try await authorizedFlow(input, .read)
        let limit = try input.intQuery("limit", default: 100, range: 1...1_000)
        let status = input.request.uri.queryParameters["status"].map(String.init)
        if let status, RunStatus(rawValue: status) == nil {
            throw APIError.invalidRequest("'status' must be one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var counts: [String: Int64] = ["total": 0, "success": 0, "failed": 0, "running": 0, "cancelled": 0]
        var listed: [JSON] = []
        for run in try await store.runs(flowId: flow.id, limit: 10_000) {
            for execution in try await store.executions(runId: run.id) {
                counts["total", default: 0] += 1
                counts[execution.status.isActive ? "running" : execution.status.rawValue, default: 0] += 1
                guard listed.count < limit, status == nil || execution.status.rawValue == status else { continue }
                var entry = RunJSON.execution(execution).objectValue ?? [:]
                entry["run"] = ["id": .string(run.id), "trigger": .string(run.trigger), "dryRun": .bool(run.dryRun),
                                "flowVersion": run.flowVersion.map { .int(Int64($0)) } ?? .null,
                                "createdAt": DateJSON.json(run.createdAt)]
                listed.append(.object(entry))
            }
        }
        return JSONResponse.make([
            "counts": .object(JSONObject(uniqueKeysWithValues: counts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            "executions": .array(listed),
        ])
    }

    /// `GET /api/v1/executions/{id}/steps/{sequence}/outputs/{output}?offset=&limit=`: a page of one
    /// step output's items (default limit 100, ≤ 1000), with the total count.
    func stepOutputPage(_ input: RouteInput) async throws -> Response {
        let execution = try await store.execution(id: try input.parameter("id"))
        _ = try await accessibleRun(input, .read, id: execution.runId)
        guard let sequence = Int(try input.parameter("sequence")) else {
            throw APIError.invalidRequest("the step sequence must be a whole number")
        }
        let name = try input.parameter("output")
        guard let step = try await store.steps(executionId: execution.id).first(where: { $0.sequence == sequence }) else {
            throw APIError(.notFound, code: "not_found", message: "execution \(execution.id) has no step \(sequence)")
        }
        guard let output = step.outputs[name] else {
            throw APIError(.notFound, code: "not_found",
                           message: "step \(sequence) (\(step.nodeId)) has no output '\(name)'; it has \(step.outputs.keys.sorted().joined(separator: ", "))")
        }
        let offset = try input.intQuery("offset", default: 0, range: 0...Int.max)
        let limit = try input.intQuery("limit", default: 100, range: 1...1_000)
        let items = try await JournalReader(journal: store).items(of: output, offset: offset, limit: limit)
        return JSONResponse.make([
            "nodeId": .string(step.nodeId), "output": .string(name), "total": .int(Int64(JournalReader.count(output))),
            "offset": .int(Int64(offset)), "items": .array(items),
        ])
    }

    /// `GET /api/v1/executions/{id}/artifacts`: the report files the execution wrote, with sizes.
    func listArtifacts(_ input: RouteInput) async throws -> Response {
        let execution = try await store.execution(id: try input.parameter("id"))
        _ = try await accessibleRun(input, .read, id: execution.runId)
        let files = artifacts?.files(executionId: execution.id) ?? []
        return JSONResponse.make([
            "artifacts": .array(files.map { ["name": .string($0.name), "bytes": .int(Int64($0.bytes))] }),
        ])
    }

    /// `GET /api/v1/executions/{id}/artifacts/{name}`: one report file, as a download.
    func downloadArtifact(_ input: RouteInput) async throws -> Response {
        let execution = try await store.execution(id: try input.parameter("id"))
        _ = try await accessibleRun(input, .read, id: execution.runId)
        let name = try input.parameter("name")
        guard let bytes = artifacts?.read(fileName: name, executionId: execution.id) else {
            throw APIError.notFound("execution \(execution.id) has no report file '\(name)'")
        }
        let type = name.hasSuffix(".csv") ? "text/csv; charset=utf-8"
            : name.hasSuffix(".json") ? "application/json" : "application/octet-stream"
        return Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private var artifacts: DirectoryArtifacts? { configuration.artifactsDirectory.map(DirectoryArtifacts.init(root:)) }

    /// Run `id` (the path's `id` unless given) when the caller may do `action` on its flow; runs of
    /// deleted flows and file runs are for Managers and Admins only.
    func accessibleRun(_ input: RouteInput, _ action: FlowAction, id: String? = nil) async throws -> RunRecord {
        let user = try input.user
        let run = try await store.run(id: try id ?? input.parameter("id"))
        let allowed: Bool
        if let flowId = run.flowId, let flow = try? await store.flow(id: flowId) {
            allowed = AccessPolicy.allows(user, action, flow: flow)
        } else {
            allowed = AccessPolicy.seesOrphanRuns(user)
        }
        guard allowed else { throw APIError.forbidden() }
        return run
    }

    /// The saved flow version, decoded; an invalid one is 422 with its issues.
    func savedDocument(flowId: String, version: Int) async throws -> FlowDocument {
        let saved = try await store.flowVersion(flowId: flowId, version: version)
        let (decoded, issues) = FlowDocument.decode(saved.document)
        guard let document = decoded, issues.isEmpty else {
            throw APIError(
                .unprocessableContent, code: "validation_failed", message: "the saved flow version is invalid",
                details: ["issues": .array(issues.map(FlowJSON.issue))])
        }
        return document
    }

    /// Starts `document` in the worker with the stored connectors its targets name and the named HTTP
    /// credentials, their secrets opened and added to the run's masker; the runner's refusals are 422.
    func launch(_ document: FlowDocument, options: RunOptions) async throws -> (RunRecord, [ExecutionRecord]) {
        let resources = try await resourcesForRun(targets: options.targets)
        var options = options
        options.secrets += resources.secrets
        do {
            return try await worker.start(document, options: options, services: resources.services)
        } catch let error as FlowValidationError {
            throw APIError(
                .unprocessableContent, code: "validation_failed", message: "the flow is invalid",
                details: ["issues": .array(error.issues.map(FlowJSON.issue))])
        } catch let error as RunError {
            throw APIError(.unprocessableContent, code: "validation_failed", message: error.description)
        }
    }
}

extension RunStatus {
    /// Queued or running.
    var isActive: Bool { self == .queued || self == .running }
}

extension JSONBody {
    /// The body as `read` gives it; an empty body is an empty object.
    static func readOptional(_ request: Request, limit: Int) async throws -> JSONBody {
        if request.headers[.contentLength] == "0" || (request.headers[.contentLength] == nil && request.headers[.transferEncoding] == nil) {
            return JSONBody(object: [:])
        }
        return try await read(request, limit: limit)
    }
}

extension RouteInput {
    /// The query parameter `name` as a whole number in `range`, `fallback` when absent.
    func intQuery(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = request.uri.queryParameters[Substring(name)] else { return fallback }
        guard let number = Int(String(raw)), range.contains(number) else {
            throw APIError.invalidRequest("'\(name)' must be a whole number from \(range.lowerBound)\(range.upperBound == .max ? " up" : " to \(range.upperBound)")")
        }
        return number
    }
}
