import Foundation
import Testing
import WeftModel

/// Runs the EventBridge pattern vectors in `shared/testsuites/eventbridge` (see its README for how
/// each file is interpreted), plus focused cases for the matcher's contracts.
@Suite struct EventPatternTests {
    static func suiteURL(_ file: String) -> URL { SharedTestSuites.url("eventbridge/\(file)") }

    /// The cases of `file`, or `nil` (with an issue recorded) when the file is missing.
    static func load(_ file: String) throws -> [JSON]? {
        let url = suiteURL(file)
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("\(file) not found at \(url.path): set WEFT_TESTSUITES to the shared testsuites folder")
            return nil
        }
        guard let cases = try JSON.parse([UInt8](Data(contentsOf: url))).arrayValue else {
            Issue.record("\(url.path) is not an array of cases")
            return nil
        }
        return cases
    }

    /// A description of how a match case fails, or `nil` when it passes.
    static func checkMatch(_ testCase: JSON, patternKey: String, eventKey: String) -> String? {
        let name = testCase["name"]?.stringValue ?? "?"
        guard let patternText = testCase[patternKey]?.stringValue, let eventText = testCase[eventKey]?.stringValue,
            let expected = testCase["matches"]?.boolValue
        else { return "\(name): malformed case" }
        let pattern: EventPattern
        do {
            pattern = try EventPattern(text: patternText)
        } catch {
            return "\(name): pattern rejected: \(error)"
        }
        let actual = pattern.matches(text: eventText)
        return actual == expected ? nil : "\(name): expected \(expected), got \(actual)"
    }

    static func runMatchCases(_ file: String, expectedCount: Int, patternKey: String, eventKey: String) throws {
        guard let cases = try load(file) else { return }
        #expect(cases.count == expectedCount)
        let failures = cases.compactMap { checkMatch($0, patternKey: patternKey, eventKey: eventKey) }
        #expect(
            failures.isEmpty,
            "\(file) \(cases.count - failures.count)/\(cases.count); failing:\n\(failures.joined(separator: "\n"))")
    }

    @Test func awsCheckedCasesMatch() throws {
        try Self.runMatchCases("cases.json", expectedCount: 117, patternKey: "pattern_json", eventKey: "event_json")
    }

    @Test func rawTextCasesMatch() throws {
        try Self.runMatchCases(
            "raw_text_cases.json", expectedCount: 2, patternKey: "pattern_text", eventKey: "event_text")
    }

    @Test func supplementaryCasesMatch() throws {
        try Self.runMatchCases(
            "supplementary_cases.json", expectedCount: 59, patternKey: "pattern_json", eventKey: "event_json")
    }

    /// Every pattern is rejected, and with AWS's reason (the first line of `aws_message`).
    @Test func invalidPatternsAreRejected() throws {
        guard let cases = try Self.load("invalid_patterns.json") else { return }
        #expect(cases.count == 38)
        var failures: [String] = []
        for testCase in cases {
            let name = testCase["name"]?.stringValue ?? "?"
            guard let text = testCase["pattern_json"]?.stringValue, let message = testCase["aws_message"]?.stringValue
            else {
                failures.append("\(name): malformed case")
                continue
            }
            let awsReason = message.components(separatedBy: "Reason: ").last?.trimmingCharacters(in: .whitespaces)
            do {
                _ = try EventPattern(text: text)
                failures.append("\(name): accepted")
            } catch {
                if error.reason != awsReason { failures.append("\(name): reason \(error.reason.debugDescription)") }
            }
        }
        #expect(
            failures.isEmpty,
            "rejected as AWS does \(cases.count - failures.count)/\(cases.count); failing:\n\(failures.joined(separator: "\n"))")
    }

    @Test(arguments: [
        (#"{"resources": []}"#, "/resources", "Empty arrays are not allowed"),
        (#"{"detail": {"n": [{"numeric": [">", 0, ">", 0]}]}}"#, "/detail/n/0/numeric/2", "Bad numeric range operator: >"),
        (#"{"detail": {"n": [{"numeric": [">", 0, "<"]}]}}"#, "/detail/n/0/numeric/3", "Value of < must be numeric"),
        (#"{"detail": {"n": [{"numeric": [">", 5, "<", 1]}]}}"#, "/detail/n/0/numeric/2", "Bottom must be less than top"),
        (#"{"a": [{"EXISTS": true}]}"#, "/a/0/EXISTS", "Unrecognized match type EXISTS"),
        (#"{"a": "x"}"#, "/a", "\"a\" must be an object or an array"),
        (#"{"a": [{"anything-but": ["x", null]}]}"#, "/a/0/anything-but/1", "Inside anything but list, start|null|boolean is not supported."),
        (#"{"a": [{"wildcard": "a**b"}]}"#, "/a/0/wildcard", "Consecutive wildcard characters at pos 2"),
        (#"{"a": [{"cidr": "10.0.0.0"}]}"#, "/a/0/cidr", "Malformed CIDR, one '/' required"),
        (#"{"a": [{"prefix": "x", "suffix": "y"}]}"#, "/a/0", "Only one key allowed in match expression"),
        (#"{"$or": [{"a": ["x"]}, "b"]}"#, "/$or/1", "\"$or\" must be an array of objects"),
        (#"[1]"#, "", "Filter is not an object"),
    ])
    func rejectionNamesReasonAndPointer(pattern: String, pointer: String, reason: String) {
        #expect(throws: EventPatternError(reason: reason, pointer: pointer)) { try EventPattern(text: pattern) }
    }

    @Test func dottedKeysAndArraysOfObjects() throws {
        let pattern = try EventPattern(text: #"{"detail": {"items.id": ["b"], "state": {"status": ["on"]}}}"#)
        #expect(pattern.matches(["detail": ["items": [["id": "a"], ["id": "b"]], "state.status": "on"]]))
        #expect(!pattern.matches(["detail": ["items": [["id": "a"]], "state.status": "on"]]))
        #expect(!pattern.matches(["detail": ["items": [], "state.status": "on"]]))
        #expect(!pattern.matches(.array([])))
    }

    @Test func existsOnlySeesLeaves() throws {
        let present = try EventPattern(text: #"{"a": [{"exists": true}]}"#)
        let absent = try EventPattern(text: #"{"a": [{"exists": false}]}"#)
        for (event, exists) in [(["a": nil] as JSON, true), (["a": ["b": 1]], false), (["a": []], false), (["a": [1]], true)] {
            #expect(present.matches(event) == exists)
            #expect(absent.matches(event) == !exists)
        }
    }

    @Test func numbersCompareByValueToSixDecimals() throws {
        let exact = try EventPattern(text: #"{"n": [300]}"#)
        #expect(exact.matches(["n": 300.0]))
        #expect(exact.matches(["n": 300.0000001]))
        #expect(!exact.matches(["n": 300.000001]))
        #expect(!exact.matches(["n": "300"]))
        let range = try EventPattern(text: #"{"n": [{"numeric": [">=", -1.5, "<", 1e9]}]}"#)
        #expect(range.matches(["n": -1.5]))
        #expect(!range.matches(["n": 1_000_000_000]))
        #expect(!range.matches(["n": nil]))
    }

    @Test func anythingButMatchesNullAndOtherTypesButNotMissing() throws {
        let pattern = try EventPattern(text: #"{"s": [{"anything-but": {"prefix": ["us-", "eu-"]}}]}"#)
        #expect(pattern.matches(["s": "ap-south-1"]))
        #expect(!pattern.matches(["s": "eu-west-1"]))
        #expect(pattern.matches(["s": nil]))
        #expect(pattern.matches(["s": true]))
        #expect(!pattern.matches(["t": "x"]))
    }

    @Test func caseInsensitiveOperators() throws {
        let pattern = try EventPattern(
            text: #"{"a": [{"equals-ignore-case": "ÄBC"}], "b": [{"suffix": {"equals-ignore-case": ".PNG"}}]}"#)
        #expect(pattern.matches(["a": "äbc", "b": "x.png"]))
        #expect(!pattern.matches(["a": "abc", "b": "x.png"]))
    }

    @Test func wildcardsAndEscapes() throws {
        let pattern = try EventPattern(text: #"{"k": [{"wildcard": "a*\\*b*"}]}"#)
        #expect(pattern.matches(["k": "axx*b"]))
        #expect(pattern.matches(["k": "a*b-tail"]))
        #expect(!pattern.matches(["k": "axxb"]))
        let empty = try EventPattern(text: #"{"k": [{"wildcard": "*"}]}"#)
        #expect(empty.matches(["k": ""]))
        #expect(throws: EventPatternError.self) { try EventPattern(text: #"{"k": [{"wildcard": "a\\b"}]}"#) }
        #expect(throws: EventPatternError.self) {
            try EventPattern(text: #"{"k": [{"wildcard": "*.bif"}, {"wildcard": "*.tiff"}, {"wildcard": "*.tif"}, {"wildcard": "*.svs"}]}"#)
        }
    }

    @Test func cidrMatchesAddressStringsOnly() throws {
        let pattern = try EventPattern(text: #"{"ip": [{"cidr": "10.0.0.0/24"}, {"cidr": "2001:db8::/32"}]}"#)
        #expect(pattern.matches(["ip": "10.0.0.7"]))
        #expect(pattern.matches(["ip": "2001:db8::1"]))
        #expect(!pattern.matches(["ip": "10.0.1.7"]))
        #expect(!pattern.matches(["ip": "10.0.0.0/25"]))
        #expect(!pattern.matches(["ip": 167_772_167]))
    }

    @Test func orBranchesNestAndCombineWithFields() throws {
        let pattern = try EventPattern(
            text: #"{"source": ["s"], "detail": {"$or": [{"a": [1]}, {"b": [2], "$or": [{"c": [3]}, {"d": [4]}]}]}}"#)
        #expect(pattern.matches(["source": "s", "detail": ["a": 1]]))
        #expect(pattern.matches(["source": "s", "detail": ["b": 2, "d": 4]]))
        #expect(!pattern.matches(["source": "s", "detail": ["b": 2]]))
        #expect(!pattern.matches(["source": "t", "detail": ["a": 1]]))
    }
}
