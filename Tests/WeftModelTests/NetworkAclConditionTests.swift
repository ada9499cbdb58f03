import Testing
import WeftModel

/// An entry as DescribeNetworkAcls returns it (`Entries[]`).
fileprivate func entry(_ number: Int64, _ action: String, _ proto: String = "-1", _ cidr: String? = "0.0.0.0/0",
                       v6: String? = nil, egress: Bool = false, ports: (Int64, Int64)? = nil,
                       icmp: (Int64, Int64)? = nil) -> JSON {
    var entry: JSONObject = ["RuleNumber": .int(number), "RuleAction": .string(action), "Protocol": .string(proto),
                             "Egress": .bool(egress)]
    if let cidr { entry["CidrBlock"] = .string(cidr) }
    if let v6 { entry["Ipv6CidrBlock"] = .string(v6) }
    if let ports { entry["PortRange"] = ["From": .int(ports.0), "To": .int(ports.1)] }
    if let icmp { entry["IcmpTypeCode"] = ["Type": .int(icmp.0), "Code": .int(icmp.1)] }
    return .object(entry)
}

/// The default rules (`*`, 32767) of both directions and families.
fileprivate let defaults: [JSON] = [
    entry(32767, "deny"), entry(32767, "deny", "-1", nil, v6: "::/0"),
    entry(32767, "deny", egress: true), entry(32767, "deny", "-1", nil, v6: "::/0", egress: true),
]

fileprivate func acl(_ entries: [JSON], id: String = "acl-0123") -> JSON {
    ["NetworkAclId": .string(id), "VpcId": "vpc-1", "IsDefault": false, "Entries": .array(entries)]
}

/// A condition's fields; `ports`/`protocol` left out when nil.
fileprivate func nacl(_ action: String, from source: String = "0.0.0.0/0", dir: String = "inbound", ports: JSON? = nil,
                      proto: JSON? = nil) -> JSON {
    var fields: JSONObject = ["type": "networkAcl", "direction": .string(dir), "source": .string(source), "action": .string(action)]
    if let ports { fields["ports"] = ports }
    if let proto { fields["protocol"] = proto }
    return .object(fields)
}

