import Testing
import WeftModel

/// A rule as DescribeSecurityGroups returns it (`IpPermissions[]` / `IpPermissionsEgress[]`).
fileprivate func rule(_ proto: String, _ from: Int64? = nil, _ to: Int64? = nil, v4: [String] = [], v6: [String] = [],
                      groups: [String] = [], prefixes: [String] = []) -> JSON {
    var rule: JSONObject = ["IpProtocol": .string(proto)]
    if let from { rule["FromPort"] = .int(from) }
    if let to { rule["ToPort"] = .int(to) }
    rule["IpRanges"] = .array(v4.map { ["CidrIp": .string($0)] })
    rule["Ipv6Ranges"] = .array(v6.map { ["CidrIpv6": .string($0)] })
    rule["PrefixListIds"] = .array(prefixes.map { ["PrefixListId": .string($0)] })
    rule["UserIdGroupPairs"] = .array(groups.map { ["GroupId": .string($0), "UserId": "123456789012"] })
    return .object(rule)
}

/// A security group with these inbound and outbound rules.
fileprivate func group(_ inbound: [JSON], egress: [JSON] = [], id: String = "sg-0abc") -> JSON {
    ["GroupId": .string(id), "GroupName": "g", "IpPermissions": .array(inbound), "IpPermissionsEgress": .array(egress)]
}

/// A condition's fields; `ports`/`protocol` left out when nil.
fileprivate func sg(_ source: String, _ value: JSON? = nil, dir direction: String = "inbound", ports: JSON? = nil,
                    proto: JSON? = nil) -> JSON {
    var fields: JSONObject = ["type": "securityGroup", "direction": .string(direction), "source": .string(source)]
    if let ports { fields["ports"] = ports }
    if let proto { fields["protocol"] = proto }
    if let value { fields["value"] = value }
    return .object(fields)
}

