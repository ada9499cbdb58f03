/// A parsed cron expression of either dialect, as sets of local wall-clock field values.
struct CronSchedule: Sendable, Hashable {
    /// A day-of-month item.
    enum MonthDayRule: Sendable, Hashable {
        /// Bit `d` set: day `d` of the month.
        case days(UInt64)
        /// `L` (offset 0) or `L-n`: the last day of the month minus `offset` days.
        case last(offset: Int)
        /// `nW`: the weekday (Monday to Friday) nearest to day `n`, within the same month.
        case nearestWeekday(Int)
        /// `LW`: the last weekday (Monday to Friday) of the month.
        case lastWeekday
    }

    /// A day-of-week item; weekdays are numbered 0 (Sunday) to 6 (Saturday).
    enum WeekdayRule: Sendable, Hashable {
        /// Bit `w` set: weekday `w`.
        case days(UInt64)
        /// `xL`: the last weekday `x` of the month.
        case last(weekday: Int)
        /// `x#n`: the `n`th weekday `x` of the month.
        case nth(weekday: Int, n: Int)
    }

    /// Bit `m` set: minute `m` (0-59).
    var minutes: UInt64
    /// Bit `h` set: hour `h` (0-23).
    var hours: UInt64
    /// The day-of-month items; nil matches every day.
    var monthDays: [MonthDayRule]?
    /// Bit `m` set: month `m` (1-12).
    var months: UInt64
    /// The day-of-week items; nil matches every day.
    var weekdays: [WeekdayRule]?
    /// The years allowed (AWS only); nil allows every year.
    var years: Set<Int>?
    /// True when a day matches if either day field matches (Vixie cron with both day fields restricted).
    var daysCombineWithOr: Bool
    /// True when neither the minute nor the hour field starts with `*` (Vixie cron's "fixed-time job"):
    /// such a schedule fires at the first valid instant after a skipped wall time, and only at the first
    /// occurrence of a repeated one. Other schedules fire only at wall times that exist, at every occurrence.
    var isFixedTime: Bool
}

extension CronSchedule {
    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let weekdayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    /// The allowed values and names of one field.
    struct FieldSpec {
        var field: ScheduleExpressionError.Field
        var range: ClosedRange<Int>
        var names: [String: Int] = [:]

        func error(_ reason: String) -> ScheduleExpressionError {
            ScheduleExpressionError(field: field, reason: reason)
        }
    }

    /// Parses the five fields of a Unix (Vixie) cron expression: minute hour day-of-month month day-of-week.
    static func parseUnix(_ fields: [Substring]) throws(ScheduleExpressionError) -> CronSchedule {
        precondition(fields.count == 5)
        let minute = FieldSpec(field: .minute, range: 0...59)
        let hour = FieldSpec(field: .hour, range: 0...23)
        let dayOfMonth = FieldSpec(field: .dayOfMonth, range: 1...31)
        let month = FieldSpec(field: .month, range: 1...12, names: names(monthNames, from: 1))
        let dayOfWeek = FieldSpec(field: .dayOfWeek, range: 0...7, names: names(weekdayNames, from: 0))
        for (text, spec) in zip(fields, [minute, hour, dayOfMonth, month, dayOfWeek]) where text.contains("?") {
            throw spec.error("? is only allowed in AWS cron(...) expressions")
        }
        let domStar = fields[2].hasPrefix("*")
        let dowStar = fields[4].hasPrefix("*")
        var weekdayMask = try mask(fields[4], dayOfWeek)
        if weekdayMask & (1 << 7) != 0 { weekdayMask = (weekdayMask | 1) & ~(1 << 7) }
        return CronSchedule(
            minutes: try mask(fields[0], minute),
            hours: try mask(fields[1], hour),
            monthDays: fields[2] == "*" ? nil : [.days(try mask(fields[2], dayOfMonth))],
            months: try mask(fields[3], month),
            weekdays: fields[4] == "*" ? nil : [.days(weekdayMask)],
            years: nil,
            daysCombineWithOr: !domStar && !dowStar,
            isFixedTime: !fields[0].hasPrefix("*") && !fields[1].hasPrefix("*"))
    }

