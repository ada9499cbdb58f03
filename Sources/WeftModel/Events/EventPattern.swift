/// An Amazon EventBridge event pattern, compiled once and matched against many events.
///
/// Semantics follow EventBridge (`TestEventPattern`), as pinned down by the shared
/// `testsuites/eventbridge` cases:
/// - Fields are AND-ed, the values in one array are OR-ed; `$or` lists alternative sub-patterns
///   at the level where it appears.
/// - Keys and operator names are case-sensitive. Keys are joined with `.` on both sides, so the
///   event key `"a.b"` and the nested `{"a": {"b": …}}` name the same field.
/// - Only leaves (strings, numbers, booleans, `null`) are matched. When the event holds an array
///   along a field's path, the field matches when any element matches; an empty array counts as
///   absent. An object where the pattern expects a leaf counts as absent.
/// - A missing field only matches `{"exists": false}`; `anything-but` matches `null` but not a
///   missing field; `numeric` matches numbers only, `cidr` only strings holding an IP address.
/// - Numbers compare by value (`300` equals `300.0`); within ±5e9 they compare to six decimal
///   places, as EventBridge's `ComparableNumber` does.
/// - Strings compare byte for byte (UTF-8), without Unicode normalization.
public struct EventPattern: Sendable {
    let root: EventPatternClause
    /// Every field path the pattern tests, and every `.`-bounded prefix of one.
    let pathPrefixes: Set<String>

    /// Compiles `pattern`, the pattern's JSON value.
    /// - Throws: `EventPatternError` with the reason and the JSON pointer of the offending part
    ///   when EventBridge would reject the pattern (`InvalidEventPatternException`).
    public init(_ pattern: JSON) throws(EventPatternError) {
        var compiler = EventPatternCompiler()
        root = try compiler.compileRoot(pattern)
        pathPrefixes = compiler.pathPrefixes
    }

    /// Compiles a pattern given as JSON text. A repeated key keeps its last value, as EventBridge
    /// does.
    /// - Throws: `EventPatternError` when the text is not JSON or the pattern is invalid.
    public init(text: String) throws(EventPatternError) {
        let value: JSON
        do {
            value = try JSON.parse(text)
        } catch {
            throw EventPatternError(reason: "Filter is not valid JSON: \(error)", pointer: "")
        }
        try self.init(value)
    }

    /// Whether `event` matches the pattern. An event that is not a JSON object never matches.
    public func matches(_ event: JSON) -> Bool {
        guard case .object(let object) = event else { return false }
        var leaves: [String: [JSON]] = [:]
        collectLeaves(of: object, under: "", into: &leaves)
        return root.matches(leaves)
    }

    /// Whether the event given as JSON text matches; `false` when the text is not a JSON object.
    public func matches(text: String) -> Bool {
        guard let event = try? JSON.parse(text) else { return false }
        return matches(event)
    }

    private func collectLeaves(of object: JSONObject, under path: String, into leaves: inout [String: [JSON]]) {
        for (key, value) in object {
            let child = path.isEmpty ? key : path + "." + key
            guard pathPrefixes.contains(child) else { continue }
            collect(value, at: child, into: &leaves)
        }
    }

    private func collect(_ value: JSON, at path: String, into leaves: inout [String: [JSON]]) {
        switch value {
        case .object(let object):
            collectLeaves(of: object, under: path, into: &leaves)
        case .array(let elements):
            for element in elements { collect(element, at: path, into: &leaves) }
        default:
            leaves[path, default: []].append(value)
        }
    }
}

/// Why an event pattern is invalid, and where.
public struct EventPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason, worded like EventBridge's `InvalidEventPatternException` message where one is
    /// known (e.g. "Empty arrays are not allowed").
    public var reason: String
    /// The RFC 6901 pointer of the offending part of the pattern; `""` for the whole pattern.
    public var pointer: String

    public init(reason: String, pointer: String) {
        self.reason = reason
        self.pointer = pointer
    }

    public var description: String {
        "Event pattern is not valid at \(pointer.isEmpty ? "/" : pointer). Reason: \(reason)"
    }
}

/// A conjunction: every field test holds and, for each `$or` group, at least one branch does.
struct EventPatternClause: Sendable {
    var fields: [EventFieldTest] = []
    var alternatives: [[EventPatternClause]] = []

    func matches(_ leaves: [String: [JSON]]) -> Bool {
        for field in fields where !field.matches(leaves[field.path]) { return false }
        for group in alternatives where !group.contains(where: { $0.matches(leaves) }) { return false }
        return true
    }
}

/// One field path and the alternatives its leaf values are tested with.
struct EventFieldTest: Sendable {
    let path: String
    let matchers: [EventValueMatcher]

    func matches(_ values: [JSON]?) -> Bool {
        guard let values, !values.isEmpty else {
            return matchers.contains { if case .exists(false) = $0 { true } else { false } }
        }
        for matcher in matchers {
            for value in values where matcher.matches(value) { return true }
        }
        return false
    }
}
