import Testing
import WeftHTTP
import WeftModel

struct EgressPolicyTests {
    @Test(arguments: ["169.254.169.254", "169.254.0.1", "fd00:ec2::254", "::ffff:169.254.169.254", "::ffff:a9fe:a9fe"])
    func theDefaultListDeniesInstanceMetadata(address: String) {
        guard case .deny(let reason) = EgressPolicy().decide(address: address) else {
            Issue.record("\(address) was allowed")
            return
        }
        #expect(reason.contains("egress policy denies"))
    }

    @Test(arguments: ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "127.0.0.1", "::1", "10.0.0.5", "fd00:ec2::253"])
    func theDefaultListAllowsPublicLoopbackAndOtherAddresses(address: String) {
        #expect(EgressPolicy().decide(address: address) == .allow)
    }

    @Test func textThatIsNotAnAddressIsDenied() {
        #expect(!EgressPolicy().decide(address: "metadata.google.internal").isAllowed)
    }

    @Test func theEnvironmentExtendsAndRelaxesTheList() throws {
        let policy = try EgressPolicy.fromEnvironment([
            "WEFT_EGRESS_DENY": "127.0.0.2/32, 10.0.0.0/8,,",
            "WEFT_EGRESS_ALLOW": "169.254.170.2/32",
        ])
        #expect(!policy.decide(address: "127.0.0.2").isAllowed)
        #expect(!policy.decide(address: "10.1.2.3").isAllowed)
        #expect(policy.decide(address: "127.0.0.1") == .allow)
        #expect(policy.decide(address: "169.254.170.2") == .allow)
        #expect(!policy.decide(address: "169.254.169.254").isAllowed)
    }

    @Test func allowOverridesTheDefaultDenyList() throws {
        let policy = try EgressPolicy.fromEnvironment(["WEFT_EGRESS_ALLOW": "169.254.0.0/16,fd00:ec2::254"])
        #expect(policy.decide(address: "169.254.169.254") == .allow)
        #expect(policy.decide(address: "fd00:ec2::254") == .allow)
    }

    @Test func aBadRangeInTheEnvironmentIsAnErrorNamingTheVariable() {
        #expect(throws: EgressPolicyError.self) { try EgressPolicy.fromEnvironment(["WEFT_EGRESS_DENY": "10.0.0.0/33"]) }
        do {
            _ = try EgressPolicy.fromEnvironment(["WEFT_EGRESS_ALLOW": "nope"])
        } catch {
            #expect("\(error)".contains("WEFT_EGRESS_ALLOW"))
        }
    }
}
