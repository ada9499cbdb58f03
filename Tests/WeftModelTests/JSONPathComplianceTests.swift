import Foundation
import Testing
import WeftModel

/// Runs the JSONPath Compliance Test Suite (RFC 9535) from `shared/testsuites/jsonpath/cts.json`.
@Suite struct JSONPathComplianceTests {
    static let expectedCaseCount = 703

    static var suiteURL: URL { SharedTestSuites.url("jsonpath/cts.json") }

    @Test func everyCasePasses() throws {
        let url = Self.suiteURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("JSONPath compliance suite not found at \(url.path): set WEFT_TESTSUITES to the shared testsuites folder")
            return
        }
        let suite = try JSON.parse([UInt8](Data(contentsOf: url)))
        guard let cases = suite["tests"]?.arrayValue else {
            Issue.record("\(url.path) has no \"tests\" array")
            return
        }
        #expect(cases.count == Self.expectedCaseCount)

        var failures: [String] = []
        for testCase in cases {
            if let failure = Self.check(testCase) { failures.append(failure) }
        }
        let passed = cases.count - failures.count
        #expect(failures.isEmpty, "cts \(passed)/\(cases.count); failing cases:\n\(failures.joined(separator: "\n"))")
    }

    /// A description of how `testCase` fails, or `nil` when it passes.
    static func check(_ testCase: JSON) -> String? {
        let name = testCase["name"]?.stringValue ?? "?"
        guard let selector = testCase["selector"]?.stringValue else { return "\(name): no selector" }
        let label = "\(name) [\(selector.debugDescription)]"

        if testCase["invalid_selector"] == .bool(true) {
            guard let path = try? JSONPath(selector) else { return nil }
            return "\(label): parsed, but the query is invalid (\(path))"
        }
        let path: JSONPath
        do {
            path = try JSONPath(selector)
        } catch {
            return "\(label): \(error)"
        }
        let document = testCase["document"] ?? .null
        let located = path.locate(document)
        let values = located.map(\.value)
        let paths = located.map(\.path)
        guard path.query(document) == values else {
            return "\(label): query() and locate() disagree"
        }

        var expected: [(values: [JSON], paths: [String])] = []
        if let result = testCase["result"]?.arrayValue {
            expected.append((result, (testCase["result_paths"]?.arrayValue ?? []).compactMap(\.stringValue)))
        } else if let results = testCase["results"]?.arrayValue {
            let allPaths = testCase["results_paths"]?.arrayValue ?? []
            for (index, result) in results.enumerated() {
                let resultPaths = index < allPaths.count ? allPaths[index].arrayValue ?? [] : []
                expected.append((result.arrayValue ?? [], resultPaths.compactMap(\.stringValue)))
            }
        }
        if expected.contains(where: { $0.values == values && $0.paths == paths }) { return nil }
        let got = JSON.array(values).serialized()
        let wanted = expected.map { JSON.array($0.values).serialized() }.joined(separator: " or ")
        return "\(label): got \(got) at \(paths), expected \(wanted)"
    }
}
