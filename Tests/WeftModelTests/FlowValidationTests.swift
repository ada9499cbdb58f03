import Testing
import WeftModel

/// Flow documents: strict decoding and validation against node declarations.
struct FlowValidationTests {
    static let descriptions: [NodeDescription] = [
        NodeDescription(type: "trigger", displayName: "Trigger", group: .trigger, summary: "Starts a flow.",
                        parameters: [Parameter("manual", .boolean, default: true, help: "Manual runs.")],
                        example: [:], takesInput: false),
        NodeDescription(type: "step", displayName: "Step", group: .general, summary: "A test node.",
                        parameters: [
                            Parameter("input", .inputReference, help: "Input."),
                            Parameter("count", .integer(min: 1, max: 10), help: "A count."),
                            Parameter("mode", .choice(["each", "all"]), default: "each", help: "A mode."),
                            Parameter("key", .string(.jsonPath), help: "A path."),
                            Parameter("pattern", .string(.regex), help: "A regex."),
                            Parameter("label", .string, help: "Free text."),
                            Parameter("fields", .array(of: .object([Parameter("name", .string, required: true, help: "Name.")]), maxItems: 2),
                                      help: "Fields."),
                            Parameter("criteria", .conditions, help: "Conditions."),
                        ],
                        outputs: ["main", "rejected"], example: [:]),
    ]
    static let validator = FlowValidator(descriptions: descriptions)

    func issues(_ text: String) throws -> [FlowIssue] {
        let (document, decodeIssues) = FlowDocument.decode(try JSON.parse(text))
        guard let document else { return decodeIssues }
        return decodeIssues + Self.validator.validate(document)
    }

    func flow(nodes: String, edges: String, variables: String = "[]") -> String {
        """
        {"weft": 1, "name": "t", "variables": \(variables), "nodes": [{"id": "trigger", "type": "trigger", "params": {}}\(nodes.isEmpty ? "" : ", " + nodes)], "edges": \(edges)}
        """
    }

