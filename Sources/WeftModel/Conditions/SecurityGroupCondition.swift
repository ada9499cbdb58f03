import Foundation

/// `securityGroup`: whether some rule of the item's security groups allows traffic of a protocol,
/// on a port range, from (inbound) or to (outbound) a source.
///
/// Fields:
/// - `direction` (required): `inbound` reads `IpPermissions`, `outbound` reads `IpPermissionsEgress`.
/// - `ports` (default `"all"`): `"all"`, one port (`"22"` or `22`) or a range (`"1024-2048"`),
///   0–65535 with the first port not greater than the last.
/// - `protocol` (default `any`): `any` (also `all`, `-1`), `tcp`, `udp`, `icmp`, `icmpv6` or an IP
///   protocol number 0–255; names and numbers are the same protocol (`tcp` is `6`).
/// - `source` (required): `cidr`, `anyPublicIPv4`, `anyPublicIPv6`, `outsideCidrs`,
///   `securityGroup` or `prefixList`.
/// - `value`: a CIDR for `cidr`; the allowed CIDRs for `outsideCidrs` (a JSON array, or one string
///   of comma-separated CIDRs, as a variable often holds them); a group id for `securityGroup`; a
///   prefix-list id for `prefixList`. Not used by `anyPublicIPv4`/`anyPublicIPv6`.
///
/// The groups tested are the item itself when it has `GroupId` and `IpPermissions` (a
/// DescribeSecurityGroups result), else the full security-group objects of its `SecurityGroups`
/// addon. An item with neither cannot be evaluated; an empty `SecurityGroups` has no rule, so the
/// condition does not hold. A group without the rule list of the direction cannot be evaluated.
///
/// The condition holds when some rule of some group matches all of:
/// - Protocol: a rule with `IpProtocol` `-1` matches every protocol and port. Otherwise the rule's
///   protocol must be the condition's (any protocol matches `any`).
/// - Ports: `"all"` matches every rule, whatever its ports (ICMP and port-less protocols too). A
///   port range matches a TCP/UDP rule whose `FromPort`–`ToPort` overlaps it (the rule allows the
///   protocol on some port of the range), and a rule of a protocol without ports (neither TCP, UDP,
///   ICMP nor ICMPv6), which AWS applies to all ports. ICMP/ICMPv6 rules carry the ICMP type in
///   `FromPort` (`-1` for all types) and the code in `ToPort`: with `protocol` `icmp` or `icmpv6`,
///   `ports` selects ICMP types, matched by a rule for all types or for a type in the range;
///   with any other protocol, a port range never matches an ICMP rule.
/// - Source, of `IpRanges[].CidrIp` and `Ipv6Ranges[].CidrIpv6`:
///   `cidr`: a rule range contains the whole given range (an IPv4 value never matches an IPv6
///   range, nor the reverse); `anyPublicIPv4`/`anyPublicIPv6`: a rule range of that family holds a
///   public address (see `CIDR.containsPublicAddress`); `outsideCidrs`: a rule range is not inside
///   any allowed CIDR of its family (a range of a family with no allowed CIDR, as `::/0` against an
///   IPv4-only list, is outside); rules naming groups or prefix lists have no range and are never
///   outside. `securityGroup`: a `UserIdGroupPairs[].GroupId` equals the value. `prefixList`: a
///   `PrefixListIds[].PrefixListId` equals the value.
///
/// A rule range that is not a valid CIDR is skipped; when no rule matches and one was skipped, the
/// condition cannot be evaluated.
public struct SecurityGroupCondition: ConditionType {
    public static let name = "securityGroup"
    public static let summary = "Tests whether a rule of the item's security groups allows traffic from a source."
    public static let fields: [Parameter] = [
        Parameter("direction", .choice(TrafficDirection.allCases.map(\.rawValue)), required: true,
                  help: "inbound (IpPermissions) or outbound (IpPermissionsEgress)."),
        PortRange.field,
        NetworkProtocol.field,
        Parameter("source", .choice(Source.Kind.allCases.map(\.rawValue)), required: true,
                  help: "What the rule's source (destination, outbound) is tested against."),
        Parameter("value", .oneOf([.string, .array(of: .string, maxItems: nil)]),
                  help: "A CIDR (cidr), a list of allowed CIDRs (outsideCidrs), a group id (securityGroup) or a prefix-list id (prefixList)."),
    ]

