import Foundation

/// The fields of one condition object, read by a `ConditionType`'s initializer.
///
/// Accessors return `nil` when a field is absent (reporting it when required), has the wrong
/// type (reported), or is deferred. A field is deferred only in static validation
/// (`deferringVariables`), when its value holds a variable reference: it is checked at run time,
/// after substitution. Problems are collected, not thrown, so validation reports them all.
public struct ConditionFields: Sendable {
    /// The condition's `id`.
    public let id: String
    /// The condition object as written (after substitution at run time).
    public let object: JSONObject
    /// True during static validation, when variable references are still in place.
    public let deferringVariables: Bool
    /// The problems reported so far, each naming the field.
    public private(set) var problems: [ConditionError] = []

    public init(id: String, object: JSONObject, deferringVariables: Bool = false) {
        self.id = id
        self.object = object
        self.deferringVariables = deferringVariables
    }

    /// Records a problem with `field`.
    public mutating func report(_ field: String, _ message: String) {
        problems.append(ConditionError(conditionId: id, field: field, message: message))
    }

    /// Whether the condition has `field` (whatever its value).
    public func has(_ field: String) -> Bool { object[field] != nil }

    /// Whether `field` holds a variable reference that validation leaves for run time.
    public func isDeferred(_ field: String) -> Bool {
        guard deferringVariables, let value = object[field] else { return false }
        return VariableSubstitution.containsReference(value)
    }

    /// The raw value of `field`; `nil` when absent (reported if `required`) or deferred.
    public mutating func value(_ field: String, required: Bool = false) -> JSON? {
        guard let value = object[field] else {
            if required { report(field, "is required") }
            return nil
        }
        if isDeferred(field) { return nil }
        return value
    }

    /// A string field. Numbers and booleans are not accepted as strings.
    public mutating func string(_ field: String, required: Bool = false) -> String? {
        guard let value = value(field, required: required) else { return nil }
        guard case .string(let text) = value else {
            report(field, "must be a string, not \(Self.describeType(value))")
            return nil
        }
        return text
    }

    /// A number field; a string holding a decimal number is accepted (`"30"`).
    public mutating func number(_ field: String, required: Bool = false) -> Double? {
        guard let value = value(field, required: required) else { return nil }
        switch value {
        case .int, .double:
            return value.doubleValue
        case .string(let text):
            if let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite { return number }
            report(field, "must be a number, not \(JSONText.brief(value))")
            return nil
        default:
            report(field, "must be a number, not \(Self.describeType(value))")
            return nil
        }
    }

    /// A boolean field; the strings `"true"` and `"false"` are accepted.
    public mutating func bool(_ field: String, required: Bool = false) -> Bool? {
        guard let value = value(field, required: required) else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .string("true"): return true
        case .string("false"): return false
        default:
            report(field, "must be true or false, not \(JSONText.brief(value))")
            return nil
        }
    }

    /// A string field that must be one of `choices` (keys are the accepted spellings).
    /// An unknown spelling is reported with the first spelling of each choice (aliases left out).
    public mutating func choice<Choice: Equatable>(_ field: String, _ choices: KeyValuePairs<String, Choice>,
                                                   required: Bool = true) -> Choice? {
        guard let text = string(field, required: required) else { return nil }
        if let match = choices.first(where: { $0.key == text }) { return match.value }
        var names: [String] = []
        var listed: [Choice] = []
        for (key, value) in choices where !listed.contains(value) {
            names.append(key)
            listed.append(value)
        }
        report(field, "\"\(text)\" is not one of \(names.joined(separator: ", "))")
        return nil
    }

    /// A JSONPath field in the lenient key form (`State.Code` means `$.State.Code`).
    public mutating func jsonPath(_ field: String, required: Bool = true) -> JSONPath? {
        guard let text = string(field, required: required) else { return nil }
        do {
            return try JSONPath(key: text)
        } catch {
            report(field, "\"\(text)\" is not a valid JSONPath: \(error.message) at position \(error.position + 1)")
            return nil
        }
    }

    /// A regular expression compiled from `pattern`, reported against `field` when invalid.
    public mutating func regex(_ pattern: String, field: String, caseSensitive: Bool = true) -> ConditionRegex? {
        do {
            return try ConditionRegex(pattern, caseSensitive: caseSensitive)
        } catch {
            report(field, "\"\(pattern)\" is not a valid regular expression")
            return nil
        }
    }

    /// A date field: ISO 8601 text or an epoch number (see `ISODate.date(from:)`).
    public mutating func date(_ field: String, required: Bool = true) -> Date? {
        guard let value = value(field, required: required) else { return nil }
        guard let date = ISODate.date(from: value) else {
            report(field, "\(JSONText.brief(value)) is not an ISO 8601 date or epoch number")
            return nil
        }
        return date
    }

    static func describeType(_ value: JSON) -> String {
        switch value {
        case .array: return "an array"
        case .object: return "an object"
        case .null: return "null"
        default: return "a \(value.typeName)"
        }
    }
}

/// A compiled regular expression used by `matches` operators, searched anywhere in the text.
public struct ConditionRegex: @unchecked Sendable {
    /// The pattern as written.
    public let pattern: String
    private let expression: NSRegularExpression

    /// - Throws: when `pattern` is not a valid ICU regular expression.
    public init(_ pattern: String, caseSensitive: Bool = true) throws {
        self.pattern = pattern
        expression = try NSRegularExpression(pattern: pattern, options: caseSensitive ? [] : [.caseInsensitive])
    }

    /// Whether the pattern matches somewhere in `text`.
    public func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
