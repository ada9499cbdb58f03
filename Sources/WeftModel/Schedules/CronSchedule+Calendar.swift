/// Proleptic Gregorian calendar arithmetic on local wall-clock times, expressed as seconds since
/// 1970-01-01 00:00 of the wall clock (no time zone applied).
enum CivilCalendar {
    /// Days since 1970-01-01 of a Gregorian date.
    static func days(year: Int, month: Int, day: Int) -> Int {
        Int(ISODate.daysFromCivil(year: year, month: month, day: day))
    }

    /// The Gregorian date of a day number counted from 1970-01-01.
    static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let (year, month, day) = ISODate.civilFromDays(Int64(days))
        return (year, month, day)
    }

    /// 0 = Sunday ... 6 = Saturday.
    static func weekday(days: Int) -> Int { ((days % 7) + 11) % 7 }

    static func isLeapYear(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension CronSchedule {
    /// The first wall-clock minute at or after `start` (wall seconds, any second) that the schedule
    /// matches, in wall seconds; nil when none comes before the end of the allowed years (or within
    /// 400 years, one full Gregorian cycle, when years are unrestricted).
    func firstMatch(atOrAfter start: Int) -> Int? {
        let startMinute = start.isMultiple(of: 60) ? start / 60 : start / 60 + (start > 0 ? 1 : 0)
        let dayNumber = Int((Double(startMinute) / 1440).rounded(.down))
        var minuteOfDay = startMinute - dayNumber * 1440
        var (year, month, day) = CivilCalendar.date(days: dayNumber)
        let lastYear = years?.max() ?? year + 400

        func nextMonth() {
            month += 1
            if month > 12 { month = 1; year += 1 }
            day = 1
            minuteOfDay = 0
        }

        while year <= lastYear {
            if let years, !years.contains(year) {
                year += 1; month = 1; day = 1; minuteOfDay = 0
                continue
            }
            if months & (1 << UInt64(month)) == 0 {
                nextMonth()
                continue
            }
            if matchesDay(year: year, month: month, day: day), let time = firstTime(fromMinuteOfDay: minuteOfDay) {
                return (CivilCalendar.days(year: year, month: month, day: day) * 1440 + time) * 60
            }
            if day >= CivilCalendar.daysInMonth(year: year, month: month) {
                nextMonth()
            } else {
                day += 1
                minuteOfDay = 0
            }
        }
        return nil
    }

    /// The first matching minute of the day at or after `minuteOfDay`.
    private func firstTime(fromMinuteOfDay minuteOfDay: Int) -> Int? {
        let firstHour = minuteOfDay / 60
        guard firstHour <= 23 else { return nil }
        for hour in firstHour...23 where hours & (1 << UInt64(hour)) != 0 {
            let fromMinute = hour == firstHour ? minuteOfDay % 60 : 0
            let candidates = minutes & ~((1 << UInt64(fromMinute)) - 1)
            if candidates != 0 { return hour * 60 + candidates.trailingZeroBitCount }
        }
        return nil
    }

    func matchesDay(year: Int, month: Int, day: Int) -> Bool {
        let dayNumber = CivilCalendar.days(year: year, month: month, day: day)
        let weekday = CivilCalendar.weekday(days: dayNumber)
        let lastDay = CivilCalendar.daysInMonth(year: year, month: month)
        let monthDay = monthDays.map { rules in
            rules.contains { $0.matches(day: day, weekday: weekday, lastDay: lastDay) }
        }
        let weekDay = weekdays.map { rules in
            rules.contains { $0.matches(day: day, weekday: weekday, lastDay: lastDay) }
        }
        if daysCombineWithOr { return (monthDay ?? true) || (weekDay ?? true) }
        return (monthDay ?? true) && (weekDay ?? true)
    }
}

extension CronSchedule.MonthDayRule {
    func matches(day: Int, weekday: Int, lastDay: Int) -> Bool {
        switch self {
        case .days(let bits):
            return bits & (1 << UInt64(day)) != 0
        case .last(let offset):
            return day == lastDay - offset
        case .nearestWeekday(let target):
            guard target <= lastDay else { return false }
            return day == Self.nearestWeekday(to: target, day: day, weekday: weekday, lastDay: lastDay)
        case .lastWeekday:
            return day == Self.nearestWeekday(to: lastDay, day: day, weekday: weekday, lastDay: lastDay)
        }
    }

    /// The Monday-to-Friday day nearest to `target` in the same month, given the weekday of `day`.
    private static func nearestWeekday(to target: Int, day: Int, weekday: Int, lastDay: Int) -> Int {
        let targetWeekday = ((weekday + target - day) % 7 + 7) % 7
        switch targetWeekday {
        case 6: return target == 1 ? target + 2 : target - 1
        case 0: return target == lastDay ? target - 2 : target + 1
        default: return target
        }
    }
}

extension CronSchedule.WeekdayRule {
    func matches(day: Int, weekday: Int, lastDay: Int) -> Bool {
        switch self {
        case .days(let bits):
            return bits & (1 << UInt64(weekday)) != 0
        case .last(let target):
            return weekday == target && day + 7 > lastDay
        case .nth(let target, let n):
            return weekday == target && (day - 1) / 7 + 1 == n
        }
    }
}