    /// What a rule's source is tested against.
    public enum Source: Sendable, Equatable {
        case cidr(CIDR)
        case anyPublicIPv4
        case anyPublicIPv6
        case outsideCidrs([CIDR])
        case securityGroup(String)
        case prefixList(String)

        public enum Kind: String, Sendable, CaseIterable {
            case cidr, anyPublicIPv4, anyPublicIPv6, outsideCidrs, securityGroup, prefixList

            static let spellings: KeyValuePairs<String, Kind> = [
                "cidr": .cidr, "anyPublicIPv4": .anyPublicIPv4, "anyPublicIPv6": .anyPublicIPv6,
                "outsideCidrs": .outsideCidrs, "securityGroup": .securityGroup, "prefixList": .prefixList,
            ]
        }
    }

    public let direction: TrafficDirection
    /// The port range; `nil` for all ports.
    public let ports: PortRange?
    public let `protocol`: NetworkProtocol
    public let source: Source
    private let allowedIPv4: [CIDR]
    private let allowedIPv6: [CIDR]
    /// `(inbound, all ports, from 0.0.0.0/0)`.
    private let criteria: String
    /// `tcp 22 from a public IPv4 address`.
    private let wanted: String
    /// `no inbound rule of ` and ` allows tcp 22 from a public IPv4 address`.
    private let notHeldPrefix: String
    private let notHeldSuffix: String

    public init?(fields: inout ConditionFields) {
        let direction = fields.choice("direction", TrafficDirection.spellings)
        let ports = PortRange.read("ports", from: &fields)
        let proto = NetworkProtocol.read("protocol", from: &fields)
        let kind = fields.choice("source", Source.Kind.spellings)
        var source: Source?
        if let kind {
            source = Self.readValue(kind, from: &fields)
        }
        guard let direction, let ports, let proto, let source else { return nil }
        self.init(direction: direction, ports: ports, protocol: proto, source: source)
    }

    /// A condition from typed values.
    public init(direction: TrafficDirection, ports: PortRange?, protocol: NetworkProtocol, source: Source) {
        self.direction = direction
        self.ports = ports
        self.protocol = `protocol`
        self.source = source
        if case .outsideCidrs(let list) = source {
            allowedIPv4 = list.filter { $0.family == .ipv4 }
            allowedIPv6 = list.filter { $0.family == .ipv6 }
        } else {
            allowedIPv4 = []
            allowedIPv6 = []
        }
        let preposition = direction == .inbound ? "from" : "to"
        let target: String
        switch source {
        case .cidr(let cidr): target = cidr.description
        case .anyPublicIPv4: target = "a public IPv4 address"
        case .anyPublicIPv6: target = "a public IPv6 address"
        case .outsideCidrs(let list):
            target = list.isEmpty ? "any address (no allowed CIDR)" : "outside " + list.map(\.description).joined(separator: ", ")
        case .securityGroup(let id): target = "group \(id)"
        case .prefixList(let id): target = "prefix list \(id)"
        }
        let traffic = NetworkProtocol.describe(`protocol`, ports)
        criteria = "(\(direction.rawValue), \(traffic), \(preposition) \(target))"
        wanted = "\(traffic == "all ports" ? "all traffic" : traffic) \(preposition) \(target)"
        notHeldPrefix = "no \(direction.rawValue) rule of "
        notHeldSuffix = " allows " + wanted
    }

