import Testing
import WeftEngine
import WeftModel
@testable import WeftNodes

@Suite struct FormatterFieldTests {
    let item: JSON = [
        "InstanceId": "i-1", "State": ["Name": "running", "Code": 16],
        "Tags": [["Key": "Owner", "Value": "db"], ["Key": "Env", "Value": "prod"]],
    ]

    @Test func computesFieldsFromPathsTemplatesAndConstants() async throws {
        let params: JSON = ["fields": [
            ["name": "id", "value": "$.InstanceId"],
            ["name": "state", "value": "$.State.Name"],
            ["name": "text", "value": "State.Name"],
            ["name": "tagKeys", "value": "$.Tags[*].Key"],
            ["name": "firstTag", "value": "$.Tags[0].Key"],
            ["name": "missing", "value": "$.Nope"],
            ["name": "label", "value": "{{ $.InstanceId }} in {{ $execution.region }}"],
            ["name": "code", "value": "{{ $.State.Code }}"],
            ["name": "count", "value": 3],
            ["name": "flag", "value": true],
            ["name": "nested", "value": ["region": "{{ $execution.region }}", "fixed": [1, 2]]],
        ]]
        let result = try await run(FormatterNode.self, params, makeContext(input: [item]))
        let expected: JSON = [
            "id": "i-1", "state": "running", "text": "State.Name", "tagKeys": ["Owner", "Env"], "firstTag": "Owner", "missing": nil,
            "label": "i-1 in eu-west-2", "code": 16, "count": 3, "flag": true,
            "nested": ["region": "eu-west-2", "fixed": [1, 2]],
        ]
        #expect(try result.items() == [expected])
        #expect(try result.items()[0].objectValue.map { Array($0.keys) }
            == ["id", "state", "text", "tagKeys", "firstTag", "missing", "label", "code", "count", "flag", "nested"])
    }

    @Test func keepOthersMergesFieldsIntoTheItem() async throws {
        let params: JSON = ["keepOthers": true, "fields": [
            ["name": "State", "value": "$.State.Name"],
            ["name": "owner", "value": "$.Tags[?@.Key == 'Owner'].Value"],
        ]]
        let result = try await run(FormatterNode.self, params, makeContext(input: [item, "scalar"]))
        let items = try result.items()
        #expect(items[0] == ["InstanceId": "i-1", "State": "running", "Tags": item["Tags"]!, "owner": "db"])
        #expect(items[0].objectValue.map { Array($0.keys) } == ["InstanceId", "State", "Tags", "owner"])
        #expect(items[1] == ["State": nil, "owner": nil])
    }

    @Test func withoutFieldsItemsPassThrough() async throws {
        let result = try await run(FormatterNode.self, [:], makeContext(input: [item, 2]))
        #expect(try result.items() == [item, 2])
    }

    @Test func modeAllEvaluatesFieldsOnceOverAllItems() async throws {
        let params: JSON = ["mode": "all", "keepOthers": true, "fields": [
            ["name": "ids", "value": "$[*].id"],
            ["name": "first", "value": "$[0].id"],
            ["name": "summary", "value": "{{ $[0].id }} and more"],
        ]]
        let result = try await run(FormatterNode.self, params, makeContext(input: [["id": "a"], ["id": "b"], ["id": "c"]]))
        #expect(try result.items() == [["ids": ["a", "b", "c"], "first": "a", "summary": "a and more"]])
    }

    @Test func modeAllWithoutFieldsGivesOneArrayItem() async throws {
        let result = try await run(FormatterNode.self, ["mode": "all"], makeContext(input: [1, 2]))
        #expect(try result.items() == [[1, 2]])
    }

    @Test func readsTheInputReference() async throws {
        let params: JSON = ["input": ["node": "n1", "path": "$.list[*]"], "fields": [["name": "v", "value": "$.v"]]]
        let context = makeContext(input: [["ignored": true]], nodeOutputs: ["n1": [["list": [["v": 1], ["v": 2]]]]])
        #expect(try await run(FormatterNode.self, params, context).items() == [["v": 1], ["v": 2]])
    }

    @Test func invalidFieldsAreNodeErrors() async throws {
        let badPath = try await #require(throws: NodeError.self) {
            try await run(FormatterNode.self, ["fields": [["name": "a", "value": "$["]]], makeContext(input: [item]))
        }
        #expect(badPath.message.contains("fields[0].value"))
        #expect(badPath.code == "invalidParameter")
        let badTemplate = try await #require(throws: NodeError.self) {
            try await run(FormatterNode.self, ["fields": [["name": "a", "value": "{{ $.a "]]], makeContext(input: [item]))
        }
        #expect(badTemplate.message.contains("fields[0].value"))
        let unknownNode = try await #require(throws: NodeError.self) {
            try await run(FormatterNode.self, ["fields": [["name": "a", "value": "{{ $nodes.nope }}"]]], makeContext(input: [item]))
        }
        #expect(unknownNode.itemIndex == 0)
    }
}

