import Foundation

/// `param`: compares the values a JSONPath selects in the item with a value.
///
/// Fields: `key` (JSONPath; `State.Code` means `$.State.Code`), `operator`, `value`.
///
/// - Comparison keeps JSON types: numbers, strings, booleans and null compare with their own kind;
///   `==` between different kinds is false, ordering between them cannot be evaluated. Two strings
///   that both parse as ISO 8601 dates compare as dates. A string `value` is converted when the
///   item's value is a boolean (`"true"`, `"false"`) or a number (`"5"`) and the string parses as
///   one. Strings order by Unicode code points.
/// - `contains`/`notContains`: a substring of a string, an element of an array (equal as for `==`),
///   or a member name of an object. `startsWith`/`endsWith` work on strings. A number or boolean
///   `value` is used as its text for these and for `matches`.
/// - `in`/`notIn` take an array `value`; `matches` takes a regular expression (ICU syntax, found
///   anywhere in the text; `(?i)` for case-insensitive). Number and boolean item values are
///   matched as their text.
/// - `exists` is true when the key selects at least one value, `null` included; `notExists` when
///   it selects none. `isEmpty` holds for `""`, `[]`, `{}` and `null`. These ignore `value`.
/// - A key selecting several values: true when any value satisfies a positive operator, and when
///   every value satisfies a negative one (`!=`, `notContains`, `notIn`, `isNotEmpty`), so a negative
///   operator is always the negation of its positive one.
/// - A key selecting nothing cannot be evaluated (false), except for `exists`/`notExists`.
/// - Aliases: `equals`, `eq` for `==`; `notEquals`, `ne` for `!=`; `gt`, `gte`, `lt`, `lte`.
public struct ParamCondition: ConditionType {
    public static let name = "param"
    public static let summary = "Compares a value of the item, selected by a JSONPath, with a given value."
    public static let fields: [Parameter] = [
        Parameter("key", .string(.jsonPath), required: true, help: "JSONPath of the value to test, e.g. $.State.Name."),
        Parameter("operator", .choice(Operator.allCases.map(\.rawValue)), required: true, help: "How to compare."),
        Parameter("value", .any, help: "The value to compare with; an array for in/notIn, a regular expression for matches."),
    ]

    public enum Operator: String, Sendable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case greater = ">"
        case greaterOrEqual = ">="
        case less = "<"
        case lessOrEqual = "<="
        case contains, notContains, startsWith, endsWith
        case `in`, notIn, matches, exists, notExists, isEmpty, isNotEmpty

        /// Every accepted spelling, aliases included.
        static let spellings: KeyValuePairs<String, Operator> = [
            "==": .equal, "!=": .notEqual, ">": .greater, ">=": .greaterOrEqual, "<": .less, "<=": .lessOrEqual,
            "contains": .contains, "notContains": .notContains, "startsWith": .startsWith, "endsWith": .endsWith,
            "in": .in, "notIn": .notIn, "matches": .matches, "exists": .exists, "notExists": .notExists,
            "isEmpty": .isEmpty, "isNotEmpty": .isNotEmpty,
            "equals": .equal, "eq": .equal, "notEquals": .notEqual, "ne": .notEqual,
            "gt": .greater, "gte": .greaterOrEqual, "lt": .less, "lte": .lessOrEqual,
        ]

        /// The positive operator this one negates, for `!=`, `notContains`, `notIn`, `isNotEmpty`.
        var negated: Operator? {
            switch self {
            case .notEqual: return .equal
            case .notContains: return .contains
            case .notIn: return .in
            case .isNotEmpty: return .isEmpty
            default: return nil
            }
        }