    private static func readValue(_ kind: Source.Kind, from fields: inout ConditionFields) -> Source? {
        switch kind {
        case .anyPublicIPv4: return .anyPublicIPv4
        case .anyPublicIPv6: return .anyPublicIPv6
        default: break
        }
        guard let value = fields.value("value", required: true) else { return nil }
        switch kind {
        case .cidr:
            guard case .string(let text) = value else {
                fields.report("value", "must be a CIDR string for source cidr, not \(ConditionFields.describeType(value))")
                return nil
            }
            guard let cidr = CIDR(text.trimmed) else {
                fields.report("value", "\(JSONText.brief(value)) is not a valid IPv4 or IPv6 CIDR")
                return nil
            }
            return .cidr(cidr)
        case .outsideCidrs:
            guard let list = readCIDRList(value, field: "value", fields: &fields) else { return nil }
            return .outsideCidrs(list)
        case .securityGroup, .prefixList:
            guard case .string(let id) = value, !id.trimmed.isEmpty else {
                fields.report("value", "must be a non-empty \(kind == .securityGroup ? "security group id" : "prefix-list id") string")
                return nil
            }
            return kind == .securityGroup ? .securityGroup(id.trimmed) : .prefixList(id.trimmed)
        default:
            return nil
        }
    }

    /// CIDRs from a JSON array of strings or a comma-separated string; problems are reported.
    static func readCIDRList(_ value: JSON, field: String, fields: inout ConditionFields) -> [CIDR]? {
        var texts: [String] = []
        switch value {
        case .string(let text):
            texts = text.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
        case .array(let elements):
            for element in elements {
                guard case .string(let text) = element else {
                    fields.report(field, "must list CIDR strings, not \(ConditionFields.describeType(element))")
                    return nil
                }
                texts.append(text.trimmed)
            }
        default:
            fields.report(field, "must be an array of CIDRs or a comma-separated string, not \(ConditionFields.describeType(value))")
            return nil
        }
        var list: [CIDR] = []
        var invalid: [String] = []
        for text in texts {
            if let cidr = CIDR(text) { list.append(cidr) } else { invalid.append(JSONText.brief(.string(text))) }
        }
        guard invalid.isEmpty else {
            fields.report(field, "\(invalid.joined(separator: ", ")) \(invalid.count == 1 ? "is not a valid CIDR" : "are not valid CIDRs")")
            return nil
        }
        return list
    }

    // MARK: - Evaluation

    public func evaluate(_ item: JSON, context: ConditionContext) -> ConditionResult {
        switch find(in: item) {
        case .held(let group, let rule, let source):
            let preposition = direction == .inbound ? "from" : "to"
            let text: String
            switch source {
            case .range(let range): text = range
            case .group(let id): text = "group \(id)"
            case .prefixList(let id): text = "prefix list \(id)"
            }
            return .held("\(Self.groupId(group)) \(direction.rawValue) \(Self.describeRule(rule)) \(preposition) \(text) matches \(criteria)")
        case .unevaluable(let reason):
            return .unevaluable(reason)
        case .notHeld:
            return .notHeld(notHeldDetail(item))
        }
    }

    public func outcome(_ item: JSON, context: ConditionContext) -> ConditionOutcome {
        switch find(in: item) {
        case .held: return .held
        case .notHeld: return .notHeld
        case .unevaluable: return .unevaluable
        }
    }

    /// The outcome of `item` with what `evaluate` needs to explain it: the group and rule that
    /// matched, or why the item cannot be evaluated. A `notHeld` outcome is explained from the
    /// item alone (`notHeldDetail`).
    private enum Finding {
        case held(group: JSONObject, rule: JSONObject, source: MatchedSource)
        case notHeld
        case unevaluable(String)
    }

    /// The part of a rule's source that matched.
    private enum MatchedSource {
        /// The text of a rule range (`CidrIp` / `CidrIpv6`).
        case range(String)
        case group(String)
        case prefixList(String)
    }

    private enum GroupCheck {
        case matched(rule: JSONObject, source: MatchedSource)
        case unreadable(String)
    }