    @Test func aValidFlowHasNoIssues() throws {
        let text = flow(nodes: """
            {"id": "a", "type": "step", "params": {"count": 3, "key": "State.Name", "pattern": "^x", "fields": [{"name": "n"}]}},
            {"id": "b", "type": "step", "params": {"input": {"node": "a", "path": "$.x[*]"}, "label": "$wf.variables:v",
             "criteria": {"conditions": [{"id": "c1", "type": "param", "key": "$.a", "operator": "exists"}], "expression": "c1"}}}
            """, edges: #"[{"from": "trigger", "to": "a"}, {"from": "a", "to": "b", "output": "rejected"}]"#,
            variables: #"[{"name": "v", "value": "x"}]"#)
        #expect(try issues(text) == [])
    }

    @Test func documentLevelMistakesAreReportedWithPointers() throws {
        let found = try issues(#"{"name": 3, "nodes": {}, "edges": [], "colour": "red"}"#)
        let pointers = Set(found.map(\.pointer))
        #expect(pointers.isSuperset(of: ["/weft", "/name", "/nodes", "/colour"]), "\(found)")
    }

    @Test func graphMistakes() throws {
        let text = flow(nodes: """
            {"id": "a", "type": "step", "params": {}},
            {"id": "b", "type": "step", "params": {}},
            {"id": "lonely", "type": "step", "params": {}},
            {"id": "a", "type": "step", "params": {}},
            {"id": "bad id!", "type": "nope", "params": {}}
            """, edges: """
            [{"from": "trigger", "to": "a"}, {"from": "a", "to": "b"}, {"from": "b", "to": "a"},
             {"from": "a", "to": "ghost"}, {"from": "a", "to": "b", "output": "sideways"}]
            """)
        let messages = try issues(text).map(\.description)
        let expected = ["duplicate node id 'a'", "must be 1–64 characters", "unknown node type 'nope'",
                        "edge to unknown node 'ghost'", "has no output 'sideways'", "cycle"]
        for fragment in expected {
            #expect(messages.contains { $0.contains(fragment) }, "missing \(fragment) in \(messages)")
        }
    }

    @Test func unreachableNodesAreReported() throws {
        let text = flow(nodes: #"{"id": "a", "type": "step", "params": {}}, {"id": "b", "type": "step", "params": {}}"#,
                        edges: #"[{"from": "trigger", "to": "a"}]"#)
        let found = try issues(text)
        #expect(found.count == 1)
        #expect(found.first?.nodeId == "b")
        #expect(found.first?.message.contains("cannot be reached") == true)
    }

    @Test func theTriggerIsRequiredAndUnique() throws {
        let none = try issues(#"{"weft": 1, "name": "t", "nodes": [{"id": "a", "type": "step"}], "edges": []}"#)
        #expect(none.contains { $0.message.contains("no trigger") })
    }

    @Test func parameterMistakesCarryNodeIdAndPointer() throws {
        let text = flow(nodes: """
            {"id": "a", "type": "step", "params": {"count": 11, "mode": "some", "key": "$.a[", "pattern": "(", "label": 5,
             "fields": [{"name": "x"}, {}, {"name": "z"}], "extra": true, "input": {"node": "b"}}},
            {"id": "b", "type": "step", "params": {"label": "$wf.variables:nope"}}
            """, edges: #"[{"from": "trigger", "to": "a"}, {"from": "a", "to": "b"}]"#)
        let found = try issues(text)
        let byPointer = Dictionary(grouping: found, by: \.pointer)
        let expected = ["/nodes/1/params/count", "/nodes/1/params/mode", "/nodes/1/params/key", "/nodes/1/params/pattern",
                        "/nodes/1/params/label", "/nodes/1/params/fields", "/nodes/1/params/fields/1/name",
                        "/nodes/1/params/extra", "/nodes/1/params/input/node", "/nodes/2/params/label"]
        for pointer in expected {
            #expect(byPointer[pointer] != nil, "no issue at \(pointer): \(found.map(\.description))")
        }
        #expect(found.filter { $0.pointer.hasPrefix("/nodes/1") }.allSatisfy { $0.nodeId == "a" })
        #expect(byPointer["/nodes/1/params/input/node"]?.first?.message.contains("not upstream") == true)
        #expect(byPointer["/nodes/2/params/label"]?.first?.message.contains("unknown variable 'nope'") == true)
    }

    @Test func aWholeVariableReferenceStandsForAnyType() throws {
        let text = flow(nodes: #"{"id": "a", "type": "step", "params": {"count": "$wf.variables:n", "mode": "{{ $wf.variables.m }}"}}"#,
                        edges: #"[{"from": "trigger", "to": "a"}]"#,
                        variables: #"[{"name": "n", "value": 3}, {"name": "m", "value": "all"}]"#)
        #expect(try issues(text) == [])
    }

    @Test func aWholeVariableReferenceMustFitTheParameter() throws {
        let text = flow(nodes: #"{"id": "a", "type": "step", "params": {"count": "{{ $wf.variables:n }}", "mode": "$wf.variables:s"}}"#,
                        edges: #"[{"from": "trigger", "to": "a"}]"#,
                        variables: #"[{"name": "n", "value": "many"}, {"name": "s", "value": "hunter2", "secret": true}]"#)
        let found = try issues(text)
        #expect(found.map(\.pointer) == ["/nodes/1/params/count", "/nodes/1/params/mode"], "\(found)")
        #expect(found.first?.message.contains("variable 'n'") == true)
        #expect(!found.map(\.message).joined().contains("hunter2"))
    }

    @Test func conditionsAreValidatedThroughTheConditionSet() throws {
        let text = flow(nodes: """
            {"id": "a", "type": "step", "params": {"criteria": {"conditions": [{"id": "c1", "type": "param", "key": "$.a", "operator": "=~"}], "expression": "c1 && c9"}}}
            """, edges: #"[{"from": "trigger", "to": "a"}]"#)
        let found = try issues(text)
        #expect(found.contains { $0.pointer == "/nodes/1/params/criteria/conditions/0/operator" }, "\(found)")
        #expect(found.contains { $0.pointer == "/nodes/1/params/criteria/expression" }, "\(found)")
    }

    @Test func badSecurityGroupFieldsNameNodeConditionAndField() throws {
        let text = flow(nodes: """
            {"id": "ctl", "type": "step", "params": {"criteria": {"conditions": [
              {"id": "c1", "type": "securityGroup", "direction": "inbound", "ports": "70000", "protocol": "tcp", "source": "cidr", "value": "0.0.0.0/0"},
              {"id": "c2", "type": "securityGroup", "direction": "inbound", "ports": "all", "protocol": "any", "source": "cidr", "value": "10.0.0.300/8"},
              {"id": "c3", "type": "securityGroup", "direction": "inbound", "ports": "22", "protocol": "tcpp", "source": "anyPublicIPv4"}
            ]}}}
            """, edges: #"[{"from": "trigger", "to": "ctl"}]"#)
        let found = try issues(text)
        let expected = [("/nodes/1/params/criteria/conditions/0/ports", "c1"), ("/nodes/1/params/criteria/conditions/1/value", "c2"),
                        ("/nodes/1/params/criteria/conditions/2/protocol", "c3")]
        #expect(found.count == expected.count, "\(found)")
        for (pointer, id) in expected {
            #expect(found.contains { $0.pointer == pointer && $0.nodeId == "ctl" && $0.message.contains(id) }, "\(pointer) in \(found)")
        }
    }

    @Test func variablesAreChecked() throws {
        let text = flow(nodes: "", edges: "[]", variables: """
            [{"name": "a", "type": "array", "value": "x"}, {"name": "a", "value": 1}, {"name": "bad name", "value": 1}, {"name": "t", "type": "weird", "value": 1}]
            """)
        let found = try issues(text)
        let pointers = found.map(\.pointer)
        for pointer in ["/variables/0/value", "/variables/1/name", "/variables/2/name", "/variables/3/type"] {
            #expect(pointers.contains(pointer), "\(found)")
        }
    }

    @Test func settingsAreDecodedStrictly() throws {
        let text = flow(nodes: """
            {"id": "a", "type": "step", "params": {}, "settings": {"retry": {"maxAttempts": 11, "backoff": "linear"}, "onError": "ignore", "timeoutSeconds": -1, "colour": 1}}
            """, edges: #"[{"from": "trigger", "to": "a"}]"#)
        let pointers = try issues(text).map(\.pointer)
        for pointer in ["/nodes/1/settings/retry/maxAttempts", "/nodes/1/settings/retry/backoff", "/nodes/1/settings/onError",
                        "/nodes/1/settings/timeoutSeconds", "/nodes/1/settings/colour"] {
            #expect(pointers.contains(pointer), "\(pointers)")
        }
    }

    @Test func aDocumentRoundTripsThroughItsJSONForm() throws {
        let text = flow(nodes: #"{"id": "a", "type": "step", "name": "Step1", "params": {"count": 2}, "settings": {"onError": "continue"}}"#,
                        edges: #"[{"from": "trigger", "to": "a"}]"#, variables: #"[{"name": "s", "type": "string", "value": "x", "secret": true}]"#)
        let (document, _) = FlowDocument.decode(try JSON.parse(text))
        let again = FlowDocument.decode(try #require(document).json)
        #expect(again.document == document)
        #expect(again.issues.isEmpty)
    }

    @Test func graphQueries() {
        let graph = FlowGraph(nodeIds: ["trigger", "c", "b", "a"],
                              edges: [FlowEdge(from: "trigger", to: "a"), FlowEdge(from: "trigger", to: "c"),
                                      FlowEdge(from: "c", to: "b"), FlowEdge(from: "a", to: "b")])
        #expect(graph.ancestors(of: "b") == ["trigger", "a", "c"])
        #expect(graph.descendants(of: "c") == ["b"])
        #expect(graph.cycle().isEmpty)
        let loop = FlowGraph(nodeIds: ["x", "y", "z"], edges: [FlowEdge(from: "x", to: "y"), FlowEdge(from: "y", to: "z"), FlowEdge(from: "z", to: "y")])
        #expect(loop.cycle() == ["y", "z"])
    }

    @Test func aLongChainIsCheckedWithoutDeepRecursion() {
        let ids = (0..<50_000).map { "n\($0)" }
        let edges = zip(ids, ids.dropFirst()).map { FlowEdge(from: $0, to: $1) }
        #expect(FlowGraph(nodeIds: ids, edges: edges).cycle().isEmpty)
        #expect(FlowGraph(nodeIds: ids, edges: edges + [FlowEdge(from: "n49999", to: "n0")]).cycle().count == 50_000)
    }
}
