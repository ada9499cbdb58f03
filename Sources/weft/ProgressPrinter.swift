import Foundation
import WeftEngine
import WeftModel

/// Shows a run's progress on stderr: one line per step, and a progress bar for long steps on a terminal.
final class ProgressPrinter: RunObserver {
    private let types: [String: String]
    private let multipleExecutions = LockedBox(false)
    private let interactive = isatty(STDERR_FILENO) != 0
    private let lastBar = LockedBox<Date>(.distantPast)

    init(document: FlowDocument) {
        types = Dictionary(document.nodes.map { ($0.id, $0.type) }, uniquingKeysWith: { a, _ in a })
    }

    func runStarted(_ run: RunRecord, executions: [ExecutionRecord]) {
        multipleExecutions.withLock { $0 = executions.count > 1 }
        let plural = executions.count == 1 ? "execution" : "executions"
        printError("run \(run.id) · \(run.flowName) · \(executions.count) \(plural)")
    }

    private func prefix(_ execution: ExecutionRecord) -> String {
        multipleExecutions.withLock { $0 } ? "[\(execution.connector)/\(execution.region)] " : ""
    }

    func stepProgress(_ execution: ExecutionRecord, nodeId: String, done: Int, total: Int?) {
        guard interactive else { return }
        let now = Date()
        let due = lastBar.withLock { last in
            if now.timeIntervalSince(last) < 0.1 { return false }
            last = now
            return true
        }
        guard due else { return }
        var line = "\r\(prefix(execution))  \(nodeId) "
        if let total, total > 0 {
            let width = 30
            let filled = min(width, done * width / total)
            line += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] \(done)/\(total)"
        } else {
            line += "\(done) items"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    func stepFinished(_ execution: ExecutionRecord, record: StepRecord, outputs: [String: Items]) {
        let clear = interactive ? "\r\u{1B}[K" : ""
        let type = types[record.nodeId].map { " (\($0))" } ?? ""
        let iteration = record.iteration > 0 ? " #\(record.iteration)" : ""
        let attempt = record.attempt > 1 ? " attempt \(record.attempt)" : ""
        switch record.status {
        case .skipped where record.itemCounts.isEmpty:
            printError("\(clear)\(prefix(execution))– \(record.nodeId)\(type)\(iteration) skipped")
        case .failed:
            printError("\(clear)\(prefix(execution))✗ \(record.nodeId)\(type)\(iteration)\(attempt) failed: \(record.error?.message ?? "")")
        default:
            let counts = record.itemCounts
            let outs = counts.filter { $0.key != "in" }.sorted { $0.key < $1.key }
                .map { $0.key == "main" ? "\($0.value) out" : "\($0.value) \($0.key)" }.joined(separator: ", ")
            let ms = record.endedAt.map { Int($0.timeIntervalSince(record.startedAt) * 1000) } ?? 0
            let mark = record.status == .skipped ? "–" : "✓"
            printError("\(clear)\(prefix(execution))\(mark) \(record.nodeId)\(type)\(iteration)\(attempt)  \(counts["in"] ?? 0) in → \(outs)  \(ms) ms")
        }
    }

    func executionFinished(_ execution: ExecutionRecord) {
        guard multipleExecutions.withLock({ $0 }) else { return }
        printError("\(prefix(execution))execution \(execution.status.rawValue)")
    }

    func finish(_ summary: RunSummary) {
        var line = "run \(summary.run.status.rawValue)"
        for e in summary.executions {
            if let passed = e.execution.summary["passed"]?.intValue, let failed = e.execution.summary["failed"]?.intValue {
                line += " · \(e.execution.connector)/\(e.execution.region): Passed: \(passed), Failed: \(failed)"
            }
            if let message = e.execution.error?["message"]?.stringValue {
                let node = e.execution.error?["nodeId"]?.stringValue ?? ""
                line += "\n  \(e.execution.connector)/\(e.execution.region) failed at node '\(node)': \(message)"
            }
        }
        printError(line)
    }
}
