import Testing
import WeftModel

@Suite struct TemplateTests {
    static let item: JSON = [
        "GroupId": "sg-1",
        "Port": 22,
        "Open": true,
        "Gone": nil,
        "IpPermissions": [
            ["FromPort": 22, "IpRanges": [["CidrIp": "0.0.0.0/0"]]],
            ["FromPort": 443, "IpRanges": [["CidrIp": "10.0.0.0/8"]]],
        ],
        "Tags": [["Key": "Name", "Value": "web"]],
    ]

    static let context = TemplateContext(
        item: item,
        execution: ["id": "ex-1", "region": "eu-west-2", "accountId": "123456789012", "dryRun": false],
        nodeOutputs: [
            "trigger": [["type": "event", "event": ["detail": ["instance-id": "i-9"]]]],
            "node-2f14d6bd-resource": [["DBInstanceIdentifier": "db-1"], ["DBInstanceIdentifier": "db-2"]],
        ],
        loop: ["iteration": 2],
        variables: ["region": "us-east-1", "cfg": ["tier": "gold", "sizes": [1, 2]]]
    )

    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var result: JSON
        var testDescription: String { text.debugDescription }
    }

    static let cases: [Case] = [
        // the whole string is one expression: the JSON type is kept
        Case(text: "{{ $.GroupId }}", result: "sg-1"),
        Case(text: "{{ $.Port }}", result: 22),
        Case(text: "{{ $.Open }}", result: true),
        Case(text: "{{ $.Gone }}", result: nil),
        Case(text: "{{ $.Missing }}", result: nil),
        Case(text: "{{ GroupId }}", result: "sg-1"),
        Case(text: "{{ IpPermissions[0].FromPort }}", result: 22),
        Case(text: "  {{ $.Port }}  ", result: 22),
        Case(text: "{{$.Port}}", result: 22),
        Case(text: "{{ $.IpPermissions[*].FromPort }}", result: [22, 443]),
        Case(text: "{{ $.Tags[*].Value }}", result: ["web"]),
        Case(text: "{{ $.Nothing[*] }}", result: []),
        Case(text: "{{ $.IpPermissions[?@.FromPort == 22].IpRanges[0].CidrIp }}", result: ["0.0.0.0/0"]),
        Case(text: "{{ $..CidrIp }}", result: ["0.0.0.0/0", "10.0.0.0/8"]),
        Case(text: "{{ $.Tags[0] }}", result: ["Key": "Name", "Value": "web"]),
        Case(text: "{{ $execution.region }}", result: "eu-west-2"),
        Case(text: "{{ $execution.dryRun }}", result: false),
        Case(text: "{{ $execution['accountId'] }}", result: "123456789012"),
        Case(text: "{{ $nodes.trigger[0].event.detail }}", result: ["instance-id": "i-9"]),
        Case(text: "{{ $nodes.trigger[0].event.detail['instance-id'] }}", result: "i-9"),
        Case(text: "{{ $nodes.node-2f14d6bd-resource[*].DBInstanceIdentifier }}", result: ["db-1", "db-2"]),
        Case(text: "{{ $nodes['node-2f14d6bd-resource'][1].DBInstanceIdentifier }}", result: "db-2"),
        Case(text: "{{ $nodes.trigger }}", result: [["type": "event", "event": ["detail": ["instance-id": "i-9"]]]]),
        Case(text: "{{ $loop.iteration }}", result: 2),
        Case(text: "{{ $loop }}", result: ["iteration": 2]),
        Case(text: "{{ $wf.variables.region }}", result: "us-east-1"),
        Case(text: "{{ $wf.variables:region }}", result: "us-east-1"),
        Case(text: "{{ $wf.variables.cfg.tier }}", result: "gold"),
        Case(text: "{{ $wf.variables['cfg'].sizes }}", result: [1, 2]),
        Case(text: "{{ $ }}", result: item),
        // mixed text renders values as text
        Case(text: "Group {{ $.GroupId }} port {{ $.Port }}", result: "Group sg-1 port 22"),
        Case(text: "open={{ $.Open }} gone={{ $.Gone }} missing={{ $.Missing }}.", result: "open=true gone=null missing=."),
        Case(text: "ports: {{ $.IpPermissions[*].FromPort }}", result: "ports: [22,443]"),
        Case(text: "tag: {{ $.Tags[0] }}", result: #"tag: {"Key":"Name","Value":"web"}"#),
        Case(text: "arn:aws:ec2:{{ $execution.region }}:{{ $execution.accountId }}:security-group/{{ $.GroupId }}",
             result: "arn:aws:ec2:eu-west-2:123456789012:security-group/sg-1"),
        Case(text: "#{{ $loop.iteration }} of {{ $nodes.node-2f14d6bd-resource[0].DBInstanceIdentifier }}", result: "#2 of db-1"),
        Case(text: "{{ $.GroupId }}{{ $.Port }}", result: "sg-122"),
        Case(text: "braces } and }} alone", result: "braces } and }} alone"),
        Case(text: "{{ $.Tags[?@.Key == '}}'] }}", result: []),
    ]

    @Test(arguments: cases)
    func renders(_ c: Case) throws {
        let template = try Template(c.text)
        #expect(try template.render(Self.context) == c.result)
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var text: String
        var error: String
        var testDescription: String { text.debugDescription }
    }

    static let parseFailures: [Failure] = [
        Failure(text: "abc {{ $.x", error: "template, position 5: unclosed '{{'"),
        Failure(text: "{{ }}", error: "template, position 4: empty expression"),
        Failure(text: "x {{ $foo.bar }}", error: #"template, position 6: unknown root "$foo"; expected $, $execution, $nodes, $loop or $wf.variables"#),
        Failure(text: "{{ $nodes }}", error: "template, position 10: expected a node id after $nodes"),
        Failure(text: "{{ $nodes. }}", error: "template, position 11: expected a node id after $nodes"),
        Failure(text: "{{ $wf.variables }}", error: "template, position 17: expected a variable name after $wf.variables"),
        Failure(text: "{{ $.a[ }}", error: "template, position "),
        Failure(text: "{{ $execution.[0] }}", error: "template, position "),
    ]

    @Test(arguments: parseFailures)
    func rejects(_ f: Failure) {
        do {
            _ = try Template(f.text)
            Issue.record("parsed \(f.text)")
        } catch {
            #expect(error.description.hasPrefix(f.error), "\(error.description)")
        }
    }

    @Test func renderErrors() throws {
        #expect(throws: TemplateError(message: #"unknown node "nope""#)) {
            try Template("{{ $nodes.nope[0] }}").render(Self.context)
        }
        var outsideLoop = Self.context
        outsideLoop.loop = nil
        #expect(throws: TemplateError(message: "$loop is only available inside a loop")) {
            try Template("n={{ $loop.iteration }}").render(outsideLoop)
        }
        #expect(throws: TemplateError(message: #"unknown variable "other""#)) {
            try Template("{{ $wf.variables.other }}").render(Self.context)
        }
    }

    @Test func nodeOutputsAreReadLazily() throws {
        let context = TemplateContext(item: ["a": 1], nodes: { id in
            id == "trigger" ? [["n": 1]] : nil
        })
        #expect(try Template("{{ $.a }}").render(context) == 1)
        #expect(try Template("{{ $nodes.trigger[0].n }}").render(context) == 1)
        #expect(try Template("{{ $nodes.a }} {{ $nodes.trigger }} {{ $nodes['b'] }}").nodeReferences == ["a", "trigger", "b"])
    }

    @Test func constantTemplates() throws {
        let template = try Template("plain text")
        #expect(template.isConstant)
        #expect(try template.render(Self.context) == "plain text")
        #expect(!(try Template("{{ $ }}").isConstant))
    }

    @Test func rendersTreesPerItem() throws {
        let params: JSON = [
            "GroupId": "{{ $.GroupId }}",
            "IpPermissions": [["FromPort": "{{ $.Port }}", "IpRanges": [["CidrIp": "0.0.0.0/0"]]]],
            "Description": "closed by {{ $execution.id }}",
            "DryRun": false,
        ]
        let tree = try TemplateTree(params)
        #expect(!tree.isConstant)
        let rendered = try tree.render(Self.context)
        #expect(rendered == [
            "GroupId": "sg-1",
            "IpPermissions": [["FromPort": 22, "IpRanges": [["CidrIp": "0.0.0.0/0"]]]],
            "Description": "closed by ex-1",
            "DryRun": false,
        ])
        let second = try tree.render(Self.context.with(item: ["GroupId": "sg-2", "Port": 80]))
        #expect(second["GroupId"] == "sg-2")
        #expect(try Template.renderTree(["a": ["{{ $.Port }}"]], context: Self.context) == ["a": [22]])
        #expect(try TemplateTree(["a": "x", "b": [1]]).isConstant)
    }

    @Test func treeErrorsCarryPointers() {
        #expect(throws: TemplateError(message: "unclosed '{{'", position: 1, pointer: "/params/b/0")) {
            try TemplateTree(["a": "ok", "b": ["{{ $.x"]], pointer: "/params")
        }
        #expect(throws: TemplateError(message: #"unknown node "zz""#, pointer: "/params/a~1b")) {
            try TemplateTree(["a/b": "{{ $nodes.zz }}"], pointer: "/params").render(Self.context)
        }
        let issues = TemplateTree.issues(in: ["a": "{{ $.x", "b": ["{{ $nope }}", "{{ $.ok }}"]], pointer: "/p")
        #expect(issues.map(\.pointer) == ["/p/a", "/p/b/0"])
        #expect(issues.first?.message == "template, position 1: unclosed '{{'")
        #expect(TemplateError(message: "unclosed '{{'", position: 1, pointer: "/p/a").description == "/p/a: template, position 1: unclosed '{{'")
    }
}