    /// Parses the six fields of an AWS `cron(...)` expression: minutes hours day-of-month month
    /// day-of-week year, where exactly one of day-of-month and day-of-week is `?`.
    static func parseAWS(_ fields: [Substring]) throws(ScheduleExpressionError) -> CronSchedule {
        precondition(fields.count == 6)
        let minute = FieldSpec(field: .minute, range: 0...59)
        let hour = FieldSpec(field: .hour, range: 0...23)
        let dayOfMonth = FieldSpec(field: .dayOfMonth, range: 1...31)
        let month = FieldSpec(field: .month, range: 1...12, names: names(monthNames, from: 1))
        let dayOfWeek = FieldSpec(field: .dayOfWeek, range: 1...7, names: names(weekdayNames, from: 1))
        let year = FieldSpec(field: .year, range: 1970...2199)
        for (text, spec) in zip(fields, [minute, hour, dayOfMonth, month, dayOfWeek, year])
        where text != "?" && text.contains("?") {
            throw spec.error("? must be the whole field")
        }
        for (text, spec) in zip([fields[0], fields[1], fields[3], fields[5]], [minute, hour, month, year]) where text == "?" {
            throw spec.error("? is only allowed in day-of-month or day-of-week")
        }
        switch (fields[2] == "?", fields[4] == "?") {
        case (true, true):
            throw dayOfWeek.error("? cannot be used in both day-of-month and day-of-week")
        case (false, false):
            throw dayOfWeek.error("one of day-of-month and day-of-week must be ?")
        default:
            break
        }
        let monthDays: [MonthDayRule]? =
            fields[2] == "?" || fields[2] == "*" ? nil : try awsMonthDays(fields[2], dayOfMonth)
        let weekdays: [WeekdayRule]? =
            fields[4] == "?" || fields[4] == "*" ? nil : try awsWeekdays(fields[4], dayOfWeek)
        var years: Set<Int>? = nil
        if fields[5] != "*" {
            let values = try values(fields[5], year)
            years = Set(values)
        }
        return CronSchedule(
            minutes: try mask(fields[0], minute),
            hours: try mask(fields[1], hour),
            monthDays: monthDays,
            months: try mask(fields[3], month),
            weekdays: weekdays,
            years: years,
            daysCombineWithOr: false,
            isFixedTime: !fields[0].hasPrefix("*") && !fields[1].hasPrefix("*"))
    }

