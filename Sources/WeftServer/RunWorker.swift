import Foundation
import WeftEngine
import WeftModel

/// Runs flows in server tasks: `start` returns once the run is recorded, the run goes on in the background.
actor RunWorker {
    let runner: Runner
    private var tasks: [UUID: Task<Void, Never>] = [:]

    init(runner: Runner) {
        self.runner = runner
    }

    /// Starts `document` and returns its run and executions as first recorded.
    ///
    /// Throws what the runner throws before recording anything (`FlowValidationError`, `RunError`, a
    /// store error); failures after that end the run `failed` in the journal.
    func start(_ document: FlowDocument, options: RunOptions) async throws -> (RunRecord, [ExecutionRecord]) {
        let started = StartSignal()
        let key = UUID()
        let runner = self.runner
        // Inherits the actor's isolation: `finished` cannot run before `tasks[key]` is set.
        let task = Task {
            do {
                _ = try await runner.run(document, options: options, observer: started)
            } catch {
                started.fail(error)
            }
            self.finished(key)
        }
        tasks[key] = task
        return try await started.wait()
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
