import Foundation
import Testing
import WeftEngine
import WeftHTTP
import WeftModel
@testable import WeftNodes

struct BodyItemsTests {
    func file(_ text: String, layout: BodyItemLayout) throws -> BodyItemFile {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("weft-body-test-\(UUID().uuidString).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return BodyItemFile(path: path, layout: layout)
    }

    func items(_ file: BodyItemFile) throws -> [JSON] {
        var reader = try file.makeReader()
        var all: [JSON] = []
        while let item = try reader.next() { all.append(item) }
        return all
    }

    @Test(arguments: [
        ("$", [] as [BodyPathStep]),
        ("", []),
        ("$[*]", []),
        ("$.data.items", [.name("data"), .name("items")]),
        ("data.items[*]", [.name("data"), .name("items")]),
        ("$['result'][0].rows", [.name("result"), .index(0), .name("rows")]),
        ("$[\"a b\"]", [.name("a b")]),
    ])
    func pathsOfNamesAndIndexes(text: String, steps: [BodyPathStep]) throws {
        #expect(try BodyItemLayout.steps(text) == steps)
    }

    @Test func pathsWithFiltersAreRejected() {
        #expect(throws: HTTPRequestError.self) { try BodyItemLayout.steps("$.items[?@.a]") }
    }

    static let tricky = """
        [ {"a": "]},[{", "b": [1, {"c": "\\"]"}]},
          "text with \\\\ and \\" ]",
          42 , -1.5e3, true, null,
          [], {} ]
        """

    @Test func aTopLevelArrayIsReadElementByElement() throws {
        let body = try file(Self.tricky, layout: .array(at: []))
        let expected = try JSON.parse(Self.tricky).arrayValue ?? []
        #expect(try items(body) == expected)
        #expect(try body.countItems() == 8)
    }

    @Test func theArrayAtAPathIsFoundPastDecoys() throws {
        let text = """
            {"meta": {"items": "[1, 2]", "note": "\\"items\\": ["}, "skip": [[{"items": [9]}]],
             "data": {"before": {"x": [1, 2, {"y": "}"}]}, "items": \(Self.tricky), "after": 1}}
            """
        let body = try file(text, layout: .array(at: [.name("data"), .name("items")]))
        #expect(try items(body) == (try JSON.parse(Self.tricky).arrayValue ?? []))
        #expect(try body.countItems() == 8)
        let indexed = try file(#"{"pages": [[1], [2, 3], [4]]}"#, layout: .array(at: [.name("pages"), .index(1)]))
        #expect(try items(indexed) == [2, 3])
    }

    @Test func nullAtThePathIsNoItemsAndAMissingPathIsAnError() throws {
        let empty = try file(#"{"data": {"items": null}}"#, layout: .array(at: [.name("data"), .name("items")]))
        #expect(try items(empty).isEmpty)
        #expect(try empty.countItems() == 0)
        let missing = try file(#"{"data": {"other": []}}"#, layout: .array(at: [.name("data"), .name("items")]))
        #expect(throws: JSONParseError.self) { try missing.countItems() }
        #expect(throws: JSONParseError.self) { try items(missing) }
    }

    @Test func aTruncatedBodyFailsTheCount() throws {
        let body = try file(#"[{"a": 1}, {"b": [2, 3"#, layout: .array(at: []))
        #expect(throws: JSONParseError.self) { try body.countItems() }
    }

    @Test func ndjsonIsDetectedAndRead() throws {
        let text = "{\"a\": 1}\n\n  {\"a\": 2}\r\n[3]\n"
        let probe = try file(text, layout: .ndjson)
        #expect(try BodyItemLayout.detect(file: probe.path, path: nil) == .ndjson)
        #expect(try items(probe) == [["a": 1], ["a": 2], [3]])
        #expect(try probe.countItems() == 3)
        let pretty = try file("{\n  \"a\": 1\n}\n", layout: .document)
        #expect(try BodyItemLayout.detect(file: pretty.path, path: nil) == .document)
        #expect(try items(pretty) == [["a": 1]])
        let array = try file("  [1, 2]", layout: .document)
        #expect(try BodyItemLayout.detect(file: array.path, path: nil) == .array(at: []))
    }

    @Test func theFileIsRemovedWithTheLastReference() throws {
        var body: BodyItemFile? = try file("[1]", layout: .array(at: []))
        let path = body!.path
        #expect(FileManager.default.fileExists(atPath: path))
        body = nil
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func itemsReadFromAStreamBehaveLikeOtherItems() async throws {
        let values: [JSON] = (0..<25).map { ["n": .int(Int64($0)), "s": .string("v\n\($0)")] }
        var text: [UInt8] = []
        JSON.array(values).write(to: &text, pretty: true)
        let items = Items(stream: DownloadedItems(files: [try file(String(decoding: text, as: UTF8.self), layout: .array(at: [])),
                                                          try file("", layout: .ndjson),
                                                          try file("{\"n\": 25}\n{\"n\": 26}", layout: .ndjson)]))
        let all = values + [["n": 25], ["n": 26]]
        #expect(items.isSpilled)
        #expect(items.count == 27)
        #expect(try items.first() == values[0])
        #expect(try items.collect() == all)
        var pages: [(Int, Int)] = []
        var paged: [JSON] = []
        try items.forEachPage(size: 10) { first, count, bytes in
            pages.append((first, count))
            paged += try JSON.parse(bytes).arrayValue ?? []
        }
        #expect(pages.map(\.0) == [0, 10, 20])
        #expect(pages.map(\.1) == [10, 10, 7])
        #expect(paged == all)
        var batches: [Int] = []
        try await items.forEachBatch(size: 8) { batches.append($0.count) }
        #expect(batches == [8, 8, 8, 3])
        let concatenated = try Items.concatenate([items, Items([["n": 27]])])
        #expect(concatenated.count == 28)
    }
}
