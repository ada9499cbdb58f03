import Foundation
import WeftModel

/// Which network addresses the `http` and `largeHttp` nodes may connect to (SPEC §5).
///
/// An address is denied when a range of `deny` holds it and no range of `allow` does: `allow`
/// relaxes `deny`, never the reverse. IPv4-mapped IPv6 addresses (`::ffff:169.254.169.254`) are
/// judged as the IPv4 address they carry, since connecting to one reaches that address.
/// The decision is a pure function; `HTTPSession` applies it to every address a host name resolves
/// to, before connecting.
public struct EgressPolicy: Sendable, Equatable {
    /// What the policy says about one address.
    public enum Decision: Sendable, Equatable {
        case allow
        /// The address is in a denied range; `reason` names the address and the range.
        case deny(reason: String)

        public var isAllowed: Bool { self == .allow }
    }

    /// The ranges denied when nothing else is configured: IPv4 link-local (cloud instance metadata
    /// at 169.254.169.254) and the IPv6 address of the AWS instance metadata service.
    public static let defaultDeny: [CIDR] = [CIDR("169.254.0.0/16")!, CIDR("fd00:ec2::254/128")!]

    /// The environment variable with comma-separated CIDRs added to the deny list.
    public static let denyVariable = "WEFT_EGRESS_DENY"
    /// The environment variable with comma-separated CIDRs exempted from the deny list.
    public static let allowVariable = "WEFT_EGRESS_ALLOW"

    public var deny: [CIDR]
    public var allow: [CIDR]

    public init(deny: [CIDR] = EgressPolicy.defaultDeny, allow: [CIDR] = []) {
        self.deny = deny
        self.allow = allow
    }

    /// The default policy extended by `WEFT_EGRESS_DENY` and relaxed by `WEFT_EGRESS_ALLOW`.
    /// - Throws: `EgressPolicyError` naming the variable and the entry that is not a CIDR.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> EgressPolicy
    {
        EgressPolicy(
            deny: defaultDeny + (try ranges(environment[denyVariable], variable: denyVariable)),
            allow: try ranges(environment[allowVariable], variable: allowVariable))
    }

    /// The CIDRs of a comma-separated list; blank entries are skipped.
    /// - Throws: `EgressPolicyError` for an entry that is not an IPv4 or IPv6 address or range.
    public static func ranges(_ list: String?, variable: String) throws -> [CIDR] {
        guard let list else { return [] }
        var result: [CIDR] = []
        for entry in list.split(separator: ",") {
            let text = entry.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard let range = CIDR(text) else {
                throw EgressPolicyError(message: "\(variable): \"\(text)\" is not an IPv4 or IPv6 address or CIDR range")
            }
            result.append(range)
        }
        return result
    }

    /// Whether a connection to `address` (one IP address) is allowed.
    public func decide(_ address: CIDR) -> Decision {
        let judged = Self.unmapped(address)
        if allow.contains(where: { $0.contains(judged) }) { return .allow }
        if let range = deny.first(where: { $0.contains(judged) }) {
            return .deny(reason: "the egress policy denies \(judged.addressText) (in \(range))")
        }
        return .allow
    }

    /// Whether a connection to the address written as `text` is allowed; text that is not an IP
    /// address is denied.
    public func decide(address text: String) -> Decision {
        guard let address = CIDR(Self.withoutZone(text)) else {
            return .deny(reason: "\"\(text)\" is not an IP address")
        }
        return decide(address)
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), or `address` itself.
    static func unmapped(_ address: CIDR) -> CIDR {
        guard address.family == .ipv6, address.prefixLength >= 96, mappedPrefix.contains(address) else { return address }
        let groups = address.addressText.split(separator: ":", omittingEmptySubsequences: false).suffix(2)
            .compactMap { UInt16($0, radix: 16) }
        guard groups.count == 2 else { return address }
        let (high, low) = (groups[groups.startIndex], groups[groups.startIndex + 1])
        let text = "\(high >> 8).\(high & 0xFF).\(low >> 8).\(low & 0xFF)/\(address.prefixLength - 96)"
        return CIDR(text) ?? address
    }

    private static let mappedPrefix = CIDR("::ffff:0:0/96")!

    /// `fe80::1%eth0` without its zone id.
    static func withoutZone(_ text: String) -> String {
        guard let percent = text.firstIndex(of: "%") else { return text }
        return String(text[..<percent])
    }
}

/// A configured egress range that cannot be read.
public struct EgressPolicyError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