    private func find(in item: JSON) -> Finding {
        guard case .object(let members) = item else {
            return .unevaluable("the item is not a security group nor an object with a SecurityGroups addon")
        }
        if Self.isGroup(members) {
            var skipped: String?
            switch check(group: members, skipped: &skipped) {
            case .matched(let rule, let source): return .held(group: members, rule: rule, source: source)
            case .unreadable(let reason): return .unevaluable(reason)
            case .none: return skipped.map(Finding.unevaluable) ?? .notHeld
            }
        }
        guard let addon = members["SecurityGroups"] else {
            return .unevaluable("not a security group (no GroupId and IpPermissions) and no SecurityGroups addon")
        }
        guard case .array(let groups) = addon else {
            return .unevaluable("SecurityGroups is \(ConditionFields.describeType(addon)), not a list of security groups")
        }
        guard !groups.isEmpty else { return .notHeld }
        var skipped: String?
        var unreadable: String?
        for group in groups {
            guard case .object(let object) = group else {
                unreadable = unreadable ?? "SecurityGroups holds \(ConditionFields.describeType(group)), not a security group"
                continue
            }
            switch check(group: object, skipped: &skipped) {
            case .matched(let rule, let source): return .held(group: object, rule: rule, source: source)
            case .unreadable(let reason): unreadable = unreadable ?? reason
            case .none: continue
            }
        }
        if let problem = unreadable ?? skipped { return .unevaluable(problem) }
        return .notHeld
    }

    /// Whether `members` is a security group itself rather than an item with a `SecurityGroups` addon.
    @inline(__always)
    private static func isGroup(_ members: JSONObject) -> Bool {
        members.index(forKey: "GroupId") != nil && members.index(forKey: "IpPermissions") != nil
    }

    /// Why no rule of `item` matched; `item` is one `find` found `notHeld`.
    private func notHeldDetail(_ item: JSON) -> String {
        guard case .object(let members) = item else { return "" }
        if Self.isGroup(members) { return notHeldPrefix + Self.groupId(members) + notHeldSuffix }
        let groups = members["SecurityGroups"]?.arrayValue ?? []
        guard !groups.isEmpty else { return "no security groups (SecurityGroups is empty)" }
        let ids = groups.compactMap { $0.objectValue.map(Self.groupId) }
        return notHeldPrefix + Self.list(ids) + notHeldSuffix
    }

    private func check(group: JSONObject, skipped: inout String?) -> GroupCheck? {
        guard case .array(let rules)? = group[direction.rulesKey] else {
            if group.index(forKey: "IpPermissions") == nil, group.index(forKey: "IpPermissionsEgress") == nil {
                return .unreadable("security group \(Self.groupId(group)) has no rules (is SecurityGroups the full-object addon?)")
            }
            return .unreadable("security group \(Self.groupId(group)) has no \(direction.rulesKey) list")
        }
        for index in rules.indices {
            guard case .object(let fields) = rules[index] else { continue }
            if let source = match(rule: fields, skipped: &skipped) { return .matched(rule: fields, source: source) }
        }
        return nil
    }

    /// The part of `rule`'s source that matches, or nil.
    @inline(__always)
    private func match(rule: JSONObject, skipped: inout String?) -> MatchedSource? {
        guard let ruleProtocol = NetworkProtocol(ruleValue: rule["IpProtocol"]) else { return nil }
        if ruleProtocol != .all {
            if self.protocol != .all, self.protocol != ruleProtocol { return nil }
            if let ports {
                if ruleProtocol.hasPorts {
                    let from = Self.int(rule["FromPort"]) ?? -1
                    let to = Self.int(rule["ToPort"]) ?? -1
                    if from >= 0 || to >= 0 {
                        let low = from < 0 ? 0 : from
                        let high = to < 0 ? 65535 : to
                        if high < ports.from || low > ports.to { return nil }
                    }
                } else if ruleProtocol.isICMP {
                    guard self.protocol.isICMP else { return nil }
                    let type = Self.int(rule["FromPort"]) ?? -1
                    if type >= 0, type < ports.from || type > ports.to { return nil }
                }
            }
        }
        switch source {
        case .cidr(let wanted):
            let key = wanted.family == .ipv4 ? "IpRanges" : "Ipv6Ranges"
            let member = wanted.family == .ipv4 ? "CidrIp" : "CidrIpv6"
            return firstRange(rule, key, member, skipped: &skipped) { $0.contains(wanted) }
        case .anyPublicIPv4:
            return firstRange(rule, "IpRanges", "CidrIp", skipped: &skipped) { $0.containsPublicAddress }
        case .anyPublicIPv6:
            return firstRange(rule, "Ipv6Ranges", "CidrIpv6", skipped: &skipped) { $0.containsPublicAddress }
        case .outsideCidrs:
            let allowedIPv4 = self.allowedIPv4
            if let found = firstRange(rule, "IpRanges", "CidrIp", skipped: &skipped, { range in
                !allowedIPv4.contains { $0.contains(range) }
            }) {
                return found
            }
            let allowedIPv6 = self.allowedIPv6
            return firstRange(rule, "Ipv6Ranges", "CidrIpv6", skipped: &skipped) { range in
                !allowedIPv6.contains { $0.contains(range) }
            }
        case .securityGroup(let id):
            guard case .array(let pairs)? = rule["UserIdGroupPairs"] else { return nil }
            for pair in pairs where pair["GroupId"]?.stringValue == id { return .group(id) }
            return nil
        case .prefixList(let id):
            guard case .array(let lists)? = rule["PrefixListIds"] else { return nil }
            for list in lists where list["PrefixListId"]?.stringValue == id { return .prefixList(id) }
            return nil
        }
    }

