import Testing
import WeftModel

@Suite struct CIDRTests {
    static let valid: [(text: String, normalized: String)] = [
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("10.0.0.0/8", "10.0.0.0/8"),
        ("10.1.2.3/8", "10.0.0.0/8"),
        ("203.0.113.5", "203.0.113.5/32"),
        ("255.255.255.255/32", "255.255.255.255/32"),
        ("192.168.1.0/24", "192.168.1.0/24"),
        ("::/0", "::/0"),
        ("::", "::/128"),
        ("::1", "::1/128"),
        ("2001:db8::/32", "2001:db8::/32"),
        ("2001:DB8:0:0:0:0:0:1/128", "2001:db8::1/128"),
        ("2001:db8:85a3::8a2e:370:7334/64", "2001:db8:85a3::/64"),
        ("fe80::/10", "fe80::/10"),
        ("::ffff:192.0.2.1", "::ffff:c000:201/128"),
        ("64:ff9b::198.51.100.7/96", "64:ff9b::/96"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0/128"),
        ("1::8", "1::8/128"),
        ("2600:1f18:0:0::/56", "2600:1f18::/56"),
        ("1:0:0:2:0:0:0:3/128", "1:0:0:2::3/128"),
    ]

    @Test(arguments: valid)
    func parses(_ entry: (text: String, normalized: String)) {
        #expect(CIDR(entry.text)?.description == entry.normalized)
    }

    static let invalid: [String] = [
        "", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0/8", "10.0.0.0.0/8", "256.0.0.0/8", "010.0.0.0/8",
        "10.0.0.0/08", "10.0.0.0/-1", "a.b.c.d/8", "10.0.0.0/8 ", " 10.0.0.0/8", "10..0.0/8",
        "::/129", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", ":1::", "1::2:", "fe80::1%eth0",
        "::ffff:1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "g::", "1:2:3:4:5:6:7", "0.0.0.0/0/0",
    ]

    @Test(arguments: invalid)
    func rejects(_ text: String) {
        #expect(CIDR(text) == nil, "\(text)")
    }

    static let containment: [(outer: String, inner: String, contains: Bool)] = [
        ("0.0.0.0/0", "10.0.0.0/8", true),
        ("10.0.0.0/8", "0.0.0.0/0", false),
        ("10.0.0.0/8", "10.255.255.255/32", true),
        ("10.0.0.0/8", "11.0.0.0/32", false),
        ("10.0.0.0/8", "10.0.0.0/8", true),
        ("10.0.0.0/16", "10.0.0.0/8", false),
        ("192.168.0.0/16", "192.168.42.0/24", true),
        ("0.0.0.0/0", "::/0", false),
        ("::/0", "0.0.0.0/0", false),
        ("::/0", "2001:db8::/32", true),
        ("2001:db8::/32", "2001:db8:ffff:ffff::/64", true),
        ("2001:db8::/32", "2001:db9::/32", false),
        ("2001:db8::/64", "2001:db8::1/128", true),
        ("2001:db8::/64", "2001:db8:0:1::/64", false),
        ("::/0", "::/0", true),
        ("2001:db8::/127", "2001:db8::1/128", true),
    ]

    @Test(arguments: containment)
    func contains(_ entry: (outer: String, inner: String, contains: Bool)) throws {
        let outer = try #require(CIDR(entry.outer))
        let inner = try #require(CIDR(entry.inner))
        #expect(outer.contains(inner) == entry.contains, "\(entry.outer) ⊇ \(entry.inner)")
    }

    /// Each special-purpose range holds no public address; the addresses just outside it are public.
    static let publicDetection: [(range: String, isPublic: Bool)] = [
        // IANA IPv4 Special-Purpose Address Registry, RFC 1918, RFC 6598, multicast, reserved.
        ("0.0.0.0/8", false), ("1.0.0.0/8", true),
        ("10.0.0.0/8", false), ("9.255.255.255/32", true), ("11.0.0.0/32", true),
        ("100.64.0.0/10", false), ("100.63.255.255/32", true), ("100.128.0.0/32", true),
        ("127.0.0.0/8", false), ("127.0.0.1/32", false),
        ("169.254.0.0/16", false), ("169.254.169.254/32", false), ("169.255.0.0/32", true),
        ("172.16.0.0/12", false), ("172.15.255.255/32", true), ("172.32.0.0/32", true),
        ("192.0.0.0/24", false), ("192.0.2.0/24", false), ("192.0.1.0/24", true),
        ("192.168.0.0/16", false), ("192.169.0.0/16", true),
        ("198.18.0.0/15", false), ("198.20.0.0/32", true), ("198.17.255.255/32", true),
        ("198.51.100.0/24", false), ("203.0.113.0/24", false), ("203.0.114.0/32", true),
        ("224.0.0.0/4", false), ("240.0.0.0/4", false), ("255.255.255.255/32", false),
        ("223.255.255.255/32", true),
        ("0.0.0.0/0", true), ("8.8.8.8/32", true), ("10.0.0.0/7", true), ("192.168.0.0/15", true),
        ("198.18.0.0/15", false), ("224.0.0.0/3", false), ("192.0.0.0/23", true),
        // IANA IPv6 Special-Purpose Address Registry, multicast, site-local.
        ("::/128", false), ("::1/128", false), ("::2/128", true),
        ("::ffff:0:0/96", false), ("64:ff9b::/96", true), ("64:ff9b:1::/48", false),
        ("100::/64", false), ("2001::/23", false), ("2001:db8::/32", false), ("3fff::/20", false),
        ("5f00::/16", false), ("fc00::/7", false), ("fd12:3456::/32", false), ("fe80::/10", false),
        ("fec0::/10", false), ("ff00::/8", false), ("ff02::1/128", false),
        ("::/0", true), ("2000::/3", true), ("2600:1f18::/32", true), ("2002::/16", true),
        ("2001:db9::/32", true), ("fc00::/6", true), ("fe00::/9", true),
    ]

    @Test(arguments: publicDetection)
    func publicAddresses(_ entry: (range: String, isPublic: Bool)) throws {
        let cidr = try #require(CIDR(entry.range))
        #expect(cidr.containsPublicAddress == entry.isPublic, "\(entry.range)")
    }

    @Test func everySpecialRangeIsNotPublic() {
        for special in CIDR.nonPublicIPv4 + CIDR.nonPublicIPv6 {
            #expect(!special.cidr.containsPublicAddress, "\(special.cidr) \(special.name)")
            #expect(special.cidr.specialRange != nil)
        }
        #expect(CIDR("10.1.0.0/16")?.specialRange?.name == "private use (RFC 1918)")
        #expect(CIDR("8.8.8.8")?.specialRange == nil)
    }

    @Test func familiesAndWholeSpace() {
        #expect(CIDR("10.0.0.0/8")?.family == .ipv4)
        #expect(CIDR("::/0")?.family == .ipv6)
        #expect(CIDR.all(.ipv4).description == "0.0.0.0/0")
        #expect(CIDR.all(.ipv6).description == "::/0")
        #expect(CIDR("10.0.0.0/8")?.overlaps(CIDR("10.2.0.0/16")!) == true)
        #expect(CIDR("10.0.0.0/8")?.overlaps(CIDR("11.0.0.0/16")!) == false)
    }
}
