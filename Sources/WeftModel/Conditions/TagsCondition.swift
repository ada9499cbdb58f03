import Foundation

/// `tags`: tests a tag (or label) of a cloud resource.
///
/// Fields: `key` (the tag key, not a JSONPath), `operator` (`exists`, `notExists`, `equals`,
/// `notEquals`, `contains`, `matches`), `value` (for all but exists/notExists; a regular expression
/// for `matches`), `caseSensitive` (default true, as AWS tags are; applies to the key and the value).
///
/// Tags are read from the item's members `Tags`, `TagList`, `TagSet`, `tags` and `labels`, each
/// either an array of `{Key, Value}` (or `{key, value}`) objects, as AWS returns them, or an
/// object of key → value, as Azure `tags` and GCP `labels` are. Tag values are compared as text
/// (`null` as ""). When several tags match the key (case-insensitively), `equals`, `contains` and
/// `matches` hold if any of them satisfies and `notEquals` if all do. A missing tag cannot be
/// evaluated for the operators that test a value.
public struct TagsCondition: ConditionType {
    public static let name = "tags"
    public static let summary = "Tests a tag of the resource: AWS Tags/TagList, Azure tags or GCP labels."
    public static let fields: [Parameter] = [
        Parameter("key", .string, required: true, help: "The tag key, e.g. Environment."),
        Parameter("operator", .choice(Operator.allCases.map(\.rawValue)), required: true, help: "How to test the tag."),
        Parameter("value", .string, help: "The value to compare the tag's value with; a regular expression for matches."),
        Parameter("caseSensitive", .boolean, default: true, help: "Whether keys and values must match in letter case."),
    ]

    /// The members of an item that hold tags.
    public static let containers = ["Tags", "TagList", "TagSet", "tags", "labels"]

    public enum Operator: String, Sendable, CaseIterable {
        case exists, notExists, equals, notEquals, contains, matches

        static let spellings: KeyValuePairs<String, Operator> = [
            "exists": .exists, "notExists": .notExists, "equals": .equals, "notEquals": .notEquals,
            "contains": .contains, "matches": .matches, "==": .equals, "!=": .notEquals,
        ]
    }

    public let key: String
    public let `operator`: Operator
    public let value: String
    public let caseSensitive: Bool
    private let regex: ConditionRegex?

    public init?(fields: inout ConditionFields) {
        let key = fields.string("key", required: true)
        if let key, key.isEmpty { fields.report("key", "must not be empty") }
        let caseSensitive = fields.bool("caseSensitive")
        guard let op = fields.choice("operator", Operator.spellings) else { return nil }
        var value = ""
        var regex: ConditionRegex?
        if op != .exists, op != .notExists {
            guard let given = fields.value("value", required: true) else { return nil }
            guard let text = ParamCondition.text(given) else {
                fields.report("value", "must be a string, not \(ConditionFields.describeType(given))")
                return nil
            }
            value = text
            if op == .matches {
                guard let compiled = fields.regex(text, field: "value", caseSensitive: caseSensitive ?? true) else {
                    return nil
                }
                regex = compiled
            }
        }
        guard let key, !key.isEmpty, fields.has("caseSensitive") == (caseSensitive != nil) else { return nil }
        self.key = key
        self.operator = op
        self.value = value
        self.caseSensitive = caseSensitive ?? true
        self.regex = regex
    }

    public func evaluate(_ item: JSON, context: ConditionContext) -> ConditionResult {
        guard let tags = Self.tags(of: item) else {
            let detail = "no tags (no \(Self.containers.joined(separator: ", ")))"
            switch self.operator {
            case .exists: return .notHeld("\(detail), exists")
            case .notExists: return .held("\(detail), notExists")
            default: return .unevaluable(detail)
            }
        }
        let matching = tags.filter { keysMatch($0.key, key) }
        switch self.operator {
        case .exists:
            return matching.isEmpty ? .notHeld("no tag \(key), exists") : .held("\(describe(matching)), exists")
        case .notExists:
            return matching.isEmpty ? .held("no tag \(key), notExists") : .notHeld("\(describe(matching)), notExists")
        default:
            break
        }
        guard !matching.isEmpty else { return .unevaluable("no tag \(key)") }
        let outcomes = matching.map { tag -> ConditionOutcome in
            let text = tag.value
            let held: Bool
            switch self.operator {
            case .equals, .notEquals: held = caseSensitive ? text == value : text.lowercased() == value.lowercased()
            case .contains: held = caseSensitive ? text.contains(value) : text.lowercased().contains(value.lowercased())
            default: held = regex?.matches(text) ?? false
            }
            return held == (self.operator != .notEquals) ? .held : .notHeld
        }
        let quantifier: Quantifier = self.operator == .notEquals ? .all : .any
        var detail = describe(matching) + " "
        if matching.count > 1 { detail += quantifier == .any ? "any " : "every " }
        detail += "\(self.operator.rawValue) \(JSONText.compact(.string(value)))"
        if !caseSensitive { detail += " (ignoring case)" }
        return ConditionResult(quantifier.combine(outcomes), detail)
    }

    private func keysMatch(_ a: String, _ b: String) -> Bool {
        caseSensitive ? a == b : a.lowercased() == b.lowercased()
    }

    /// `tag Environment = "prod"`, or `tags Env = "a", env = "b"`.
    private func describe(_ tags: [(key: String, value: String)]) -> String {
        let pairs = tags.map { "\($0.key) = \(JSONText.brief(.string($0.value)))" }
        return (tags.count == 1 ? "tag " : "tags ") + pairs.joined(separator: ", ")
    }

    /// The item's tags as key/value text, or `nil` when it has no tag container at all.
    public static func tags(of item: JSON) -> [(key: String, value: String)]? {
        guard case .object(let members) = item else { return nil }
        var found = false
        var tags: [(key: String, value: String)] = []
        for name in containers {
            guard let container = members[name] else { continue }
            switch container {
            case .array(let elements):
                found = true
                for element in elements {
                    guard case .object(let pair) = element,
                        let key = (pair["Key"] ?? pair["key"])?.stringValue
                    else { continue }
                    tags.append((key, text(pair["Value"] ?? pair["value"])))
                }
            case .object(let map):
                found = true
                for (key, value) in map { tags.append((key, text(value))) }
            default:
                continue
            }
        }
        return found ? tags : nil
    }

    private static func text(_ value: JSON?) -> String {
        switch value {
        case .none, .some(.null): return ""
        case .some(.string(let s)): return s
        case .some(let other): return JSONText.compact(other)
        }
    }
}