    @inline(__always)
    private func firstRange(_ rule: JSONObject, _ key: String, _ member: String, skipped: inout String?,
                            _ test: (CIDR) -> Bool) -> MatchedSource? {
        guard case .array(let ranges)? = rule[key] else { return nil }
        for index in ranges.indices {
            guard case .object(let range) = ranges[index], case .string(let text)? = range[member] else { continue }
            guard let cidr = CIDR(text) else {
                if skipped == nil { skipped = "a rule range \(JSONText.brief(.string(text))) is not a valid CIDR" }
                continue
            }
            if test(cidr) { return .range(text) }
        }
        return nil
    }

    static func int(_ value: JSON?) -> Int? {
        switch value {
        case .int(let number)?: return Int(number)
        case .double(let number)?: return Int(exactly: number)
        case .string(let text)?: return Int(text)
        default: return nil
        }
    }

    static func groupId(_ group: JSONObject) -> String {
        group["GroupId"]?.stringValue ?? group["GroupName"]?.stringValue ?? "(group without GroupId)"
    }

    /// `sg-1, sg-2`, or the first five and a count.
    static func list(_ ids: [String]) -> String {
        guard ids.count > 5 else { return ids.joined(separator: ", ") }
        return ids.prefix(5).joined(separator: ", ") + " and \(ids.count - 5) more"
    }

    /// `tcp 22-22`, `all traffic`, `icmp type 8 code 0`, `icmp all types`, `protocol 50`.
    static func describeRule(_ rule: JSONObject) -> String {
        guard let proto = NetworkProtocol(ruleValue: rule["IpProtocol"]) else {
            return "protocol \(rule["IpProtocol"].map { JSONText.brief($0) } ?? "(none)")"
        }
        let from = int(rule["FromPort"])
        let to = int(rule["ToPort"])
        if proto == .all { return "all traffic" }
        if proto.hasPorts {
            guard let from, let to, from >= 0 || to >= 0 else { return "\(proto) all ports" }
            return "\(proto) \(from)-\(to)"
        }
        if proto.isICMP {
            guard let from, from >= 0 else { return "\(proto) all types" }
            guard let to, to >= 0 else { return "\(proto) type \(from)" }
            return "\(proto) type \(from) code \(to)"
        }
        return "\(proto)"
    }
}

/// The direction of traffic a rule applies to.
public enum TrafficDirection: String, Sendable, CaseIterable {
    case inbound, outbound

    static let spellings: KeyValuePairs<String, TrafficDirection> = [
        "inbound": .inbound, "outbound": .outbound, "ingress": .inbound, "egress": .outbound,
    ]

    /// The security-group member holding the rules of this direction.
    var rulesKey: String { self == .inbound ? "IpPermissions" : "IpPermissionsEgress" }
}

/// An inclusive port range, 0–65535.
public struct PortRange: Sendable, Hashable, CustomStringConvertible {
    /// The `ports` field the traffic conditions (securityGroup, networkAcl) declare.
    public static let field = Parameter("ports", .oneOf([.string, .integer(min: 0, max: 65535)]), default: "all",
                                        help: "all, one port (22) or a range (1024-2048).")

