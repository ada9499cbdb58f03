import Foundation

/// `networkAcl`: whether the item's network ACL gives an action (allow or deny) for some traffic.
///
/// Fields:
/// - `direction` (required): `inbound` tests the entries with `Egress` false, `outbound` those
///   with `Egress` true.
/// - `ports` (default `"all"`): as for `securityGroup`; with `protocol` `icmp`/`icmpv6`, ICMP types.
/// - `protocol` (default `any`): as for `securityGroup`.
/// - `source` (required): a CIDR, the traffic's remote address (its source inbound, its
///   destination outbound). An IPv4 source is matched against entries' `CidrBlock`, an IPv6 source
///   against `Ipv6CidrBlock`.
/// - `action` (required): `allow` or `deny`.
///
/// The ACLs tested are the item itself when it has `NetworkAclId` and `Entries` (a
/// DescribeNetworkAcls result), else each ACL of its `NetworkAcls` addon; the condition holds when
/// some ACL gives `action` (an empty `NetworkAcls` gives none). An item with neither cannot be
/// evaluated.
///
/// An ACL is evaluated as AWS does: the entries of the direction in ascending `RuleNumber`, the
/// first matching entry deciding, the default entry (`*`, rule number 32767) last; when no entry
/// matches (data without the default entry), the traffic is denied. The traffic the condition
/// describes is a set of packets (every address of `source`, every port of `ports`, every protocol
/// for `any`); an entry matches only when it covers the whole set:
/// - protocol: an entry with `Protocol` `-1` covers every protocol and port; otherwise the entry's
///   protocol must be the condition's (`any` is covered only by `-1` entries);
/// - ports: a TCP/UDP entry's `PortRange` `From`–`To` must contain the whole range (`"all"` needs
///   0–65535; an entry without `PortRange` covers all ports); an ICMP entry's `IcmpTypeCode.Type`
///   must be -1 (all types) or the one type asked; entries of other protocols have no ports;
/// - address: the entry's CIDR, of the source's family, must contain the whole `source`.
/// An entry covering only part of the traffic (`deny` for one address of a wider `source`) is
/// passed over, so the result is the action for the traffic the ACL treats as one.
public struct NetworkAclCondition: ConditionType {
    public static let name = "networkAcl"
    public static let summary = "Tests which action (allow or deny) the item's network ACL takes for some traffic."
    public static let fields: [Parameter] = [
        Parameter("direction", .choice(TrafficDirection.allCases.map(\.rawValue)), required: true,
                  help: "inbound (Egress false) or outbound (Egress true) entries."),
        PortRange.field,
        NetworkProtocol.field,
        Parameter("source", .string, required: true,
                  help: "The traffic's remote address as a CIDR, e.g. 0.0.0.0/0 (its destination for outbound)."),
        Parameter("action", .choice(Action.allCases.map(\.rawValue)), required: true,
                  help: "The action the ACL must take: allow or deny."),
    ]

    public enum Action: String, Sendable, CaseIterable {
        case allow, deny
    }

    /// The rule number AWS gives the default (`*`) entries.
    public static let defaultRuleNumber = 32767

    public let direction: TrafficDirection
    /// The port range; `nil` for all ports.
    public let ports: PortRange?
    public let `protocol`: NetworkProtocol
    public let source: CIDR
    public let action: Action
    /// `tcp 22 from 0.0.0.0/0`.
    private let traffic: String

    public init?(fields: inout ConditionFields) {
        let direction = fields.choice("direction", TrafficDirection.spellings)
        let ports = PortRange.read("ports", from: &fields)
        let proto = NetworkProtocol.read("protocol", from: &fields)
        var source: CIDR?
        if let text = fields.string("source", required: true) {
            source = CIDR(text.trimmingCharacters(in: .whitespaces))
            if source == nil { fields.report("source", "\(JSONText.brief(.string(text))) is not a valid IPv4 or IPv6 CIDR") }
        }
        let action = fields.choice("action", [Action.allow.rawValue: Action.allow, Action.deny.rawValue: Action.deny])
        guard let direction, let ports, let proto, let source, let action else { return nil }
        self.init(direction: direction, ports: ports, protocol: proto, source: source, action: action)
    }

    /// A condition from typed values.
    public init(direction: TrafficDirection, ports: PortRange?, protocol: NetworkProtocol, source: CIDR, action: Action) {
        self.direction = direction
        self.ports = ports
        self.protocol = `protocol`
        self.source = source
        self.action = action
        let described = NetworkProtocol.describe(`protocol`, ports)
        traffic = "\(described == "all ports" ? "all traffic" : described) \(direction == .inbound ? "from" : "to") \(source)"
    }

    public func evaluate(_ item: JSON, context: ConditionContext) -> ConditionResult {
        guard case .object(let members) = item else {
            return .unevaluable("the item is not a network ACL nor an object with a NetworkAcls addon")
        }
        if members["NetworkAclId"] != nil, members["Entries"] != nil {
            return result([decide(acl: members)])
        }
        guard let addon = members["NetworkAcls"] else {
            return .unevaluable("not a network ACL (no NetworkAclId and Entries) and no NetworkAcls addon")
        }
        guard case .array(let acls) = addon else {
            return .unevaluable("NetworkAcls is \(ConditionFields.describeType(addon)), not a list of network ACLs")
        }
        guard !acls.isEmpty else { return .notHeld("no network ACLs (NetworkAcls is empty)") }
        var decisions: [Decision] = []
        for acl in acls {
            guard case .object(let object) = acl else {
                decisions.append(.unreadable("NetworkAcls holds \(ConditionFields.describeType(acl)), not a network ACL"))
                continue
            }
            let decision = decide(acl: object)
            if case .decided(let taken, let detail) = decision, taken == action {
                return .held(detail)
            }
            decisions.append(decision)
        }
        return result(decisions)
    }