@Suite struct SecurityGroupConditionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var item: JSON
        var condition: JSON
        var expected: ConditionOutcome
        var testDescription: String { "\(condition) on \(item)" }
        /// A case on one group with these inbound rules.
        init(_ rules: [JSON], _ condition: JSON, _ expected: ConditionOutcome) {
            self.init(item: group(rules), condition, expected)
        }
        init(item: JSON, _ condition: JSON, _ expected: ConditionOutcome) {
            self.item = item; self.condition = condition; self.expected = expected
        }
    }

    static let world = ["0.0.0.0/0"]
    static let world6 = ["::/0"]
    static let allTraffic = rule("-1", v4: world)
    static let ssh = rule("tcp", 22, 22, v4: world)

    // Security group rules, IpProtocol — https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html:
    // "Use -1 to specify all protocols. When authorizing security group rules, specifying -1 or a
    // protocol number other than tcp, udp, icmp, or icmpv6 allows traffic on all ports, regardless
    // of any port range you specify."
    static let allProtocols: [Case] = [
        Case([allTraffic], sg("cidr", "0.0.0.0/0", ports: "all", proto: "any"), .held),
        Case([allTraffic], sg("cidr", "0.0.0.0/0"), .held),
        Case([allTraffic], sg("cidr", "0.0.0.0/0", ports: "22", proto: "tcp"), .held),
        Case([allTraffic], sg("cidr", "0.0.0.0/0", ports: "1024-2048", proto: "udp"), .held),
        Case([allTraffic], sg("cidr", "0.0.0.0/0", ports: "all", proto: "icmp"), .held),
        Case([allTraffic], sg("cidr", "0.0.0.0/0", ports: "8", proto: "icmp"), .held),
        Case([allTraffic], sg("cidr", "0.0.0.0/0", proto: "50"), .held),
        Case([allTraffic], sg("cidr", "0.0.0.0/0", proto: "-1"), .held),
        Case([allTraffic], sg("cidr", "0.0.0.0/0", proto: "all"), .held),
        Case([allTraffic], sg("cidr", "0.0.0.0/0", proto: -1), .held),
        Case([rule("-1", v4: ["10.0.0.0/8"])], sg("cidr", "0.0.0.0/0"), .notHeld),
        Case([rule("-1", -1, -1, v4: world)], sg("cidr", "0.0.0.0/0", ports: "443", proto: "tcp"), .held),
        Case([rule("50", v4: world)], sg("cidr", "0.0.0.0/0", ports: "22", proto: "any"), .held),
        Case([rule("50", 0, 0, v4: world)], sg("cidr", "0.0.0.0/0", ports: "22", proto: "50"), .held),
    ]

    // IpProtocol — API_IpPermission.html: "The IP protocol name (tcp, udp, icmp, icmpv6) or number
    // (see Protocol Numbers)." Names and numbers are the same protocol.
    static let protocolNames: [Case] = [
        Case([rule("6", 22, 22, v4: world)], sg("cidr", "0.0.0.0/0", ports: "22", proto: "tcp"), .held),
        Case([ssh], sg("cidr", "0.0.0.0/0", ports: "22", proto: "6"), .held),
        Case([ssh], sg("cidr", "0.0.0.0/0", proto: 6), .held),
        Case([rule("17", 53, 53, v4: world)], sg("cidr", "0.0.0.0/0", ports: "53", proto: "udp"), .held),
        Case([rule("udp", 53, 53, v4: world)], sg("cidr", "0.0.0.0/0", ports: "53", proto: "17"), .held),
        Case([rule("tcp", 53, 53, v4: world)], sg("cidr", "0.0.0.0/0", ports: "53", proto: "udp"), .notHeld),
        Case([rule("icmp", -1, -1, v4: world)], sg("cidr", "0.0.0.0/0", proto: "1"), .held),
        Case([rule("1", 8, 0, v4: world)], sg("cidr", "0.0.0.0/0", proto: "icmp"), .held),
        Case([rule("58", -1, -1, v6: world6)], sg("cidr", "::/0", proto: "icmpv6"), .held),
        Case([rule("icmpv6", -1, -1, v6: world6)], sg("cidr", "::/0", proto: "icmp"), .notHeld),
        Case([rule("50", v4: world)], sg("cidr", "0.0.0.0/0", proto: "50"), .held),
        Case([rule("50", v4: world)], sg("cidr", "0.0.0.0/0", proto: "tcp"), .notHeld),
        Case([rule("TCP", 22, 22, v4: world)], sg("cidr", "0.0.0.0/0", ports: "22", proto: "tcp"), .held),
        Case([ssh], sg("cidr", "0.0.0.0/0", ports: "22", proto: "TCP"), .held),
        Case([rule("tcp", 22, 22, v4: world)], sg("cidr", "0.0.0.0/0", proto: "any"), .held),
    ]

    // FromPort/ToPort — API_IpPermission.html: "If the protocol is TCP or UDP, this is the start of
    // the port range." A rule matches a port range it overlaps: it allows the protocol on a port of it.
    static let portRanges: [Case] = [
        Case([ssh], sg("cidr", "0.0.0.0/0", ports: "22", proto: "tcp"), .held),
        Case([ssh], sg("cidr", "0.0.0.0/0", ports: "23", proto: "tcp"), .notHeld),
        Case([rule("tcp", 20, 25, v4: world)], sg("cidr", "0.0.0.0/0", ports: "22", proto: "tcp"), .held),
        Case([rule("tcp", 1000, 2000, v4: world)], sg("cidr", "0.0.0.0/0", ports: "2000-3000", proto: "tcp"), .held),
        Case([rule("tcp", 1000, 2000, v4: world)], sg("cidr", "0.0.0.0/0", ports: "500-1000", proto: "tcp"), .held),
        Case([rule("tcp", 1000, 2000, v4: world)], sg("cidr", "0.0.0.0/0", ports: "2001-3000", proto: "tcp"), .notHeld),
        Case([rule("tcp", 1000, 2000, v4: world)], sg("cidr", "0.0.0.0/0", ports: "0-999", proto: "tcp"), .notHeld),
        Case([rule("tcp", 1200, 1300, v4: world)], sg("cidr", "0.0.0.0/0", ports: "1000-2000", proto: "tcp"), .held),
        Case([rule("tcp", 0, 65535, v4: world)], sg("cidr", "0.0.0.0/0", ports: "443", proto: "tcp"), .held),
        Case([ssh], sg("cidr", "0.0.0.0/0", ports: "all", proto: "tcp"), .held),
        Case([rule("tcp", 80, 80, v4: world)], sg("cidr", "0.0.0.0/0", ports: "80", proto: "any"), .held),
        Case([rule("udp", 80, 80, v4: world)], sg("cidr", "0.0.0.0/0", ports: "80", proto: "tcp"), .notHeld),
        Case([ssh], sg("cidr", "0.0.0.0/0", ports: 22, proto: "tcp"), .held),
        Case([rule("tcp", 3389, 3389, v4: world)], sg("cidr", "0.0.0.0/0", ports: "3389-3389", proto: "tcp"), .held),
        Case([rule("tcp", 65535, 65535, v4: world)], sg("cidr", "0.0.0.0/0", ports: "65535", proto: "tcp"), .held),
        Case([rule("tcp", 0, 0, v4: world)], sg("cidr", "0.0.0.0/0", ports: "0", proto: "tcp"), .held),
        Case([rule("tcp", v4: world)], sg("cidr", "0.0.0.0/0", ports: "22", proto: "tcp"), .held),
        Case([rule("tcp", 22, 22, v4: world), rule("tcp", 443, 443, v4: world)], sg("cidr", "0.0.0.0/0", ports: "443", proto: "tcp"), .held),
    ]

    // ICMP — API_IpPermission.html: FromPort "If the protocol is ICMP or ICMPv6, this is the type
    // number. A value of -1 indicates all ICMP/ICMPv6 types." ToPort: "this is the code". IpProtocol:
    // "For icmpv6, the port range is optional; if you omit the port range, traffic for all types and
    // codes is allowed." With protocol icmp/icmpv6, `ports` selects ICMP types; a port range with
    // any other protocol does not match ICMP rules.
    static let icmp: [Case] = [
        Case([rule("icmp", -1, -1, v4: world)], sg("cidr", "0.0.0.0/0"), .held),
        Case([rule("icmp", -1, -1, v4: world)], sg("cidr", "0.0.0.0/0", ports: "22", proto: "any"), .notHeld),
        Case([rule("icmp", 8, 0, v4: world)], sg("cidr", "0.0.0.0/0", ports: "8", proto: "icmp"), .held),
        Case([rule("icmp", 8, 0, v4: world)], sg("cidr", "0.0.0.0/0", ports: "0", proto: "icmp"), .notHeld),
        Case([rule("icmp", -1, -1, v4: world)], sg("cidr", "0.0.0.0/0", ports: "8", proto: "icmp"), .held),
        Case([rule("icmp", 3, 4, v4: world)], sg("cidr", "0.0.0.0/0", ports: "0-8", proto: "icmp"), .held),
        Case([rule("icmpv6", -1, -1, v6: world6)], sg("cidr", "::/0", ports: "128", proto: "icmpv6"), .held),
        Case([rule("icmpv6", v6: world6)], sg("cidr", "::/0", ports: "128", proto: "icmpv6"), .held),
        Case([rule("icmp", 8, 0, v4: world)], sg("cidr", "0.0.0.0/0", ports: "8", proto: "tcp"), .notHeld),
        Case([rule("icmp", 8, -1, v4: world)], sg("cidr", "0.0.0.0/0", ports: "all", proto: "icmp"), .held),
    ]

    // Source ranges — API_IpRange.html: CidrIp "The IPv4 address range. You can either specify a CIDR
    // block or a source security group"; API_Ipv6Range.html: CidrIpv6 "The IPv6 address range."
    // `cidr` holds when a rule range contains the given range; families never mix.
    static let cidrs: [Case] = [
        Case([ssh], sg("cidr", "10.0.0.0/8"), .held),
        Case([rule("tcp", 22, 22, v4: ["10.0.0.0/8"])], sg("cidr", "0.0.0.0/0"), .notHeld),
        Case([rule("tcp", 22, 22, v4: ["10.0.0.0/8"])], sg("cidr", "10.1.0.0/16"), .held),
        Case([rule("tcp", 22, 22, v4: ["10.0.0.0/16"])], sg("cidr", "10.0.0.0/8"), .notHeld),
        Case([rule("tcp", 22, 22, v4: ["203.0.113.5/32"])], sg("cidr", "203.0.113.5"), .held),
        Case([rule("tcp", 22, 22, v6: world6)], sg("cidr", "0.0.0.0/0"), .notHeld),
        Case([ssh], sg("cidr", "::/0"), .notHeld),
        Case([rule("tcp", 22, 22, v6: world6)], sg("cidr", "::/0"), .held),
        Case([rule("tcp", 22, 22, v6: ["2001:db8::/32"])], sg("cidr", "2001:db8:1::/48"), .held),
        Case([rule("tcp", 22, 22, v4: ["10.0.0.0/8"], v6: world6)], sg("cidr", "0.0.0.0/0"), .notHeld),
        Case([rule("tcp", 22, 22, v4: ["10.0.0.0/8", "0.0.0.0/0"])], sg("cidr", "0.0.0.0/0"), .held),
        Case([rule("tcp", 22, 22, v4: ["not-a-cidr"])], sg("cidr", "0.0.0.0/0"), .unevaluable),
        Case([rule("tcp", 22, 22, v4: ["not-a-cidr"]), ssh], sg("cidr", "0.0.0.0/0"), .held),
        Case([rule("tcp", 22, 22, groups: ["sg-1"])], sg("cidr", "0.0.0.0/0"), .notHeld),
        Case([], sg("cidr", "0.0.0.0/0"), .notHeld),
    ]

    // anyPublicIPv4/anyPublicIPv6 — API_IpRange.html / API_Ipv6Range.html ranges tested against the
    // IANA special-purpose registries (https://www.iana.org/assignments/iana-ipv4-special-registry,
    // https://www.iana.org/assignments/iana-ipv6-special-registry): a range holding any address
    // outside them is public.
    static let publicSources: [Case] = [
        Case([ssh], sg("anyPublicIPv4"), .held),
        Case([rule("tcp", 22, 22, v4: ["10.0.0.0/8"])], sg("anyPublicIPv4"), .notHeld),
        Case([rule("tcp", 22, 22, v4: ["172.16.0.0/12"])], sg("anyPublicIPv4"), .notHeld),
        Case([rule("tcp", 22, 22, v4: ["192.168.1.0/24"])], sg("anyPublicIPv4"), .notHeld),
        Case([rule("tcp", 22, 22, v4: ["100.64.0.0/10"])], sg("anyPublicIPv4"), .notHeld),
        Case([rule("tcp", 22, 22, v4: ["127.0.0.0/8"])], sg("anyPublicIPv4"), .notHeld),
        Case([rule("tcp", 22, 22, v4: ["198.18.0.0/15"])], sg("anyPublicIPv4"), .notHeld),
        Case([rule("tcp", 22, 22, v4: ["8.8.8.8/32"])], sg("anyPublicIPv4"), .held),
        Case([rule("tcp", 22, 22, v4: ["172.15.0.0/16"])], sg("anyPublicIPv4"), .held),
        Case([rule("tcp", 22, 22, v4: ["10.0.0.0/7"])], sg("anyPublicIPv4"), .held),
        Case([rule("tcp", 22, 22, v6: world6)], sg("anyPublicIPv4"), .notHeld),
        Case([rule("tcp", 22, 22, v6: world6)], sg("anyPublicIPv6"), .held),
        Case([rule("tcp", 22, 22, v6: ["fd00::/8"])], sg("anyPublicIPv6"), .notHeld),
        Case([rule("tcp", 22, 22, v6: ["2001:db8::/32"])], sg("anyPublicIPv6"), .notHeld),
        Case([rule("tcp", 22, 22, v6: ["fe80::/10"])], sg("anyPublicIPv6"), .notHeld),
        Case([rule("tcp", 22, 22, v6: ["2600:1f18::/32"])], sg("anyPublicIPv6"), .held),
        Case([rule("tcp", 22, 22, v6: ["64:ff9b::/96"])], sg("anyPublicIPv6"), .held),
        Case([ssh], sg("anyPublicIPv6"), .notHeld),
        Case([rule("tcp", 22, 22, v4: ["10.0.0.0/8"]), rule("tcp", 22, 22, v4: ["52.1.2.3/32"])],
             sg("anyPublicIPv4", ports: "22", proto: "tcp"), .held),
        Case([rule("tcp", 80, 80, v4: world)], sg("anyPublicIPv4", ports: "22", proto: "tcp"), .notHeld),
    ]

    // outsideCidrs — SPEC 4.2 on API_IpRange.html / API_Ipv6Range.html ranges: a rule range not inside
    // any allowed CIDR of its family is outside; a family without allowed CIDRs is all outside.
    static let allowed: JSON = ["10.0.0.0/8", "192.168.0.0/16"]
    static let outside: [Case] = [
        Case([rule("tcp", 22, 22, v4: ["10.1.0.0/16"])], sg("outsideCidrs", allowed), .notHeld),
        Case([ssh], sg("outsideCidrs", allowed), .held),
        Case([rule("tcp", 22, 22, v4: ["10.0.0.0/7"])], sg("outsideCidrs", allowed), .held),
        Case([rule("tcp", 22, 22, v6: world6)], sg("outsideCidrs", allowed), .held),
        Case([rule("tcp", 22, 22, v6: ["2001:db8::/32"])], sg("outsideCidrs", ["10.0.0.0/8", "2001:db8::/32"]), .notHeld),
        Case([rule("tcp", 22, 22, v4: ["192.168.5.0/24", "172.16.0.0/12"])], sg("outsideCidrs", allowed), .held),
        Case([rule("tcp", 22, 22, v4: ["192.168.1.0/24"])], sg("outsideCidrs", "10.0.0.0/8, 192.168.0.0/16"), .notHeld),
        Case([rule("tcp", 22, 22, v4: ["8.8.8.8/32"])], sg("outsideCidrs", "10.0.0.0/8, 192.168.0.0/16"), .held),
        Case([rule("tcp", 22, 22, groups: ["sg-1"], prefixes: ["pl-1"])], sg("outsideCidrs", allowed), .notHeld),
        Case([rule("tcp", 22, 22, v4: ["10.0.0.0/8"])], sg("outsideCidrs", []), .held),
        Case([rule("-1", v4: ["10.0.0.0/8", "192.168.0.0/24"])], sg("outsideCidrs", allowed), .notHeld),
        Case([rule("tcp", 443, 443, v4: world)], sg("outsideCidrs", allowed, ports: "22", proto: "tcp"), .notHeld),
    ]

    // UserIdGroupPairs and PrefixListIds — API_UserIdGroupPair.html: GroupId "The ID of the security
    // group."; API_PrefixListId.html: PrefixListId "The ID of the prefix."
    static let groupsAndPrefixLists: [Case] = [
        Case([rule("tcp", 5432, 5432, groups: ["sg-app"])], sg("securityGroup", "sg-app"), .held),
        Case([rule("tcp", 5432, 5432, groups: ["sg-app"])], sg("securityGroup", "sg-other"), .notHeld),
        Case([rule("tcp", 5432, 5432, groups: ["sg-app"])], sg("securityGroup", "sg-app", proto: "udp"), .notHeld),
        Case([rule("tcp", 5432, 5432, groups: ["sg-a", "sg-app"])], sg("securityGroup", "sg-app", ports: "5432", proto: "tcp"), .held),
        Case([rule("tcp", 443, 443, prefixes: ["pl-123"])], sg("prefixList", "pl-123"), .held),
        Case([rule("tcp", 443, 443, prefixes: ["pl-123"])], sg("prefixList", "pl-999"), .notHeld),
        Case([ssh], sg("prefixList", "pl-123"), .notHeld),
        Case([rule("-1", groups: ["sg-0abc"])], sg("securityGroup", "sg-0abc"), .held),
    ]

    // Direction — API_SecurityGroup.html: IpPermissions "The inbound rules associated with the
    // security group."; IpPermissionsEgress "The outbound rules associated with the security group."
    static let directions: [Case] = [
        Case(item: group([], egress: [allTraffic]), sg("cidr", "0.0.0.0/0"), .notHeld),
        Case(item: group([], egress: [allTraffic]), sg("cidr", "0.0.0.0/0", dir: "outbound"), .held),
        Case(item: group([allTraffic], egress: []), sg("cidr", "0.0.0.0/0", dir: "outbound"), .notHeld),
        Case(item: ["GroupId": "sg-1", "IpPermissions": [allTraffic]], sg("cidr", "0.0.0.0/0", dir: "outbound"), .unevaluable),
        Case(item: group([], egress: [rule("tcp", 443, 443, v4: ["8.8.8.8/32"])]), sg("outsideCidrs", allowed, dir: "outbound"), .held),
        Case(item: group([allTraffic], egress: [allTraffic]), sg("anyPublicIPv4", dir: "egress"), .held),
    ]

    // Items carrying groups — DescribeDBInstances returns VpcSecurityGroups with ids only; the
    // SecurityGroups addon adds the full objects of API_SecurityGroup.html. The condition holds when
    // some rule of some group matches.
    static let closed = group([rule("tcp", 5432, 5432, v4: ["10.0.0.0/8"])], id: "sg-closed")
    static let open = group([rule("tcp", 5432, 5432, v4: world)], id: "sg-open")
    static let items: [Case] = [
        Case(item: ["DBInstanceIdentifier": "db", "SecurityGroups": [closed, open]], sg("cidr", "0.0.0.0/0"), .held),
        Case(item: ["DBInstanceIdentifier": "db", "SecurityGroups": [closed, closed]], sg("cidr", "0.0.0.0/0"), .notHeld),
        Case(item: ["DBInstanceIdentifier": "db", "SecurityGroups": []], sg("cidr", "0.0.0.0/0"), .notHeld),
        Case(item: ["DBInstanceIdentifier": "db", "VpcSecurityGroups": [["VpcSecurityGroupId": "sg-1", "Status": "active"]]],
             sg("cidr", "0.0.0.0/0"), .unevaluable),
        Case(item: ["InstanceId": "i-1", "SecurityGroups": [["GroupId": "sg-1", "GroupName": "web"]]], sg("cidr", "0.0.0.0/0"), .unevaluable),
        Case(item: ["InstanceId": "i-1", "SecurityGroups": [["GroupId": "sg-1", "GroupName": "web"], open]], sg("cidr", "0.0.0.0/0"), .held),
        Case(item: "sg-0abc", sg("cidr", "0.0.0.0/0"), .unevaluable),
        Case(item: ["SecurityGroups": "sg-1"], sg("cidr", "0.0.0.0/0"), .unevaluable),
        Case(item: ["LoadBalancerName": "lb", "SecurityGroups": [open]], sg("anyPublicIPv4", ports: "5432", proto: "6"), .held),
        Case(item: ["DBInstanceIdentifier": "db", "SecurityGroups": [closed, open]], sg("cidr", "0.0.0.0/0", ports: "22", proto: "tcp"), .notHeld),
    ]

    static let all: [Case] = allProtocols + protocolNames + portRanges + icmp + cidrs + publicSources + outside
        + groupsAndPrefixLists + directions + items

    @Test func enoughCases() {
        #expect(Self.all.count >= 80)
    }

    @Test(arguments: all)
    func outcome(_ c: Case) throws {
        let trace = try ConditionSetTests.trace(c.condition, c.item)
        #expect(trace.outcome == c.expected, "\(trace.reason)")
    }

    @Test func reasons() throws {
        let match = try ConditionSetTests.trace(sg("cidr", "0.0.0.0/0", ports: "all", proto: "any"), group([Self.ssh]))
        #expect(match.reason == "c1: sg-0abc inbound tcp 22-22 from 0.0.0.0/0 matches (inbound, all ports, from 0.0.0.0/0) → true")
        let twoGroups: JSON = ["SecurityGroups": [group([], id: "sg-0abc"), group([rule("tcp", 22, 22, v4: ["10.0.0.0/8"])], id: "sg-0def")]]
        let none = try ConditionSetTests.trace(sg("anyPublicIPv4", ports: "22", proto: "tcp"), twoGroups)
        #expect(none.reason == "c1: no inbound rule of sg-0abc, sg-0def allows tcp 22 from a public IPv4 address → false")
        let outbound = try ConditionSetTests.trace(sg("cidr", "0.0.0.0/0", dir: "outbound"), group([], egress: [Self.allTraffic]))
        #expect(outbound.reason == "c1: sg-0abc outbound all traffic to 0.0.0.0/0 matches (outbound, all ports, to 0.0.0.0/0) → true")
        let outside = try ConditionSetTests.trace(sg("outsideCidrs", Self.allowed), group([rule("tcp", 22, 22, v6: ["::/0"])]))
        #expect(outside.reason == "c1: sg-0abc inbound tcp 22-22 from ::/0 matches (inbound, all ports, from outside 10.0.0.0/8, 192.168.0.0/16) → true")
        let icmpRule = try ConditionSetTests.trace(sg("anyPublicIPv4", ports: "8", proto: "icmp"), group([rule("icmp", 8, -1, v4: Self.world)]))
        #expect(icmpRule.reason == "c1: sg-0abc inbound icmp type 8 from 0.0.0.0/0 matches (inbound, icmp type 8, from a public IPv4 address) → true")
        let peer = try ConditionSetTests.trace(sg("securityGroup", "sg-app"), group([rule("tcp", 5432, 5432, groups: ["sg-app"])]))
        #expect(peer.reason == "c1: sg-0abc inbound tcp 5432-5432 from group sg-app matches (inbound, all ports, from group sg-app) → true")
        let missing = try ConditionSetTests.trace(sg("cidr", "0.0.0.0/0"), ["DBInstanceIdentifier": "db"])
        #expect(missing.reason == "c1: not a security group (no GroupId and IpPermissions) and no SecurityGroups addon → cannot evaluate (false)")
        let ids = try ConditionSetTests.trace(sg("cidr", "0.0.0.0/0"), ["SecurityGroups": [["GroupId": "sg-1", "GroupName": "web"]]])
        #expect(ids.reason == "c1: security group sg-1 has no rules (is SecurityGroups the full-object addon?) → cannot evaluate (false)")
        let empty = try ConditionSetTests.trace(sg("cidr", "0.0.0.0/0"), ["SecurityGroups": []])
        #expect(empty.reason == "c1: no security groups (SecurityGroups is empty) → false")
    }

    @Test func invalidFields() {
        func error(_ fields: JSON) -> String? { ConditionSetTests.compileError(fields)?.description }
        #expect(error(sg("anyPublicIPv4", ports: "70000", proto: "tcp")) == #"condition c1: ports "70000" is out of the port range 0-65535"#)
        #expect(error(sg("anyPublicIPv4", ports: 70000, proto: "tcp")) == #"condition c1: ports "70000" is out of the port range 0-65535"#)
        #expect(error(sg("anyPublicIPv4", ports: "30-20", proto: "tcp")) == #"condition c1: ports "30-20" starts after it ends (30 > 20)"#)
        #expect(error(sg("anyPublicIPv4", ports: "ssh", proto: "tcp")) == #"condition c1: ports "ssh" is not "all", a port or a range like "1024-2048""#)
        #expect(error(sg("anyPublicIPv4", ports: "-5", proto: "tcp")) == #"condition c1: ports "-5" is not "all", a port or a range like "1024-2048""#)
        #expect(error(sg("anyPublicIPv4", ports: [22], proto: "tcp")) == #"condition c1: ports must be "all", a port or a range like "1024-2048", not an array"#)
        #expect(error(sg("anyPublicIPv4", proto: "tcpp"))
                == #"condition c1: protocol "tcpp" is not a protocol: expected any, tcp, udp, icmp, icmpv6 or a number -1 to 255"#)
        #expect(error(sg("anyPublicIPv4", proto: 256))
                == #"condition c1: protocol 256 is not a protocol: expected any, tcp, udp, icmp, icmpv6 or a number -1 to 255"#)
        #expect(error(sg("cidr", "0.0.0.0/0", dir: "sideways")) == #"condition c1: direction "sideways" is not one of inbound, outbound"#)
        #expect(error(["type": "securityGroup", "source": "anyPublicIPv4"]) == "condition c1: direction is required")
        #expect(error(sg("publicIPs")) == #"condition c1: source "publicIPs" is not one of cidr, anyPublicIPv4, anyPublicIPv6, outsideCidrs, securityGroup, prefixList"#)
        #expect(error(sg("cidr", "10.0.0.300/8")) == #"condition c1: value "10.0.0.300/8" is not a valid IPv4 or IPv6 CIDR"#)
        #expect(error(sg("cidr", "10.0.0.0/33")) == #"condition c1: value "10.0.0.0/33" is not a valid IPv4 or IPv6 CIDR"#)
        #expect(error(sg("cidr")) == "condition c1: value is required")
        #expect(error(sg("cidr", ["0.0.0.0/0"])) == "condition c1: value must be a CIDR string for source cidr, not an array")
        #expect(error(sg("outsideCidrs", ["10.0.0.0/8", "bad"])) == #"condition c1: value "bad" is not a valid CIDR"#)
        #expect(error(sg("outsideCidrs", "10.0.0.0/8, 300.0.0.0/8")) == #"condition c1: value "300.0.0.0/8" is not a valid CIDR"#)
        #expect(error(sg("outsideCidrs", [10])) == "condition c1: value must list CIDR strings, not a number")
        #expect(error(sg("securityGroup", "")) == "condition c1: value must be a non-empty security group id string")
        #expect(error(sg("prefixList", 5)) == "condition c1: value must be a non-empty prefix-list id string")
        #expect(error(["type": "securityGroup", "direction": "inbound", "source": "cidr", "value": "0.0.0.0/0", "port": "22"])
                == "condition c1: port is not a field of a securityGroup condition")
        #expect(error(sg("anyPublicIPv4", ports: " 1024 - 2048 ", proto: "tcp")) == nil)
    }

    /// Static validation names the condition and field, and leaves values from variables to run time.
    @Test func staticValidation() throws {
        let criteria: JSON = ["conditions": [
            ["id": "c2", "type": "securityGroup", "direction": "inbound", "ports": "70000", "protocol": "tcp",
             "source": "outsideCidrs", "value": "$wf.variables:allowedCidrs"],
        ]]
        let issues = ConditionSet.validate(criteria, pointer: "/nodes/2/params/criteria", variables: ["allowedCidrs"])
        #expect(issues.map(\.description)
                == [#"/nodes/2/params/criteria/conditions/0/ports: condition c2: ports "70000" is out of the port range 0-65535"#])
        let deferred: JSON = ["conditions": [
            ["id": "c2", "type": "securityGroup", "direction": "inbound", "source": "outsideCidrs", "value": "$wf.variables:allowedCidrs"],
        ]]
        #expect(ConditionSet.validate(deferred, pointer: "", variables: ["allowedCidrs"]).isEmpty)
        let bad = try VariableSubstitution(["allowedCidrs": ["10.0.0.0/8", "10.0.0/8"]]).apply(to: deferred)
        #expect(throws: ConditionError(conditionId: "c2", field: "value", message: #""10.0.0/8" is not a valid CIDR"#)) {
            _ = try ConditionSet(bad).compile()
        }
        let good = try VariableSubstitution(["allowedCidrs": "10.0.0.0/8,192.168.0.0/16"]).apply(to: deferred)
        let compiled = try ConditionSet(good).compile()
        #expect(compiled.evaluate(group([Self.ssh]), now: ConditionSetTests.now).matched)
    }

    @Test func typedAPI() throws {
        let condition = SecurityGroupCondition(direction: .inbound, ports: PortRange(22, 22), protocol: .tcp,
                                               source: .cidr(try #require(CIDR("0.0.0.0/0"))))
        let context = ConditionContext(now: ConditionSetTests.now)
        #expect(condition.evaluate(group([Self.ssh]), context: context).outcome == .held)
        #expect(NetworkProtocol("6") == .tcp)
        #expect(NetworkProtocol("icmpv6") == NetworkProtocol("58"))
        #expect(NetworkProtocol("ssh") == nil)
        #expect(try PortRange.parse("1024-2048").get() == PortRange(1024, 2048))
        #expect(try PortRange.parse("all").get() == nil)
        #expect(ConditionTypes.named("securityGroup") != nil)
    }
}
