import Foundation
import Testing
import WeftModel

@Suite struct ConditionDateTests {
    struct Parse: Sendable, CustomTestStringConvertible {
        var text: String
        var epoch: Double?
        var testDescription: String { text.debugDescription }
    }

    static let parses: [Parse] = [
        Parse(text: "2024-06-15", epoch: 1_718_409_600),
        Parse(text: "2024-06-15T12:00:00Z", epoch: 1_718_452_800),
        Parse(text: "2024-06-15T12:00:00z", epoch: 1_718_452_800),
        Parse(text: "2024-06-15t12:00:00Z", epoch: 1_718_452_800),
        Parse(text: "2024-06-15 12:00:00Z", epoch: 1_718_452_800),
        Parse(text: "2024-06-15T12:00:00", epoch: 1_718_452_800),
        Parse(text: "2024-06-15T12:00", epoch: 1_718_452_800),
        Parse(text: "2024-06-15T12:00Z", epoch: 1_718_452_800),
        Parse(text: "2024-06-15T12:00:00.5Z", epoch: 1_718_452_800.5),
        Parse(text: "2024-06-15T12:00:00.250000Z", epoch: 1_718_452_800.25),
        Parse(text: "2024-06-15T12:00:00,5Z", epoch: 1_718_452_800.5),
        Parse(text: "2024-06-15T14:00:00+02:00", epoch: 1_718_452_800),
        Parse(text: "2024-06-15T14:00:00+0200", epoch: 1_718_452_800),
        Parse(text: "2024-06-15T14:00:00+02", epoch: 1_718_452_800),
        Parse(text: "2024-06-15T07:30:00-04:30", epoch: 1_718_452_800),
        Parse(text: "2024-06-15T12:00:00.000+00:00", epoch: 1_718_452_800),
        Parse(text: "2024-02-29", epoch: 1_709_164_800),
        Parse(text: "1970-01-01T00:00:00Z", epoch: 0),
        Parse(text: "1969-12-31T23:59:59Z", epoch: -1),
        Parse(text: "2023-02-29", epoch: nil),
        Parse(text: "2024-13-01", epoch: nil),
        Parse(text: "2024-06-31", epoch: nil),
        Parse(text: "2024-06-15T24:00:00Z", epoch: nil),
        Parse(text: "2024-06-15T12:60Z", epoch: nil),
        Parse(text: "2024-06-15T12:00:00Q", epoch: nil),
        Parse(text: "2024-06-15T12:00:00.Z", epoch: nil),
        Parse(text: "2024-06-15T12", epoch: nil),
        Parse(text: "2024-6-15", epoch: nil),
        Parse(text: "15/06/2024", epoch: nil),
        Parse(text: "2024", epoch: nil),
        Parse(text: "yesterday", epoch: nil),
        Parse(text: "", epoch: nil),
    ]

    @Test(arguments: parses)
    func parsesISO8601(_ p: Parse) {
        #expect(ISODate.parse(p.text)?.timeIntervalSince1970 == p.epoch)
    }

    @Test func readsEpochNumbers() {
        #expect(ISODate.date(from: 1_718_452_800)?.timeIntervalSince1970 == 1_718_452_800)
        #expect(ISODate.date(from: 1_718_452_800_000)?.timeIntervalSince1970 == 1_718_452_800)
        #expect(ISODate.date(from: 1_718_452_800.5)?.timeIntervalSince1970 == 1_718_452_800.5)
        #expect(ISODate.date(from: "1718452800")?.timeIntervalSince1970 == 1_718_452_800)
        #expect(ISODate.date(from: "1718452800000")?.timeIntervalSince1970 == 1_718_452_800)
        #expect(ISODate.date(from: "2024-06-15")?.timeIntervalSince1970 == 1_718_409_600)
        #expect(ISODate.date(from: true) == nil)
        #expect(ISODate.date(from: "12:00") == nil)
        #expect(ISODate.date(from: "20240615") == nil)
        #expect(ISODate.date(from: nil) == nil)
    }

