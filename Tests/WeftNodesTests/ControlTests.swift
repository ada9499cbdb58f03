import Testing
import WeftEngine
import WeftModel
@testable import WeftNodes

struct ControlTests {
    static let instances: [JSON] = [
        json(#"{"DBInstanceIdentifier": "db-a", "DBName": "orders", "PubliclyAccessible": true, "Ports": [5432, 5433]}"#),
        json(#"{"DBInstanceIdentifier": "db-b", "DBName": "users", "PubliclyAccessible": false, "Ports": [3306]}"#),
        json(#"{"DBInstanceIdentifier": "db-c", "PubliclyAccessible": false}"#),
    ]

    static let params = json("""
        {"criteria": {"conditions": [
           {"id": "c1", "type": "param", "key": "$.PubliclyAccessible", "operator": "==", "value": true},
           {"id": "c2", "type": "param", "key": "$.Ports[*]", "operator": "==", "value": 3306}],
         "expression": "c1 || c2"},
         "evidence": {"resourceId": "$.DBInstanceIdentifier", "displayName": "$.DBName",
                      "keys": ["$.PubliclyAccessible", "$.Ports[*]", "$.Missing"]}}
        """)

    @Test func oneFindingPerItemWithEvidenceAndCounts() async throws {
        let context = NodeContext(
            nodeId: "control", nodeName: "Control",
            execution: ExecutionInfo(id: "e", runId: "r", connector: "prod-aws", accountId: "123456789012",
                                     region: "eu-west-2", startedAt: testStartedAt),
            input: Items(Self.instances))
        let result = try await run(ControlNode.self, Self.params, context)
        let findings = try result.items()
        #expect(findings.count == 3)
        #expect(findings.map { $0["result"] } == ["FAIL", "FAIL", "PASS"])
        #expect(findings.map { $0["resourceId"] } == ["db-a", "db-b", "db-c"])
        #expect(findings.map { $0["displayName"] ?? "absent" } == ["orders", "users", .null])
        #expect(findings.map { $0["matched"] } == [["c1"], ["c2"], []])
        #expect(findings[0]["evidence"] == ["$.PubliclyAccessible": true, "$.Ports[*]": [5432, 5433], "$.Missing": nil])
        #expect(findings[1]["evidence"]?["$.Ports[*]"] == 3306)
        #expect(findings.allSatisfy { $0["connector"] == "prod-aws" && $0["accountId"] == "123456789012" && $0["region"] == "eu-west-2" })
        #expect(Array(findings[0].objectValue?.keys ?? []) ==
            ["resourceId", "displayName", "result", "evidence", "matched", "connector", "accountId", "region"])
        #expect(result.summary == ["passed": 1, "failed": 2])
        #expect(result.trace?["items"]?.arrayValue?.count == 3)
        #expect(result.trace?["items"]?.arrayValue?.first?["result"] == "FAIL")
    }

    @Test func criteriaMatchPassInvertsTheResult() async throws {
        guard case .object(var params) = Self.params else { return }
        params["criteriaMatch"] = "pass"
        let result = try await run(ControlNode.self, .object(params), makeContext(input: Self.instances))
        #expect(try result.items().map { $0["result"] } == ["PASS", "PASS", "FAIL"])
        #expect(result.summary == ["passed": 2, "failed": 1])
    }

    @Test func withoutEvidenceFindingsStillNameTheResult() async throws {
        let params = json(#"{"criteria": {"conditions": [{"id": "c1", "type": "param", "key": "$.PubliclyAccessible", "operator": "==", "value": true}]}}"#)
        let findings = try await run(ControlNode.self, params, makeContext(input: Self.instances)).items()
        #expect(findings.map { $0["result"] } == ["FAIL", "PASS", "PASS"])
        #expect(findings.allSatisfy { $0["resourceId"] == .null && $0["evidence"] == [:] })
    }

    @Test func invalidCriteriaFailWithTheConditionId() async throws {
        let params = json(#"{"criteria": {"conditions": [{"id": "c7", "type": "param", "key": "$.a", "operator": "matches", "value": "("}]}}"#)
        await #expect(throws: NodeError.self) {
            _ = try await run(ControlNode.self, params, makeContext(input: Self.instances))
        }
        do {
            _ = try await run(ControlNode.self, params, makeContext(input: Self.instances))
        } catch let error as NodeError {
            #expect(error.message.contains("c7"))
            #expect(error.code == "invalidParameter")
        }
    }

    @Test func anEmptyInputGivesNoFindingsAndZeroCounts() async throws {
        let result = try await run(ControlNode.self, Self.params, makeContext(input: []))
        #expect(try result.items().isEmpty)
        #expect(result.summary == ["passed": 0, "failed": 0])
    }
}
