import Foundation
import Testing
import WeftModel

@Suite struct ConditionSetTests {
    /// 2024-06-15T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_718_452_800)

    /// Compiles one condition (its fields, without id) as `c1` and evaluates it on `item`.
    static func trace(_ fields: JSON, _ item: JSON, now: Date = now) throws -> ConditionTrace {
        var object = fields.objectValue ?? [:]
        object["id"] = "c1"
        return try ConditionSet(conditions: [.object(object)]).compile().evaluate(item, now: now).trace[0]
    }

    /// The compile error of one condition (its fields, without id) as `c1`, or nil.
    static func compileError(_ fields: JSON) -> ConditionError? {
        var object = fields.objectValue ?? [:]
        object["id"] = "c1"
        do {
            _ = try ConditionSet(conditions: [.object(object)]).compile()
            return nil
        } catch {
            return error
        }
    }

    static let rds: JSON = [
        "DBInstanceIdentifier": "db-1",
        "PubliclyAccessible": true,
        "Engine": "postgres",
        "InstanceCreateTime": "2024-01-01T00:00:00Z",
        "TagList": [["Key": "Environment", "Value": "prod"]],
    ]

    static let criteria: JSON = [
        "conditions": [
            ["id": "c1", "type": "param", "key": "$.PubliclyAccessible", "operator": "==", "value": "true"],
            ["id": "c2", "type": "param", "key": "$.Engine", "operator": "in", "value": ["mysql", "mariadb"]],
            ["id": "c3", "type": "tags", "key": "Environment", "operator": "equals", "value": "prod"],
            ["id": "c4", "type": "date", "key": "$.MissingTime", "operator": "olderThan", "days": 30],
        ],
        "expression": "c1 && (c2 || !c4) && c3",
    ]

    @Test func evaluatesTheSeedExample() throws {
        let set = try ConditionSet(["conditions": [["id": "c1", "type": "param", "value": "", "key": "$.GroupId", "operator": "exists"]],
                                    "expression": "{ (c1) }"])
        let compiled = try set.compile()
        #expect(compiled.evaluate(["GroupId": "sg-1"], now: Self.now).matched)
        #expect(!compiled.evaluate(["VpcId": "vpc-1"], now: Self.now).matched)
    }

