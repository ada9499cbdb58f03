import Testing
import WeftModel

@Suite struct ConditionTagsTests {
    static let aws: JSON = ["InstanceId": "i-1", "Tags": [["Key": "Environment", "Value": "prod"], ["Key": "Owner", "Value": "Team-A"]]]
    static let awsTagList: JSON = ["DBInstanceIdentifier": "db", "TagList": [["Key": "Environment", "Value": "prod"]]]
    static let ecs: JSON = ["tags": [["key": "Environment", "value": "prod"]]]
    static let lambda: JSON = ["Tags": ["Environment": "prod"]]
    static let azure: JSON = ["id": "/subscriptions/x", "tags": ["Environment": "prod", "costCenter": ""]]
    static let gcp: JSON = ["name": "vm-1", "labels": ["environment": "prod"]]
    static let untagged: JSON = ["InstanceId": "i-2"]
    static let emptyTags: JSON = ["InstanceId": "i-3", "Tags": []]
    static let duplicates: JSON = ["Tags": [["Key": "env", "Value": "dev"], ["Key": "Env", "Value": "prod"]]]

    struct Case: Sendable, CustomTestStringConvertible {
        var item: JSON
        var key: String
        var op: String
        var value: String?
        var caseSensitive: Bool?
        var expected: ConditionOutcome
        var testDescription: String { "\(key) \(op) \(value ?? "") cs=\(caseSensitive.map(String.init) ?? "-") on \(item)" }
        init(_ item: JSON, _ key: String, _ op: String, _ value: String, caseSensitive: Bool? = nil,
             _ expected: ConditionOutcome) {
            self.item = item; self.key = key; self.op = op; self.value = value
            self.caseSensitive = caseSensitive; self.expected = expected
        }
        init(_ item: JSON, _ key: String, _ op: String, caseSensitive: Bool? = nil, _ expected: ConditionOutcome) {
            self.item = item; self.key = key; self.op = op; self.value = nil
            self.caseSensitive = caseSensitive; self.expected = expected
        }
    }

    static let cases: [Case] = [
        Case(aws, "Environment", "exists", .held),
        Case(aws, "Environment", "equals", "prod", .held),
        Case(aws, "Environment", "equals", "dev", .notHeld),
        Case(aws, "Environment", "notEquals", "dev", .held),
        Case(aws, "Environment", "contains", "ro", .held),
        Case(aws, "Environment", "matches", "^p.*d$", .held),
        Case(aws, "Owner", "matches", "^team", .notHeld),
        Case(aws, "Owner", "matches", "^team", caseSensitive: false, .held),
        Case(aws, "environment", "exists", .notHeld),
        Case(aws, "environment", "exists", caseSensitive: false, .held),
        Case(aws, "environment", "notExists", .held),
        Case(aws, "Environment", "equals", "PROD", .notHeld),
        Case(aws, "Environment", "equals", "PROD", caseSensitive: false, .held),
        Case(aws, "Owner", "contains", "team", caseSensitive: false, .held),
        Case(aws, "Owner", "contains", "team", .notHeld),
        Case(aws, "CostCenter", "equals", "x", .unevaluable),
        Case(aws, "CostCenter", "notEquals", "x", .unevaluable),
        Case(awsTagList, "Environment", "equals", "prod", .held),
        Case(ecs, "Environment", "equals", "prod", .held),
        Case(lambda, "Environment", "equals", "prod", .held),
        Case(azure, "Environment", "equals", "prod", .held),
        Case(azure, "costCenter", "exists", .held),
        Case(azure, "costCenter", "equals", "", .held),
        Case(azure, "CostCenter", "exists", .notHeld),
        Case(gcp, "environment", "equals", "prod", .held),
        Case(gcp, "Environment", "exists", .notHeld),
        Case(gcp, "Environment", "exists", caseSensitive: false, .held),
        Case(untagged, "Environment", "exists", .notHeld),
        Case(untagged, "Environment", "notExists", .held),
        Case(untagged, "Environment", "equals", "prod", .unevaluable),
        Case(emptyTags, "Environment", "notExists", .held),
        Case(emptyTags, "Environment", "equals", "prod", .unevaluable),
        Case(duplicates, "ENV", "equals", "prod", caseSensitive: false, .held),
        Case(duplicates, "ENV", "notEquals", "prod", caseSensitive: false, .notHeld),
        Case(duplicates, "ENV", "notEquals", "test", caseSensitive: false, .held),
        Case(duplicates, "env", "equals", "prod", .notHeld),
        Case("not an object", "Environment", "exists", .notHeld),
    ]

    @Test(arguments: cases)
    func outcome(_ c: Case) throws {
        var fields: JSONObject = ["type": "tags", "key": .string(c.key), "operator": .string(c.op)]
        if let value = c.value { fields["value"] = .string(value) }
        if let caseSensitive = c.caseSensitive { fields["caseSensitive"] = .bool(caseSensitive) }
        let trace = try ConditionSetTests.trace(.object(fields), c.item)
        #expect(trace.outcome == c.expected, "\(trace.reason)")
    }

    @Test func reasons() throws {
        let equals = try ConditionSetTests.trace(["type": "tags", "key": "Environment", "operator": "equals", "value": "prod"], Self.aws)
        #expect(equals.reason == #"c1: tag Environment = "prod" equals "prod" → true"#)
        let missing = try ConditionSetTests.trace(["type": "tags", "key": "Team", "operator": "equals", "value": "a"], Self.aws)
        #expect(missing.reason == "c1: no tag Team → cannot evaluate (false)")
        let none = try ConditionSetTests.trace(["type": "tags", "key": "Team", "operator": "exists"], Self.untagged)
        #expect(none.reason == "c1: no tags (no Tags, TagList, TagSet, tags, labels), exists → false")
        let several = try ConditionSetTests.trace(
            ["type": "tags", "key": "env", "operator": "notEquals", "value": "dev", "caseSensitive": false], Self.duplicates)
        #expect(several.reason == #"c1: tags env = "dev", Env = "prod" every notEquals "dev" (ignoring case) → false"#)
    }

    @Test func readsTagsOfEveryShape() {
        #expect(TagsCondition.tags(of: Self.aws)?.map(\.key) == ["Environment", "Owner"])
        #expect(TagsCondition.tags(of: Self.azure)?.map(\.value) == ["prod", ""])
        #expect(TagsCondition.tags(of: Self.gcp)?.map(\.key) == ["environment"])
        #expect(TagsCondition.tags(of: Self.untagged) == nil)
        #expect(TagsCondition.tags(of: Self.emptyTags)?.isEmpty == true)
    }

    @Test func invalidFields() {
        #expect(ConditionSetTests.compileError(["type": "tags", "key": "A", "operator": "equals"])?.description
                == "condition c1: value is required")
        #expect(ConditionSetTests.compileError(["type": "tags", "key": "", "operator": "exists"])?.description
                == "condition c1: key must not be empty")
        #expect(ConditionSetTests.compileError(["type": "tags", "key": "A", "operator": "matches", "value": "("])?.description
                == #"condition c1: value "(" is not a valid regular expression"#)
        #expect(ConditionSetTests.compileError(["type": "tags", "key": "A", "operator": "exists", "caseSensitive": "yes"])?.description
                == #"condition c1: caseSensitive must be true or false, not "yes""#)
        #expect(ConditionSetTests.compileError(["type": "tags", "key": "A", "operator": "exists", "caseSensitive": "false"]) == nil)
    }
}
