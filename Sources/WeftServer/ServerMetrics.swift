import Foundation
import Synchronization
import WeftEngine
import WeftModel

/// The server's Prometheus metrics — requests, runs, executions, step durations — rendered in the
/// text exposition format (version 0.0.4) at `GET /metrics`.
final class ServerMetrics: Sendable {
    /// A metric family: its name, help text and type.
    struct Family: Sendable {
        var name: String
        var help: String
        var isHistogram: Bool
    }

    static let requests = Family(name: "weft_http_requests_total", help: "API requests by method, route and status.", isHistogram: false)
    static let requestSeconds = Family(name: "weft_http_request_duration_seconds", help: "Time to answer an API request, by route.", isHistogram: true)
    static let runsStarted = Family(name: "weft_runs_started_total", help: "Runs started, by trigger.", isHistogram: false)
    static let executionsFinished = Family(name: "weft_executions_finished_total", help: "Executions ended, by status.", isHistogram: false)
    static let stepSeconds = Family(name: "weft_step_duration_seconds", help: "Step durations, by node type and status.", isHistogram: true)
    static let families = [requests, requestSeconds, runsStarted, executionsFinished, stepSeconds]

    /// Histogram upper bounds, in seconds.
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]

    private struct Histogram {
        var counts = [Int](repeating: 0, count: ServerMetrics.buckets.count)
        var sum = 0.0
        var count = 0
    }

    private struct State {
        var counters: [String: [String: Double]] = [:]
        var histograms: [String: [String: Histogram]] = [:]
    }

    private let state = Mutex(State())

    /// Adds `amount` to the counter `family` with `labels`.
    func increment(_ family: Family, _ labels: [(String, String)], by amount: Double = 1) {
        let key = Self.labelText(labels)
        state.withLock { $0.counters[family.name, default: [:]][key, default: 0] += amount }
    }

    /// Records one observation of `seconds` in the histogram `family` with `labels`.
    func observe(_ family: Family, _ labels: [(String, String)], seconds: Double) {
        let key = Self.labelText(labels)
        state.withLock { state in
            var histogram = state.histograms[family.name, default: [:]][key] ?? Histogram()
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound { histogram.counts[index] += 1 }
            histogram.sum += seconds
            histogram.count += 1
            state.histograms[family.name, default: [:]][key] = histogram
        }
    }

    /// Every family in the text exposition format, plus `gauges` (name, help, value) computed by the caller.
    func render(gauges: [(String, String, Double)]) -> String {
        let snapshot = state.withLock { $0 }
        var text = ""
        for (name, help, value) in gauges {
            text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(Self.number(value))\n"
        }
        for family in Self.families {
            text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.isHistogram ? "histogram" : "counter")\n"
            if family.isHistogram {
                for (labels, histogram) in (snapshot.histograms[family.name] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    for (index, bound) in Self.buckets.enumerated() {
                        text += "\(family.name)_bucket{\(Self.joined(labels, "le=\"\(Self.number(bound))\""))} \(histogram.counts[index])\n"
                    }
                    text += "\(family.name)_bucket{\(Self.joined(labels, "le=\"+Inf\""))} \(histogram.count)\n"
                    text += "\(family.name)_sum\(labels.isEmpty ? "" : "{\(labels)}") \(Self.number(histogram.sum))\n"
                    text += "\(family.name)_count\(labels.isEmpty ? "" : "{\(labels)}") \(histogram.count)\n"
                }
            } else {
                for (labels, value) in (snapshot.counters[family.name] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    text += "\(family.name)\(labels.isEmpty ? "" : "{\(labels)}") \(Self.number(value))\n"
                }
            }
        }
        return text
    }

    /// An observer recording a run's step durations and execution outcomes; `nodeTypes` maps node ids to types.
    func observer(nodeTypes: [String: String]) -> some RunObserver { Recorder(metrics: self, nodeTypes: nodeTypes) }

    private struct Recorder: RunObserver {
        let metrics: ServerMetrics
        let nodeTypes: [String: String]

        func stepFinished(_ execution: ExecutionRecord, record: StepRecord, outputs: [String: Items]) {
            guard let ended = record.endedAt else { return }
            metrics.observe(ServerMetrics.stepSeconds,
                            [("node_type", nodeTypes[record.nodeId] ?? "unknown"), ("status", record.status.rawValue)],
                            seconds: max(0, ended.timeIntervalSince(record.startedAt)))
        }

        func executionFinished(_ execution: ExecutionRecord) {
            metrics.increment(ServerMetrics.executionsFinished, [("status", execution.status.rawValue)])
        }
    }

    private static func labelText(_ labels: [(String, String)]) -> String {
        labels.map { name, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(name)=\"\(escaped)\""
        }.joined(separator: ",")
    }

    private static func joined(_ labels: String, _ extra: String) -> String {
        labels.isEmpty ? extra : labels + "," + extra
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
