import Testing
import WeftEngine
import WeftModel
@testable import WeftNodes

@Suite struct JoinerTests {
    let instances: [JSON] = [
        ["InstanceId": "i-1", "Name": "web"],
        ["InstanceId": "i-2", "Name": "db"],
        ["Name": "no id"],
        ["InstanceId": nil, "Name": "null id"],
        ["InstanceId": "i-3", "Name": "batch"],
    ]
    let volumes: [JSON] = [
        ["VolumeId": "v-1", "Attachment": ["InstanceId": "i-1"], "Name": "root"],
        ["VolumeId": "v-2", "Attachment": ["InstanceId": "i-9"]],
        ["VolumeId": "v-3", "Attachment": ["InstanceId": "i-1"]],
        ["VolumeId": "v-4"],
        ["VolumeId": "v-5", "Attachment": ["InstanceId": "i-2"]],
        ["VolumeId": "v-6", "Attachment": ["InstanceId": nil]],
    ]

    func join(_ mode: String, as key: String? = nil, left: [JSON]? = nil, right: [JSON]? = nil) async throws -> [JSON] {
        var params: JSONObject = [
            "left": ["node": "instances"], "right": ["node": "volumes"], "mode": .string(mode),
            "leftKey": "$.InstanceId", "rightKey": "Attachment.InstanceId",
        ]
        if let key { params["as"] = .string(key) }
        let context = makeContext(nodeOutputs: ["instances": left ?? instances, "volumes": right ?? volumes])
        return try await run(JoinerNode.self, .object(params), context).items()
    }

    @Test func innerJoinGivesOneItemPerMatchWithRightWinning() async throws {
        let joined = try await join("inner")
        #expect(joined == [
            ["InstanceId": "i-1", "Name": "root", "VolumeId": "v-1", "Attachment": ["InstanceId": "i-1"]],
            ["InstanceId": "i-1", "Name": "web", "VolumeId": "v-3", "Attachment": ["InstanceId": "i-1"]],
            ["InstanceId": "i-2", "Name": "db", "VolumeId": "v-5", "Attachment": ["InstanceId": "i-2"]],
        ])
        #expect(joined[0].objectValue.map { Array($0.keys) } == ["InstanceId", "Name", "VolumeId", "Attachment"])
    }

    @Test func leftJoinKeepsUnmatchedLeftItems() async throws {
        let joined = try await join("left")
        #expect(joined.map { $0["Name"]! } == ["root", "web", "db", "no id", "null id", "batch"])
        #expect(joined.map { $0["VolumeId"] } == ["v-1", "v-3", "v-5", nil, nil, nil])
    }

    @Test func rightJoinAddsUnmatchedRightItemsAfterTheMatches() async throws {
        let joined = try await join("right")
        #expect(joined.map { $0["VolumeId"]! } == ["v-1", "v-3", "v-5", "v-2", "v-4", "v-6"])
        #expect(joined[3] == volumes[1])
    }

    @Test func outerJoinKeepsEverything() async throws {
        let joined = try await join("outer")
        #expect(joined.count == 3 + 3 + 3)
        #expect(joined.map { $0["Name"] ?? "-" } == ["root", "web", "db", "no id", "null id", "batch", "-", "-", "-"])
        #expect(Array(joined.suffix(3)) == [volumes[1], volumes[3], volumes[5]])
    }

    @Test func asNestsMatchesInsteadOfMerging() async throws {
        let inner = try await join("inner", as: "Volumes")
        #expect(inner == [
            ["InstanceId": "i-1", "Name": "web", "Volumes": [volumes[0], volumes[2]]],
            ["InstanceId": "i-2", "Name": "db", "Volumes": [volumes[4]]],
        ])
        let left = try await join("left", as: "Volumes")
        #expect(left.count == 5)
        #expect(left[2] == ["Name": "no id", "Volumes": []])
        let right = try await join("right", as: "Volumes")
        #expect(right.count == 2 + 3)
    }

    @Test func keysCompareAsJSONValues() async throws {
        let left: [JSON] = [["k": 1, "l": "int"], ["k": ["a": 1, "b": 2], "l": "object"], ["k": "1", "l": "string"]]
        let right: [JSON] = [["k": 1.0, "r": "double"], ["k": ["b": 2, "a": 1], "r": "object"]]
        let params: JSON = ["left": ["node": "l"], "right": ["node": "r"], "leftKey": "k", "rightKey": "k"]
        let joined = try await run(JoinerNode.self, params, makeContext(nodeOutputs: ["l": left, "r": right])).items()
        #expect(joined.map { [$0["l"]!, $0["r"]!] } == [["int", "double"], ["object", "object"]])
    }

    @Test func appendConcatenates() async throws {
        let params: JSON = ["left": ["node": "a"], "right": ["node": "b", "path": "$.list[*]"], "mode": "append"]
        let context = makeContext(nodeOutputs: ["a": [1, 2], "b": [["list": [3, 4]]]])
        #expect(try await run(JoinerNode.self, params, context).items() == [1, 2, 3, 4])
    }

    @Test func byIndexMergesPairwiseUpToTheLongerSide() async throws {
        let params: JSON = ["left": ["node": "a"], "right": ["node": "b"], "mode": "byIndex"]
        let context = makeContext(nodeOutputs: ["a": [["x": 1, "y": 1], ["x": 2]], "b": [["y": 9], ["z": 8], ["z": 7]]])
        #expect(try await run(JoinerNode.self, params, context).items() == [["x": 1, "y": 9], ["x": 2, "z": 8], ["z": 7]])
        let nested: JSON = ["left": ["node": "b"], "right": ["node": "a"], "mode": "byIndex", "as": "pair"]
        #expect(try await run(JoinerNode.self, nested, context).items()
            == [["y": 9, "pair": [["x": 1, "y": 1]]], ["z": 8, "pair": [["x": 2]]], ["z": 7, "pair": []]])
    }

    @Test func keyModesNeedBothKeys() async throws {
        let params: JSON = ["left": ["node": "a"], "right": ["node": "b"], "leftKey": "id"]
        let error = try await #require(throws: NodeError.self) {
            try await run(JoinerNode.self, params, makeContext(nodeOutputs: ["a": [], "b": []]))
        }
        #expect(error.message == "rightKey is required for mode inner")
    }

    @Test func mergingNonObjectsIsANodeError() async throws {
        let params: JSON = ["left": ["node": "a"], "right": ["node": "b"], "leftKey": "$", "rightKey": "$"]
        let error = try await #require(throws: NodeError.self) {
            try await run(JoinerNode.self, params, makeContext(nodeOutputs: ["a": [1], "b": [1]]))
        }
        #expect(error.message.contains("cannot be merged"))
        #expect(error.itemIndex == 0)
    }

    @Test func anUnknownInputNodeIsANodeError() async throws {
        let params: JSON = ["left": ["node": "a"], "right": ["node": "missing"], "mode": "append"]
        await #expect(throws: NodeError.self) { try await run(JoinerNode.self, params, makeContext(nodeOutputs: ["a": []])) }
    }
}