    @Test func formatsUTCWithMilliseconds() {
        #expect(ISODate.format(Date(timeIntervalSince1970: 1_718_452_800.25)) == "2024-06-15T12:00:00.250Z")
        #expect(ISODate.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        #expect(ISODate.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var fields: JSON
        var item: JSON
        var expected: ConditionOutcome
        var testDescription: String { "\(fields) on \(item)" }
    }

    // now = 2024-06-15T12:00:00Z
    static let cases: [Case] = [
        Case(fields: ["operator": "olderThan", "days": 30], item: ["T": "2024-05-01T00:00:00Z"], expected: .held),
        Case(fields: ["operator": "olderThan", "days": 30], item: ["T": "2024-06-01T00:00:00Z"], expected: .notHeld),
        Case(fields: ["operator": "olderThan", "days": "30"], item: ["T": "2024-05-01"], expected: .held),
        Case(fields: ["operator": "olderThan", "hours": 6], item: ["T": "2024-06-15T05:00:00Z"], expected: .held),
        Case(fields: ["operator": "olderThan", "hours": 6], item: ["T": "2024-06-15T07:00:00Z"], expected: .notHeld),
        Case(fields: ["operator": "olderThan", "days": 1, "hours": 12], item: ["T": "2024-06-14T00:00:00Z"], expected: .notHeld),
        Case(fields: ["operator": "olderThan", "days": 1, "hours": 12], item: ["T": "2024-06-13T23:00:00Z"], expected: .held),
        Case(fields: ["operator": "olderThan", "days": 0.5], item: ["T": "2024-06-14T23:00:00Z"], expected: .held),
        Case(fields: ["operator": "newerThan", "days": 30], item: ["T": "2024-06-01T00:00:00Z"], expected: .held),
        Case(fields: ["operator": "newerThan", "days": 30], item: ["T": "2024-05-01T00:00:00Z"], expected: .notHeld),
        Case(fields: ["operator": "newerThan", "days": 30], item: ["T": 1_717_200_000], expected: .held),
        Case(fields: ["operator": "newerThan", "days": 30], item: ["T": 1_717_200_000_000], expected: .held),
        Case(fields: ["operator": "olderThan", "days": 30], item: ["T": 1_714_521_600], expected: .held),
        Case(fields: ["operator": "newerThan", "days": 30], item: ["T": "2024-06-10T09:00:00.123456+05:30"], expected: .held),
        Case(fields: ["operator": "before", "value": "2024-01-01"], item: ["T": "2023-12-31T23:59:59Z"], expected: .held),
        Case(fields: ["operator": "before", "value": "2024-01-01"], item: ["T": "2024-01-01T00:00:00Z"], expected: .notHeld),
        Case(fields: ["operator": "after", "value": "2024-01-01"], item: ["T": "2024-01-01T00:00:01Z"], expected: .held),
        Case(fields: ["operator": "after", "value": 1_704_067_200], item: ["T": "2023-06-01"], expected: .notHeld),
        Case(fields: ["operator": "between", "from": "2024-01-01", "to": "2024-02-01"], item: ["T": "2024-01-15"], expected: .held),
        Case(fields: ["operator": "between", "from": "2024-01-01", "to": "2024-02-01"], item: ["T": "2024-01-01"], expected: .held),
        Case(fields: ["operator": "between", "from": "2024-01-01", "to": "2024-02-01"], item: ["T": "2024-02-01T00:00:00Z"], expected: .held),
        Case(fields: ["operator": "between", "from": "2024-01-01", "to": "2024-02-01"], item: ["T": "2024-02-01T00:00:01Z"], expected: .notHeld),
        Case(fields: ["operator": "olderThan", "days": 30], item: ["X": "2024-01-01"], expected: .unevaluable),
        Case(fields: ["operator": "olderThan", "days": 30], item: ["T": "last year"], expected: .unevaluable),
        Case(fields: ["operator": "olderThan", "days": 30], item: ["T": true], expected: .unevaluable),
        Case(fields: ["operator": "olderThan", "days": 30], item: ["T": nil], expected: .unevaluable),
        Case(fields: ["operator": "olderThan", "days": 30, "key": "$.L[*]"], item: ["L": ["2024-06-01", "2024-01-01"]], expected: .held),
        Case(fields: ["operator": "olderThan", "days": 30, "key": "$.L[*]"], item: ["L": ["2024-06-01", "2024-06-02"]], expected: .notHeld),
        Case(fields: ["operator": "olderThan", "days": 30, "key": "$.L[*]"], item: ["L": ["bad", "2024-01-01"]], expected: .held),
        Case(fields: ["operator": "olderThan", "days": 30, "key": "$.L[*]"], item: ["L": ["bad", "2024-06-01"]], expected: .unevaluable),
    ]