    @Test func everyConditionIsTracedWhateverTheExpressionNeeds() throws {
        let compiled = try ConditionSet(Self.criteria).compile()
        let verdict = compiled.evaluate(Self.rds, now: Self.now)
        #expect(verdict.matched)
        #expect(verdict.trace.map(\.outcome) == [.held, .notHeld, .held, .unevaluable])
        #expect(verdict.heldIds == ["c1", "c3"])
        #expect(verdict.trace.map(\.reason) == [
            #"c1: $.PubliclyAccessible is true, == "true" → true"#,
            #"c2: $.Engine is "postgres", in ["mysql","mariadb"] → false"#,
            #"c3: tag Environment = "prod" equals "prod" → true"#,
            "c4: $.MissingTime missing → cannot evaluate (false)",
        ])

        let shortCircuited = compiled.evaluate(["PubliclyAccessible": false], now: Self.now)
        #expect(!shortCircuited.matched)
        #expect(shortCircuited.trace.count == 4)
    }

    @Test func verdictJSON() throws {
        let compiled = try ConditionSet(["conditions": [["id": "c1", "type": "param", "key": "a", "operator": "==", "value": 1]]]).compile()
        let verdict = compiled.evaluate(["a": 1], now: Self.now)
        #expect(verdict.json == [
            "matched": true,
            "conditions": [["id": "c1", "type": "param", "outcome": "held", "reason": "c1: $.a is 1, == 1 → true"]],
        ])
    }

    @Test func emptyExpressionMeansAllConditionsAnded() throws {
        let set = ConditionSet(conditions: [
            ["id": "a", "type": "param", "key": "x", "operator": "==", "value": 1],
            ["id": "b", "type": "param", "key": "y", "operator": "==", "value": 2],
        ], expression: "  ")
        let compiled = try set.compile()
        #expect(compiled.expression == .and([.condition("a"), .condition("b")]))
        #expect(compiled.evaluate(["x": 1, "y": 2], now: Self.now).matched)
        #expect(!compiled.evaluate(["x": 1, "y": 3], now: Self.now).matched)
        #expect(try ConditionSet(conditions: []).compile().evaluate([:], now: Self.now).matched)
    }

    @Test func unevaluableCountsAsFalseUnderNot() throws {
        let set = ConditionSet(conditions: [["id": "c1", "type": "param", "key": "x", "operator": "==", "value": 1]], expression: "!c1")
        let verdict = try set.compile().evaluate([:], now: Self.now)
        #expect(verdict.matched)
        #expect(verdict.trace[0].outcome == .unevaluable)
    }

    @Test func precomputedResultsReplaceEvaluation() throws {
        let compiled = try ConditionSet(Self.criteria).compile()
        let verdict = compiled.evaluate(Self.rds, context: ConditionContext(now: Self.now),
                                        precomputed: ["c1": .notHeld("computed elsewhere")])
        #expect(!verdict.matched)
        #expect(verdict.trace[0].reason == "c1: computed elsewhere → false")
        #expect(compiled.externallyEvaluated.isEmpty)
    }

    struct External: ConditionType {
        static let name = "external"
        static let summary = "Evaluated by the caller."
        static let fields: [Parameter] = [Parameter("code", .string(.javascript), required: true, help: "Code.")]
        static var isEvaluatedExternally: Bool { true }
        let code: String
        init?(fields: inout ConditionFields) {
            guard let code = fields.string("code", required: true) else { return nil }
            self.code = code
        }
        func evaluate(_ item: JSON, context: ConditionContext) -> ConditionResult { .held("never called") }
    }

    @Test func extraTypesPlugIntoTheRegistry() throws {
        let types = ConditionTypes.builtIn + [External.self]
        let set = ConditionSet(conditions: [["id": "f", "type": "external", "code": "return true"]])
        let compiled = try set.compile(types: types)
        #expect(compiled.externallyEvaluated.map(\.id) == ["f"])
        let missing = compiled.evaluate([:], context: ConditionContext(now: Self.now))
        #expect(missing.trace[0].reason == "f: not evaluated → cannot evaluate (false)")
        let given = compiled.evaluate([:], context: ConditionContext(now: Self.now), precomputed: ["f": .held("returned true")])
        #expect(given.matched)
        #expect(throws: ConditionError.self) { try set.compile() }
        #expect(ConditionSet.validate(.object(["conditions": [["id": "f", "type": "external"]]]), pointer: "", variables: [], types: types)
                == [ModelIssue(pointer: "/conditions/0/code", message: "condition f: code is required")])
    }

    @Test func validationReportsEveryProblemWithItsPointer() {
        let value: JSON = [
            "conditions": [
                ["id": "c1", "type": "param", "key": "$.PubliclyAccessible", "operator": "==", "value": true],
                ["id": "c2", "type": "param", "key": "$.a", "operator": "=~", "value": 1],
                ["id": "c2", "type": "param", "key": "$[", "operator": "exists"],
                ["id": "c4", "type": "nope"],
                ["id": "c5", "type": "param", "key": "$.a", "operator": "matches", "value": "$wf.variables:pattern"],
                ["id": "c6", "type": "param", "key": "$.a", "operator": "matches", "value": "([", "colour": 1],
                ["id": "c7", "type": "date", "key": "$.T", "operator": "before", "value": "{{ $wf.variables.cutoff }}"],
                ["id": "c8", "type": "date", "key": "$.T", "operator": "before", "value": "$wf.variables:missing"],
                ["type": "param"],
                "c9",
                ["id": "c10", "type": "date", "key": "$.T", "operator": "between", "from": "2024-13-01", "to": "$wf.variables:cutoff"],
                ["id": "and", "type": "param", "key": "a", "operator": "exists"],
                ["id": "c12", "key": "a", "operator": "exists"],
            ],
            "expression": "c1 || c2 && c99",
            "extra": 1,
        ]
        let issues = ConditionSet.validate(value, pointer: "/nodes/2/params/criteria", variables: ["pattern", "cutoff"])
        let p = "/nodes/2/params/criteria"
        let expected: [ModelIssue] = [
            ModelIssue(pointer: "\(p)/extra", message: #"unknown key "extra"; expected conditions or expression"#),
            ModelIssue(pointer: "\(p)/conditions/1/operator", message: #"condition c2: operator "=~" is not one of ==, !=, >, >=, <, <=, contains, notContains, startsWith, endsWith, in, notIn, matches, exists, notExists, isEmpty, isNotEmpty"#),
            ModelIssue(pointer: "\(p)/conditions/2/id", message: "condition c2: id is used by more than one condition"),
            ModelIssue(pointer: "\(p)/conditions/2/key", message: #"condition c2: key "$[" is not a valid JSONPath: "#),
            ModelIssue(pointer: "\(p)/conditions/3/type", message: #"condition c4: type "nope" is not a condition type; expected one of param, date, tags"#),
            ModelIssue(pointer: "\(p)/conditions/5/colour", message: "condition c6: colour is not a field of a param condition"),
            ModelIssue(pointer: "\(p)/conditions/5/value", message: #"condition c6: value "([" is not a valid regular expression"#),
            ModelIssue(pointer: "\(p)/conditions/8", message: "conditions[8] has no id"),
            ModelIssue(pointer: "\(p)/conditions/9", message: "conditions[9] must be an object, not a string"),
            ModelIssue(pointer: "\(p)/conditions/10/from", message: #"condition c10: from "2024-13-01" is not an ISO 8601 date or epoch number"#),
            ModelIssue(pointer: "\(p)/conditions/11/id", message: "condition and: id must be letters, digits, '_', '-' or '.', and not and, or or not"),
            ModelIssue(pointer: "\(p)/conditions/12", message: "condition c12: type is required"),
            ModelIssue(pointer: "\(p)/expression", message: "expression names unknown condition c99"),
            ModelIssue(pointer: "\(p)/conditions/7/value", message: #"condition c8: value refers to unknown variable "missing""#),
        ]
        #expect(issues.count == expected.count)
        for (found, wanted) in zip(issues, expected) {
            #expect(found.pointer == wanted.pointer)
            #expect(found.message.hasPrefix(wanted.message), "\(found.message)")
        }
    }

    @Test func validationOfShape() {
        #expect(ConditionSet.validate("c1", pointer: "/p", variables: [])
                == [ModelIssue(pointer: "/p", message: "conditions must be an object with conditions and expression, not a string")])
        #expect(ConditionSet.validate(["expression": "c1"], pointer: "/p", variables: []).map(\.message)
                == ["conditions is required", "expression names unknown condition c1"])
        #expect(ConditionSet.validate(["conditions": [:], "expression": 3], pointer: "/p", variables: [])
                == [ModelIssue(pointer: "/p/conditions", message: "conditions must be an array, not an object"),
                    ModelIssue(pointer: "/p/expression", message: "expression must be a string, not a number")])
        #expect(ConditionSet.validate(["conditions": [], "expression": "(c1"], pointer: "", variables: [])
                == [ModelIssue(pointer: "/expression", message: "expression, position 4: expected ')', found the end of the expression")])
        let filterParams: JSON = ["input": ["node": "x", "path": "$wf.variables:elsewhere"], "conditions": [], "expression": ""]
        #expect(ConditionSet.validate(filterParams, pointer: "/nodes/1/params", variables: [], otherKeys: ["input"]).isEmpty)
        #expect(ConditionSet.validate(filterParams, pointer: "/nodes/1/params", variables: []).map(\.pointer) == ["/nodes/1/params/input"])
    }

    @Test func validationDefersFieldsHoldingVariables() {
        let value: JSON = ["conditions": [
            ["id": "c1", "type": "param", "key": "$wf.variables:key", "operator": "$wf.variables:op", "value": "$wf.variables:v"],
            ["id": "c2", "type": "date", "key": "$.T", "operator": "olderThan", "days": "$wf.variables:days"],
            ["id": "c3", "type": "tags", "key": "Env", "operator": "matches", "value": "^{{ $wf.variables.env }}$"],
            ["id": "c4", "type": "param", "key": "$.a", "operator": "in", "value": ["a", "$wf.variables:v"]],
        ]]
        #expect(ConditionSet.validate(value, pointer: "", variables: ["key", "op", "v", "days", "env"]).isEmpty)
        #expect(ConditionSet.validate(value, pointer: "", variables: ["key", "op", "v", "days"])
                == [ModelIssue(pointer: "/conditions/2/value", message: #"condition c3: value refers to unknown variable "env""#)])
    }

    @Test func compileAfterSubstitutionReportsBadVariableValues() throws {
        let written: JSON = ["conditions": [
            ["id": "c1", "type": "param", "key": "$.Name", "operator": "matches", "value": "$wf.variables:pattern"],
            ["id": "c2", "type": "date", "key": "$.T", "operator": "before", "value": "$wf.variables:cutoff"],
            ["id": "c3", "type": "param", "key": "$.Cidr", "operator": "in", "value": "$wf.variables:allowed"],
        ]]
        func compile(_ variables: [String: JSON]) throws(ConditionError) -> CompiledConditions {
            let substituted = try! VariableSubstitution(variables).apply(to: written)
            return try ConditionSet(substituted).compile()
        }
        let good: [String: JSON] = ["pattern": "^web", "cutoff": "2024-01-01", "allowed": ["10.0.0.0/8"]]
        let compiled = try compile(good)
        #expect(compiled.evaluate(["Name": "web-1", "T": "2023-01-01", "Cidr": "10.0.0.0/8"], now: Self.now).matched)

        var bad = good
        bad["pattern"] = "([a-z"
        #expect(throws: ConditionError(conditionId: "c1", field: "value", message: #""([a-z" is not a valid regular expression"#)) {
            try compile(bad)
        }
        bad = good
        bad["cutoff"] = "next week"
        #expect(throws: ConditionError(conditionId: "c2", field: "value", message: #""next week" is not an ISO 8601 date or epoch number"#)) {
            try compile(bad)
        }
        bad = good
        bad["allowed"] = "10.0.0.0/8"
        #expect(throws: ConditionError(conditionId: "c3", field: "value", message: "must be an array for operator in, not a string")) {
            try compile(bad)
        }
    }

    @Test func compileReportsExpressionProblems() {
        let conditions: [JSON] = [["id": "c1", "type": "param", "key": "a", "operator": "exists"]]
        #expect(throws: ConditionError(conditionId: nil, field: "expression", message: "expression names unknown conditions c2, c3")) {
            try ConditionSet(conditions: conditions, expression: "c1 && c2 || c3").compile()
        }
        #expect(throws: ConditionError(conditionId: nil, field: "expression", message: "expression, position 4: expected '&&'")) {
            try ConditionSet(conditions: conditions, expression: "c1 & c2").compile()
        }
    }

    @Test func decodesFromParameters() throws {
        struct Control: Decodable { var criteria: ConditionSet }
        let decoded = try JSONValueDecoder().decode(Control.self, from: ["criteria": Self.criteria])
        #expect(decoded.criteria.conditions.count == 4)
        #expect(decoded.criteria.expression == "c1 && (c2 || !c4) && c3")
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Control.self, from: ["criteria": ["conditions": [], "colour": 1]])
        }
    }

    @Test func readingRejectsWrongShapes() {
        #expect(throws: ConditionError.self) { try ConditionSet(["conditions": "c1"]) }
        #expect(throws: ConditionError.self) { try ConditionSet(["conditions": [], "input": 1]) }
        #expect(throws: Never.self) { try ConditionSet(["conditions": [], "input": 1], otherKeys: ["input"]) }
    }
}
