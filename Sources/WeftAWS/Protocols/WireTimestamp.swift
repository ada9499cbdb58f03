import Foundation
import WeftModel

/// A point in time with microsecond precision, as AWS protocols exchange timestamps.
struct WireTimestamp: Equatable {
    /// Microseconds since 1970-01-01T00:00:00Z.
    var microseconds: Int64

    init(microseconds: Int64) { self.microseconds = microseconds }

    init(seconds: Double) { microseconds = Int64((seconds * 1_000_000).rounded()) }

    /// A timestamp from a request parameter: a number of seconds since 1970, a string of such a
    /// number, or an ISO 8601 date or date-time (UTC when it has no offset). `nil` otherwise.
    init?(parameter value: JSON) {
        switch value {
        case .int(let seconds): self.init(microseconds: seconds * 1_000_000)
        case .double(let seconds):
            guard seconds.isFinite else { return nil }
            self.init(seconds: seconds)
        case .string(let text): self.init(text: text)
        default: return nil
        }
    }

    /// A timestamp from response text: epoch seconds, ISO 8601 or RFC 822 (`Sun, 29 Nov 2026 06:04:15 GMT`).
    init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite, !trimmed.contains("-") || trimmed.hasPrefix("-") {
            self.init(seconds: seconds)
        } else if let date = ISODate.parse(trimmed) {
            self.init(seconds: date.timeIntervalSince1970)
        } else if let seconds = WireTimestamp.rfc822Seconds(trimmed) {
            self.init(microseconds: seconds * 1_000_000)
        } else {
            return nil
        }
    }

    var wholeSeconds: Int64 { microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000 }
    var fraction: Int64 { microseconds - wholeSeconds * 1_000_000 }

    /// `2026-11-29T06:04:15Z`, or with six fraction digits when there is a fraction (botocore's request form).
    var iso8601Request: String {
        let base = WireTimestamp.civil(wholeSeconds)
        if fraction == 0 { return base + "Z" }
        return base + "." + WireTimestamp.pad(Int(fraction), 6) + "Z"
    }

    /// `2026-11-29T06:04:15Z`, fraction digits kept without trailing zeros (Weft's output form).
    var iso8601Output: String {
        let base = WireTimestamp.civil(wholeSeconds)
        if fraction == 0 { return base + "Z" }
        var digits = WireTimestamp.pad(Int(fraction), 6)
        while digits.hasSuffix("0") { digits.removeLast() }
        return base + "." + digits + "Z"
    }

    /// RFC 822 date in GMT, `Sun, 29 Nov 2026 06:04:15 GMT`.
    var rfc822: String {
        let seconds = wholeSeconds
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondsOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = ISODate.civilFromDays(days)
        let weekday = Int(((days % 7) + 11) % 7)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(weekdays[weekday]), \(WireTimestamp.pad(day, 2)) \(months[month - 1]) \(year) "
            + "\(WireTimestamp.pad(secondsOfDay / 3600, 2)):\(WireTimestamp.pad(secondsOfDay / 60 % 60, 2)):"
            + "\(WireTimestamp.pad(secondsOfDay % 60, 2)) GMT"
    }

    /// The request form of this timestamp for `format` (`iso8601`, `unixTimestamp`, `rfc822`; any case).
    func requestValue(format: String) -> JSON {
        switch format.lowercased() {
        case "unixtimestamp": return .int(wholeSeconds)
        case "rfc822": return .string(rfc822)
        default: return .string(iso8601Request)
        }
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: Swift.max(0, width - text.count)) + text
    }

    private static func civil(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondsOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = ISODate.civilFromDays(days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondsOfDay / 3600, 2)):"
            + "\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2))"
    }

    /// Seconds of an RFC 822 / RFC 1123 date such as `Sun, 29 Nov 2026 06:04:15 GMT` (weekday optional).
    static func rfc822Seconds(_ text: String) -> Int64? {
        var parts = text.split(separator: " ").map(String.init)
        if let first = parts.first, first.hasSuffix(",") { parts.removeFirst() }
        guard parts.count >= 4, let day = Int(parts[0]), let year = Int(parts[2]) else { return nil }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        guard let monthIndex = months.firstIndex(of: parts[1].lowercased()) else { return nil }
        let clock = parts[3].split(separator: ":").compactMap { Int($0) }
        guard clock.count >= 2 else { return nil }
        var seconds = ISODate.daysFromCivil(year: year, month: monthIndex + 1, day: day) * 86_400
        seconds += Int64(clock[0] * 3600 + clock[1] * 60 + (clock.count > 2 ? clock[2] : 0))
        if parts.count > 4, let sign = parts[4].first, sign == "+" || sign == "-", parts[4].count == 5,
            let hh = Int(parts[4].dropFirst().prefix(2)), let mm = Int(parts[4].suffix(2))
        {
            seconds -= Int64(sign == "+" ? 1 : -1) * Int64(hh * 3600 + mm * 60)
        }
        return seconds
    }
}

