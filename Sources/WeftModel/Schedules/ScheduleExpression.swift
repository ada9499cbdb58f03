import Foundation

/// A schedule in one of three dialects: a 5-field Unix cron expression (`0 3 * * *`), an AWS
/// `cron(0 3 * * ? *)` expression, or an AWS `rate(6 hours)` expression.
///
/// Cron expressions are matched against the wall clock of an IANA time zone:
/// - a wall time skipped by a forward transition (02:30 on a spring-forward night) fires once, at the
///   first valid instant after the gap (03:00 local), when the schedule is a fixed-time one (neither the
///   minute nor the hour field starts with `*`); several skipped times and a time right at the end of the
///   gap collapse into that one firing;
/// - a wall time repeated by a backward transition (01:30 on a fall-back night) fires once, at its first
///   occurrence, when the schedule is a fixed-time one;
/// - a schedule whose minute or hour field starts with `*` (`*/15 * * * *`, `0 * * * *`) runs on the wall
///   clock as Vixie cron's wildcard jobs do: not at skipped wall times, and at both occurrences of a
///   repeated one, so it keeps its rhythm through a transition.
///
/// `rate(...)` counts fixed durations (a day is 86 400 seconds) from an anchor instant and ignores time zones.
public struct ScheduleExpression: Sendable, Hashable, CustomStringConvertible {
    /// The dialect an expression is written in.
    public enum Dialect: String, Sendable, Hashable, CaseIterable {
        /// Five fields: minute hour day-of-month month day-of-week (Vixie cron).
        case cron
        /// `cron(minutes hours day-of-month month day-of-week year)` (Amazon EventBridge).
        case awsCron
        /// `rate(value unit)` (Amazon EventBridge).
        case rate
    }

    enum Kind: Sendable, Hashable {
        case cron(CronSchedule)
        case rate(seconds: Int)
    }

    /// The expression as written.
    public let text: String
    /// The dialect `text` was parsed as.
    public let dialect: Dialect
    let kind: Kind

    /// Parses `text` as it is, without trimming.
    ///
    /// A text starting with `cron(` is an AWS cron expression, one starting with `rate(` a rate expression,
    /// anything else a 5-field Unix cron expression (blanks around and between its fields are allowed).
    /// Throws `ScheduleExpressionError` naming the offending field when the text is not a valid expression.
    public init(_ text: String) throws(ScheduleExpressionError) {
        self.text = text
        if text.hasPrefix("rate(") {
            dialect = .rate
            kind = .rate(seconds: try Self.parseRate(text))
        } else if text.hasPrefix("cron(") {
            dialect = .awsCron
            kind = .cron(try CronSchedule.parseAWS(Self.awsFields(text)))
        } else {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            for prefix in ["rate(", "cron("] where trimmed.hasPrefix(prefix) {
                throw ScheduleExpressionError(field: nil, reason: "blanks before \(prefix)...) are not allowed")
            }
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 5 else {
                throw ScheduleExpressionError(
                    field: nil,
                    reason: "expected a 5-field cron expression (minute hour day-of-month month day-of-week), "
                        + "cron(...) or rate(...); found \(fields.count) field\(fields.count == 1 ? "" : "s")")
            }
            dialect = .cron
            kind = .cron(try CronSchedule.parseUnix(fields))
        }
    }

    /// Whether `text` is a valid schedule expression.
    public static func isValid(_ text: String) -> Bool {
        (try? ScheduleExpression(text)) != nil
    }

    public var description: String { text }

    /// The interval of a `rate(...)` expression, nil for cron expressions.
    public var rateInterval: TimeInterval? {
        if case .rate(let seconds) = kind { return TimeInterval(seconds) }
        return nil
    }