    private static func names(_ list: [String], from first: Int) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: list.enumerated().map { ($0.element, $0.offset + first) })
    }

    private static func items(_ text: Substring, _ spec: FieldSpec) throws(ScheduleExpressionError) -> [Substring] {
        if text.isEmpty { throw spec.error("is empty") }
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        if items.contains(where: \.isEmpty) { throw spec.error("empty item in list \"\(text)\"") }
        return items
    }

    private static func mask(_ text: Substring, _ spec: FieldSpec) throws(ScheduleExpressionError) -> UInt64 {
        var bits: UInt64 = 0
        for value in try values(text, spec) { bits |= 1 << UInt64(value) }
        return bits
    }

    /// The values of a field made only of `*`, numbers, names, ranges `a-b`, steps `/n` and lists.
    private static func values(_ text: Substring, _ spec: FieldSpec) throws(ScheduleExpressionError) -> [Int] {
        var result: [Int] = []
        for item in try items(text, spec) { result += try rangeValues(item, spec) }
        return result
    }

    /// The values of one list item: `*`, `v`, `a-b`, each optionally followed by `/step`; `v/step` means
    /// from `v` to the end of the field's range.
    private static func rangeValues(_ item: Substring, _ spec: FieldSpec) throws(ScheduleExpressionError) -> [Int] {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw spec.error("\"\(item)\" has more than one /") }
        var step = 1
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), parts[1].allSatisfy(\.isASCIIDigit) else {
                throw spec.error("\"\(parts[1])\" is not a valid step")
            }
            guard parsed >= 1 else { throw spec.error("step \(parsed) must be at least 1") }
            step = parsed
        }
        let base = parts[0]
        var low: Int
        var high: Int
        if base == "*" {
            low = spec.range.lowerBound
            high = spec.range.upperBound
        } else {
            let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2 else { throw spec.error("\"\(base)\" is not a valid range") }
            low = try value(bounds[0], spec)
            if bounds.count == 2 {
                high = try value(bounds[1], spec)
                guard low <= high else { throw spec.error("range \(base) runs backwards") }
            } else {
                high = parts.count == 2 ? spec.range.upperBound : low
            }
        }
        return Array(stride(from: low, through: high, by: step))
    }

    /// One number or name, checked against the field's range.
    private static func value(_ text: Substring, _ spec: FieldSpec) throws(ScheduleExpressionError) -> Int {
        if let named = spec.names[text.uppercased()] { return named }
        guard !text.isEmpty, text.allSatisfy(\.isASCIIDigit), let number = Int(text) else {
            let names = spec.names.isEmpty ? "" : " or a name (\(nameRange(spec)))"
            throw spec.error("\"\(text)\" is not a number\(names)")
        }
        guard spec.range.contains(number) else {
            throw spec.error("\(number) is out of range \(spec.range.lowerBound)-\(spec.range.upperBound)")
        }
        return number
    }

    private static func nameRange(_ spec: FieldSpec) -> String {
        let sorted = spec.names.sorted { $0.value < $1.value }
        return "\(sorted.first!.key)-\(sorted.last!.key)"
    }

    /// AWS day-of-month items: values, ranges and steps, `L`, `L-n`, `nW` and `LW`.
    private static func awsMonthDays(_ text: Substring, _ spec: FieldSpec) throws(ScheduleExpressionError) -> [MonthDayRule] {
        var rules: [MonthDayRule] = []
        var bits: UInt64 = 0
        for item in try items(text, spec) {
            let upper = item.uppercased()
            if upper == "L" {
                rules.append(.last(offset: 0))
            } else if upper == "LW" {
                rules.append(.lastWeekday)
            } else if upper.hasPrefix("L-") {
                let offset = upper.dropFirst(2)
                guard let days = Int(offset), offset.allSatisfy(\.isASCIIDigit), (0...30).contains(days) else {
                    throw spec.error("\"\(item)\" is not a valid L-n (n from 0 to 30)")
                }
                rules.append(.last(offset: days))
            } else if upper.hasSuffix("W") {
                rules.append(.nearestWeekday(try value(item.dropLast(), spec)))
            } else {
                for day in try rangeValues(item, spec) { bits |= 1 << UInt64(day) }
            }
        }
        if bits != 0 { rules.append(.days(bits)) }
        return rules
    }

    /// AWS day-of-week items (1 = Sunday): values, names, ranges and steps, `L` (Saturday), `xL` and `x#n`.
    private static func awsWeekdays(_ text: Substring, _ spec: FieldSpec) throws(ScheduleExpressionError) -> [WeekdayRule] {
        var rules: [WeekdayRule] = []
        var bits: UInt64 = 0
        for item in try items(text, spec) {
            let upper = item.uppercased()
            if upper == "L" {
                bits |= 1 << 6
            } else if let hash = item.firstIndex(of: "#") {
                let weekday = try value(item[..<hash], spec) - 1
                let ordinal = item[item.index(after: hash)...]
                guard let n = Int(ordinal), ordinal.allSatisfy(\.isASCIIDigit), (1...5).contains(n) else {
                    throw spec.error("\"\(ordinal)\" in \"\(item)\" is not an occurrence from 1 to 5")
                }
                rules.append(.nth(weekday: weekday, n: n))
            } else if upper.count > 1, upper.hasSuffix("L") {
                rules.append(.last(weekday: try value(item.dropLast(), spec) - 1))
            } else {
                for weekday in try rangeValues(item, spec) { bits |= 1 << UInt64(weekday - 1) }
            }
        }
        if bits != 0 { rules.append(.days(bits)) }
        return rules
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