/// Text forms of scalar values as botocore writes them into queries, headers, URIs and XML.
enum AWSText {
    /// Python's `str()` of a JSON scalar: `5`, `1.5`, `True` for booleans, the text of a string.
    static func python(_ value: JSON) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return float(d)
        case .bool(let b): return b ? "True" : "False"
        case .null: return "None"
        case .array, .object: return value.serialized()
        }
    }

    /// `value` converted where it denotes the shape's type in another JSON type: an integral double
    /// or a numeric string for an integer shape, a numeric string for a float shape, `"true"` or
    /// `"false"` for a boolean shape (template results arrive as text). Other values are unchanged.
    static func coerced(_ value: JSON, _ shape: AWSShape) -> JSON {
        switch (shape.type, value) {
        case (.integer, .double(let d)), (.long, .double(let d)):
            return Int64(exactly: d).map(JSON.int) ?? value
        case (.integer, .string(let text)), (.long, .string(let text)):
            return Int64(text.trimmingCharacters(in: .whitespaces)).map(JSON.int) ?? value
        case (.float, .string(let text)), (.double, .string(let text)):
            return Double(text.trimmingCharacters(in: .whitespaces)).map(JSON.double) ?? value
        case (.boolean, .string(let text)):
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return value
            }
        default:
            return value
        }
    }

    /// Python's `str()` of a float, with botocore's names for infinities and NaN.
    static func float(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d == .infinity { return "Infinity" }
        if d == -.infinity { return "-Infinity" }
        if d == d.rounded(), abs(d) < 1e16 { return String(format: "%.1f", d) }
        var text = "\(d)"
        if let e = text.firstIndex(of: "e") {
            let exponent = text[text.index(after: e)...]
            if !exponent.hasPrefix("-") && !exponent.hasPrefix("+") {
                text = String(text[..<e]) + "e+" + exponent
            }
        }
        return text
    }

    /// A float value in a number-typed JSON body: a number, or botocore's strings for infinities and NaN.
    static func jsonFloat(_ value: JSON) -> JSON {
        if case .double(let d) = value, !d.isFinite { return .string(float(d)) }
        return value
    }

    /// `true`/`false` for a boolean value; other values are read as botocore's truthiness would.
    static func boolean(_ value: JSON) -> String {
        switch value {
        case .bool(let b): return b ? "true" : "false"
        case .string(let s):
            return s.lowercased() == "true" ? "true" : (s.lowercased() == "false" || s.isEmpty ? "false" : "true")
        case .int(let i): return i != 0 ? "true" : "false"
        case .double(let d): return d != 0 ? "true" : "false"
        case .null: return "false"
        case .array(let a): return a.isEmpty ? "false" : "true"
        case .object(let o): return o.isEmpty ? "false" : "true"
        }
    }

    /// The base64 text of a blob parameter: a string's UTF-8 bytes.
    static func base64(_ value: JSON) -> String {
        Data(blobBytes(value)).base64EncodedString()
    }

    /// The bytes of a blob or streaming parameter: a string's UTF-8 bytes, an array of byte numbers as is.
    static func blobBytes(_ value: JSON) -> [UInt8] {
        switch value {
        case .string(let s): return Array(s.utf8)
        case .array(let items): return items.compactMap { $0.intValue.flatMap { UInt8(exactly: $0) } }
        default: return Array(python(value).utf8)
        }
    }

    /// RFC 3986 percent-encoding: unreserved characters and those in `safe` are kept.
    static func percentEncode(_ text: String, safe: String = "") -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        let safeBytes = Set(safe.utf8)
        for byte in text.utf8 {
            if isUnreserved(byte) || safeBytes.contains(byte) {
                result.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                result += "%" + hex(byte)
            }
        }
        return result
    }

    /// `application/x-www-form-urlencoded` as Python's `urlencode` writes it (`quote_plus`).
    static func formEncode(_ pairs: [(String, String)]) -> String {
        pairs.map { plus($0.0) + "=" + plus($0.1) }.joined(separator: "&")
    }

    private static func plus(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if isUnreserved(byte) {
                result.unicodeScalars.append(UnicodeScalar(byte))
            } else if byte == 0x20 {
                result += "+"
            } else {
                result += "%" + hex(byte)
            }
        }
        return result
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }
}