        var needsValue: Bool {
            switch self {
            case .exists, .notExists, .isEmpty, .isNotEmpty: return false
            default: return true
            }
        }
    }

    public let key: JSONPath
    public let `operator`: Operator
    /// The value compared with; `null` for operators that take none.
    public let value: JSON
    private let regex: ConditionRegex?

    public init?(fields: inout ConditionFields) {
        let key = fields.jsonPath("key")
        let op = fields.choice("operator", Operator.spellings)
        guard let op else { return nil }
        var value = JSON.null
        var regex: ConditionRegex?
        if op.needsValue {
            guard let given = fields.value("value", required: true) else { return nil }
            value = given
            switch op {
            case .in, .notIn:
                guard case .array = given else {
                    fields.report("value", "must be an array for operator \(op.rawValue), not \(ConditionFields.describeType(given))")
                    return nil
                }
            case .matches:
                guard case .string(let pattern) = given else {
                    fields.report("value", "must be a regular expression string for operator matches")
                    return nil
                }
                guard let compiled = fields.regex(pattern, field: "value") else { return nil }
                regex = compiled
            case .greater, .greaterOrEqual, .less, .lessOrEqual:
                guard given.isNumber || given.stringValue != nil else {
                    fields.report("value", "must be a number or a string for operator \(op.rawValue), not \(ConditionFields.describeType(given))")
                    return nil
                }
            case .startsWith, .endsWith:
                guard Self.text(given) != nil else {
                    fields.report("value", "must be a string for operator \(op.rawValue), not \(ConditionFields.describeType(given))")
                    return nil
                }
            default:
                break
            }
        }
        guard let key else { return nil }
        self.key = key
        self.operator = op
        self.value = value
        self.regex = regex
    }

    public func evaluate(_ item: JSON, context: ConditionContext) -> ConditionResult {
        let values = key.query(item)
        let path = key.description
        switch self.operator {
        case .exists:
            return values.isEmpty
                ? .notHeld("\(path) missing, exists")
                : .held("\(Self.describe(path, values)), exists")
        case .notExists:
            return values.isEmpty
                ? .held("\(path) missing, notExists")
                : .notHeld("\(Self.describe(path, values)), notExists")
        default:
            break
        }
        guard !values.isEmpty else { return .unevaluable("\(path) missing") }

        let positive = self.operator.negated ?? self.operator
        var outcomes: [ConditionOutcome] = []
        var why: String?
        for candidate in values {
            switch test(positive, candidate) {
            case .success(let held):
                outcomes.append(held == (self.operator.negated == nil) ? .held : .notHeld)
            case .failure(let reason):
                outcomes.append(.unevaluable)
                if why == nil { why = reason.text }
            }
        }
        let quantifier: Quantifier = self.operator.negated == nil ? .any : .all
        let outcome = quantifier.combine(outcomes)
        var detail = Self.describe(path, values) + ", "
        if values.count > 1 { detail += quantifier == .any ? "any " : "every " }
        detail += self.operator.rawValue
        if self.operator.needsValue { detail += " " + JSONText.brief(value) }
        if outcome == .unevaluable, let why { detail += ": " + why }
        return ConditionResult(outcome, detail)
    }

    struct Unevaluable: Error {
        var text: String
    }

    private func test(_ op: Operator, _ candidate: JSON) -> Result<Bool, Unevaluable> {
        switch op {
        case .equal:
            return .success(Self.equal(candidate, value))
        case .greater, .greaterOrEqual, .less, .lessOrEqual:
            return Self.order(candidate, value).map { order in
                switch op {
                case .greater: return order > 0
                case .greaterOrEqual: return order >= 0
                case .less: return order < 0
                default: return order <= 0
                }
            }
        case .contains:
            switch candidate {
            case .string(let text):
                guard let needle = Self.text(value) else {
                    return .failure(Unevaluable(text: "a string cannot contain \(ConditionFields.describeType(value))"))
                }
                return .success(text.contains(needle))
            case .array(let elements):
                return .success(elements.contains { Self.equal($0, value) })
            case .object(let members):
                guard let name = value.stringValue else {
                    return .failure(Unevaluable(text: "an object's member names are strings"))
                }
                return .success(members[name] != nil)
            default:
                return .failure(Unevaluable(text: "contains needs a string, array or object, not \(ConditionFields.describeType(candidate))"))
            }
        case .startsWith, .endsWith:
            guard case .string(let text) = candidate else {
                return .failure(Unevaluable(text: "\(op.rawValue) needs a string, not \(ConditionFields.describeType(candidate))"))
            }
            let affix = Self.text(value) ?? ""
            return .success(op == .startsWith ? text.hasPrefix(affix) : text.hasSuffix(affix))
        case .in:
            return .success((value.arrayValue ?? []).contains { Self.equal(candidate, $0) })
        case .matches:
            guard let text = Self.text(candidate) else {
                return .failure(Unevaluable(text: "matches needs a string, not \(ConditionFields.describeType(candidate))"))
            }
            return .success(regex?.matches(text) ?? false)
        case .isEmpty:
            switch candidate {
            case .null: return .success(true)
            case .string(let s): return .success(s.isEmpty)
            case .array(let a): return .success(a.isEmpty)
            case .object(let o): return .success(o.isEmpty)
            default: return .success(false)
            }
        default:
            return .failure(Unevaluable(text: "operator \(op.rawValue) does not apply to one value"))
        }
    }

    /// `==` as conditions define it: JSON equality, ISO dates compared as dates, and a string
    /// `expected` converted to the boolean or number `actual` holds.
    static func equal(_ actual: JSON, _ expected: JSON) -> Bool {
        switch (actual, expected) {
        case (.string(let a), .string(let b)):
            if a == b { return true }
            if let x = ISODate.parse(a), let y = ISODate.parse(b) { return x == y }
            return false
        case (.bool(let a), .string(let b)):
            if let flag = Self.boolean(b) { return a == flag }
            return false
        case (.int, .string(let b)), (.double, .string(let b)):
            if let number = Self.number(b) { return actual == number }
            return false
        default:
            return actual == expected
        }
    }

    /// The sign of `actual` compared with `expected`, or why they cannot be ordered.
    static func order(_ actual: JSON, _ expected: JSON) -> Result<Int, Unevaluable> {
        switch (actual, expected) {
        case (.int(let a), .int(let b)):
            return .success(a < b ? -1 : a > b ? 1 : 0)
        case (.int, .double), (.double, .int), (.double, .double):
            return .success(sign(actual.doubleValue!, expected.doubleValue!))
        case (.int, .string(let b)), (.double, .string(let b)):
            guard let number = Self.number(b) else {
                return .failure(Unevaluable(text: "a number cannot be ordered against the string \(JSONText.brief(expected))"))
            }
            return order(actual, number)
        case (.string(let a), .string(let b)):
            if let x = ISODate.parse(a), let y = ISODate.parse(b) {
                return .success(sign(x.timeIntervalSince1970, y.timeIntervalSince1970))
            }
            return .success(a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : a == b ? 0 : 1)
        default:
            return .failure(Unevaluable(text: "\(ConditionFields.describeType(actual)) cannot be ordered against \(ConditionFields.describeType(expected))"))
        }
    }

    private static func sign(_ a: Double, _ b: Double) -> Int {
        a < b ? -1 : a > b ? 1 : 0
    }

    /// The text of a string, number or boolean; `nil` for other values.
    static func text(_ value: JSON) -> String? {
        switch value {
        case .string(let s): return s
        case .int, .double, .bool: return JSONText.compact(value)
        default: return nil
        }
    }

    private static func boolean(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    private static func number(_ text: String) -> JSON? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if let int = Int64(trimmed) { return .int(int) }
        if let double = Double(trimmed), double.isFinite,
            trimmed.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) })
        {
            return .double(double)
        }
        return nil
    }

    /// `$.State.Name is "running"` or `$.Tags[*].Key selects ["a","b"]`.
    static func describe(_ path: String, _ values: [JSON]) -> String {
        values.count == 1
            ? "\(path) is \(JSONText.brief(values[0]))"
            : "\(path) selects \(JSONText.brief(.array(values)))"
    }
}
