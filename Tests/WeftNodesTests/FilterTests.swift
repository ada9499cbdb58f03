import Testing
import WeftEngine
import WeftModel
@testable import WeftNodes

@Suite struct FilterTests {
    let instances: [JSON] = [
        ["InstanceId": "i-1", "State": ["Name": "running"], "Tags": [["Key": "Owner", "Value": "db"]]],
        ["InstanceId": "i-2", "State": ["Name": "stopped"]],
        ["InstanceId": "i-3", "State": ["Name": "running"]],
    ]

    @Test func splitsItemsIntoMainAndRejected() async throws {
        let params: JSON = [
            "conditions": [
                ["id": "c1", "type": "param", "key": "State.Name", "operator": "==", "value": "running"],
                ["id": "c2", "type": "tags", "key": "Owner", "operator": "notExists"],
            ],
            "expression": "{ (c1 && c2) }",
        ]
        let result = try await run(FilterNode.self, params, makeContext(input: instances))
        #expect(try result.items("main") == [instances[2]])
        #expect(try result.items("rejected") == [instances[0], instances[1]])
    }

    @Test func anEmptyExpressionANDsAllConditions() async throws {
        let params: JSON = ["conditions": [
            ["id": "c1", "type": "param", "key": "State.Name", "operator": "==", "value": "running"],
            ["id": "c2", "type": "param", "key": "InstanceId", "operator": "!=", "value": "i-1"],
        ]]
        let result = try await run(FilterNode.self, params, makeContext(input: instances))
        #expect(try result.items().map { $0["InstanceId"] } == ["i-3"])
    }

    @Test func tracesEachItemsVerdict() async throws {
        let params: JSON = ["conditions": [["id": "c1", "type": "param", "key": "$.Missing", "operator": "==", "value": 1]],
                            "expression": "c1"]
        let result = try await run(FilterNode.self, params, makeContext(input: [["Missing": 1], ["Other": 2]]))
        let trace = try #require(result.trace)
        #expect(trace["total"] == 2)
        #expect(trace["traced"] == 2)
        #expect(trace["matched"] == 1)
        #expect(trace["rejected"] == 1)
        #expect(trace["truncated"] == false)
        let entries = try #require(trace["items"]?.arrayValue)
        #expect(entries[0]["index"] == 0)
        #expect(entries[0]["matched"] == true)
        #expect(entries[1]["index"] == 1)
        #expect(entries[1]["matched"] == false)
        let condition = try #require(entries[1]["conditions"]?.arrayValue?.first)
        #expect(condition["id"] == "c1")
        #expect(condition["outcome"] == "unevaluable")
        #expect(condition["reason"]?.stringValue?.contains("c1:") == true)
    }

    @Test func capsTheTraceAtAThousandItems() async throws {
        let items = (0..<1_005).map { JSON.object(["n": .int(Int64($0))]) }
        let params: JSON = ["conditions": [["id": "even", "type": "param", "key": "n", "operator": "<", "value": 500]]]
        let result = try await run(FilterNode.self, params, makeContext(input: items))
        #expect(try result.items("main").count == 500)
        #expect(try result.items("rejected").count == 505)
        let trace = try #require(result.trace)
        #expect(trace["items"]?.arrayValue?.count == 1_000)
        #expect(trace["items"]?.arrayValue?.last?["index"] == 999)
        #expect(trace["truncated"] == true)
        #expect(trace["total"] == 1_005)
        #expect(trace["note"]?.stringValue?.contains("first 1000 of 1005") == true)
    }

    @Test func readsTheInputReferenceWithItsPath() async throws {
        let page: JSON = ["Reservations": [["Id": "r-1", "Count": 3], ["Id": "r-2", "Count": 0]]]
        let params: JSON = [
            "input": ["node": "Describe", "path": "$.Reservations[*]"],
            "conditions": [["id": "c1", "type": "param", "key": "Count", "operator": ">", "value": 0]],
        ]
        let context = makeContext(nodeOutputs: ["node-1": [page]], nodeIdsByName: ["Describe": "node-1"])
        let result = try await run(FilterNode.self, params, context)
        #expect(try result.items() == [["Id": "r-1", "Count": 3]])
        #expect(try result.items("rejected") == [["Id": "r-2", "Count": 0]])
    }

    @Test func anInvalidConditionIsANodeErrorNamingIt() async throws {
        let params: JSON = ["conditions": [["id": "bad", "type": "param", "key": "Name", "operator": "matches", "value": "([a-z"]]]
        let error = try await #require(throws: NodeError.self) {
            try await run(FilterNode.self, params, makeContext(input: instances))
        }
        #expect(error.code == "invalidParameter")
        #expect(error.message.contains("condition bad"))
        #expect(error.message.contains("value"))
    }

    @Test func anExpressionNamingAnUnknownConditionIsANodeError() async throws {
        let params: JSON = ["conditions": [["id": "c1", "type": "param", "key": "a", "operator": "exists"]], "expression": "c1 || c9"]
        let error = try await #require(throws: NodeError.self) { try await run(FilterNode.self, params, makeContext()) }
        #expect(error.message.contains("c9"))
    }
}
