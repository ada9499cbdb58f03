import Foundation
import WeftModel

/// Runs one execution: performs the state machine's actions and journals every step.
struct ExecutionDriver: Sendable {
    let runner: Runner
    let context: RunContext
    let execution: ExecutionRecord

    private enum Completion: Sendable {
        case finished(nodeId: String, outputs: [String: Items], emitted: Set<String>, summary: JSONObject)
        case failed(nodeId: String, error: StepError, errorItem: JSON)
        case retryDue(nodeId: String)
    }

    private var store: any Store { runner.store }
    private var registry: NodeRegistry { runner.registry }

    func run() async -> ExecutionSummary {
        var execution = self.execution
        execution.status = .running
        execution.startedAt = Date()
        execution.worker = runner.configuration.worker
        try? await store.updateExecution(execution)
        let info = ExecutionInfo(id: execution.id, runId: execution.runId, flowId: context.options.flowId,
                                 connector: execution.connector, accountId: execution.accountId, region: execution.region,
                                 provider: execution.provider, dryRun: context.dryRun,
                                 allowActions: context.options.allowActions, startedAt: execution.startedAt ?? Date())
        let nodesById = Dictionary(context.document.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let nodeIdsByName = Dictionary(context.document.nodes.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        let incoming = Dictionary(grouping: context.plan.edges, by: \.to)
        var machine = ExecutionStateMachine(plan: context.plan)
        var outputs: [String: [String: Items]] = [:]
        var loopInputs: [String: Items] = [:]
        var summary: JSONObject = [:]
        var finalStatus = RunStatus.failed
        var finalError: StepError?
        var cancelSent = false

        await withTaskGroup(of: Completion.self) { group in
            var actions = machine.handle(.start)
            while true {
                while !actions.isEmpty {
                    let action = actions.removeFirst()
                    switch action {
                    case .start(let id, let attempt, let iteration):
                        guard let node = nodesById[id] else { continue }
                        let input = Items.concatenate((incoming[id] ?? []).compactMap { outputs[$0.from]?[$0.output] })
                        let snapshot = outputs.compactMapValues { $0["main"] }
                        let attemptContext = NodeContext(
                            nodeId: id, nodeName: node.name, attempt: attempt, iteration: iteration, execution: info,
                            variables: context.variables, input: input, nodeOutputs: snapshot,
                            nodeIdsByName: nodeIdsByName, flowDirectory: context.options.flowDirectory,
                            artifacts: runner.configuration.artifacts.map { MaskingArtifactSink(inner: $0, masker: context.masker) },
                            now: Date(),
                            progress: { [observer = context.observer, execution] done, total in
                                observer?.stepProgress(execution, nodeId: id, done: done, total: total)
                            })
                        group.addTask { [execution] in
                            await self.runAttempt(node: node, context: attemptContext, execution: execution)
                        }
                    case .scheduleRetry(let id, _, let delayMs):
                        let delay = runner.configuration.jitter(delayMs)
                        group.addTask {
                            try? await Task.sleep(nanoseconds: UInt64(max(delay, 0)) * 1_000_000)
                            return .retryDue(nodeId: id)
                        }
                    case .skip(let id):
                        let now = Date()
                        let record = StepRecord(executionId: execution.id, nodeId: id, iteration: machine.iteration(of: id),
                                                worker: runner.configuration.worker, status: .skipped, startedAt: now, endedAt: now)
                        _ = try? await store.append(record)
                        context.observer?.stepFinished(execution, record: record, outputs: [:])
                    case .evaluateLoop(let id, let iteration):
                        let (output, exit) = await evaluateLoop(id: id, iteration: iteration, outputs: outputs,
                                                                node: nodesById[id], info: info, execution: execution)
                        if exit || iteration >= (context.plan.nodes.first { $0.id == id }?.loop?.maxIterations ?? 1) {
                            outputs[id] = ["main": output]
                        } else if let input = loopInputs[id] {
                            outputs[id] = ["main": input]
                        }
                        actions += machine.handle(.loopEvaluated(nodeId: id, exit: exit))
                    case .cancelRunning:
                        group.cancelAll()
                    case .finish(let status, let error):
                        finalStatus = status
                        finalError = error
                    }
                }
                guard let completion = await group.next() else { break }
                if Task.isCancelled, !cancelSent {
                    cancelSent = true
                    actions += machine.handle(.cancel)
                }
                switch completion {
                case .finished(let id, let result, let emitted, let stepSummary):
                    outputs[id] = result.filter { emitted.contains($0.key) }
                    if context.plan.nodes.contains(where: { $0.id == id && $0.loop != nil }) {
                        loopInputs[id] = result["main"] ?? .empty
                    }
                    merge(stepSummary, into: &summary)
                    actions += machine.handle(.nodeSucceeded(nodeId: id, emitted: emitted))
                case .failed(let id, let error, let errorItem):
                    let plannedNode = context.plan.nodes.first { $0.id == id }
                    switch plannedNode?.onError {
                    case .continue?:
                        outputs[id] = Dictionary(uniqueKeysWithValues: (plannedNode?.outputs ?? []).map { ($0, Items.empty) })
                    case .errorOutput?:
                        outputs[id] = ["error": Items([errorItem])]
                    default:
                        outputs[id] = [:]
                    }
                    actions += machine.handle(.nodeFailed(nodeId: id, error: error))
                case .retryDue(let id):
                    actions += machine.handle(.retryDue(nodeId: id))
                }
            }
        }

        execution.status = finalStatus
        execution.endedAt = Date()
        execution.summary = .object(summary)
        if let finalError {
            var error: JSONObject = ["message": .string(finalError.message), "nodeId": .string(finalError.nodeId)]
            if let index = finalError.itemIndex { error["itemIndex"] = .int(Int64(index)) }
            if let code = finalError.code { error["code"] = .string(code) }
            execution.error = .object(error)
        }
        try? await store.updateExecution(execution)
        context.observer?.executionFinished(execution)
        let steps = (try? await store.steps(executionId: execution.id)) ?? []
        return ExecutionSummary(execution: execution, steps: Self.lastRecords(steps, order: context.plan.nodes.map(\.id)))
    }

    /// The last journal entry of each node, in plan order.
    static func lastRecords(_ steps: [StepRecord], order: [String]) -> [StepRecord] {
        var last: [String: StepRecord] = [:]
        for step in steps { last[step.nodeId] = step }
        return order.compactMap { last[$0] }
    }

    private func merge(_ figures: JSONObject, into summary: inout JSONObject) {
        for (key, value) in figures {
            if let a = summary[key]?.intValue, let b = value.intValue {
                summary[key] = .int(a + b)
            } else {
                summary[key] = value
            }
        }
    }

    /// One attempt of one node, from parameter resolution to the final journal entry.
    private func runAttempt(node: FlowNode, context nodeContext: NodeContext, execution: ExecutionRecord) async -> Completion {
        let started = Date()
        let masker = context.masker
        let worker = runner.configuration.worker
        var record = StepRecord(executionId: execution.id, nodeId: node.id, attempt: nodeContext.attempt,
                                iteration: nodeContext.iteration, worker: worker, status: .running, startedAt: started,
                                itemCounts: ["in": nodeContext.input.count])
        guard let type = registry.type(named: node.type) else {
            return await fail(record: record, execution: execution, error: StepError(message: "unknown node type '\(node.type)'", nodeId: node.id))
        }
        let params: JSON
        do {
            params = try ParameterResolver.resolve(node: node, description: type.description, variables: context.variables)
        } catch {
            record.input = ["params": masker.mask(.object(node.params))]
            return await fail(record: record, execution: execution, error: stepError(error, nodeId: node.id))
        }
        record.input = [
            "params": masker.mask(params),
            "context": ["execution": nodeContext.execution.json, "attempt": .int(Int64(nodeContext.attempt)),
                        "iteration": .int(Int64(nodeContext.iteration)), "itemsIn": .int(Int64(nodeContext.input.count))],
        ]
        _ = try? await store.append(record)
        context.observer?.stepStarted(execution, nodeId: node.id, attempt: nodeContext.attempt, itemsIn: nodeContext.input.count)

        let result: NodeResult
        if node.settings.disabled {
            result = NodeResult(main: nodeContext.input)
            record.status = .skipped
            record.logs = ["disabled: the input is passed through unchanged"]
        } else {
            do {
                result = try await withTimeout(node.settings.timeoutSeconds) {
                    try await self.registry.execute(type, params: params, context: nodeContext)
                }
                record.status = .success
            } catch {
                record.logs = nodeContext.logs.map(masker.mask)
                return await fail(record: record, execution: execution, error: stepError(error, nodeId: node.id))
            }
        }
        var declared = type.description.outputs
        for name in result.outputs.keys where !declared.contains(name) { declared.append(name) }
        var maskedOutputs: [String: Items] = [:]
        for name in declared {
            maskedOutputs[name] = masker.mask(result.outputs[name] ?? .empty)
            record.itemCounts[name] = result.outputs[name]?.count ?? 0
        }
        do {
            record.outputs = try await storeOutputs(maskedOutputs, executionId: execution.id)
        } catch {
            return await fail(record: record, execution: execution,
                              error: StepError(message: "could not record the step's output: \(error)", nodeId: node.id, code: "storage"))
        }
        record.logs += nodeContext.logs.map(masker.mask)
        record.trace = result.trace.map(masker.mask)
        record.endedAt = Date()
        _ = try? await store.append(record)
        context.observer?.stepFinished(execution, record: record, outputs: maskedOutputs)
        var outputs = result.outputs
        for name in declared where outputs[name] == nil { outputs[name] = .empty }
        return .finished(nodeId: node.id, outputs: outputs, emitted: Set(type.description.outputs), summary: result.summary)
    }

    private func fail(record: StepRecord, execution: ExecutionRecord, error: StepError) async -> Completion {
        var record = record
        var error = error
        error.message = context.masker.mask(error.message)
        record.status = .failed
        record.error = error
        record.endedAt = Date()
        _ = try? await store.append(record)
        context.observer?.stepFinished(execution, record: record, outputs: [:])
        var item: JSONObject = ["message": .string(error.message), "nodeId": .string(error.nodeId)]
        if let index = error.itemIndex { item["itemIndex"] = .int(Int64(index)) }
        if let code = error.code { item["code"] = .string(code) }
        return .failed(nodeId: record.nodeId, error: error, errorItem: ["error": .object(item)])
    }

    private func stepError(_ error: any Error, nodeId: String) -> StepError {
        switch error {
        case let error as StepError: return error
        case let error as NodeError: return StepError(message: error.message, nodeId: nodeId, itemIndex: error.itemIndex, code: error.code)
        case is TimeoutError: return StepError(message: "the node timed out", nodeId: nodeId, code: "timeout")
        case is CancellationError: return StepError(message: "the step was cancelled", nodeId: nodeId, code: "cancelled")
        default: return StepError(message: "\(error)", nodeId: nodeId)
        }
    }

    /// Keeps small outputs inline and cuts larger ones into compressed blob pages.
    private func storeOutputs(_ outputs: [String: Items], executionId: String) async throws -> [String: StoredItems] {
        let configuration = runner.configuration
        var stored: [String: StoredItems] = [:]
        for (name, items) in outputs {
            if !items.isSpilled, items.count <= configuration.inlineItemLimit {
                let all = try items.collect()
                var bytes: [UInt8] = []
                JSON.array(all).write(to: &bytes)
                if bytes.count <= configuration.inlineByteLimit {
                    stored[name] = .inline(all)
                    continue
                }
            }
            var compressed: [(first: Int, count: Int, bytes: [UInt8])] = []
            var pages: [BlobPage] = []
            try items.forEachPage(size: configuration.pageItemLimit) { first, count, bytes in
                compressed.append((first, count, Compression.gzip(bytes)))
            }
            for page in compressed {
                let id = try await store.putBlob(page.bytes, executionId: executionId)
                pages.append(BlobPage(blobId: id, firstItem: page.first, count: page.count))
            }
            stored[name] = .pages(pages)
        }
        return stored
    }

    /// The output of a loop's body for one iteration, and whether the loop should end.
    private func evaluateLoop(id: String, iteration: Int, outputs: [String: [String: Items]], node: FlowNode?,
                              info: ExecutionInfo, execution: ExecutionRecord) async -> (Items, Bool) {
        guard let node, let loop = context.plan.nodes.first(where: { $0.id == id })?.loop,
              let type = registry.type(named: node.type) else { return (.empty, true) }
        let sinks = context.plan.nodes.map(\.id).filter { member in
            loop.body.contains(member) && !context.plan.edges.contains { $0.from == member && loop.body.contains($0.to) }
        }
        let output = Items.concatenate(sinks.compactMap { outputs[$0]?["main"] })
        let nodeContext = NodeContext(nodeId: id, nodeName: node.name, iteration: iteration, execution: info,
                                      variables: context.variables, input: output,
                                      nodeOutputs: outputs.compactMapValues { $0["main"] }, now: Date())
        let started = Date()
        var record = StepRecord(executionId: execution.id, nodeId: id, iteration: iteration,
                                worker: runner.configuration.worker, status: .success, startedAt: started,
                                itemCounts: ["in": output.count, "main": output.count])
        var exit = true
        do {
            let params = try ParameterResolver.resolve(node: node, description: type.description, variables: context.variables)
            exit = try registry.loopShouldExit(type: type, params: params, lastOutput: output, context: nodeContext)
            record.logs = ["iteration \(iteration): " + (exit ? "exit condition met" : (iteration >= loop.maxIterations ? "iteration limit reached" : "repeating"))]
            record.outputs = try await storeOutputs(["main": context.masker.mask(output)], executionId: execution.id)
        } catch {
            var failure = stepError(error, nodeId: id)
            failure.message = context.masker.mask(failure.message)
            record.status = .failed
            record.error = failure
        }
        record.endedAt = Date()
        _ = try? await store.append(record)
        context.observer?.stepFinished(execution, record: record, outputs: ["main": context.masker.mask(output)])
        return (output, exit)
    }
}

struct TimeoutError: Error {}

/// Runs `body`, cancelling it and throwing `TimeoutError` when it takes longer than `seconds`.
func withTimeout<T: Sendable>(_ seconds: Double?, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let seconds else { return try await body() }
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TimeoutError() }
        guard let value = first else { throw TimeoutError() }
        return value
    }
}