@Suite struct FormatterOperationTests {
    func apply(_ operations: JSON, to items: [JSON]) async throws -> [JSON] {
        try await run(FormatterNode.self, ["operations": operations], makeContext(input: items)).items()
    }

    @Test func flattenSpreadsArrayItems() async throws {
        #expect(try await apply([["op": "flatten"]], to: [[1, 2], 3, [[4]]]) == [1, 2, 3, [4]])
    }

    @Test func flattenSpreadsTheArrayAtAPath() async throws {
        let items: JSON = [["Reservations": [["Instances": [["id": 1], ["id": 2]]], ["Instances": [["id": 3]]]]], ["Other": 1]]
        #expect(try await apply([["op": "flatten", "path": "$.Reservations[*].Instances"]], to: items.arrayValue!)
            == [["id": 1], ["id": 2], ["id": 3]])
    }

    @Test func sortIsStableNumericAndPutsMissingLast() async throws {
        let items: [JSON] = [["n": 10, "t": "a"], ["t": "missing"], ["n": 9.5, "t": "b"], ["n": 10, "t": "c"], ["n": nil, "t": "null"], ["n": -1, "t": "d"]]
        let ascending = try await apply([["op": "sort", "by": "n"]], to: items)
        #expect(ascending.map { $0["t"]! } == ["d", "b", "a", "c", "missing", "null"])
        let descending = try await apply([["op": "sort", "by": "$.n", "order": "desc"]], to: items)
        #expect(descending.map { $0["t"]! } == ["a", "c", "b", "d", "missing", "null"])
    }

    @Test func sortOrdersStringsByCodePointAndTypesByRank() async throws {
        let items: [JSON] = [["k": "b"], ["k": "B"], ["k": "\u{e9}"], ["k": "a"], ["k": true], ["k": 2], ["k": false], ["k": "Z"]]
        let sorted = try await apply([["op": "sort", "by": "k"]], to: items)
        #expect(sorted.map { $0["k"]! } == [2, "B", "Z", "a", "b", "\u{e9}", false, true])
    }

    @Test func dedupeKeepsTheFirstOfEachKey() async throws {
        let items: [JSON] = [["id": 1, "v": "a"], ["id": 1.0, "v": "b"], ["v": "no id"], ["id": 2, "v": "c"], ["v": "no id"]]
        #expect(try await apply([["op": "dedupe", "by": "id"]], to: items).map { $0["v"]! } == ["a", "no id", "c", "no id"])
        #expect(try await apply([["op": "dedupe"]], to: [["a": 1, "b": 2], ["b": 2, "a": 1], 3, 3]) == [["a": 1, "b": 2], 3])
    }

    @Test func limitSkipsAndKeeps() async throws {
        let items: [JSON] = [1, 2, 3, 4, 5]
        #expect(try await apply([["op": "limit", "count": 2]], to: items) == [1, 2])
        #expect(try await apply([["op": "limit", "count": 2, "offset": 3]], to: items) == [4, 5])
        #expect(try await apply([["op": "limit", "count": 9, "offset": 9]], to: items) == [])
    }

    @Test func groupByCollectsItemsInFirstSeenOrder() async throws {
        let items: [JSON] = [["r": "eu", "id": 1], ["r": "us", "id": 2], ["id": 3], ["r": "eu", "id": 4]]
        #expect(try await apply([["op": "groupBy", "by": "r"]], to: items) == [
            ["key": "eu", "items": [["r": "eu", "id": 1], ["r": "eu", "id": 4]]],
            ["key": "us", "items": [["r": "us", "id": 2]]],
            ["key": nil, "items": [["id": 3]]],
        ])
        let named = try await apply([["op": "groupBy", "by": "r", "as": "members"]], to: items)
        #expect(named[0]["members"]?.arrayValue?.count == 2)
    }

    @Test func xmlToJsonConvertsAField() async throws {
        let xml = """
            <?xml version="1.0"?>
            <Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>r-1</requestId>
              <item id="a" kind="x">one</item>
              <item id="b">two</item>
              <empty/>
              <nested><value>1</value><value>2</value></nested>
              <![CDATA[ raw <text> ]]>
            </Response>
            """
        let items: [JSON] = [["body": .string(xml), "keep": 1], ["keep": 2], ["body": nil]]
        let result = try await apply([["op": "xmlToJson", "field": "body"]], to: items)
        #expect(result[0] == [
            "body": ["Response": [
                "@xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/",
                "requestId": "r-1",
                "item": [["@id": "a", "@kind": "x", "#text": "one"], ["@id": "b", "#text": "two"]],
                "empty": nil,
                "nested": ["value": ["1", "2"]],
                "#text": "raw <text>",
            ]],
            "keep": 1,
        ])
        #expect(result[1] == ["keep": 2])
        #expect(result[2] == ["body": nil])
    }

    @Test func xmlToJsonFailsOnInvalidXMLNamingTheItem() async throws {
        let error = try await #require(throws: NodeError.self) {
            try await apply([["op": "xmlToJson", "field": "$.x"]], to: [["x": "<a>ok</a>"], ["x": "<a><b></a>"]])
        }
        #expect(error.itemIndex == 1)
        let notText = try await #require(throws: NodeError.self) {
            try await apply([["op": "xmlToJson", "field": "$.x"]], to: [["x": 5]])
        }
        #expect(notText.message.contains("number"))
    }

    @Test func jsonToCsvMakesOneItem() async throws {
        let items: [JSON] = [["id": "i-1", "State": ["Name": "running"], "Tags": ["a", "b"]], ["id": "i-2, x", "Extra": true]]
        #expect(try await apply([["op": "jsonToCsv"]], to: items) == [[
            "csv": "id,State.Name,Tags,Extra\r\ni-1,running,\"[\"\"a\"\",\"\"b\"\"]\",\r\n\"i-2, x\",,,true\r\n",
        ]])
        let columns: JSON = [["op": "jsonToCsv", "columns": ["$.id", ["header": "State", "value": "State.Name"]]]]
        #expect(try await apply(columns, to: items) == [["csv": "$.id,State\r\ni-1,running\r\n\"i-2, x\",\r\n"]])
        #expect(try await apply([["op": "jsonToCsv"]], to: []) == [["csv": ""]])
    }

    @Test func dateFormatRewritesDates() async throws {
        let items: [JSON] = [["t": "2024-05-01T12:30:45.5+02:00"], ["t": 1_714_566_645], ["t": nil], ["other": 1]]
        #expect(try await apply([["op": "dateFormat", "field": "t", "format": "iso8601"]], to: items)
            == [["t": "2024-05-01T10:30:45.500Z"], ["t": "2024-05-01T12:30:45.000Z"], ["t": nil], ["other": 1]])
        #expect(try await apply([["op": "dateFormat", "field": "t", "format": "epochSeconds"]], to: Array(items.prefix(2)))
            == [["t": 1_714_559_445], ["t": 1_714_566_645]])
        #expect(try await apply([["op": "dateFormat", "field": "t", "format": "epochMillis"]], to: Array(items.prefix(1)))
            == [["t": 1_714_559_445_500]])
        #expect(try await apply([["op": "dateFormat", "field": "t", "format": "date"]], to: Array(items.prefix(2)))
            == [["t": "2024-05-01"], ["t": "2024-05-01"]])
        #expect(try await apply([["op": "dateFormat", "field": "$.list[*]", "format": "date"]], to: [["list": ["2024-01-02T23:00:00-02:00", 0]]])
            == [["list": ["2024-01-03", "1970-01-01"]]])
        let error = try await #require(throws: NodeError.self) {
            try await apply([["op": "dateFormat", "field": "t", "format": "date"]], to: [["t": "2024-05-01"], ["t": "yesterday"]])
        }
        #expect(error.itemIndex == 1)
        #expect(error.code == "invalidData")
    }

    @Test func operationsApplyInOrderAfterTheFields() async throws {
        let params: JSON = [
            "fields": [["name": "r", "value": "$.region"], ["name": "n", "value": "$.n"]],
            "operations": [["op": "sort", "by": "n", "order": "desc"], ["op": "dedupe", "by": "r"], ["op": "limit", "count": 1]],
        ]
        let items: [JSON] = [["region": "eu", "n": 1], ["region": "us", "n": 3], ["region": "eu", "n": 2]]
        #expect(try await run(FormatterNode.self, params, makeContext(input: items)).items() == [["r": "us", "n": 3]])
    }

    @Test func invalidOperationsAreNodeErrorsWithTheirIndex() async throws {
        let cases: [(JSON, String)] = [
            ([["op": "limit", "count": 1], ["op": "explode"]], "operations[1]: unknown operation \"explode\""),
            ([["op": "sort"]], "operations[0] (sort): by is required"),
            ([["op": "sort", "by": "a", "order": "up"]], "operations[0] (sort): order must be asc or desc"),
            ([["op": "limit"]], "operations[0] (limit): count is required"),
            ([["op": "limit", "count": -1]], "must not be negative"),
            ([["op": "dateFormat", "field": "a", "format": "rfc822"]], "format must be one of"),
            ([["op": "groupBy", "by": "$["]], "operations[0].by"),
        ]
        for (operations, message) in cases {
            let error = try await #require(throws: NodeError.self) {
                try await apply(operations, to: [[:]])
            }
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.code == "invalidParameter")
        }
    }
}
