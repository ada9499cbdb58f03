import WeftModel

/// The explain trace of a node that tests items against conditions (filter, control): each item's
/// verdict with its index, for the first `limit` items; later items are counted, not explained.
struct VerdictTrace {
    static let limit = 1_000
    private var explained: [JSON] = []
    private(set) var total = 0

    mutating func add(_ verdict: ConditionVerdict, index: Int, extra: JSONObject = [:]) {
        total += 1
        guard index < Self.limit else { return }
        var entry: JSONObject = ["index": .int(Int64(index))]
        for (key, value) in extra { entry[key] = value }
        if case .object(let members) = verdict.json {
            for (key, value) in members { entry[key] = value }
        }
        explained.append(.object(entry))
    }

    /// `{"items": [...], "traced", "total", <counts>, "truncated", "note"}`.
    func json(counts: JSONObject) -> JSON {
        var trace: JSONObject = [
            "items": .array(explained), "traced": .int(Int64(explained.count)), "total": .int(Int64(total)),
        ]
        for (key, value) in counts { trace[key] = value }
        trace["truncated"] = .bool(total > Self.limit)
        trace["note"] = total > Self.limit ? .string("only the first \(Self.limit) of \(total) items are explained") : .null
        return .object(trace)
    }
}