    @Test(arguments: cases)
    func outcome(_ c: Case) throws {
        var fields = c.fields.objectValue!
        fields["type"] = "date"
        if fields["key"] == nil { fields["key"] = "$.T" }
        let trace = try ConditionSetTests.trace(.object(fields), c.item)
        #expect(trace.outcome == c.expected, "\(trace.reason)")
    }

    @Test func reasons() throws {
        let older = try ConditionSetTests.trace(["type": "date", "key": "LaunchTime", "operator": "olderThan", "days": 30],
                                                ["LaunchTime": "2024-05-01T12:00:00Z"])
        #expect(older.reason == #"c1: $.LaunchTime is "2024-05-01T12:00:00Z" (45 days old), olderThan 30 days → true"#)
        let recent = try ConditionSetTests.trace(["type": "date", "key": "LaunchTime", "operator": "newerThan", "hours": 1],
                                                 ["LaunchTime": "2024-06-15T09:00:00Z"])
        #expect(recent.reason == #"c1: $.LaunchTime is "2024-06-15T09:00:00Z" (3 hours old), newerThan 1 hour → false"#)
        let missing = try ConditionSetTests.trace(["type": "date", "key": "$.LaunchTime", "operator": "olderThan", "days": 1], [:])
        #expect(missing.reason == "c1: $.LaunchTime missing → cannot evaluate (false)")
        let bad = try ConditionSetTests.trace(["type": "date", "key": "$.LaunchTime", "operator": "before", "value": "2024-01-01"],
                                              ["LaunchTime": "soon"])
        #expect(bad.reason == #"c1: $.LaunchTime is "soon", before "2024-01-01": "soon" is not a date → cannot evaluate (false)"#)
        let between = try ConditionSetTests.trace(
            ["type": "date", "key": "$.T", "operator": "between", "from": "2024-01-01", "to": "2024-12-31"], ["T": "2024-03-01"])
        #expect(between.reason == #"c1: $.T is "2024-03-01", between "2024-01-01" and "2024-12-31" → true"#)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var fields: JSON
        var error: String
        var testDescription: String { error }
    }

    static let invalid: [Invalid] = [
        Invalid(fields: ["operator": "olderThan"], error: "condition c1: days or hours is required for olderThan"),
        Invalid(fields: ["operator": "olderThan", "days": "thirty"], error: #"condition c1: days must be a number, not "thirty""#),
        Invalid(fields: ["operator": "newerThan", "hours": -1], error: "condition c1: hours must not be negative"),
        Invalid(fields: ["operator": "before", "value": "yesterday"],
                error: #"condition c1: value "yesterday" is not an ISO 8601 date or epoch number"#),
        Invalid(fields: ["operator": "after"], error: "condition c1: value is required"),
        Invalid(fields: ["operator": "between", "from": "2024-01-01"], error: "condition c1: to is required"),
        Invalid(fields: ["operator": "between", "from": "2024-02-01", "to": "2024-01-01"], error: "condition c1: to is earlier than from"),
        Invalid(fields: ["operator": "since", "days": 1], error: #"condition c1: operator "since" is not one of olderThan, newerThan, before, after, between"#),
    ]

    @Test(arguments: invalid)
    func compileErrors(_ c: Invalid) throws {
        var fields = c.fields.objectValue!
        fields["type"] = "date"
        fields["key"] = "$.T"
        let error = try #require(ConditionSetTests.compileError(.object(fields)))
        #expect(error.description == c.error)
    }
}
