import Foundation
import WeftModel

/// Runs one execution: performs the state machine's actions and journals every step.
struct ExecutionDriver: Sendable {
    let runner: Runner
    let context: RunContext
    let execution: ExecutionRecord

    private enum Completion: Sendable {
        case finished(nodeId: String, outputs: [String: Items], emitted: Set<String>, summary: JSONObject)
        /// `errorItem` is the item the `error` output carries (`{"message", "nodeId", …}`).
        case failed(nodeId: String, error: StepError, errorItem: JSON?)
        case retryDue(nodeId: String)
    }

    private var store: any Store { runner.store }
    private var registry: NodeRegistry { runner.registry }

    func run() async -> ExecutionSummary {
        var execution = self.execution
        execution.status = .running
        execution.startedAt = Date()
        execution.worker = runner.configuration.worker
        var journalError: StepError?
        do { try await store.updateExecution(execution) } catch {
            journalError = StepError(message: "could not record the execution's start: \(error)", nodeId: "", code: "storage")
        }
        let info = ExecutionInfo(id: execution.id, runId: execution.runId, flowId: context.options.flowId,
                                 connector: execution.connector, accountId: execution.accountId, region: execution.region,
                                 provider: execution.provider, dryRun: context.dryRun,
                                 allowActions: context.options.allowActions, startedAt: execution.startedAt ?? Date())
        let nodesById = Dictionary(context.document.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let nodeIdsByName = Dictionary(context.document.nodes.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        let planned = Dictionary(context.plan.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let incoming = Dictionary(grouping: context.plan.edges, by: \.to)
        var machine = ExecutionStateMachine(plan: context.plan)
        var outputs: [String: [String: Items]] = [:]
        var loopInputs: [String: Items] = [:]
        var summary: JSONObject = [:]
        var finished: (status: RunStatus, error: StepError?)?
        var cancelSent = false

        await withTaskGroup(of: Completion.self) { group in
            var actions = journalError == nil ? machine.handle(.start) : []
            while true {
                while !actions.isEmpty {
                    let action = actions.removeFirst()
                    switch action {
                    case .start(let id, let attempt, let iteration):
                        guard let node = nodesById[id] else { continue }
                        let input: Items
                        do {
                            input = try Items.concatenate((incoming[id] ?? []).compactMap { outputs[$0.from]?[$0.output] })
                        } catch {
                            group.addTask { .failed(nodeId: id, error: StepError(message: "cannot read the node's input: \(error)", nodeId: id, code: "storage"), errorItem: nil) }
                            continue
                        }
                        let attemptContext = NodeContext(
                            nodeId: id, nodeName: node.name, attempt: attempt, iteration: iteration, execution: info,
                            variables: context.variables, input: input, nodeOutputs: outputs.compactMapValues { $0["main"] },
                            nodeIdsByName: nodeIdsByName, flowDirectory: context.options.flowDirectory,
                            artifacts: runner.configuration.artifacts.map { MaskingArtifactSink(inner: $0, masker: context.masker) },
                            secrets: context.masker, now: Date(), services: TriggerFiring.register(context.options, in: runner.configuration.services),
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
                    case .skip(let id, let attempt):
                        outputs[id] = nil
                        let now = Date()
                        let record = StepRecord(executionId: execution.id, nodeId: id, attempt: attempt,
                                                iteration: machine.iteration(of: id), worker: runner.configuration.worker,
                                                status: .skipped, startedAt: now, endedAt: now)
                        do { _ = try await store.append(record) } catch {
                            journalError = journalError ?? StepError(message: "could not record a step: \(error)", nodeId: id, code: "storage")
                        }
                        context.observer?.stepFinished(execution, record: record, outputs: [:])
                    case .evaluateLoop(let id, let iteration):
                        let outcome = await evaluateLoop(id: id, iteration: iteration, outputs: outputs, node: nodesById[id],
                                                         loop: planned[id]?.loop, info: info, execution: execution)
                        switch outcome {
                        case .success(let (output, exit)):
                            actions += machine.handle(.loopEvaluated(nodeId: id, exit: exit))
                            if case .succeeded = machine.states[id] {
                                outputs[id] = ["main": output]
                            } else {
                                outputs[id] = ["main": loopInputs[id] ?? .empty]
                                for member in planned[id]?.loop?.body ?? [] { outputs[member] = nil }
                            }
                        case .failure(let error):
                            actions += machine.handle(.loopFailed(nodeId: id, error: error))
                            outputs[id] = failedOutputs(machine.states[id], errorItem: error.json)
                        }
                    case .cancelRunning:
                        group.cancelAll()
                    case .finish(let status, let error):
                        finished = (status, error)
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
                    if planned[id]?.loop != nil { loopInputs[id] = result["main"] ?? .empty }
                    merge(context.masker.mask(.object(stepSummary)).objectValue ?? [:], into: &summary)
                    actions += machine.handle(.nodeSucceeded(nodeId: id, emitted: emitted))
                case .failed(let id, let error, let errorItem):
                    actions += machine.handle(.nodeFailed(nodeId: id, error: error))
                    if case .failed = machine.states[id] {
                        outputs[id] = failedOutputs(machine.states[id], errorItem: errorItem ?? error.json)
                    }
                case .retryDue(let id):
                    actions += machine.handle(.retryDue(nodeId: id))
                }
            }
        }

        let status: RunStatus
        let failure: StepError?
        if let journalError {
            (status, failure) = (.failed, journalError)
        } else if let finished {
            (status, failure) = finished
        } else {
            (status, failure) = (.failed, StepError(message: "the execution stopped before every node settled (an engine fault)", nodeId: "", code: "engine"))
        }
        execution.status = status
        execution.endedAt = Date()
        execution.summary = .object(summary)
        execution.error = failure.map(\.json)
        var steps: [StepRecord] = []
        do {
            try await store.updateExecution(execution)
            steps = try await store.steps(executionId: execution.id)
        } catch {
            execution.status = .failed
            execution.error = StepError(message: "could not record the execution's end: \(error)", nodeId: "", code: "storage").json
        }
        context.observer?.executionFinished(execution)
        return ExecutionSummary(execution: execution, steps: Self.lastRecords(steps, order: context.plan.nodes.map(\.id)))
    }

    /// The outputs a failed node emits, as the state machine settled them (`onError`).
    private func failedOutputs(_ state: ExecutionStateMachine.NodeState?, errorItem: JSON) -> [String: Items] {
        guard case .failed(let emitted)? = state else { return [:] }
        var result: [String: Items] = [:]
        for name in emitted { result[name] = name == "error" ? Items([["error": errorItem]]) : .empty }
        return result
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
        let masker = context.masker
        var record = StepRecord(executionId: execution.id, nodeId: node.id, attempt: nodeContext.attempt,
                                iteration: nodeContext.iteration, worker: runner.configuration.worker, status: .running,
                                startedAt: Date(), itemCounts: ["in": nodeContext.input.count])
        guard let type = registry.type(named: node.type) else {
            return await fail(record, node: node, execution: execution, error: StepError(message: "unknown node type '\(node.type)'", nodeId: node.id))
        }
        let params: JSON
        do {
            params = try ParameterResolver.resolve(node: node, description: type.description, variables: context.variables)
        } catch {
            record.input = ["params": masker.mask(.object(node.params))]
            return await fail(record, node: node, execution: execution, error: stepError(error, nodeId: node.id))
        }
        record.input = [
            "params": masker.mask(params),
            "context": ["execution": nodeContext.execution.json, "attempt": .int(Int64(nodeContext.attempt)),
                        "iteration": .int(Int64(nodeContext.iteration)), "itemsIn": .int(Int64(nodeContext.input.count))],
        ]
        do { _ = try await store.append(record) } catch {
            return .failed(nodeId: node.id, error: StepError(message: "could not record the step: \(error)", nodeId: node.id, code: "storage"), errorItem: nil)
        }
        context.observer?.stepStarted(execution, nodeId: node.id, attempt: nodeContext.attempt, itemsIn: nodeContext.input.count)

        let result: NodeResult
        if node.settings.disabled {
            result = NodeResult(main: nodeContext.input)
            record.status = .skipped
            record.logs = ["disabled: the input is passed through unchanged"]
        } else if let recorded = context.options.reused[execution.target], let outputs = recorded.outputs[node.id] {
            result = NodeResult(outputs: outputs)
            record.status = .success
            record.logs = ["reused: the outputs execution \(recorded.executionId) recorded stand in for the node's execution"]
        } else if let pinned = context.options.pinned[node.id] {
            result = NodeResult(main: pinned)
            record.status = .success
            record.logs = ["pinned: \(pinned.count) recorded items stand in for the node's execution"]
        } else {
            do {
                result = try await withTimeout(node.settings.timeoutSeconds) {
                    try await self.registry.execute(type, params: params, context: nodeContext)
                }
                record.status = .success
            } catch {
                record.logs = nodeContext.logs.map(masker.mask)
                return await fail(record, node: node, execution: execution, error: stepError(error, nodeId: node.id))
            }
        }
        var declared = type.description.outputs
        for name in result.outputs.keys where !declared.contains(name) { declared.append(name) }
        var outputs = result.outputs
        var maskedOutputs: [String: Items] = [:]
        do {
            for name in declared {
                let items = outputs[name] ?? .empty
                outputs[name] = items
                maskedOutputs[name] = try masker.mask(items)
                record.itemCounts[name] = items.count
            }
            record.outputs = try await storeOutputs(maskedOutputs, executionId: execution.id)
            record.logs += nodeContext.logs.map(masker.mask)
            record.trace = result.trace.map(masker.mask)
            record.endedAt = Date()
            _ = try await store.append(record)
        } catch {
            return await fail(record, node: node, execution: execution,
                              error: StepError(message: "could not record the step's output: \(error)", nodeId: node.id, code: "storage"))
        }
        context.observer?.stepFinished(execution, record: record, outputs: maskedOutputs)
        return .finished(nodeId: node.id, outputs: outputs, emitted: Set(type.description.outputs), summary: result.summary)
    }

    /// Records a failed attempt; when it is the node's last and its `onError` is `errorOutput`, the
    /// error item is recorded as the step's `error` output.
    private func fail(_ record: StepRecord, node: FlowNode, execution: ExecutionRecord, error: StepError) async -> Completion {
        var record = record
        var error = error
        error.message = context.masker.mask(error.message)
        let errorItem = error.json
        record.status = .failed
        record.error = error
        record.endedAt = Date()
        record.outputs = [:]
        record.itemCounts = record.itemCounts.filter { $0.key == "in" }
        var observed: [String: Items] = [:]
        let lastAttempt = node.settings.retry.map { record.attempt >= $0.maxAttempts } ?? true
        if node.settings.onError == .errorOutput, lastAttempt || error.code == "cancelled" {
            observed = ["error": Items([["error": errorItem]])]
            record.itemCounts["error"] = 1
            record.outputs = (try? await storeOutputs(observed, executionId: execution.id)) ?? [:]
        }
        _ = try? await store.append(record)
        context.observer?.stepFinished(execution, record: record, outputs: observed)
        return .failed(nodeId: record.nodeId, error: error, errorItem: errorItem)
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
            var batch: [(first: Int, count: Int, bytes: [UInt8])] = []
            try items.forEachPage(size: configuration.pageItemLimit) { first, count, bytes in
                batch.append((first, count, bytes))
                if batch.count == Self.compressionBatch {
                    compressed += Self.compress(batch)
                    batch.removeAll()
                }
            }
            compressed += Self.compress(batch)
            var pages: [BlobPage] = []
            for page in compressed {
                let id = try await store.putBlob(page.bytes, executionId: executionId)
                pages.append(BlobPage(blobId: id, firstItem: page.first, count: page.count))
            }
            stored[name] = .pages(pages)
        }
        return stored
    }

    /// Pages compressed at once, on as many threads.
    static let compressionBatch = max(2, ProcessInfo.processInfo.activeProcessorCount)

    /// The pages with their bytes gzip-compressed, in parallel.
    static func compress(_ pages: [(first: Int, count: Int, bytes: [UInt8])]) -> [(first: Int, count: Int, bytes: [UInt8])] {
        guard pages.count > 1 else { return pages.map { ($0.first, $0.count, Compression.gzip($0.bytes)) } }
        let results = LockedBox([[UInt8]](repeating: [], count: pages.count))
        DispatchQueue.concurrentPerform(iterations: pages.count) { index in
            let bytes = Compression.gzip(pages[index].bytes)
            results.withLock { $0[index] = bytes }
        }
        let compressed = results.withLock { $0 }
        return pages.indices.map { (pages[$0].first, pages[$0].count, compressed[$0]) }
    }

    /// The output of a loop's body for one iteration and whether the loop should end, journaled as a
    /// record of the loop node; a failure to evaluate the exit condition is the loop's failure.
    private func evaluateLoop(id: String, iteration: Int, outputs: [String: [String: Items]], node: FlowNode?,
                              loop: ExecutionPlan.Loop?, info: ExecutionInfo,
                              execution: ExecutionRecord) async -> Result<(Items, Bool), StepError> {
        guard let node, let loop, let type = registry.type(named: node.type) else {
            return .failure(StepError(message: "unknown loop node", nodeId: id, code: "engine"))
        }
        let sinks = context.plan.nodes.map(\.id).filter { member in
            loop.body.contains(member) && !context.plan.edges.contains { $0.from == member && loop.body.contains($0.to) }
        }
        var record = StepRecord(executionId: execution.id, nodeId: id, iteration: iteration,
                                worker: runner.configuration.worker, status: .success, startedAt: Date())
        let outcome: Result<(Items, Bool), StepError>
        var masked: [String: Items] = [:]
        do {
            let output = try Items.concatenate(sinks.compactMap { outputs[$0]?["main"] })
            record.itemCounts = ["in": output.count, "main": output.count]
            let nodeContext = NodeContext(nodeId: id, nodeName: node.name, iteration: iteration, execution: info,
                                          variables: context.variables, input: output,
                                          nodeOutputs: outputs.compactMapValues { $0["main"] }, secrets: context.masker)
            let params = try ParameterResolver.resolve(node: node, description: type.description, variables: context.variables)
            let exit = try registry.loopShouldExit(type: type, params: params, lastOutput: output, context: nodeContext)
            record.logs = ["iteration \(iteration): " + (exit ? "exit condition met" : (iteration >= loop.maxIterations ? "iteration limit reached" : "repeating"))]
            masked = ["main": try context.masker.mask(output)]
            record.outputs = try await storeOutputs(masked, executionId: execution.id)
            outcome = .success((output, exit))
        } catch {
            var failure = stepError(error, nodeId: id)
            failure.message = context.masker.mask(failure.message)
            record.status = .failed
            record.error = failure
            outcome = .failure(failure)
        }
        record.endedAt = Date()
        _ = try? await store.append(record)
        context.observer?.stepFinished(execution, record: record, outputs: masked)
        return outcome
    }
}

struct TimeoutError: Error {}

/// Runs `body`, cancelling it and throwing `TimeoutError` when it takes longer than `seconds`.
/// Cancellation is cooperative: a body that never checks for it finishes before the error is thrown.
func withTimeout<T: Sendable>(_ seconds: Double?, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let seconds else { return try await body() }
    let nanoseconds = UInt64(min(max(seconds, 0), 1e9) * 1_000_000_000)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: nanoseconds)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw TimeoutError() }
        return value
    }
}
