import Foundation

/// ISO 8601 dates as Weft reads and writes them, and Unix epoch numbers as conditions accept them.
public enum ISODate {
    /// Parses an ISO 8601 date or date-time.
    ///
    /// Accepted: `2024-05-01` (midnight UTC), `2024-05-01T10:20`, `2024-05-01T10:20:30`,
    /// fractional seconds of any length (`.5`, `.123456`), `T`, `t` or one space between date
    /// and time, and an offset `Z`, `z`, `+02:00`, `+0200` or `+02`. A time without offset is UTC.
    /// Returns `nil` for anything else, including out-of-range fields (`2024-02-30`).
    public static func parse(_ text: String) -> Date? {
        var reader = Reader(Array(text.utf8))
        guard let year = reader.digits(4), reader.take(UInt8(ascii: "-")),
            let month = reader.digits(2), reader.take(UInt8(ascii: "-")),
            let day = reader.digits(2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
        if reader.atEnd { return Date(timeIntervalSince1970: seconds) }

        guard reader.take(UInt8(ascii: "T")) || reader.take(UInt8(ascii: "t")) || reader.take(UInt8(ascii: " ")),
            let hour = reader.digits(2), reader.take(UInt8(ascii: ":")), let minute = reader.digits(2),
            hour <= 23, minute <= 59
        else { return nil }
        seconds += Double(hour * 3600 + minute * 60)
        if reader.take(UInt8(ascii: ":")) {
            guard let second = reader.digits(2), second <= 60 else { return nil }
            seconds += Double(min(second, 59))
            if reader.take(UInt8(ascii: ".")) || reader.take(UInt8(ascii: ",")) {
                guard let fraction = reader.fraction() else { return nil }
                seconds += fraction
            }
        }
        if reader.atEnd { return Date(timeIntervalSince1970: seconds) }
        if reader.take(UInt8(ascii: "Z")) || reader.take(UInt8(ascii: "z")) {
            return reader.atEnd ? Date(timeIntervalSince1970: seconds) : nil
        }
        let sign: Double
        if reader.take(UInt8(ascii: "+")) {
            sign = 1
        } else if reader.take(UInt8(ascii: "-")) {
            sign = -1
        } else {
            return nil
        }
        guard let offsetHours = reader.digits(2), offsetHours <= 23 else { return nil }
        var offsetMinutes = 0
        if !reader.atEnd {
            _ = reader.take(UInt8(ascii: ":"))
            guard let minutes = reader.digits(2), minutes <= 59 else { return nil }
            offsetMinutes = minutes
        }
        guard reader.atEnd else { return nil }
        seconds -= sign * Double(offsetHours * 3600 + offsetMinutes * 60)
        return Date(timeIntervalSince1970: seconds)
    }

    /// The date a JSON value denotes.
    ///
    /// A string is ISO 8601 (see `parse`) or a run of 9 to 18 digits read as an epoch number (so
    /// `20240615` is not mistaken for one); a number is
    /// seconds since 1970, or milliseconds when it is greater than 10¹¹ (March 5138 in seconds).
    /// Returns `nil` for other values.
    public static func date(from value: JSON) -> Date? {
        switch value {
        case .int, .double:
            guard let number = value.doubleValue, number.isFinite else { return nil }
            return epoch(number)
        case .string(let text):
            if let date = parse(text) { return date }
            guard (9...18).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let number = Double(text)
            else { return nil }
            return epoch(number)
        default:
            return nil
        }
    }

    /// `date` as ISO 8601 UTC text with milliseconds, `2024-05-01T10:20:30.000Z`.
    public static func format(_ date: Date) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let milliseconds = Int(((totalMilliseconds % 1000) + 1000) % 1000)
        let totalSeconds = (totalMilliseconds - Int64(milliseconds)) / 1000
        let secondsOfDay = Int(((totalSeconds % 86_400) + 86_400) % 86_400)
        let days = (totalSeconds - Int64(secondsOfDay)) / 86_400
        let (year, month, day) = civilFromDays(days)
        func pad(_ n: Int, _ width: Int) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondsOfDay / 3600, 2)):"
            + "\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2)).\(pad(milliseconds, 3))Z"
    }

    private static func epoch(_ number: Double) -> Date {
        Date(timeIntervalSince1970: abs(number) > 1e11 ? number / 1000 : number)
    }

    private static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian (year, month, day) of a day count since 1970-01-01.
    package static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + count)] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }

        mutating func fraction() -> Double? {
            var value = 0.0
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                value += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            return index > start ? value : nil
        }
    }
}
