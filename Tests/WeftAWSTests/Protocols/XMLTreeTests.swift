import Foundation
import Testing
import WeftModel

@testable import WeftAWS

@Suite("XML tree and raw JSON index")
struct XMLTreeTests {
    private func tree(_ text: String) throws -> XMLTree { try XMLTree(parsing: Array(text.utf8)) }

    @Test("names lose their prefix, text before the first child is decoded, children keep their order")
    func structure() throws {
        let xml = try tree("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- leading comment -->
            <ns:Root xmlns:ns="urn:x" xmlns:xsi="urn:i"><a>1 &lt; 2 &amp;&#65;&#x42;&quot;&apos;&gt;</a><b xsi:type="Group" id='7 &amp; 8'/>\
            <a>second</a><c>x<!-- gone --><![CDATA[<raw> & ]]>y<?pi skipped?>z<d/>after</c></ns:Root>
            """)
        #expect(xml.name(xml.root) == "Root")
        let children = Array(xml.children(xml.root))
        #expect(children.map(xml.name) == ["a", "b", "a", "c"])
        #expect(xml.text(children[0]) == "1 < 2 &AB\"'>")
        #expect(xml.text(children[1]) == "")
        #expect(xml.attribute(children[1], "xsi:type") == "Group")
        #expect(xml.attribute(children[1], "id") == "7 & 8")
        #expect(xml.attribute(children[1], "type") == nil)
        #expect(xml.child(xml.root, "a") == children[0])
        #expect(xml.text(children[3]) == "x<raw> & yz")
        #expect(xml.hasChildren(children[3]))
        #expect(!xml.hasChildren(children[0]))
    }

    @Test("line ends read as \\n in text and as spaces in attribute values")
    func lineEnds() throws {
        let xml = try tree("<r v=\"a\r\nb\tc\"><t>one\r\ntwo\rthree\nfour</t></r>")
        #expect(xml.text(xml.child(xml.root, "t")!) == "one\ntwo\nthree\nfour")
        #expect(xml.attribute(xml.root, "v") == "a b c")
    }

    @Test("malformed documents are errors", arguments: [
        "", "   ", "text", "<a>", "<a></b>", "<a><b></a></b>", "<a/><b/>", "<a/>trailing", "<a>&nope;</a>",
        "<a>&amp</a>", "<a x=1/>", "<a x=\"1\"y=\"2\"/>", "<a x=\"<\"/>", "</a>", "<a><!-- open</a>", "<a><![CDATA[x</a>",
    ])
    func malformed(_ text: String) {
        #expect(throws: XMLTreeError.self) { try XMLTree(parsing: Array(text.utf8)) }
    }

    @Test("well-formed edge cases parse", arguments: [
        "<a/>", " <a > </a >\n", "\u{FEFF}<a/>", "<!DOCTYPE a [<!ELEMENT a ANY>]><a/>", "<a><b/><!----></a>", "<a>é &#233; ✓</a>",
    ])
    func wellFormed(_ text: String) throws {
        _ = try XMLTree(parsing: Array(text.utf8))
    }

    @Test("an empty tree stands for an empty body")
    func empty() {
        let xml = XMLTree.empty
        #expect(xml.name(xml.root) == "")
        #expect(!xml.hasChildren(xml.root))
        #expect(xml.text(xml.root) == "")
    }

    @Test("the raw JSON index finds members without parsing them and compaction drops documentation")
    func rawIndex() throws {
        let text = Array("""
            { "a" : {"documentation": "x", "b": [1, {"documentation":"y"}], "documentation" : "z"},
              "c\\u0041": "q\\"r", "a": true }
            """.utf8)
        let index = try text.withUnsafeBytes { try RawJSONIndex($0, range: 0..<$0.count) }
        #expect(index.names == ["a", "cA"])
        let value = try text.withUnsafeBytes { try JSON.parse(UnsafeRawBufferPointer(rebasing: $0[index.ranges["a"]!])) }
        #expect(value == true)
        let compact = try text.withUnsafeBytes { try RawJSONIndex.compacted($0, range: 0..<$0.count, dropping: "documentation") }
        #expect(String(decoding: compact, as: UTF8.self) == #"{"a":{"b":[1,{}]},"c\u0041":"q\"r","a":true}"#)
        let kept = try text.withUnsafeBytes { try RawJSONIndex.compacted($0, range: 0..<$0.count, dropping: nil) }
        #expect(try JSON.parse(kept) == JSON.parse(text))
        #expect(throws: RawJSONIndex.Malformed.self) {
            try Array("{\"a\": [1, 2}".utf8).withUnsafeBytes { try RawJSONIndex($0, range: 0..<$0.count) }
        }
    }
}

@Suite("Lazy botocore data", .enabled(if: BotocoreOracle.data != nil))
struct LazyBotocoreDataTests {
    @Test("endpoints resolved from the lazily parsed endpoints.json match the fully parsed ones")
    func endpoints() throws {
        let root = try #require(BotocoreOracle.data).root
        let text = try [UInt8](Data(contentsOf: root.appendingPathComponent("endpoints.json")))
        let lazy = try AWSEndpointResolver(endpointsText: text)
        let eager = try AWSEndpointResolver(endpointsJSON: try JSON.parse(text))
        for service in ["ec2", "s3", "iam", "sts", "rds", "route53", "cloudfront", "organizations", "lambda", "dynamodb", "nope"] {
            for region in ["us-east-1", "eu-west-2", "cn-north-1", "us-gov-west-1", "us-iso-east-1", "xx-mars-1"] {
                let a = try lazy.resolve(endpointPrefix: service, region: region)
                let b = try eager.resolve(endpointPrefix: service, region: region)
                #expect(a == b, "\(service) \(region)")
            }
        }
        #expect(lazy.partition(for: "cn-north-1") == eager.partition(for: "cn-north-1"))
    }

    @Test("a model built from its text equals one built from its parsed document")
    func modelFromText() throws {
        let data = try #require(BotocoreOracle.data)
        let folder = data.root.appendingPathComponent("rds/2014-10-31")
        let text = try Compression.gunzip([UInt8](Data(contentsOf: folder.appendingPathComponent("service-2.json.gz"))))
        let fromDocument = try ServiceModel(name: "rds", document: try JSON.parse(text))
        let loaded = try data.model("rds")
        #expect(fromDocument.operations.keys == loaded.operations.keys)
        for name in ["DescribeDBInstances", "ModifyDBInstance", "CopyDBSnapshot"] {
            let a = try #require(fromDocument.operations[name]), b = try loaded.operation(name)
            #expect(a.input?.shape == b.input?.shape && a.output?.resultWrapper == b.output?.resultWrapper)
        }
        #expect(try loaded.shape(loaded.operation("CopyDBSnapshot").input!).members["SourceRegion"] != nil)
        #expect(try fromDocument.shape(fromDocument.operation("CopyDBSnapshot").input!).members["SourceRegion"] == nil)
        #expect(loaded.shape(named: "NoSuchShape") == nil)
    }
}
