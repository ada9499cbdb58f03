import Foundation
import Synchronization
import WeftEngine
import WeftModel

/// Live events of the runs in progress in this process, fanned out to subscribers (the
/// `GET /api/v1/runs/{id}/events` streams). Events carry status and counts, never items: step inputs
/// and outputs stay in the journal, where secrets are masked.
final class RunEvents: Sendable {
    /// One event: its SSE name and JSON data.
    struct Event: Sendable {
        var name: String
        var data: JSON
    }

    private let subscribers = Mutex<[String: [UUID: AsyncStream<Event>.Continuation]]>([:])

    /// A stream of the events of run `runId` from now on; it ends after `run.finished`, or when the
    /// consumer stops listening.
    func subscribe(runId: String) -> AsyncStream<Event> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { $0[runId]?[id] = nil }
        }
        subscribers.withLock { $0[runId, default: [:]][id] = continuation }
        return stream
    }

    /// How many streams listen to run `runId`.
    func subscriberCount(runId: String) -> Int {
        subscribers.withLock { $0[runId]?.count ?? 0 }
    }

    /// Delivers `event` to the run's subscribers; `run.finished` also ends their streams.
    func publish(runId: String, _ event: Event) {
        let listeners = subscribers.withLock { all -> [AsyncStream<Event>.Continuation] in
            let found = Array(all[runId, default: [:]].values)
            if event.name == "run.finished" { all[runId] = nil }
            return found
        }
        for listener in listeners {
            listener.yield(event)
            if event.name == "run.finished" { listener.finish() }
        }
    }

    /// An observer publishing a run's engine callbacks as events.
    func observer() -> some RunObserver { Forwarder(events: self) }

    private struct Forwarder: RunObserver {
        let events: RunEvents

        func runStarted(_ run: RunRecord, executions: [ExecutionRecord]) {
            events.publish(runId: run.id, Event(name: "run.started", data: [
                "run": RunJSON.run(run), "executions": .array(executions.map(RunJSON.execution)),
            ]))
        }

        func stepStarted(_ execution: ExecutionRecord, nodeId: String, attempt: Int, itemsIn: Int) {
            events.publish(runId: execution.runId, Event(name: "step.started", data: [
                "executionId": .string(execution.id), "nodeId": .string(nodeId), "attempt": .int(Int64(attempt)),
                "itemsIn": .int(Int64(itemsIn)),
            ]))
        }

        func stepFinished(_ execution: ExecutionRecord, record: StepRecord, outputs: [String: Items]) {
            events.publish(runId: execution.runId, Event(name: "step.finished", data: [
                "executionId": .string(execution.id), "nodeId": .string(record.nodeId), "sequence": .int(Int64(record.sequence)),
                "attempt": .int(Int64(record.attempt)), "iteration": .int(Int64(record.iteration)),
                "status": .string(record.status.rawValue),
                "itemCounts": .object(JSONObject(uniqueKeysWithValues: record.itemCounts.sorted { $0.key < $1.key }
                    .map { ($0.key, .int(Int64($0.value))) })),
                "error": record.error?.json ?? .null,
            ]))
        }

        func executionFinished(_ execution: ExecutionRecord) {
            events.publish(runId: execution.runId, Event(name: "execution.finished", data: ["execution": RunJSON.execution(execution)]))
        }
    }

    /// `event` in the text/event-stream format.
    static func encode(_ event: Event) -> String {
        "event: \(event.name)\ndata: \(event.data.serialized())\n\n"
    }
}
