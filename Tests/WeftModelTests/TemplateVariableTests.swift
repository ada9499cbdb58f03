import Testing
import WeftModel

@Suite struct TemplateVariableTests {
    static let variables: [String: JSON] = [
        "allowedCidrs": ["10.0.0.0/8", "192.168.0.0/16"],
        "region": "eu-west-2",
        "maxAge": 30,
        "strict": true,
        "config": ["tier": "gold"],
        "nothing": nil,
    ]
    let substitution = VariableSubstitution(Self.variables)

    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var result: JSON
        var testDescription: String { text.debugDescription }
    }

    static let cases: [Case] = [
        // a whole reference keeps the variable's type
        Case(text: "$wf.variables:allowedCidrs", result: ["10.0.0.0/8", "192.168.0.0/16"]),
        Case(text: "$wf.variables:maxAge", result: 30),
        Case(text: "$wf.variables:strict", result: true),
        Case(text: "$wf.variables:config", result: ["tier": "gold"]),
        Case(text: "$wf.variables:nothing", result: nil),
        Case(text: "{{ $wf.variables.maxAge }}", result: 30),
        Case(text: "{{$wf.variables.allowedCidrs}}", result: ["10.0.0.0/8", "192.168.0.0/16"]),
        Case(text: "{{ $wf.variables:strict }}", result: true),
        Case(text: "  $wf.variables:maxAge ", result: 30),
        // inside longer text: strings raw, other values as compact JSON
        Case(text: "region $wf.variables:region!", result: "region eu-west-2!"),
        Case(text: "arn:aws:s3:::{{ $wf.variables.region }}-logs", result: "arn:aws:s3:::eu-west-2-logs"),
        Case(text: "age > $wf.variables:maxAge days", result: "age > 30 days"),
        Case(text: "cidrs=$wf.variables:allowedCidrs", result: #"cidrs=["10.0.0.0/8","192.168.0.0/16"]"#),
        Case(text: "$wf.variables:region/$wf.variables:maxAge", result: "eu-west-2/30"),
        Case(text: "{{ $wf.variables.config }} and $wf.variables:nothing", result: #"{"tier":"gold"} and null"#),
        // left alone
        Case(text: "no references", result: "no references"),
        Case(text: "{{ $.GroupId }}", result: "{{ $.GroupId }}"),
        Case(text: "{{ $wf.variables.config.tier }}", result: "{{ $wf.variables.config.tier }}"),
        Case(text: "$wf.variables:", result: "$wf.variables:"),
        Case(text: "$wf.variables", result: "$wf.variables"),
    ]

    @Test(arguments: cases)
    func substitutes(_ c: Case) throws {
        #expect(try substitution.apply(to: c.text) == c.result)
    }

    @Test func walksTheWholeTreeWithPointers() throws {
        let params: JSON = [
            "cidrs": "$wf.variables:allowedCidrs",
            "nested": ["list": ["x", "{{ $wf.variables.maxAge }}", 3], "flag": "$wf.variables:strict"],
            "$wf.variables:region": "key untouched",
        ]
        #expect(try substitution.apply(to: params) == [
            "cidrs": ["10.0.0.0/8", "192.168.0.0/16"],
            "nested": ["list": ["x", 30, 3], "flag": true],
            "$wf.variables:region": "key untouched",
        ])
        let broken: JSON = ["nested": ["list": ["x", "prefix $wf.variables:unknownVar"]]]
        #expect(throws: VariableError(name: "unknownVar", pointer: "/params/nested/list/1")) {
            try substitution.apply(to: broken, pointer: "/params")
        }
        let error = VariableError(name: "unknownVar", pointer: "/params/nested/list/1")
        #expect(error.description == #"/params/nested/list/1: unknown variable "unknownVar""#)
    }

    @Test func namesAreReadGreedily() throws {
        #expect(throws: VariableError(name: "regions", pointer: "")) { try substitution.apply(to: "$wf.variables:regions") }
        #expect(throws: VariableError(name: "regionX", pointer: "")) { try substitution.apply(to: "a $wf.variables:regionX b") }
        #expect(try substitution.apply(to: "$wf.variables:region-x") == "eu-west-2-x")
    }

    @Test func listsReferencesWithPointers() {
        let params: JSON = [
            "a": "$wf.variables:one and {{ $wf.variables.two }}",
            "b": [["c": "{{ $wf.variables.three.deep }}"]],
            "d/e": "$wf.variables:four",
            "n": 5,
        ]
        #expect(VariableSubstitution.references(in: params, pointer: "/params") == [
            VariableUse(name: "one", pointer: "/params/a"),
            VariableUse(name: "two", pointer: "/params/a"),
            VariableUse(name: "three", pointer: "/params/b/0/c"),
            VariableUse(name: "four", pointer: "/params/d~1e"),
        ])
        #expect(VariableSubstitution.containsReference(params))
        #expect(!VariableSubstitution.containsReference(["a": "{{ $.x }}", "b": [1, 2]]))
    }
}
