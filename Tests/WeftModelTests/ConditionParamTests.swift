import Foundation
import Testing
import WeftModel

@Suite struct ConditionParamTests {
    static let instance: JSON = [
        "InstanceId": "i-0abc",
        "State": ["Code": 16, "Name": "running"],
        "PubliclyAccessible": true,
        "Encrypted": false,
        "CpuCount": 4,
        "Ratio": 0.75,
        "Zone": "us-east-1a",
        "LaunchTime": "2024-01-10T08:00:00.000Z",
        "Deleted": nil,
        "Empty": "",
        "NoTags": [],
        "NoAttrs": [:],
        "Ports": [22, 80, 443],
        "Names": ["web", "db"],
        "Attrs": ["owner": "alice"],
        "SecurityGroups": [
            ["GroupId": "sg-1", "GroupName": "default", "Rules": 3],
            ["GroupId": "sg-2", "GroupName": "web", "Rules": 0],
        ],
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var key: String
        var op: String
        var value: JSON
        var expected: ConditionOutcome
        var testDescription: String { "\(key) \(op) \(value)" }
        init(_ key: String, _ op: String, _ value: JSON = nil, _ expected: ConditionOutcome) {
            self.key = key; self.op = op; self.value = value; self.expected = expected
        }
    }

    static let cases: [Case] = [
        // == and != with JSON types
        Case("$.State.Name", "==", "running", .held),
        Case("$.State.Name", "==", "stopped", .notHeld),
        Case("State.Name", "==", "running", .held),
        Case("$.State.Code", "==", 16, .held),
        Case("$.State.Code", "==", 16.0, .held),
        Case("$.State.Code", "==", "16", .held),
        Case("$.State.Code", "==", " 16 ", .held),
        Case("$.State.Code", "==", "sixteen", .notHeld),
        Case("$.Ratio", "==", "0.75", .held),
        Case("$.PubliclyAccessible", "==", true, .held),
        Case("$.PubliclyAccessible", "==", "true", .held),
        Case("$.PubliclyAccessible", "==", "TRUE", .held),
        Case("$.Encrypted", "==", "false", .held),
        Case("$.Encrypted", "==", "true", .notHeld),
        Case("$.Encrypted", "==", "no", .notHeld),
        Case("$.Encrypted", "==", 0, .notHeld),
        Case("$.Zone", "==", 1, .notHeld),
        Case("$.Deleted", "==", nil, .held),
        Case("$.Deleted", "==", "null", .notHeld),
        Case("$.Names", "==", ["web", "db"], .held),
        Case("$.Attrs", "==", ["owner": "alice"], .held),
        Case("$.State.Name", "!=", "stopped", .held),
        Case("$.State.Name", "!=", "running", .notHeld),
        Case("$.State.Code", "!=", "16", .notHeld),
        Case("$.PubliclyAccessible", "!=", "false", .held),
        Case("$.State.Name", "equals", "running", .held),
        Case("$.State.Name", "eq", "running", .held),
        Case("$.State.Name", "notEquals", "running", .notHeld),
        Case("$.State.Name", "ne", "x", .held),
        // dates compare as dates when both sides parse
        Case("$.LaunchTime", "==", "2024-01-10T08:00:00Z", .held),
        Case("$.LaunchTime", "==", "2024-01-10T09:00:00+01:00", .held),
        Case("$.LaunchTime", ">", "2024-01-10", .held),
        Case("$.LaunchTime", "<", "2024-01-10T08:00:00+01:00", .notHeld),
        Case("$.LaunchTime", "<=", "2024-01-10T09:00:00+01:00", .held),
        // ordering
        Case("$.State.Code", ">", 15, .held),
        Case("$.State.Code", ">", 16, .notHeld),
        Case("$.State.Code", ">=", 16, .held),
        Case("$.State.Code", "<", 16.5, .held),
        Case("$.State.Code", "<=", 15, .notHeld),
        Case("$.CpuCount", ">", "3", .held),
        Case("$.CpuCount", "gt", 3, .held),
        Case("$.CpuCount", "gte", 4, .held),
        Case("$.CpuCount", "lt", 4, .notHeld),
        Case("$.CpuCount", "lte", 4, .held),
        Case("$.Ratio", "<", 1, .held),
        Case("$.Zone", ">", "us-east-1", .held),
        Case("$.Zone", "<", "eu-west-1", .notHeld),
        Case("$.CpuCount", ">", "many", .unevaluable),
        Case("$.Zone", ">", 3, .unevaluable),
        Case("$.PubliclyAccessible", ">", "false", .unevaluable),
        Case("$.Names", ">", "a", .unevaluable),
        Case("$.Deleted", "<", 1, .unevaluable),
        // contains / notContains
        Case("$.Zone", "contains", "east", .held),
        Case("$.Zone", "contains", "west", .notHeld),
        Case("$.Zone", "contains", 1, .held),
        Case("$.Ports", "contains", 22, .held),
        Case("$.Ports", "contains", "443", .held),
        Case("$.Ports", "contains", 8080, .notHeld),
        Case("$.Names", "contains", "db", .held),
        Case("$.Names", "contains", "d", .notHeld),
        Case("$.Attrs", "contains", "owner", .held),
        Case("$.Attrs", "contains", "team", .notHeld),
        Case("$.CpuCount", "contains", 4, .unevaluable),
        Case("$.Zone", "contains", ["a"], .unevaluable),
        Case("$.Zone", "notContains", "west", .held),
        Case("$.Zone", "notContains", "east", .notHeld),
        Case("$.Ports", "notContains", 8080, .held),
        Case("$.CpuCount", "notContains", 4, .unevaluable),
        // startsWith / endsWith
        Case("$.Zone", "startsWith", "us-", .held),
        Case("$.Zone", "startsWith", "eu-", .notHeld),
        Case("$.Zone", "endsWith", "1a", .held),
        Case("$.Zone", "endsWith", "1b", .notHeld),
        Case("$.CpuCount", "startsWith", "4", .unevaluable),
        // in / notIn
        Case("$.State.Name", "in", ["running", "pending"], .held),
        Case("$.State.Name", "in", ["stopped"], .notHeld),
        Case("$.State.Code", "in", ["16", "32"], .held),
        Case("$.PubliclyAccessible", "in", ["true"], .held),
        Case("$.State.Name", "notIn", ["stopped", "terminated"], .held),
        Case("$.State.Name", "notIn", ["running"], .notHeld),
        Case("$.State.Name", "in", [], .notHeld),
        // matches
        Case("$.InstanceId", "matches", "^i-[0-9a-f]+$", .held),
        Case("$.InstanceId", "matches", "abc", .held),
        Case("$.InstanceId", "matches", "^abc", .notHeld),
        Case("$.InstanceId", "matches", "(?i)I-0ABC", .held),
        Case("$.InstanceId", "matches", "I-0ABC", .notHeld),
        Case("$.CpuCount", "matches", "^[0-9]$", .held),
        Case("$.Names", "matches", "web", .unevaluable),
        // exists / notExists (null counts as existing)
        Case("$.InstanceId", "exists", "", .held),
        Case("$.Deleted", "exists", "", .held),
        Case("$.Missing", "exists", "", .notHeld),
        Case("$.Missing", "notExists", "", .held),
        Case("$.Deleted", "notExists", "", .notHeld),
        Case("$.SecurityGroups[*].GroupId", "exists", nil, .held),
        Case("$.NoTags[*]", "exists", nil, .notHeld),
        // isEmpty / isNotEmpty
        Case("$.Empty", "isEmpty", nil, .held),
        Case("$.NoTags", "isEmpty", nil, .held),
        Case("$.NoAttrs", "isEmpty", nil, .held),
        Case("$.Deleted", "isEmpty", nil, .held),
        Case("$.Zone", "isEmpty", nil, .notHeld),
        Case("$.CpuCount", "isEmpty", nil, .notHeld),
        Case("$.Encrypted", "isEmpty", nil, .notHeld),
        Case("$.Names", "isNotEmpty", nil, .held),
        Case("$.NoTags", "isNotEmpty", nil, .notHeld),
        Case("$.Missing", "isEmpty", nil, .unevaluable),
        Case("$.Missing", "isNotEmpty", nil, .unevaluable),
        // missing keys cannot be evaluated
        Case("$.Missing", "==", "x", .unevaluable),
        Case("$.Missing", "!=", "x", .unevaluable),
        Case("$.Missing", "notIn", ["x"], .unevaluable),
        Case("$.Missing", "notContains", "x", .unevaluable),
        // several values: any for positive operators, all for negative ones
        Case("$.SecurityGroups[*].GroupName", "==", "default", .held),
        Case("$.SecurityGroups[*].GroupName", "==", "db", .notHeld),
        Case("$.SecurityGroups[*].GroupName", "!=", "default", .notHeld),
        Case("$.SecurityGroups[*].GroupName", "!=", "db", .held),
        Case("$.SecurityGroups[*].Rules", ">", 2, .held),
        Case("$.SecurityGroups[*].Rules", ">", 5, .notHeld),
        Case("$.SecurityGroups[*].GroupName", "in", ["web"], .held),
        Case("$.SecurityGroups[*].GroupName", "notIn", ["web"], .notHeld),
        Case("$.SecurityGroups[*].GroupName", "notIn", ["db"], .held),
        Case("$.SecurityGroups[*].GroupName", "notContains", "eb", .notHeld),
        Case("$.SecurityGroups[*].GroupName", "contains", "eb", .held),
        Case("$.SecurityGroups[*].Rules", "isNotEmpty", nil, .held),
        Case("$.SecurityGroups[?@.Rules > 0].GroupId", "==", "sg-1", .held),
        Case("$.SecurityGroups[?@.Rules > 0].GroupId", "==", "sg-2", .notHeld),
        Case("$..GroupId", "matches", "^sg-2$", .held),
        // mixes of unevaluable and other per-value outcomes (three-valued any / all)
        Case("$.SecurityGroups[*].*", ">", 1, .held),
        Case("$.SecurityGroups[*].*", ">", 5, .unevaluable),
        Case("$.SecurityGroups[*].*", "notContains", "zz", .unevaluable),
        Case("$.SecurityGroups[*].*", "notContains", "sg", .notHeld),
    ]

