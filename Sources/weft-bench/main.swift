import Foundation
import WeftEngine
import WeftModel
import WeftNodes

/// `weft-bench conditions [GROUPS] [RULES]`: evaluates a `securityGroup` condition over generated
/// security groups on one core and prints rules per second — for the condition alone
/// (`CompiledConditions.evaluate`) and for the whole control node (findings and evidence included).
/// The groups are generated from a fixed seed, so every run sees the same data.

struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func securityGroups(count: Int, rulesPerGroup: Int) -> [JSON] {
    var random = SeededGenerator(state: 42)
    let protocols: [(String, Int64?, Int64?)] = [("tcp", 22, 22), ("tcp", 443, 443), ("tcp", 1024, 65535), ("udp", 53, 53),
                                                 ("icmp", 8, -1), ("-1", nil, nil), ("6", 3389, 3389), ("tcp", 5432, 5432)]
    func cidr() -> String {
        switch Int.random(in: 0..<20, using: &random) {
        case 0: return "0.0.0.0/0"
        case 2...11: return "10.\(Int.random(in: 0..<256, using: &random)).\(Int.random(in: 0..<256, using: &random)).0/24"
        case 12...19: return "192.168.\(Int.random(in: 0..<256, using: &random)).0/24"
        default: return "\(Int.random(in: 11..<223, using: &random)).\(Int.random(in: 0..<256, using: &random)).\(Int.random(in: 0..<256, using: &random)).\(Int.random(in: 0..<256, using: &random))/32"
        }
    }
    return (0..<count).map { index in
        let rules: [JSON] = (0..<rulesPerGroup).map { _ in
            let (proto, from, to) = protocols[Int.random(in: 0..<protocols.count, using: &random)]
            var rule: JSONObject = ["IpProtocol": .string(proto), "IpRanges": [["CidrIp": .string(cidr())]],
                                    "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []]
            if let from, let to { rule["FromPort"] = .int(from); rule["ToPort"] = .int(to) }
            return .object(rule)
        }
        return ["GroupId": .string(String(format: "sg-%017x", index)), "GroupName": .string("group-\(index)"),
                "VpcId": "vpc-0123456789abcdef0", "IpPermissions": .array(rules), "IpPermissionsEgress": []]
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func conditionsBenchmark(groups: Int, rules: Int) async throws {
    let items = securityGroups(count: groups, rulesPerGroup: rules)
    let condition: JSON = ["id": "c1", "type": "securityGroup", "direction": "inbound", "ports": "all", "protocol": "any",
                           "source": "anyPublicIPv4"]
    let compiled = try ConditionSet(conditions: [condition], expression: "c1").compile()
    let context = ConditionContext(now: Date())
    let total = Double(groups * rules)
    print("\(groups) security groups × \(rules) inbound rules, condition: inbound, all ports, any protocol, anyPublicIPv4")
    for run in 1...3 {
        var failed = 0
        let elapsed = seconds {
            for item in items where compiled.evaluate(item, context: context).matched { failed += 1 }
        }
        print(String(format: "  condition run %d: %.3f s, %.2f M rules/s, %d groups matched", run, elapsed, total / elapsed / 1e6, failed))
    }
    let registry = NodeCatalog.registry
    let control = registry.type(named: "control")!
    let params: JSON = .object(control.description.applyingDefaults(to: [
        "criteria": ["conditions": [condition], "expression": "c1"],
        "evidence": ["resourceId": "$.GroupId", "displayName": "$.GroupName", "keys": ["$.IpPermissions"]],
    ]))
    let input = Items(items)
    for run in 1...3 {
        let info = ExecutionInfo(id: "bench", runId: "bench", connector: "local", region: "none", startedAt: Date())
        let nodeContext = NodeContext(nodeId: "control", nodeName: "control", execution: info, input: input)
        var summary: JSONObject = [:]
        let start = DispatchTime.now().uptimeNanoseconds
        summary = try await registry.execute(control, params: params, context: nodeContext).summary
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "  control node run %d: %.3f s, %.2f M rules/s, summary %@", run, elapsed, total / elapsed / 1e6,
                     JSON.object(summary).serialized()))
    }
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "conditions":
    let numbers = arguments.dropFirst().compactMap { Int($0) }
    try await conditionsBenchmark(groups: numbers.first ?? 100_000, rules: numbers.dropFirst().first ?? 5)
default:
    FileHandle.standardError.write(Data("usage: weft-bench conditions [GROUPS] [RULES]\n".utf8))
    exit(2)
}