@Suite struct NetworkAclConditionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var item: JSON
        var condition: JSON
        var expected: ConditionOutcome
        var testDescription: String { "\(condition) on \(item)" }
        /// A case on one ACL with these entries plus the default rules.
        init(_ entries: [JSON], _ condition: JSON, _ expected: ConditionOutcome) {
            self.init(item: acl(entries + defaults), condition, expected)
        }
        init(item: JSON, _ condition: JSON, _ expected: ConditionOutcome) {
            self.item = item; self.condition = condition; self.expected = expected
        }
    }

    /// The rules of a default network ACL: everything allowed, IPv4 and IPv6, both directions.
    static let defaultAcl: [JSON] = [
        entry(100, "allow"), entry(101, "allow", "-1", nil, v6: "::/0"),
        entry(100, "allow", egress: true), entry(101, "allow", "-1", nil, v6: "::/0", egress: true),
    ]
    static let denySSH = entry(100, "deny", "6", ports: (22, 22))

    // Ordering — https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkAclEntry.html:
    // RuleNumber "The rule number for the entry. ACL entries are processed in ascending order by rule
    // number." The first entry matching the traffic decides; an entry matches only traffic it covers
    // whole (every address of the source, every port asked).
    static let ordering: [Case] = [
        Case(defaultAcl, nacl("allow", ports: "22", proto: "tcp"), .held),
        Case(defaultAcl, nacl("deny", ports: "22", proto: "tcp"), .notHeld),
        Case([denySSH, entry(200, "allow")], nacl("allow", ports: "22", proto: "tcp"), .notHeld),
        Case([denySSH, entry(200, "allow")], nacl("deny", ports: "22", proto: "tcp"), .held),
        Case([entry(200, "allow"), denySSH], nacl("deny", ports: "22", proto: "tcp"), .held),
        Case([entry(200, "allow"), denySSH], nacl("allow", ports: "80", proto: "tcp"), .held),
        Case([entry(100, "allow", "6", "10.0.0.0/8", ports: (22, 22))], nacl("allow", ports: "22", proto: "tcp"), .notHeld),
        Case([entry(100, "allow", "6", "10.0.0.0/8", ports: (22, 22))], nacl("allow", from: "10.1.0.0/16", ports: "22", proto: "tcp"), .held),
        Case([entry(100, "deny", "6", "1.2.3.4/32", ports: (22, 22)), entry(200, "allow")], nacl("allow", ports: "22", proto: "tcp"), .held),
        Case([entry(100, "deny", "6", "1.2.3.4/32", ports: (22, 22)), entry(200, "allow")],
             nacl("deny", from: "1.2.3.4/32", ports: "22", proto: "tcp"), .held),
        Case([entry(100, "allow", "6", ports: (1024, 65535))], nacl("allow", ports: "2000-3000", proto: "tcp"), .held),
        Case([entry(100, "allow", "6", ports: (1024, 65535))], nacl("allow", ports: "80-2000", proto: "tcp"), .notHeld),
        Case([entry(100, "allow", "6", ports: (1024, 65535))], nacl("allow", proto: "tcp"), .notHeld),
        Case([entry(100, "allow", "6", ports: (0, 65535))], nacl("allow", proto: "tcp"), .held),
        Case([entry(100, "allow", "6", ports: (22, 22)), entry(90, "deny", "6", ports: (20, 25))],
             nacl("deny", ports: "22", proto: "tcp"), .held),
    ]

    // Default rule — https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html: "Each
    // network ACL also includes a rule whose rule number is an asterisk (*). This rule ensures that if
    // a packet doesn't match any of the other numbered rules, it's denied." (RuleNumber 32767 in the API.)
    static let defaultRule: [Case] = [
        Case([], nacl("deny"), .held),
        Case([], nacl("allow", ports: "443", proto: "tcp"), .notHeld),
        Case(item: acl([entry(32767, "deny"), entry(100, "allow")]), nacl("allow"), .held),
        Case(item: acl([]), nacl("deny", ports: "22", proto: "tcp"), .held),
        Case(item: acl([]), nacl("allow"), .notHeld),
        Case([entry(100, "allow", "6", ports: (443, 443))], nacl("allow", ports: "443", proto: "udp"), .notHeld),
        Case([entry(100, "allow", "6", ports: (443, 443))], nacl("deny", ports: "443", proto: "udp"), .held),
    ]

    // Protocol — API_NetworkAclEntry.html: Protocol "The protocol number. A value of "-1" means all
    // protocols."; names and numbers are the same protocol.
    static let protocols: [Case] = [
        Case([entry(100, "allow", "6", ports: (22, 22))], nacl("allow", ports: "22", proto: "tcp"), .held),
        Case([entry(100, "allow", "17", ports: (53, 53))], nacl("allow", ports: "53", proto: "udp"), .held),
        Case([entry(100, "allow", "6", ports: (53, 53))], nacl("allow", ports: "53", proto: "17"), .notHeld),
        Case([entry(100, "allow")], nacl("allow", proto: "50"), .held),
        Case([entry(100, "allow", "50")], nacl("allow", proto: 50), .held),
        Case([entry(100, "allow", "6", ports: (22, 22))], nacl("allow", ports: "22"), .notHeld),
        Case([entry(100, "allow")], nacl("allow", ports: "22"), .held),
        Case([entry(100, "allow", "6", ports: (22, 22))], nacl("allow", ports: 22, proto: 6), .held),
    ]

    // ICMP — https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IcmpTypeCode.html: Type "The
    // ICMP type. A value of -1 means all types."; `ports` names ICMP types for protocol icmp/icmpv6.
    static let icmp: [Case] = [
        Case([entry(100, "allow", "1", icmp: (-1, -1))], nacl("allow", proto: "icmp"), .held),
        Case([entry(100, "allow", "1", icmp: (8, -1))], nacl("allow", ports: "8", proto: "icmp"), .held),
        Case([entry(100, "allow", "1", icmp: (8, -1))], nacl("allow", proto: "icmp"), .notHeld),
        Case([entry(100, "allow", "1", icmp: (0, -1))], nacl("allow", ports: "8", proto: "icmp"), .notHeld),
        Case([entry(100, "allow", "58", nil, v6: "::/0", icmp: (-1, -1))], nacl("allow", from: "::/0", proto: "icmpv6"), .held),
        Case([entry(100, "allow", "1", icmp: (-1, -1))], nacl("allow", from: "::/0", proto: "icmpv6"), .notHeld),
    ]

    // Direction — API_NetworkAclEntry.html: Egress "Indicates whether the rule is an egress, or
    // outbound, rule (applied to traffic leaving the subnet). If it's not an egress rule, then it's an
    // ingress, or inbound, rule."
    static let directional: [JSON] = [entry(100, "deny", egress: true), entry(100, "allow")]
    static let directions: [Case] = [
        Case(directional, nacl("allow"), .held),
        Case(directional, nacl("deny", dir: "outbound"), .held),
        Case(directional, nacl("allow", dir: "outbound"), .notHeld),
        Case([entry(100, "allow", "6", egress: true, ports: (443, 443))], nacl("allow", dir: "outbound", ports: "443", proto: "tcp"), .held),
        Case([entry(100, "allow", "6", egress: true, ports: (443, 443))], nacl("allow", ports: "443", proto: "tcp"), .notHeld),
    ]

    // IPv6 — API_NetworkAclEntry.html: CidrBlock "The IPv4 network range to allow or deny, in CIDR
    // notation."; Ipv6CidrBlock "The IPv6 network range to allow or deny, in CIDR notation."
    static let ipv6: [Case] = [
        Case([entry(100, "allow")], nacl("allow", from: "::/0"), .notHeld),
        Case(defaultAcl, nacl("allow", from: "::/0"), .held),
        Case([entry(100, "deny", "6", nil, v6: "::/0", ports: (22, 22)), entry(101, "allow", "-1", nil, v6: "::/0")],
             nacl("deny", from: "2600::/16", ports: "22", proto: "tcp"), .held),
        Case([entry(100, "allow", "-1", nil, v6: "2001:db8::/32")], nacl("allow", from: "2001:db8:1::/48"), .held),
        Case([entry(100, "allow", "-1", nil, v6: "2001:db8::/32")], nacl("allow", from: "2001:db9::/48"), .notHeld),
        Case([entry(100, "allow", "-1", nil, v6: "::/0")], nacl("allow", from: "10.0.0.0/8"), .notHeld),
    ]

    // Items carrying ACLs — DescribeNetworkAcls returns API_NetworkAcl.html objects (NetworkAclId,
    // Entries); a `NetworkAcls` addon carries such objects on another item. Some ACL must give the action.
    static let items: [Case] = [
        Case(item: ["SubnetId": "subnet-1", "NetworkAcls": [acl([denySSH] + defaults), acl(defaultAcl + defaults, id: "acl-2")]],
             nacl("allow", ports: "22", proto: "tcp"), .held),
        Case(item: ["SubnetId": "subnet-1", "NetworkAcls": [acl([denySSH] + defaults)]], nacl("allow", ports: "22", proto: "tcp"), .notHeld),
        Case(item: ["SubnetId": "subnet-1", "NetworkAcls": [acl([denySSH] + defaults)]], nacl("deny", ports: "22", proto: "tcp"), .held),
        Case(item: ["SubnetId": "subnet-1", "NetworkAcls": []], nacl("deny"), .notHeld),
        Case(item: ["SubnetId": "subnet-1"], nacl("deny"), .unevaluable),
        Case(item: ["NetworkAclId": "acl-1", "Entries": [entry(100, "allow", "-1", "0.0.0.0/99")]], nacl("allow"), .unevaluable),
        Case(item: ["NetworkAclId": "acl-1", "Entries": [["RuleAction": "allow", "Protocol": "-1", "Egress": false, "CidrBlock": "0.0.0.0/0"]]],
             nacl("allow"), .unevaluable),
        Case(item: ["NetworkAclId": "acl-1", "Entries": "none"], nacl("allow"), .unevaluable),
        Case(item: 42, nacl("allow"), .unevaluable),
    ]

    static let all: [Case] = ordering + defaultRule + protocols + icmp + directions + ipv6 + items

    @Test func enoughCases() {
        #expect(Self.all.count >= 40)
    }

    @Test(arguments: all)
    func outcome(_ c: Case) throws {
        let trace = try ConditionSetTests.trace(c.condition, c.item)
        #expect(trace.outcome == c.expected, "\(trace.reason)")
    }

    @Test func reasons() throws {
        let deny = try ConditionSetTests.trace(nacl("allow", ports: "22", proto: "tcp"), acl([Self.denySSH] + defaults))
        #expect(deny.reason == "c1: acl-0123 inbound rule 100 (deny tcp 22 from 0.0.0.0/0) decides → deny, expected allow → false")
        let star = try ConditionSetTests.trace(nacl("deny", from: "::/0"), acl(defaults))
        #expect(star.reason == "c1: acl-0123 inbound rule * (deny all traffic from ::/0) decides → deny, expected deny → true")
        let none = try ConditionSetTests.trace(nacl("allow", ports: "443", proto: "tcp", ), acl([]))
        #expect(none.reason == "c1: acl-0123 inbound: no rule matches tcp 443 from 0.0.0.0/0, so it is denied → deny, expected allow → false")
        let out = try ConditionSetTests.trace(nacl("allow", dir: "outbound", ports: "1024-65535", proto: "tcp"),
                                              acl([entry(120, "allow", "6", egress: true, ports: (1024, 65535))]))
        #expect(out.reason == "c1: acl-0123 outbound rule 120 (allow tcp 1024-65535 to 0.0.0.0/0) decides → allow, expected allow → true")
        let missing = try ConditionSetTests.trace(nacl("allow"), ["SubnetId": "subnet-1"])
        #expect(missing.reason == "c1: not a network ACL (no NetworkAclId and Entries) and no NetworkAcls addon → cannot evaluate (false)")
    }

    @Test func invalidFields() {
        func error(_ fields: JSON) -> String? { ConditionSetTests.compileError(fields)?.description }
        #expect(error(nacl("allow", from: "0.0.0.0/33")) == #"condition c1: source "0.0.0.0/33" is not a valid IPv4 or IPv6 CIDR"#)
        #expect(error(nacl("allow", from: "anywhere")) == #"condition c1: source "anywhere" is not a valid IPv4 or IPv6 CIDR"#)
        #expect(error(nacl("permit")) == #"condition c1: action "permit" is not one of allow, deny"#)
        #expect(error(nacl("allow", ports: "70000")) == #"condition c1: ports "70000" is out of the port range 0-65535"#)
        #expect(error(nacl("allow", ports: "30-20")) == #"condition c1: ports "30-20" starts after it ends (30 > 20)"#)
        #expect(error(nacl("allow", proto: "sctpx"))
                == #"condition c1: protocol "sctpx" is not a protocol: expected any, tcp, udp, icmp, icmpv6 or a number -1 to 255"#)
        #expect(error(nacl("allow", dir: "up")) == #"condition c1: direction "up" is not one of inbound, outbound"#)
        #expect(error(["type": "networkAcl", "direction": "inbound", "action": "allow"]) == "condition c1: source is required")
        let criteria: JSON = ["conditions": [
            ["id": "c3", "type": "networkAcl", "direction": "inbound", "source": "$wf.variables:office", "action": "allow",
             "ports": "99999"],
        ]]
        #expect(ConditionSet.validate(criteria, pointer: "/p", variables: ["office"]).map(\.description)
                == [#"/p/conditions/0/ports: condition c3: ports "99999" is out of the port range 0-65535"#])
    }
}
