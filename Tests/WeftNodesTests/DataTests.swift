import Foundation
import Testing
import WeftEngine
import WeftModel
@testable import WeftNodes

@Suite struct DataTests {
    @Test func outputsInlineItems() async throws {
        let result = try await run(DataNode.self, ["items": [["a": 1], "text", 3, nil]], makeContext())
        #expect(try result.items() == [["a": 1], "text", 3, nil])
    }

    @Test func needsExactlyOneOfItemsAndFile() async throws {
        for params: JSON in [[:], ["items": [], "file": "x.json"]] {
            let error = try await #require(throws: NodeError.self) { try await run(DataNode.self, params, makeContext()) }
            #expect(error.message.contains("either items or file"))
            #expect(error.code == "invalidParameter")
        }
    }

    @Test func readsAJSONArrayRelativeToTheFlowDirectory() async throws {
        let result = try await run(DataNode.self, ["file": "instances.json"], makeContext(flowDirectory: fixturesDirectory))
        let items = try result.items()
        #expect(items.count == 3)
        #expect(items[0]["InstanceId"] == "i-1")
        #expect(items[2]["CpuCount"] == 4)
    }

    @Test func readsAnAbsolutePath() async throws {
        let path = fixturesDirectory + "/instances.json"
        let result = try await run(DataNode.self, ["file": .string(path)], makeContext(flowDirectory: "/nonexistent"))
        #expect(try result.items().count == 3)
    }

    @Test func readsNDJSONAndJSONLines() async throws {
        let context = makeContext(flowDirectory: fixturesDirectory)
        let events = try await run(DataNode.self, ["file": "events.ndjson"], context).items()
        #expect(events == [["id": 1, "name": "a"], ["id": 2, "name": "b"], ["id": 3, "nested": ["x": [1, 2]]]])
        let lines = try await run(DataNode.self, ["file": "lines.jsonl"], context).items()
        #expect(lines == [["id": 1], ["id": 2]])
    }

    @Test func readsCSVWithQuotesCommasNewlinesAndCRLF() async throws {
        let items = try await run(DataNode.self, ["file": "people.csv"], makeContext(flowDirectory: fixturesDirectory)).items()
        #expect(items == [
            ["name": "Smith, John", "description": "He said \"hi\"", "count": "3"],
            ["name": "multi\nline", "description": "plain", "count": ""],
            ["name": "last", "description": "", "count": "7"],
        ])
        #expect(items[0].objectValue.map { Array($0.keys) } == ["name", "description", "count"])
    }

    @Test func tellsTheFormatFromTheContentForOtherExtensions() async throws {
        let context = makeContext(flowDirectory: fixturesDirectory)
        let csv = try await run(DataNode.self, ["file": "settings.txt"], context).items()
        #expect(csv == [["key": "region", "value": "eu-west-2"], ["key": "short", "value": ""]])
        let json = try await run(DataNode.self, ["file": "numbers.data"], context).items()
        #expect(json == [["a": 1], ["a": 2]])
    }

    @Test func aMissingFileIsANodeErrorNamingThePath() async throws {
        let error = try await #require(throws: NodeError.self) {
            try await run(DataNode.self, ["file": "nope/missing.json"], makeContext(flowDirectory: fixturesDirectory))
        }
        #expect(error.message.contains(fixturesDirectory + "/nope/missing.json"))
    }

    @Test func invalidFilesAreNodeErrorsWithTheLine() async throws {
        let context = makeContext(flowDirectory: fixturesDirectory)
        let csv = try await #require(throws: NodeError.self) { try await run(DataNode.self, ["file": "broken.csv"], context) }
        #expect(csv.message.contains("broken.csv"))
        #expect(csv.message.contains("line 2"))
        let json = try await #require(throws: NodeError.self) { try await run(DataNode.self, ["file": "broken.json"], context) }
        #expect(json.message.contains("broken.json"))
        #expect(json.code == "invalidData")
    }
}

@Suite struct CSVTests {
    func records(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        try CSV.forEachRecord(Array(text.utf8)) { fields, _ in records.append(fields) }
        return records
    }

    @Test func readsRFC4180Records() throws {
        #expect(try records("a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
        #expect(try records("a,b\n1,2") == [["a", "b"], ["1", "2"]])
        #expect(try records("a,b\r1,2\r") == [["a", "b"], ["1", "2"]])
        #expect(try records("\"a,b\",\"c\"\"d\"\n") == [["a,b", "c\"d"]])
        #expect(try records("\"x\r\ny\",z\n") == [["x\r\ny", "z"]])
        #expect(try records("a,,\n") == [["a", "", ""]])
        #expect(try records("a\n\n\nb\n") == [["a"], ["b"]])
        #expect(try records("") == [])
        #expect(try records("caf\u{e9},\u{1F600}\n") == [["caf\u{e9}", "\u{1F600}"]])
    }

    @Test func reportsTheLineOfRecords() throws {
        var lines: [Int] = []
        try CSV.forEachRecord(Array("a\n\"b\nc\"\nd\n".utf8)) { _, line in lines.append(line) }
        #expect(lines == [1, 2, 4])
    }

    @Test func rejectsMalformedText() throws {
        #expect(throws: CSV.ReadError(message: "a quoted field is not closed", line: 2)) { try records("a\n\"b,c\nd") }
        #expect(throws: CSV.ReadError(message: "unexpected text after the closing quote of a field", line: 1)) {
            try records("\"a\"b,c\n")
        }
        #expect(throws: CSV.ReadError(message: "the record has 3 fields but the header has 2", line: 2)) {
            try CSV.items(from: Array("a,b\n1,2,3\n".utf8))
        }
        #expect(throws: CSV.ReadError(message: "the header names column \"a\" twice", line: 1)) {
            try CSV.items(from: Array("a,a\n1,2\n".utf8))
        }
    }

    @Test func writesQuotedFieldsAndCRLF() {
        var writer = CSV.Writer()
        writer.write(record: ["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""])
        writer.write(record: ["x"])
        #expect(String(decoding: writer.bytes, as: UTF8.self)
            == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\r\nx\r\n")
    }

    @Test func writtenTextReadsBack() throws {
        let rows = [["h1", "h2"], ["a,\"b\"", "c\r\nd"], ["", " e "]]
        var writer = CSV.Writer()
        for row in rows { writer.write(record: row) }
        #expect(try records(String(decoding: writer.bytes, as: UTF8.self)) == rows)
    }
}
