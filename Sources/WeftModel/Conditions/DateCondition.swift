import Foundation

/// `date`: tests a date of the item against the current time or fixed dates.
///
/// Fields: `key` (JSONPath), `operator`, and
/// - `olderThan` / `newerThan`: `days` and/or `hours` (numbers, fractions allowed): the date is
///   before / at or after `now` minus that duration;
/// - `before` / `after`: `value`, a date: the item's date is strictly before / after it;
/// - `between`: `from` and `to`, dates: the item's date is in `from...to`, both ends included.
///
/// Dates, in the item and in the fields, are ISO 8601 text (date only means midnight UTC; a time
/// without offset is UTC) or epoch numbers: seconds, or milliseconds when greater than 10¹¹.
/// A key selecting several dates holds when any of them satisfies; a missing key or a value that
/// is not a date cannot be evaluated.
public struct DateCondition: ConditionType {
    public static let name = "date"
    public static let summary = "Tests a date of the item: older or newer than a duration, before, after or between dates."
    public static let fields: [Parameter] = [
        Parameter("key", .string(.jsonPath), required: true, help: "JSONPath of the date to test, e.g. $.LaunchTime."),
        Parameter("operator", .choice(Operator.allCases.map(\.rawValue)), required: true, help: "How to test the date."),
        Parameter("days", .number, help: "For olderThan/newerThan: days before now."),
        Parameter("hours", .number, help: "For olderThan/newerThan: hours before now (added to days)."),
        Parameter("value", .oneOf([.string, .number]), help: "For before/after: an ISO 8601 date or epoch number."),
        Parameter("from", .oneOf([.string, .number]), help: "For between: the earliest date, included."),
        Parameter("to", .oneOf([.string, .number]), help: "For between: the latest date, included."),
    ]

    public enum Operator: String, Sendable, CaseIterable {
        case olderThan, newerThan, before, after, between

        static let spellings: KeyValuePairs<String, Operator> = [
            "olderThan": .olderThan, "newerThan": .newerThan, "before": .before, "after": .after, "between": .between,
        ]
    }

    enum Test: Sendable {
        case age(older: Bool, seconds: Double, text: String)
        case before(Date, text: String)
        case after(Date, text: String)
        case between(Date, Date, text: String)
    }

    public let key: JSONPath
    public let `operator`: Operator
    let test: Test

    public init?(fields: inout ConditionFields) {
        let key = fields.jsonPath("key")
        guard let op = fields.choice("operator", Operator.spellings) else { return nil }
        let test: Test
        switch op {
        case .olderThan, .newerThan:
            guard fields.has("days") || fields.has("hours") else {
                fields.report("days", "or hours is required for \(op.rawValue)")
                return nil
            }
            let days = fields.number("days")
            let hours = fields.number("hours")
            if fields.isDeferred("days") || fields.isDeferred("hours") { return nil }
            guard (days ?? 0) >= 0, (hours ?? 0) >= 0 else {
                fields.report((days ?? 0) < 0 ? "days" : "hours", "must not be negative")
                return nil
            }
            guard fields.has("days") == (days != nil), fields.has("hours") == (hours != nil) else { return nil }
            var parts: [String] = []
            if let days { parts.append("\(Self.number(days)) day\(days == 1 ? "" : "s")") }
            if let hours { parts.append("\(Self.number(hours)) hour\(hours == 1 ? "" : "s")") }
            test = .age(older: op == .olderThan, seconds: (days ?? 0) * 86_400 + (hours ?? 0) * 3_600,
                        text: parts.joined(separator: " "))
        case .before, .after:
            guard let date = fields.date("value") else { return nil }
            let text = Self.fieldText(fields.object["value"])
            test = op == .before ? .before(date, text: text) : .after(date, text: text)
        case .between:
            let from = fields.date("from")
            let to = fields.date("to")
            guard let from, let to else { return nil }
            guard from <= to else {
                fields.report("to", "is earlier than from")
                return nil
            }
            test = .between(from, to, text: "\(Self.fieldText(fields.object["from"])) and \(Self.fieldText(fields.object["to"]))")
        }
        guard let key else { return nil }
        self.key = key
        self.operator = op
        self.test = test
    }

    public func evaluate(_ item: JSON, context: ConditionContext) -> ConditionResult {
        let values = key.query(item)
        let path = key.description
        guard !values.isEmpty else { return .unevaluable("\(path) missing") }
        var outcomes: [ConditionOutcome] = []
        var notDate: JSON?
        var ages: [String] = []
        for value in values {
            guard let date = ISODate.date(from: value) else {
                outcomes.append(.unevaluable)
                if notDate == nil { notDate = value }
                continue
            }
            let held: Bool
            switch test {
            case .age(let older, let seconds, _):
                let threshold = context.now.addingTimeInterval(-seconds)
                held = older ? date < threshold : date >= threshold
                ages.append(Self.age(context.now.timeIntervalSince(date)))
            case .before(let limit, _): held = date < limit
            case .after(let limit, _): held = date > limit
            case .between(let from, let to, _): held = date >= from && date <= to
            }
            outcomes.append(held ? .held : .notHeld)
        }
        let outcome = Quantifier.any.combine(outcomes)
        var detail = ParamCondition.describe(path, values)
        if values.count == 1, let age = ages.first { detail += " (\(age))" }
        detail += ", " + (values.count > 1 ? "any " : "") + self.operator.rawValue + " "
        switch test {
        case .age(_, _, let text), .before(_, let text), .after(_, let text), .between(_, _, let text):
            detail += text
        }
        if outcome == .unevaluable, let notDate {
            detail += ": \(JSONText.brief(notDate)) is not a date"
        }
        return ConditionResult(outcome, detail)
    }

    private static func fieldText(_ value: JSON?) -> String {
        value.map { JSONText.brief($0) } ?? "null"
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// `3 hours old`, `12.5 days old`, `in 2 days`.
    static func age(_ seconds: Double) -> String {
        let magnitude = abs(seconds)
        let text: String
        if magnitude < 2 * 86_400 {
            text = "\(number((magnitude / 360).rounded() / 10)) hours"
        } else {
            text = "\(number((magnitude / 8_640).rounded() / 10)) days"
        }
        return seconds >= 0 ? "\(text) old" : "in \(text)"
    }
}