    /// The first firing strictly after `date`, or nil when the schedule never fires again (a year list
    /// that has passed, or a date that does not exist such as February 30).
    ///
    /// Cron expressions fire at whole minutes of `timeZone`'s wall clock (see the type's DST rules).
    /// `rate(...)` fires at `anchor + k × interval` for k ≥ 1; `anchor` defaults to the Unix epoch and
    /// `timeZone` is ignored.
    public func next(after date: Date, in timeZone: TimeZone, anchor: Date? = nil) -> Date? {
        switch kind {
        case .rate(let seconds):
            let start = anchor ?? Date(timeIntervalSince1970: 0)
            let interval = TimeInterval(seconds)
            var k = max(1, (date.timeIntervalSince(start) / interval).rounded(.down) + 1)
            if start.addingTimeInterval(k * interval) <= date { k += 1 }
            return start.addingTimeInterval(k * interval)
        case .cron(let schedule):
            return ZonedWallClock(timeZone: timeZone).firstFiring(of: schedule, after: date)
        }
    }

    /// The next `count` firings after `date`, in ascending order; fewer when the schedule ends.
    public func next(_ count: Int, after date: Date, in timeZone: TimeZone, anchor: Date? = nil) -> [Date] {
        var result: [Date] = []
        var cursor = date
        while result.count < count, let firing = next(after: cursor, in: timeZone, anchor: anchor) {
            result.append(firing)
            cursor = firing
        }
        return result
    }

    /// The fields inside `cron(` and `)`: six, separated by blanks.
    private static func awsFields(_ text: String) throws(ScheduleExpressionError) -> [Substring] {
        guard text.hasSuffix(")") else {
            throw ScheduleExpressionError(field: nil, reason: "cron(...) has no closing parenthesis")
        }
        let inner = text.dropFirst(5).dropLast()
        if inner.first == " " || inner.last == " " {
            throw ScheduleExpressionError(field: nil, reason: "cron(...) has blanks inside its parentheses")
        }
        let fields = inner.split(separator: " ")
        guard fields.count == 6 else {
            throw ScheduleExpressionError(
                field: nil,
                reason: "cron(...) takes 6 fields (minutes hours day-of-month month day-of-week year); "
                    + "found \(fields.count)")
        }
        return fields
    }

    /// The interval in seconds of `rate(value unit)`: a positive integer, one blank, and `minute`, `hour`
    /// or `day` when the value is 1, `minutes`, `hours` or `days` otherwise.
    private static func parseRate(_ text: String) throws(ScheduleExpressionError) -> Int {
        guard text.hasSuffix(")") else {
            throw ScheduleExpressionError(field: nil, reason: "rate(...) has no closing parenthesis")
        }
        let parts = text.dropFirst(5).dropLast().split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw ScheduleExpressionError(
                field: nil, reason: "rate(...) takes a value and a unit separated by one blank, as in rate(5 minutes)")
        }
        let (valueText, unit) = (parts[0], parts[1])
        guard !valueText.isEmpty, valueText.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw ScheduleExpressionError(field: .rateValue, reason: "\"\(valueText)\" is not a positive integer")
        }
        guard let value = Int(valueText) else {
            throw ScheduleExpressionError(field: .rateValue, reason: "\(valueText) is too large")
        }
        guard value >= 1 else {
            throw ScheduleExpressionError(field: .rateValue, reason: "\(value) is not a positive integer")
        }
        let units: [Substring: (seconds: Int, singular: Bool)] = [
            "minute": (60, true), "minutes": (60, false),
            "hour": (3600, true), "hours": (3600, false),
            "day": (86_400, true), "days": (86_400, false),
        ]
        guard let (seconds, singular) = units[unit] else {
            throw ScheduleExpressionError(
                field: .rateUnit, reason: "\"\(unit)\" is not one of minute, minutes, hour, hours, day, days")
        }
        if singular != (value == 1) {
            let expected = value == 1 ? String(unit.dropLast()) : unit + "s"
            throw ScheduleExpressionError(
                field: .rateUnit, reason: "a value of \(value) takes \"\(expected)\", not \"\(unit)\"")
        }
        let (interval, overflow) = value.multipliedReportingOverflow(by: seconds)
        guard !overflow, interval <= 1_000 * 366 * 86_400 else {
            throw ScheduleExpressionError(field: .rateValue, reason: "\(value) \(unit) is too long")
        }
        return interval
    }
}
