import Foundation
import WeftEngine
import WeftModel

/// Runs flows in server tasks: `start` returns once the run is recorded, the run goes on in the
/// background, publishing its progress to `events`.
actor RunWorker {
    let runner: Runner
    let events: RunEvents
    let metrics: ServerMetrics
    private var tasks: [UUID: Task<Void, Never>] = [:]
    private var taskByRun: [String: UUID] = [:]

    init(runner: Runner, events: RunEvents, metrics: ServerMetrics) {
        self.runner = runner
        self.events = events
        self.metrics = metrics
    }

    /// How many runs are in progress here.
    var activeCount: Int { tasks.count }

    /// Starts `document` and returns its run and executions as first recorded; `services`, when
    /// given, replace the runner's for this run (its connectors' cloud access, HTTP credentials).
    ///
    /// Throws what the runner throws before recording anything (`FlowValidationError`, `RunError`, a
    /// store error); failures after that end the run `failed` in the journal.
    func start(_ document: FlowDocument, options: RunOptions, services: NodeServices? = nil) async throws
        -> (RunRecord, [ExecutionRecord])
    {
        let started = StartSignal()
        let key = UUID()
        var runner = self.runner
        if let services {
            var configuration = runner.configuration
            configuration.services = services
            runner = Runner(registry: runner.registry, store: runner.store, configuration: configuration)
        }
        let events = self.events
        let observers: [any RunObserver] = [
            started, events.observer(),
            metrics.observer(nodeTypes: Dictionary(document.nodes.map { ($0.id, $0.type) }, uniquingKeysWith: { first, _ in first })),
        ]
        // Inherits the actor's isolation: `finished` cannot run before `tasks[key]` is set.
        let task = Task { [runner] in
            do {
                let summary = try await runner.run(document, options: options, observer: ObserverGroup(observers))
                events.publish(runId: summary.run.id, RunEvents.Event(name: "run.finished", data: ["run": RunJSON.run(summary.run)]))
            } catch {
                started.fail(error)
            }
            self.finished(key)
        }
        tasks[key] = task
        let (run, executions) = try await started.wait()
        metrics.increment(ServerMetrics.runsStarted, [("trigger", options.trigger)])
        if tasks[key] != nil { taskByRun[run.id] = key }
        return (run, executions)
    }

    /// Whether run `runId` is in progress in this process.
    func isActive(runId: String) -> Bool { taskByRun[runId] != nil }

    /// Cancels run `runId` if it is in progress here; it ends `cancelled` with its journal complete.
    /// Returns false when the run is not in progress in this process.
    func cancel(runId: String) -> Bool {
        guard let key = taskByRun[runId], let task = tasks[key] else { return false }
        task.cancel()
        return true
    }

    /// Cancels every run in progress; each ends `cancelled` with its journal complete.
    func cancelAll() {
        for task in tasks.values { task.cancel() }
    }

    /// Waits until every started run has ended.
    func waitForAll() async {
        while let (_, task) = tasks.first {
            await task.value
        }
    }

    private func finished(_ key: UUID) {
        tasks[key] = nil
        taskByRun = taskByRun.filter { $0.value != key }
    }
}

/// Hands the first `runStarted` (or an error before it) to the one waiter.
private final class StartSignal: RunObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<(RunRecord, [ExecutionRecord]), any Error>?
    private var waiter: CheckedContinuation<(RunRecord, [ExecutionRecord]), any Error>?

    func runStarted(_ run: RunRecord, executions: [ExecutionRecord]) {
        resolve(.success((run, executions)))
    }

    func fail(_ error: any Error) {
        resolve(.failure(error))
    }

    func wait() async throws -> (RunRecord, [ExecutionRecord]) {
        try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            if let result {
                lock.unlock()
                continuation.resume(with: result)
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }

    private func resolve(_ value: Result<(RunRecord, [ExecutionRecord]), any Error>) {
        lock.lock()
        guard result == nil else {
            lock.unlock()
            return
        }
        result = value
        let continuation = waiter
        waiter = nil
        lock.unlock()
        continuation?.resume(with: value)
    }
}