    @Test(arguments: cases)
    func outcome(_ c: Case) throws {
        var fields: JSONObject = ["type": "param", "key": .string(c.key), "operator": .string(c.op)]
        if c.value != nil || c.op == "==" { fields["value"] = c.value }
        let trace = try ConditionSetTests.trace(.object(fields), Self.instance)
        #expect(trace.outcome == c.expected, "\(trace.reason)")
    }

    struct Reason: Sendable, CustomTestStringConvertible {
        var fields: JSON
        var reason: String
        var testDescription: String { reason }
    }

    static let reasons: [Reason] = [
        Reason(fields: ["type": "param", "key": "$.State.Name", "operator": "==", "value": "stopped"],
               reason: #"c1: $.State.Name is "running", == "stopped" → false"#),
        Reason(fields: ["type": "param", "key": "State.Code", "operator": ">", "value": 10],
               reason: #"c1: $.State.Code is 16, > 10 → true"#),
        Reason(fields: ["type": "param", "key": "$.LaunchTime2", "operator": "==", "value": "x"],
               reason: #"c1: $.LaunchTime2 missing → cannot evaluate (false)"#),
        Reason(fields: ["type": "param", "key": "$.Zone", "operator": ">", "value": 3],
               reason: #"c1: $.Zone is "us-east-1a", > 3: a string cannot be ordered against a number → cannot evaluate (false)"#),
        Reason(fields: ["type": "param", "key": "$.CpuCount", "operator": ">", "value": "many"],
               reason: #"c1: $.CpuCount is 4, > "many": a number cannot be ordered against the string "many" → cannot evaluate (false)"#),
        Reason(fields: ["type": "param", "key": "$.SecurityGroups[*].GroupName", "operator": "!=", "value": "default"],
               reason: #"c1: $.SecurityGroups[*].GroupName selects ["default","web"], every != "default" → false"#),
        Reason(fields: ["type": "param", "key": "$.SecurityGroups[*].GroupName", "operator": "==", "value": "web"],
               reason: #"c1: $.SecurityGroups[*].GroupName selects ["default","web"], any == "web" → true"#),
        Reason(fields: ["type": "param", "key": "$.GroupId", "operator": "exists", "value": ""],
               reason: #"c1: $.GroupId missing, exists → false"#),
        Reason(fields: ["type": "param", "key": "$.InstanceId", "operator": "exists", "value": ""],
               reason: #"c1: $.InstanceId is "i-0abc", exists → true"#),
        Reason(fields: ["type": "param", "key": "$.CpuCount", "operator": "contains", "value": 4],
               reason: #"c1: $.CpuCount is 4, contains 4: contains needs a string, array or object, not a number → cannot evaluate (false)"#),
        Reason(fields: ["type": "param", "key": "$.Names", "operator": "matches", "value": "w"],
               reason: #"c1: $.Names is ["web","db"], matches "w": matches needs a string, not an array → cannot evaluate (false)"#),
    ]

    @Test(arguments: reasons)
    func reason(_ r: Reason) throws {
        let trace = try ConditionSetTests.trace(r.fields, Self.instance)
        #expect(trace.reason == r.reason)
    }

    @Test func longValuesAreShortenedInReasons() throws {
        let item: JSON = ["Text": .string(String(repeating: "x", count: 200))]
        let trace = try ConditionSetTests.trace(["type": "param", "key": "$.Text", "operator": "==", "value": "y"], item)
        #expect(trace.reason.contains("…"))
        #expect(trace.reason.count < 150)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var fields: JSON
        var error: String
        var testDescription: String { error }
    }

    static let invalid: [Invalid] = [
        Invalid(fields: ["type": "param", "key": "$.a", "operator": "matches", "value": "([a-z"],
                error: #"condition c1: value "([a-z" is not a valid regular expression"#),
        Invalid(fields: ["type": "param", "key": "$.a", "operator": "in", "value": "a,b"],
                error: "condition c1: value must be an array for operator in, not a string"),
        Invalid(fields: ["type": "param", "key": "$.a", "operator": ">", "value": true],
                error: "condition c1: value must be a number or a string for operator >, not a boolean"),
        Invalid(fields: ["type": "param", "key": "$.a", "operator": "=~", "value": 1],
                error: #"condition c1: operator "=~" is not one of ==, !=, >, >=, <, <=, contains, notContains, startsWith, endsWith, in, notIn, matches, exists, notExists, isEmpty, isNotEmpty"#),
        Invalid(fields: ["type": "param", "key": "$.a", "operator": "=="],
                error: "condition c1: value is required"),
        Invalid(fields: ["type": "param", "key": "$[", "operator": "exists"],
                error: #"condition c1: key "$[" is not a valid JSONPath: "#),
        Invalid(fields: ["type": "param", "operator": "exists"],
                error: "condition c1: key is required"),
        Invalid(fields: ["type": "param", "key": 3, "operator": "exists"],
                error: "condition c1: key must be a string, not a number"),
        Invalid(fields: ["type": "param", "key": "$.a", "operator": "startsWith", "value": ["x"]],
                error: "condition c1: value must be a string for operator startsWith, not an array"),
    ]

    @Test(arguments: invalid)
    func compileErrors(_ c: Invalid) throws {
        let error = try #require(ConditionSetTests.compileError(c.fields))
        #expect(error.description.hasPrefix(c.error), "\(error.description)")
        #expect(error.conditionId == "c1")
    }
}
