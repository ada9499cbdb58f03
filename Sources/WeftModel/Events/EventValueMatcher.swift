/// One alternative in a pattern field's array, tested against one leaf value of the event.
enum EventValueMatcher: Sendable {
    case string([UInt8])
    case number(Double)
    case bool(Bool)
    case null
    case exists(Bool)
    case prefix([UInt8])
    case prefixIgnoringCase([UInt8])
    case suffix([UInt8])
    case suffixIgnoringCase([UInt8])
    case equalsIgnoringCase([UInt8])
    case wildcard(EventWildcard)
    case numeric(EventNumericRange)
    case cidr(CIDR)
    /// Any value (`null` and booleans included) that is none of the strings and numbers.
    case anythingBut(strings: Set<[UInt8]>, numbers: [Double])
    /// Any value that is not a string, or a string that none of the tests match.
    case anythingButString(EventStringTest, [[UInt8]])
    case anythingButWildcard([EventWildcard])

    enum EventStringTest: Sendable {
        case prefix, suffix, equalsIgnoringCase
    }

    func matches(_ value: JSON) -> Bool {
        switch self {
        case .string(let expected):
            guard case .string(let text) = value else { return false }
            return text.utf8.elementsEqual(expected)
        case .number(let expected):
            guard let number = value.doubleValue else { return false }
            return EventNumber.equal(number, expected)
        case .bool(let expected):
            return value == .bool(expected)
        case .null:
            return value.isNull
        case .exists(let expected):
            return expected
        case .prefix(let prefix):
            guard case .string(let text) = value else { return false }
            return text.utf8.starts(with: prefix)
        case .prefixIgnoringCase(let prefix):
            guard case .string(let text) = value else { return false }
            return Self.folded(text).starts(with: prefix)
        case .suffix(let suffix):
            guard case .string(let text) = value else { return false }
            return Self.hasSuffix(Array(text.utf8), suffix)
        case .suffixIgnoringCase(let suffix):
            guard case .string(let text) = value else { return false }
            return Self.hasSuffix(Self.folded(text), suffix)
        case .equalsIgnoringCase(let expected):
            guard case .string(let text) = value else { return false }
            return Self.folded(text) == expected
        case .wildcard(let wildcard):
            guard case .string(let text) = value else { return false }
            return wildcard.matches(Array(text.utf8))
        case .numeric(let range):
            guard let number = value.doubleValue else { return false }
            return range.contains(number)
        case .cidr(let range):
            guard case .string(let text) = value, !text.utf8.contains(UInt8(ascii: "/")),
                let address = CIDR(text)
            else { return false }
            return range.contains(address)
        case .anythingBut(let strings, let numbers):
            switch value {
            case .string(let text): return !strings.contains(Array(text.utf8))
            case .int, .double:
                let number = value.doubleValue ?? .nan
                return !numbers.contains { EventNumber.equal(number, $0) }
            default: return true
            }
        case .anythingButString(let test, let operands):
            guard case .string(let text) = value else { return true }
            let bytes = test == .equalsIgnoringCase ? Self.folded(text) : Array(text.utf8)
            for operand in operands {
                switch test {
                case .prefix: if bytes.starts(with: operand) { return false }
                case .suffix: if Self.hasSuffix(bytes, operand) { return false }
                case .equalsIgnoringCase: if bytes == operand { return false }
                }
            }
            return true
        case .anythingButWildcard(let wildcards):
            guard case .string(let text) = value else { return true }
            let bytes = Array(text.utf8)
            return !wildcards.contains { $0.matches(bytes) }
        }
    }

    /// The lower-case UTF-8 bytes of `text`: the form case-insensitive operands are kept in.
    static func folded(_ text: String) -> [UInt8] {
        Array(text.lowercased().utf8)
    }

    static func hasSuffix(_ bytes: [UInt8], _ suffix: [UInt8]) -> Bool {
        bytes.count >= suffix.count && bytes[(bytes.count - suffix.count)...].elementsEqual(suffix)
    }
}

/// Number comparison as EventBridge does it: within ±5e9, values are compared on a fixed-point
/// scale of six decimal places (truncated); outside that range, as doubles.
enum EventNumber {
    static let limit = 5e9

    static func key(_ value: Double) -> Int64? {
        guard value >= -limit, value <= limit else { return nil }
        return Int64((limit + value) * 1e6)
    }

    static func compare(_ a: Double, _ b: Double) -> Int {
        if let ka = key(a), let kb = key(b) { return ka < kb ? -1 : (ka == kb ? 0 : 1) }
        return a < b ? -1 : (a == b ? 0 : 1)
    }

    static func equal(_ a: Double, _ b: Double) -> Bool { compare(a, b) == 0 }
}

/// The bounds of a `numeric` match: each optional, each inclusive or exclusive.
struct EventNumericRange: Sendable {
    var lower: (value: Double, inclusive: Bool)?
    var upper: (value: Double, inclusive: Bool)?

    func contains(_ number: Double) -> Bool {
        if let lower {
            let order = EventNumber.compare(number, lower.value)
            if order < 0 || (order == 0 && !lower.inclusive) { return false }
        }
        if let upper {
            let order = EventNumber.compare(number, upper.value)
            if order > 0 || (order == 0 && !upper.inclusive) { return false }
        }
        return true
    }
}
