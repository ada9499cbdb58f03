import Testing
import WeftModel

struct DocumentDiffTests {
    @Test func nodesAreMatchedByIdAndOtherArraysByPosition() throws {
        let before = try JSON.parse("""
            {"name": "Hosts", "tags": ["a", "b"], "nodes": [
              {"id": "trigger", "type": "trigger"},
              {"id": "data", "type": "data", "params": {"items": [1, 2]}},
              {"id": "old", "type": "filter"}]}
            """)
        let after = try JSON.parse("""
            {"name": "Hosts v2", "tags": ["a"], "description": "new", "nodes": [
              {"id": "trigger", "type": "trigger"},
              {"id": "inserted", "type": "data"},
              {"id": "data", "type": "data", "params": {"items": [1, 3]}}]}
            """)
        let changes = DocumentDiff.changes(from: before, to: after).map { "\($0.kind.rawValue) \($0.path)" }
        #expect(changes == [
            "replaced /name", "removed /tags/1", "added /description", "removed /nodes/old", "added /nodes/inserted",
            "replaced /nodes/data/params/items/1",
        ])
        #expect(DocumentDiff.changes(from: before, to: before).isEmpty)
        let replaced = try #require(DocumentDiff.changes(from: before, to: after).first)
        #expect(replaced.json == ["change": "replaced", "path": "/name", "before": "Hosts", "after": "Hosts v2"])
    }

    @Test func keysWithSlashesAreEscapedAndTypeChangesAreReplacements() throws {
        let changes = DocumentDiff.changes(from: ["a/b": 1, "x": ["k": 1]], to: ["a/b": 2, "x": [1]])
        #expect(changes.map(\.path) == ["/a~1b", "/x"])
        #expect(changes.map(\.kind) == [.replaced, .replaced])
    }
}