    public let from: Int
    public let to: Int

    /// - Precondition: `0 <= from <= to <= 65535`.
    public init(_ from: Int, _ to: Int) {
        self.from = from
        self.to = to
    }

    /// `22` or `1024-2048`.
    public var description: String { from == to ? "\(from)" : "\(from)-\(to)" }

    /// Reads `"all"` (nil), `"22"`, `22` or `"1024-2048"`; the message says what is wrong.
    public static func parse(_ value: JSON) -> Result<PortRange?, PortRangeError> {
        let text: String
        switch value {
        case .int(let number): text = String(number)
        case .double(let number):
            guard let exact = Int(exactly: number) else { return .failure(PortRangeError("\(number) is not a whole port number")) }
            text = String(exact)
        case .string(let given): text = given.trimmed
        default:
            return .failure(PortRangeError("must be \"all\", a port or a range like \"1024-2048\", not \(ConditionFields.describeType(value))"))
        }
        if text.lowercased() == "all" { return .success(nil) }
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map { String($0).trimmed }
        let shown = JSONText.brief(.string(text))
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }) else {
            return .failure(PortRangeError("\(shown) is not \"all\", a port or a range like \"1024-2048\""))
        }
        guard let from = Int(parts[0]), from <= 65535, let to = Int(parts[parts.count - 1]), to <= 65535 else {
            return .failure(PortRangeError("\(shown) is out of the port range 0-65535"))
        }
        guard from <= to else {
            return .failure(PortRangeError("\(shown) starts after it ends (\(from) > \(to))"))
        }
        return .success(PortRange(from, to))
    }

    /// Reads a ports field (default all): `nil` when it is invalid (reported) or deferred,
    /// `.some(nil)` for all ports.
    static func read(_ field: String, from fields: inout ConditionFields) -> PortRange?? {
        guard let value = fields.value(field) else {
            return fields.isDeferred(field) ? nil : .some(nil)
        }
        switch parse(value) {
        case .success(let range): return .some(range)
        case .failure(let error):
            fields.report(field, error.message)
            return nil
        }
    }
}

/// Why a port range could not be read.
public struct PortRangeError: Error, Sendable, Equatable {
    public let message: String
    init(_ message: String) { self.message = message }
}

/// An IP protocol as security-group rules and network-ACL entries name it: `-1` for all, else
/// the IANA protocol number (names `tcp`, `udp`, `icmp`, `icmpv6` are 6, 17, 1, 58).
public struct NetworkProtocol: Sendable, Hashable, CustomStringConvertible {
    /// The `protocol` field the traffic conditions (securityGroup, networkAcl) declare.
    public static let field = Parameter("protocol", .oneOf([.string, .integer(min: -1, max: 255)]), default: "any",
                                        help: "any, tcp, udp, icmp, icmpv6 or an IP protocol number.")

    /// -1 for all protocols, else 0–255.
    public let number: Int

    public static let all = NetworkProtocol(number: -1)
    public static let tcp = NetworkProtocol(number: 6)
    public static let udp = NetworkProtocol(number: 17)
    public static let icmp = NetworkProtocol(number: 1)
    public static let icmpv6 = NetworkProtocol(number: 58)

    init(number: Int) { self.number = number }

    /// Reads a name (`any`, `all`, `tcp`, `udp`, `icmp`, `icmpv6`, any letter case) or a number
    /// (`-1`, `0`…`255`); `nil` otherwise.
    public init?(_ text: String) {
        switch text {
        case "-1": self = .all
        case "tcp", "6": self = .tcp
        case "udp", "17": self = .udp
        case "icmp", "1": self = .icmp
        case "icmpv6", "58": self = .icmpv6
        default:
            if let number = Int(text), number >= -1, number <= 255 {
                self.number = number
                return
            }
            switch text.lowercased() {
            case "any", "all", "-1": self = .all
            case "tcp": self = .tcp
            case "udp": self = .udp
            case "icmp": self = .icmp
            case "icmpv6", "icmp6", "ipv6-icmp": self = .icmpv6
            default: return nil
            }
        }
    }

