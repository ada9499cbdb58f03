import Testing
import WeftEngine
import WeftModel
@testable import WeftNodes

@Suite struct ReportTests {
    let items: [JSON] = [
        ["id": "db-1", "public": true, "engine": ["name": "postgres", "version": 16], "groups": ["sg-1", "sg-2"]],
        ["id": "db, \"2\"", "public": false, "note": "line 1\nline 2", "score": 1.5, "engine": ["name": nil], "empty": [:]],
    ]

    @Test func writesCSVWithAllKeysFlattened() async throws {
        let sink = CapturingSink()
        let result = try await run(ReportNode.self, [:], makeContext(input: items, artifacts: sink))
        #expect(sink.text("report.csv") == "id,public,engine.name,engine.version,groups,note,score,empty\r\n"
            + "db-1,true,postgres,16,\"[\"\"sg-1\"\",\"\"sg-2\"\"]\",,,\r\n"
            + "\"db, \"\"2\"\"\",false,,,,\"line 1\nline 2\",1.5,{}\r\n")
        #expect(try result.items() == [["file": "report.csv", "path": "/artifacts/exec-1/report.csv", "format": "csv", "rows": 2]])
    }

    @Test func writesCSVWithDeclaredColumns() async throws {
        let sink = CapturingSink()
        let params: JSON = ["columns": [["header": "Database", "value": "$.id"], "engine.name", ["value": "$.groups[*]"], ["header": "Missing", "value": "nope"]]]
        _ = try await run(ReportNode.self, params, makeContext(input: items, artifacts: sink))
        #expect(sink.text("report.csv") == "Database,engine.name,$.groups[*],Missing\r\ndb-1,postgres,\"[\"\"sg-1\"\",\"\"sg-2\"\"]\",\r\n\"db, \"\"2\"\"\",,,\r\n")
    }

    @Test func writesAPrettyJSONArray() async throws {
        let sink = CapturingSink()
        let result = try await run(ReportNode.self, ["format": "json", "input": ["node": "src"]],
                                   makeContext(nodeOutputs: ["src": [["a": 1, "b": ["c": [1, 2]]], "x"]], artifacts: sink))
        #expect(sink.text("report.json") == """
            [
              {
                "a": 1,
                "b": {
                  "c": [
                    1,
                    2
                  ]
                }
              },
              "x"
            ]

            """)
        #expect(try result.items()[0]["rows"] == 2)
        #expect(try result.items()[0]["format"] == "json")
    }

    @Test func writesJSONRowsForDeclaredColumns() async throws {
        let sink = CapturingSink()
        let params: JSON = ["format": "json", "columns": [["header": "Id", "value": "id"], ["header": "Note", "value": "note"]]]
        _ = try await run(ReportNode.self, params, makeContext(input: items, artifacts: sink))
        #expect(sink.text("report.json") == "[\n  {\n    \"Id\": \"db-1\",\n    \"Note\": null\n  },\n  {\n    \"Id\": \"db, \\\"2\\\"\",\n    \"Note\": \"line 1\\nline 2\"\n  }\n]\n")
    }

    @Test func emptyInputGivesAnEmptyFile() async throws {
        let sink = CapturingSink()
        _ = try await run(ReportNode.self, [:], makeContext(artifacts: sink))
        #expect(sink.text("report.csv") == "")
        _ = try await run(ReportNode.self, ["format": "json"], makeContext(artifacts: sink))
        #expect(sink.text("report.json") == "[]\n")
        _ = try await run(ReportNode.self, ["columns": ["a"]], makeContext(artifacts: sink))
        #expect(sink.text("report.csv") == "a\r\n")
    }

    @Test func rendersTheFileName() async throws {
        let sink = CapturingSink()
        let params: JSON = ["fileName": "rds-{{ $execution.region }}-{{ $.id }}.csv"]
        let result = try await run(ReportNode.self, params, makeContext(input: items, artifacts: sink))
        #expect(try result.items()[0]["file"] == "rds-eu-west-2-db-1.csv")
        #expect(sink.text("rds-eu-west-2-db-1.csv") != nil)
    }

    @Test(arguments: ["../escape.csv", "dir/file.csv", "..", "a\\b.csv", "{{ $.nothing }}"])
    func rejectsFileNamesThatAreNotPlain(name: String) async throws {
        let error = try await #require(throws: NodeError.self) {
            try await run(ReportNode.self, ["fileName": .string(name)], makeContext(input: [["a": 1]], artifacts: CapturingSink()))
        }
        #expect(error.code == "invalidParameter")
    }

    @Test func needsAPlaceToKeepFiles() async throws {
        let error = try await #require(throws: NodeError.self) {
            try await run(ReportNode.self, [:], makeContext(input: items))
        }
        #expect(error.message.contains("no place to keep report files"))
    }
}
