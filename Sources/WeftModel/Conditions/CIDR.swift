/// The address family of an IP address or range.
public enum IPFamily: String, Sendable, Hashable {
    case ipv4 = "IPv4"
    case ipv6 = "IPv6"

    /// The number of bits of an address: 32 or 128.
    public var bitWidth: Int { self == .ipv4 ? 32 : 128 }
}

/// An IPv4 or IPv6 address range in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`).
///
/// Parsing is hand-written over UTF-8 bytes (no Foundation, no regular expressions) because rule
/// ranges are parsed for every item a condition tests:
/// - IPv4 is four decimal parts 0–255 without leading zeros (`010` is rejected: it is octal to
///   some parsers). IPv6 is RFC 4291 text: up to eight groups of 1–4 hex digits, at most one `::`,
///   optionally ending in a dotted IPv4 address (`::ffff:192.0.2.1`); zone ids are rejected.
/// - The prefix length is 0–32 (IPv4) or 0–128 (IPv6), decimal without leading zeros. Without
///   `/len`, the text is one address (`/32` or `/128`).
/// - Host bits set below the prefix are cleared (`10.1.2.3/8` is `10.0.0.0/8`), as AWS does when it
///   stores a range.
///
/// Addresses are kept left-aligned in 128 bits (an IPv4 address fills the top 32 bits), so
/// containment is the same masked comparison for both families.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    public let family: IPFamily
    /// The prefix length: 0–32 for IPv4, 0–128 for IPv6.
    public let prefixLength: Int
    /// The top 64 bits of the network address (for IPv4, the address is in the top 32 of these).
    let high: UInt64
    /// The low 64 bits of the network address (0 for IPv4).
    let low: UInt64

    /// Reads `text`; `nil` when it is not a valid IPv4 or IPv6 address or CIDR range.
    public init?(_ text: String) {
        if let parsed = text.utf8.withContiguousStorageIfAvailable({ Self.parse($0) }) {
            guard let parsed else { return nil }
            self = parsed
        } else {
            let bytes = Array(text.utf8)
            guard let parsed = bytes.withUnsafeBufferPointer({ Self.parse($0) }) else { return nil }
            self = parsed
        }
    }

    init(family: IPFamily, prefixLength: Int, high: UInt64, low: UInt64) {
        self.family = family
        self.prefixLength = prefixLength
        let (highMask, lowMask) = Self.masks(prefixLength, family: family)
        self.high = high & highMask
        self.low = low & lowMask
    }

    /// The whole address space of `family`: `0.0.0.0/0` or `::/0`.
    public static func all(_ family: IPFamily) -> CIDR {
        CIDR(family: family, prefixLength: 0, high: 0, low: 0)
    }

    /// Whether every address of `other` is in this range. Ranges of different families never
    /// contain each other.
    @inline(__always)
    public func contains(_ other: CIDR) -> Bool {
        guard family == other.family, prefixLength <= other.prefixLength else { return false }
        let (highMask, lowMask) = Self.masks(prefixLength, family: family)
        return other.high & highMask == high && other.low & lowMask == low
    }

    /// Whether the two ranges share an address.
    public func overlaps(_ other: CIDR) -> Bool {
        contains(other) || other.contains(self)
    }

    /// The first address of the range, as a 128-bit (high, low) pair.
    var first: Address128 { Address128(high: high, low: low) }

    /// The last point of the range, as a 128-bit (high, low) pair; for IPv4 the bits below the
    /// top 32 are all ones, so the successor of the last point is the next address.
    var last: Address128 {
        let (highMask, lowMask) = Self.masks(prefixLength, family: family)
        return Address128(high: high | ~highMask, low: low | ~lowMask)
    }

    /// The network address text with its prefix length: `10.0.0.0/8`, `2001:db8::/32`
    /// (IPv6 in the RFC 5952 canonical form).
    public var description: String { "\(addressText)/\(prefixLength)" }

    /// The network address as text, without the prefix length.
    public var addressText: String {
        if family == .ipv4 {
            let value = UInt32(truncatingIfNeeded: high >> 32)
            return "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
        }
        var groups: [UInt16] = []
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: low >> UInt64(shift))) }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else { index += 1; continue }
            var end = index
            while end < 8, groups[end] == 0 { end += 1 }
            if end - index > bestLength, end - index >= 2 { bestStart = index; bestLength = end - index }
            index = end
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestStart >= 0 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    // MARK: - Public addresses

    /// A range of the IANA special-purpose registries (or multicast/reserved space) whose
    /// addresses are not public.
    public struct SpecialRange: Sendable {
        public let cidr: CIDR
        public let name: String
    }

    /// The IPv4 ranges that hold no public address: the IANA IPv4 Special-Purpose Address Registry
    /// entries that are not globally reachable, plus multicast and the reserved 240.0.0.0/4
    /// (which includes the limited broadcast address 255.255.255.255).
    ///
    /// 192.0.0.0/24 is taken whole, although the registry marks two of its /32s (192.0.0.9 and
    /// 192.0.0.10, anycast PCP and TURN) as globally reachable. The deprecated 6to4 relay anycast
    /// 192.88.99.0/24 counts as public.
    public static let nonPublicIPv4: [SpecialRange] = [
        ("0.0.0.0/8", "\"this network\" (RFC 791)"),
        ("10.0.0.0/8", "private use (RFC 1918)"),
        ("100.64.0.0/10", "shared address space, CGNAT (RFC 6598)"),
        ("127.0.0.0/8", "loopback (RFC 1122)"),
        ("169.254.0.0/16", "link-local (RFC 3927)"),
        ("172.16.0.0/12", "private use (RFC 1918)"),
        ("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
        ("192.0.2.0/24", "documentation TEST-NET-1 (RFC 5737)"),
        ("192.168.0.0/16", "private use (RFC 1918)"),
        ("198.18.0.0/15", "benchmarking (RFC 2544)"),
        ("198.51.100.0/24", "documentation TEST-NET-2 (RFC 5737)"),
        ("203.0.113.0/24", "documentation TEST-NET-3 (RFC 5737)"),
        ("224.0.0.0/4", "multicast (RFC 5771)"),
        ("240.0.0.0/4", "reserved and limited broadcast (RFC 1112, RFC 919)"),
    ].map { SpecialRange(cidr: CIDR($0.0)!, name: $0.1) }

    /// The IPv6 ranges that hold no public address: the IANA IPv6 Special-Purpose Address Registry
    /// entries that are not globally reachable, plus multicast and the deprecated site-local range.
    ///
    /// The NAT64 well-known prefix 64:ff9b::/96 counts as public: the registry marks it globally
    /// reachable, and its addresses stand for public IPv4 addresses. 2001::/23 (IETF protocol
    /// assignments) is taken whole, leaving out the few globally reachable blocks inside it.
    /// 6to4 (2002::/16) counts as public, as its addresses embed IPv4 addresses.
    public static let nonPublicIPv6: [SpecialRange] = [
        ("::/128", "unspecified address (RFC 4291)"),
        ("::1/128", "loopback (RFC 4291)"),
        ("::ffff:0:0/96", "IPv4-mapped addresses (RFC 4291)"),
        ("64:ff9b:1::/48", "local-use IPv4/IPv6 translation (RFC 8215)"),
        ("100::/64", "discard-only (RFC 6666)"),
        ("2001::/23", "IETF protocol assignments (RFC 2928)"),
        ("2001:db8::/32", "documentation (RFC 3849)"),
        ("3fff::/20", "documentation (RFC 9637)"),
        ("5f00::/16", "segment routing SIDs (RFC 9602)"),
        ("fc00::/7", "unique local (RFC 4193)"),
        ("fe80::/10", "link-local (RFC 4291)"),
        ("fec0::/10", "site-local, deprecated (RFC 3879)"),
        ("ff00::/8", "multicast (RFC 4291)"),
    ].map { SpecialRange(cidr: CIDR($0.0)!, name: $0.1) }

    private static let mergedIPv4 = merge(nonPublicIPv4)
    private static let mergedIPv6 = merge(nonPublicIPv6)

    /// Whether some address of the range is public, i.e. outside every range of
    /// `nonPublicIPv4` / `nonPublicIPv6`.
    public var containsPublicAddress: Bool {
        let intervals = family == .ipv4 ? Self.mergedIPv4 : Self.mergedIPv6
        var current = first
        let end = last
        for interval in intervals {
            if interval.last < current { continue }
            if current < interval.first { return true }
            if !(interval.last < end) { return false }
            current = interval.last.successor
        }
        return true
    }

    /// The special range holding this whole range, if any (the first listed).
    public var specialRange: SpecialRange? {
        let list = family == .ipv4 ? Self.nonPublicIPv4 : Self.nonPublicIPv6
        return list.first { $0.cidr.contains(self) }
    }

    private static func merge(_ ranges: [SpecialRange]) -> [(first: Address128, last: Address128)] {
        let sorted = ranges.map { ($0.cidr.first, $0.cidr.last) }.sorted { $0.0 < $1.0 }
        var merged: [(first: Address128, last: Address128)] = []
        for (first, last) in sorted {
            if let previous = merged.last, !(previous.last.successor < first) {
                if previous.last < last { merged[merged.count - 1].last = last }
            } else {
                merged.append((first, last))
            }
        }
        return merged
    }

    // MARK: - Parsing

    @inline(__always)
    static func masks(_ prefixLength: Int, family: IPFamily) -> (UInt64, UInt64) {
        let highMask: UInt64 = prefixLength >= 64 ? ~0 : (prefixLength == 0 ? 0 : ~0 << UInt64(64 - prefixLength))
        let lowMask: UInt64 = prefixLength <= 64 ? 0 : (prefixLength >= 128 ? ~0 : ~0 << UInt64(128 - prefixLength))
        return (highMask, lowMask)
    }

    /// Parses CIDR or address text from UTF-8 bytes.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CIDR? {
        if let ipv4 = parseIPv4Range(bytes) { return ipv4 }
        let count = bytes.count
        guard count > 0 else { return nil }
        var slash = count
        var isIPv6 = false
        for index in 0..<count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "/") { slash = index; break }
            if byte == UInt8(ascii: ":") { isIPv6 = true }
        }
        let family: IPFamily = isIPv6 ? .ipv6 : .ipv4
        var prefixLength = family.bitWidth
        if slash < count {
            guard let length = decimal(bytes, from: slash + 1, to: count, max: family.bitWidth) else { return nil }
            prefixLength = length
        }
        if isIPv6 {
            guard let (high, low) = parseIPv6(bytes, to: slash) else { return nil }
            return CIDR(family: .ipv6, prefixLength: prefixLength, high: high, low: low)
        }
        guard let value = parseIPv4(bytes, from: 0, to: slash) else { return nil }
        return CIDR(family: .ipv4, prefixLength: prefixLength, high: UInt64(value) << 32, low: 0)
    }

    /// Valid IPv4 text (`a.b.c.d` or `a.b.c.d/len`) in one pass over the bytes; `nil` for anything
    /// else, which `parse` then reads (or rejects) the general way.
    @inline(__always)
    private static func parseIPv4Range(_ bytes: UnsafeBufferPointer<UInt8>) -> CIDR? {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var dots = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            let digit = byte &- UInt8(ascii: "0")
            if digit < 10 {
                guard digits == 0 || part != 0, digits < 3 else { return nil }
                part = part &* 10 &+ UInt32(digit)
                digits += 1
            } else if byte == UInt8(ascii: ".") {
                guard digits > 0, part <= 255, dots < 3 else { return nil }
                value = value << 8 | part
                dots += 1
                part = 0
                digits = 0
            } else if byte == UInt8(ascii: "/") {
                break
            } else {
                return nil
            }
            index += 1
        }
        guard dots == 3, digits > 0, part <= 255 else { return nil }
        value = value << 8 | part
        var prefixLength = 32
        if index < count {
            guard let length = decimal(bytes, from: index + 1, to: count, max: 32) else { return nil }
            prefixLength = length
        }
        return CIDR(family: .ipv4, prefixLength: prefixLength, high: UInt64(value) << 32, low: 0)
    }

    /// A decimal number in `bytes[from..<to]`, at most `max`, without sign or leading zeros.
    @inline(__always)
    private static func decimal(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int, max: Int) -> Int? {
        guard from < to, to - from <= 3 else { return nil }
        if bytes[from] == UInt8(ascii: "0"), to - from > 1 { return nil }
        var value = 0
        for index in from..<to {
            let digit = Int(bytes[index]) &- 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value <= max ? value : nil
    }

    private static func parseIPv4(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> UInt32? {
        var value: UInt32 = 0
        var start = from
        var parts = 0
        var index = from
        while index <= to {
            if index == to || bytes[index] == UInt8(ascii: ".") {
                guard parts < 4, let part = decimal(bytes, from: start, to: index, max: 255) else { return nil }
                value = value << 8 | UInt32(part)
                parts += 1
                start = index + 1
            }
            index += 1
        }
        return parts == 4 ? value : nil
    }

    private static func parseIPv6(_ bytes: UnsafeBufferPointer<UInt8>, to end: Int) -> (UInt64, UInt64)? {
        var groups = (UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0))
        var count = 0
        var gap = -1
        var index = 0
        func set(_ position: Int, _ value: UInt16) {
            withUnsafeMutableBytes(of: &groups) { $0.storeBytes(of: value, toByteOffset: position * 2, as: UInt16.self) }
        }
        func get(_ position: Int) -> UInt16 {
            withUnsafeBytes(of: groups) { $0.load(fromByteOffset: position * 2, as: UInt16.self) }
        }
        if end >= 2, bytes[0] == UInt8(ascii: ":"), bytes[1] == UInt8(ascii: ":") {
            gap = 0
            index = 2
            if index == end { return (0, 0) }
        } else if end >= 1, bytes[0] == UInt8(ascii: ":") {
            return nil
        }
        while index < end {
            var value: UInt32 = 0
            var digits = 0
            let start = index
            var sawDot = false
            while index < end {
                let byte = bytes[index]
                let nibble: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt32(byte - 48)
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt32(byte - 87)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt32(byte - 55)
                case UInt8(ascii: "."): sawDot = true; nibble = 0
                default: nibble = 16
                }
                if sawDot || nibble == 16 { break }
                value = value << 4 | nibble
                digits += 1
                index += 1
            }
            if sawDot {
                guard count <= 6, let ipv4 = parseIPv4(bytes, from: start, to: end) else { return nil }
                set(count, UInt16(ipv4 >> 16))
                set(count + 1, UInt16(ipv4 & 0xFFFF))
                count += 2
                index = end
                break
            }
            guard digits >= 1, digits <= 4, count < 8 else { return nil }
            set(count, UInt16(value))
            count += 1
            if index == end { break }
            guard bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            if index < end, bytes[index] == UInt8(ascii: ":") {
                guard gap < 0 else { return nil }
                gap = count
                index += 1
                if index == end { break }
            } else if index == end {
                return nil
            }
        }
        if gap >= 0 {
            guard count < 8 else { return nil }
            let shift = 8 - count
            var position = count - 1
            while position >= gap {
                set(position + shift, get(position))
                set(position, 0)
                position -= 1
            }
        } else {
            guard count == 8 else { return nil }
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for position in 0..<4 { high = high << 16 | UInt64(get(position)) }
        for position in 4..<8 { low = low << 16 | UInt64(get(position)) }
        return (high, low)
    }
}

/// A 128-bit address value ordered as an unsigned number.
struct Address128: Sendable, Comparable {
    var high: UInt64
    var low: UInt64

    static func < (lhs: Address128, rhs: Address128) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }

    /// The next address; wraps around after the last one.
    var successor: Address128 {
        let (low, overflow) = low.addingReportingOverflow(1)
        return Address128(high: overflow ? high &+ 1 : high, low: low)
    }
}