    /// Reads a rule's `IpProtocol` / an entry's `Protocol` (a string, or a number).
    @inline(__always)
    init?(ruleValue: JSON?) {
        switch ruleValue {
        case .string(let text)?:
            if let number = Self.fastNumber(text) {
                self.init(number: number)
            } else {
                self.init(text)
            }
        case .int(let number)? where number >= -1 && number <= 255: self.init(number: Int(number))
        default: return nil
        }
    }

    /// The protocol of the spellings AWS writes (`-1`, `tcp`, `udp`, `icmp`, `icmpv6`, a decimal
    /// number up to 255), read from UTF-8 bytes; `nil` for anything else, left to `init(_:)`.
    @inline(__always)
    private static func fastNumber(_ text: String) -> Int? {
        let utf8 = text.utf8
        return utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            switch bytes.count {
            case 1...3:
                if bytes[0] == UInt8(ascii: "-") {
                    return bytes.count == 2 && bytes[1] == UInt8(ascii: "1") ? -1 : nil
                }
                if bytes[0] == UInt8(ascii: "t") {
                    return bytes.count == 3 && bytes[1] == UInt8(ascii: "c") && bytes[2] == UInt8(ascii: "p") ? 6 : nil
                }
                if bytes[0] == UInt8(ascii: "u") {
                    return bytes.count == 3 && bytes[1] == UInt8(ascii: "d") && bytes[2] == UInt8(ascii: "p") ? 17 : nil
                }
                var value = 0
                for byte in bytes {
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                    value = value * 10 + Int(byte - UInt8(ascii: "0"))
                }
                return value <= 255 ? value : nil
            case 4:
                return bytes[0] == UInt8(ascii: "i") && bytes[1] == UInt8(ascii: "c") && bytes[2] == UInt8(ascii: "m")
                    && bytes[3] == UInt8(ascii: "p") ? 1 : nil
            case 6:
                return text == "icmpv6" ? 58 : nil
            default:
                return nil
            }
        } ?? nil
    }

    /// Whether rules of this protocol have port ranges (TCP and UDP).
    public var hasPorts: Bool { number == 6 || number == 17 }
    /// Whether rules of this protocol carry ICMP type and code (ICMP and ICMPv6).
    public var isICMP: Bool { number == 1 || number == 58 }

    /// `tcp`, `udp`, `icmp`, `icmpv6`, `all`, or `protocol 50`.
    public var description: String {
        switch number {
        case -1: return "all"
        case 6: return "tcp"
        case 17: return "udp"
        case 1: return "icmp"
        case 58: return "icmpv6"
        default: return "protocol \(number)"
        }
    }

    /// Reads a protocol field (default any); `nil` when it is invalid (reported) or deferred.
    static func read(_ field: String, from fields: inout ConditionFields) -> NetworkProtocol? {
        guard let value = fields.value(field) else {
            return fields.isDeferred(field) ? nil : .all
        }
        switch value {
        case .string(let text):
            if let parsed = NetworkProtocol(text.trimmed) { return parsed }
        case .int(let number) where number >= -1 && number <= 255:
            return NetworkProtocol(number: Int(number))
        default:
            break
        }
        fields.report(field, "\(JSONText.brief(value)) is not a protocol: expected any, tcp, udp, icmp, icmpv6 or a number -1 to 255")
        return nil
    }

    /// The traffic a condition asks about: `all ports`, `port 22`, `tcp all ports`, `tcp 22`,
    /// `icmp all types`, `icmp type 8`.
    static func describe(_ proto: NetworkProtocol, _ ports: PortRange?) -> String {
        if proto == .all {
            guard let ports else { return "all ports" }
            return ports.from == ports.to ? "port \(ports)" : "ports \(ports)"
        }
        if proto.isICMP {
            guard let ports else { return "\(proto) all types" }
            return ports.from == ports.to ? "\(proto) type \(ports)" : "\(proto) types \(ports)"
        }
        guard let ports else { return proto.hasPorts ? "\(proto) all ports" : "\(proto)" }
        return "\(proto) \(ports)"
    }
}

fileprivate extension String {
    var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