    private enum Decision {
        case decided(Action, String)
        case unreadable(String)
    }

    private func result(_ decisions: [Decision]) -> ConditionResult {
        var details: [String] = []
        var held = false
        var unreadable = false
        for decision in decisions {
            switch decision {
            case .decided(let taken, let detail):
                details.append(detail)
                held = held || taken == action
            case .unreadable(let reason):
                details.append(reason)
                unreadable = true
            }
        }
        let detail = details.joined(separator: "; ")
        if held { return .held(detail) }
        return unreadable ? .unevaluable(detail) : .notHeld(detail)
    }

    private func decide(acl: JSONObject) -> Decision {
        let id = acl["NetworkAclId"]?.stringValue ?? "(ACL without NetworkAclId)"
        guard case .array(let entries)? = acl["Entries"] else {
            return .unreadable("network ACL \(id) has no Entries list")
        }
        let egress = direction == .outbound
        var relevant: [(number: Int, entry: JSONObject)] = []
        relevant.reserveCapacity(entries.count)
        for entry in entries {
            guard case .object(let fields) = entry, fields["Egress"]?.boolValue == egress else { continue }
            guard let number = SecurityGroupCondition.int(fields["RuleNumber"]) else {
                return .unreadable("network ACL \(id) has an entry without RuleNumber")
            }
            relevant.append((number, fields))
        }
        relevant.sort { $0.number < $1.number }
        for (number, entry) in relevant {
            switch covers(entry) {
            case .some(true):
                let taken: Action = entry["RuleAction"]?.stringValue == "allow" ? .allow : .deny
                let rule = number == Self.defaultRuleNumber ? "*" : String(number)
                let detail = "\(id) \(direction.rawValue) rule \(rule) (\(describe(entry, action: taken))) decides → \(taken.rawValue), expected \(action.rawValue)"
                return .decided(taken, detail)
            case .some(false):
                continue
            case .none:
                return .unreadable("network ACL \(id) rule \(number) has an invalid CIDR")
            }
        }
        return .decided(.deny, "\(id) \(direction.rawValue): no rule matches \(traffic), so it is denied → deny, expected \(action.rawValue)")
    }

    /// Whether the entry covers the whole traffic; `nil` when its CIDR of the source's family is invalid.
    private func covers(_ entry: JSONObject) -> Bool? {
        guard let entryProtocol = NetworkProtocol(ruleValue: entry["Protocol"]) else { return false }
        if entryProtocol != .all {
            guard entryProtocol == self.protocol else { return false }
            if entryProtocol.hasPorts {
                if case .object(let range)? = entry["PortRange"] {
                    let from = SecurityGroupCondition.int(range["From"]) ?? 0
                    let to = SecurityGroupCondition.int(range["To"]) ?? 65535
                    let wanted = ports ?? PortRange(0, 65535)
                    if from > wanted.from || to < wanted.to { return false }
                }
            } else if entryProtocol.isICMP {
                let type = SecurityGroupCondition.int(entry["IcmpTypeCode"]?["Type"]) ?? -1
                if type >= 0 {
                    guard let ports, ports.from == type, ports.to == type else { return false }
                }
            }
        }
        let key = source.family == .ipv4 ? "CidrBlock" : "Ipv6CidrBlock"
        guard case .string(let text)? = entry[key] else { return false }
        guard let cidr = CIDR(text) else { return nil }
        return cidr.contains(source)
    }

    /// `deny tcp 22 from 0.0.0.0/0`, `allow all traffic from ::/0`, `allow icmp type 8 from 10.0.0.0/8`.
    private func describe(_ entry: JSONObject, action: Action) -> String {
        let address = entry[source.family == .ipv4 ? "CidrBlock" : "Ipv6CidrBlock"]?.stringValue ?? "?"
        let preposition = direction == .inbound ? "from" : "to"
        var traffic: String
        if let proto = NetworkProtocol(ruleValue: entry["Protocol"]) {
            if proto == .all {
                traffic = "all traffic"
            } else if proto.hasPorts {
                if case .object(let range)? = entry["PortRange"],
                    let from = SecurityGroupCondition.int(range["From"]), let to = SecurityGroupCondition.int(range["To"]) {
                    traffic = "\(proto) \(from == to ? "\(from)" : "\(from)-\(to)")"
                } else {
                    traffic = "\(proto) all ports"
                }
            } else if proto.isICMP {
                let type = SecurityGroupCondition.int(entry["IcmpTypeCode"]?["Type"]) ?? -1
                traffic = type < 0 ? "\(proto) all types" : "\(proto) type \(type)"
            } else {
                traffic = "\(proto)"
            }
        } else {
            traffic = "protocol \(entry["Protocol"].map { JSONText.brief($0) } ?? "(none)")"
        }
        return "\(action.rawValue) \(traffic) \(preposition) \(address)"
    }
}
