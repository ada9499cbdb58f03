import Foundation
import Testing
import WeftModel

/// JMESPath: compliance-suite style tables, botocore's waiter and paginator expressions, and a
/// cross-check against the reference implementation (Python `jmespath`) as an oracle.
@Suite struct JMESPathTests {
    struct ComplianceCase: Sendable {
        enum Expected: Sendable {
            case result(String)
            case error(JMESPathError.Kind)
        }

        var expression: String
        var expected: Expected

        init(_ expression: String, _ result: String) {
            self.expression = expression
            expected = .result(result)
        }

        init(_ expression: String, error: JMESPathError.Kind) {
            self.expression = expression
            expected = .error(error)
        }
    }

    struct ComplianceGroup: Sendable {
        var category: String
        var given: String
        var cases: [ComplianceCase]

        init(_ category: String, given: String, _ cases: [ComplianceCase]) {
            self.category = category
            self.given = given
            self.cases = cases
        }
    }

    static let categories = [
        "basic", "boolean", "current", "escape", "filters", "functions", "identifiers", "indices", "literal",
        "multiselect", "pipe", "slice", "syntax", "unicode", "wildcard",
    ]

    @Test func tablesCoverEveryCategory() {
        let total = Self.complianceGroups.reduce(0) { $0 + $1.cases.count }
        #expect(total >= 250)
        #expect(Set(Self.complianceGroups.map(\.category)) == Set(Self.categories))
    }

    @Test(arguments: categories) func compliance(category: String) throws {
        var failures: [String] = []
        var count = 0
        for group in Self.complianceGroups where group.category == category {
            let given = try JSON.parse(group.given)
            for testCase in group.cases {
                count += 1
                if let failure = Self.check(testCase, given: given) { failures.append(failure) }
            }
        }
        #expect(failures.isEmpty, "\(category) \(count - failures.count)/\(count):\n\(failures.joined(separator: "\n"))")
    }

    /// A description of how `testCase` fails on `given`, or `nil` when it passes.
    static func check(_ testCase: ComplianceCase, given: JSON) -> String? {
        let label = testCase.expression.debugDescription
        let outcome = Result { () throws(JMESPathError) -> JSON in
            try JMESPath(testCase.expression).evaluate(given)
        }
        switch (testCase.expected, outcome) {
        case (.result(let text), .success(let actual)):
            guard let expected = try? JSON.parse(text) else { return "\(label): bad expected JSON \(text)" }
            return actual == expected ? nil : "\(label): expected \(text), got \(actual.serialized())"
        case (.result(let text), .failure(let error)):
            return "\(label): expected \(text), got \(error)"
        case (.error(let kind), .success(let actual)):
            return "\(label): expected a \(kind.rawValue) error, got \(actual.serialized())"
        case (.error(let kind), .failure(let error)):
            return error.kind == kind ? nil : "\(label): expected a \(kind.rawValue) error, got \(error)"
        }
    }

    @Test func botocoreExpressionsParse() {
        var failures: [String] = []
        for expression in Self.botocoreExpressions {
            do { _ = try JMESPath(expression) } catch { failures.append("\(expression.debugDescription): \(error)") }
        }
        #expect(Self.botocoreExpressions.count >= 250)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func botocorePaginatorAndWaiterPaths() throws {
        let page: JSON = ["IsTruncated": true, "Contents": [["Key": "a"], ["Key": "b/c"]]]
        #expect(try JMESPath("NextMarker || Contents[-1].Key").search(page) == "b/c")
        #expect(try JMESPath("NextMarker || Contents[-1].Key").search(["NextMarker": "m", "Contents": []]) == "m")
        let reservations: JSON = [
            "Reservations": [
                ["Instances": [["State": ["Name": "running"]], ["State": ["Name": "pending"]]]],
                ["Instances": [["State": ["Name": "running"]]]],
            ]
        ]
        #expect(
            try JMESPath("Reservations[].Instances[].State.Name").search(reservations) == ["running", "pending", "running"])
        #expect(try JMESPath("Reservations[].Instances[]").search(reservations).arrayValue?.count == 3)
        #expect(try JMESPath("length(Reservations[].Instances[]) > `0`").search(reservations) == true)
        #expect(try JMESPath("length(Reservations[].Instances[]) > `0`").search(["Reservations": []]) == false)
        let kinesis = try JMESPath(
            "length(KinesisDataStreamDestinations) > `0`  && length(KinesisDataStreamDestinations[?DestinationStatus == 'DISABLED' || DestinationStatus == 'ENABLE_FAILED']) ==  length(KinesisDataStreamDestinations)"
        )
        #expect(kinesis.search(["KinesisDataStreamDestinations": [["DestinationStatus": "DISABLED"]]]) == true)
        #expect(kinesis.search(["KinesisDataStreamDestinations": [["DestinationStatus": "ACTIVE"]]]) == false)
        #expect(kinesis.search(["KinesisDataStreamDestinations": []]) == false)
    }

    @Test func numbersCompareByValue() throws {
        #expect(try JMESPath("a == `1.0`").search(["a": 1]) == true)
        #expect(try JMESPath("a[?@ > `1.5`]").search(["a": [1, 2, 2.5]]) == [2, 2.5])
        #expect(try JMESPath("sum(a)").search(["a": [1, 2.5]]) == 3.5)
        #expect(try JMESPath("sum(a)").search(["a": [.int(.max), 1]]) == .double(Double(Int64.max) + 1))
        #expect(try JMESPath("abs(a)").search(["a": .int(.min)]) == .double(-Double(Int64.min)))
        #expect(try JMESPath("max(a)").search(["a": [1, 3.5, 2]]) == 3.5)
        #expect(try JMESPath("ceil(a)").search(["a": 1.5]) == .int(2))
        #expect(try JMESPath("a == `true`").search(["a": 1]) == false)
    }

    @Test func syntaxErrorsCarryKindAndOffset() {
        func failure(_ expression: String) -> JMESPathError? {
            do {
                _ = try JMESPath(expression)
                return nil
            } catch {
                return error
            }
        }
        #expect(failure("foo.")?.position == 4)
        #expect(failure("foo[?bar==]")?.position == 10)
        #expect(failure("a.b = c")?.position == 4)
        #expect(failure("foo[8:2:0]")?.kind == .invalidValue)
        #expect(failure("bogus(@)") == JMESPathError(.unknownFunction, "unknown function bogus()", position: 0))
        #expect(failure("a | length(@, @)")?.kind == .invalidArity)
        #expect(failure("a | length(@, @)")?.position == 4)
        #expect(failure("'unclosed")?.kind == .syntax)
        #expect(failure("")?.kind == .syntax)
    }

    @Test func typeErrorsAreReportedByEvaluateAndNullFromSearch() throws {
        let path = try JMESPath("x | length(@)")
        #expect(path.search(["x": 5]) == nil)
        #expect(throws: JMESPathError(.invalidType, "length(): argument 1 must be a string or an array or an object, got number", position: 4)) {
            try path.evaluate(["x": 5])
        }
        #expect(throws: JMESPathError.self) { try JMESPath("sort_by(@, &a)").evaluate([["a": 1], ["a": "x"]]) }
        #expect(throws: JMESPathError.self) { try JMESPath("&a").evaluate([:]) }
    }

    @Test func nestingIsBounded() throws {
        let depth = JMESPath.maximumDepth
        let deepParens = String(repeating: "(", count: 100_000) + "a" + String(repeating: ")", count: 100_000)
        #expect(throws: JMESPathError.self) { try JMESPath(deepParens) }
        #expect(throws: JMESPathError.self) { try JMESPath(String(repeating: "!", count: 100_000) + "a") }
        #expect(throws: JMESPathError.self) { try JMESPath(String(repeating: "[", count: 100_000)) }
        #expect(throws: JMESPathError.self) { try JMESPath(Array(repeating: "a", count: 100_000).joined(separator: " || ")) }
        #expect(throws: JMESPathError.self) { try JMESPath(String(repeating: "a[*]", count: 100_000)) }

        let longChain = Array(repeating: "a", count: 10_000).joined(separator: ".")
        #expect(try JMESPath(longChain).search(["a": "x"]) == nil)
        let longPipe = Array(repeating: "@", count: 10_000).joined(separator: " | ")
        #expect(try JMESPath(longPipe).search(5) == 5)

        let deepest = String(repeating: "!", count: depth - 1) + "a"
        #expect(try JMESPath(deepest).search(["a": true]) == .bool(depth % 2 == 1))
        var nested = "a"
        while true {
            let next = "max_by([\(nested)], &to_number(to_string(@)))"
            guard (try? JMESPath(next)) != nil else { break }
            nested = next
        }
        #expect(nested.count > 300)
        #expect(try JMESPath(nested).evaluate(["a": 2]) == 2)
    }

    @Test func compiledExpressionsAreReusable() throws {
        let path = try JMESPath("items[?size > `2`].name | sort(@)")
        #expect(path.description == "items[?size > `2`].name | sort(@)")
        #expect(path.search(["items": [["name": "b", "size": 3], ["name": "a", "size": 5]]]) == ["a", "b"])
        #expect(path.search(["items": [["name": "c", "size": 1]]]) == [])
        #expect(path == (try JMESPath("items[?size > `2`].name | sort(@)")))
    }
}

/// The cross-check against Python's `jmespath` package, the implementation botocore uses.
extension JMESPathTests {
    /// Reads `{"documents": [...], "cases": [[expression, document index], ...]}` and writes one
    /// outcome per case: `{"r": result}`, `{"e": error kind}`, or `{"skip": reason}` when Python
    /// fails with its own `TypeError` (comparisons the specification leaves undefined).
    static let oracleScript = #"""
        import json, sys
        import jmespath
        from jmespath import exceptions as E

        def kind(exc):
            if isinstance(exc, E.ArityError): return "invalid-arity"
            if isinstance(exc, E.UnknownFunctionError): return "unknown-function"
            if isinstance(exc, E.JMESPathTypeError): return "invalid-type"
            if isinstance(exc, (E.ParseError, E.EmptyExpressionError)): return "syntax"
            if isinstance(exc, ValueError): return "invalid-value"
            return None

        request = json.load(sys.stdin)
        documents = request["documents"]
        outcomes = []
        for expression, index in request["cases"]:
            try:
                outcomes.append({"r": jmespath.search(expression, documents[index])})
            except Exception as exc:
                k = kind(exc)
                outcomes.append({"e": k} if k else {"skip": type(exc).__name__ + ": " + str(exc)})
        json.dump(outcomes, sys.stdout)
        """#

    static let oracleDocuments: [String] = [
        #"{"Reservations": [{"Instances": [{"InstanceId": "i-a", "State": {"Name": "running", "Code": 16}, "Tags": [{"Key": "Name", "Value": "web"}, {"Key": "env", "Value": "prod"}]}, {"InstanceId": "i-b", "State": {"Name": "stopped", "Code": 80}, "Tags": []}]}, {"Instances": [{"InstanceId": "i-c", "State": {"Name": "pending", "Code": 2}}]}], "NextToken": null}"#,
        #"{"Contents": [{"Key": "a.txt", "Size": 12}, {"Key": "b/c.txt", "Size": 3.5}], "IsTruncated": true, "NextMarker": null, "Name": "bucket"}"#,
        #"{"a": {"b": [2, 3.5, "x", null, true, [4, 5], {"c": "d"}], "c": "text"}, "b": "text", "c": [{"Name": "x", "Value": 5, "Key": "k2"}, {"Name": "y", "Value": 2.5, "Key": "k1"}, {"Name": "z", "Value": -3}], "Items": [[2, 3], [4, [5, 6]], []], "e": {}, "f": [], "g": "", "State": false, "Value": -7.25, "Key": "Key"}"#,
        #"[{"a": "x", "b": 3, "c": [2, 3]}, {"a": "y", "b": 2, "c": []}, {"a": "x", "b": 5, "Name": "n"}, 4, "s", null, [2, 3]]"#,
        #"{"Items": [{"Name": "a", "Tags": {"k": "v"}, "Value": "10"}, {"Name": "b", "Tags": {"k": "w", "j": "u"}, "Value": "2.5"}, {"Name": "c", "Value": "x"}], "Key": [3, 2, 5, 2], "Code": "abc"}"#,
    ]

    /// Expressions built at random (with a fixed seed) from names that occur in the documents.
    struct ExpressionGenerator {
        var state: UInt64

        static let names = [
            "a", "b", "c", "e", "f", "g", "Name", "State", "Items", "Tags", "Key", "Value", "Code", "Reservations",
            "Instances", "Contents", "Size", "NextMarker", "InstanceId", "missing",
        ]
        static let literals = [
            "`2`", "`3.5`", "`-3`", "'x'", "'text'", "`\"a\"`", "`null`", "`true`", "`false`", "`[2, 3]`", "`{\"k\": \"v\"}`",
            "`[]`", "''",
        ]
        static let functions: [(name: String, parameters: [String])] = [
            ("abs", ["v"]), ("avg", ["v"]), ("ceil", ["v"]), ("contains", ["v", "v"]), ("ends_with", ["v", "v"]),
            ("floor", ["v"]), ("join", ["v", "v"]), ("keys", ["v"]), ("length", ["v"]), ("map", ["&", "v"]),
            ("max", ["v"]), ("max_by", ["v", "&"]), ("merge", ["v", "v"]), ("min", ["v"]), ("min_by", ["v", "&"]),
            ("not_null", ["v", "v", "v"]), ("reverse", ["v"]), ("sort", ["v"]), ("sort_by", ["v", "&"]),
            ("starts_with", ["v", "v"]), ("sum", ["v"]), ("to_array", ["v"]), ("to_number", ["v"]),
            ("to_string", ["v"]), ("type", ["v"]), ("values", ["v"]),
        ]

        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }

        mutating func pick(_ choices: [String]) -> String { choices[next(choices.count)] }

        mutating func number() -> Int { next(9) - 4 }

        mutating func expression(_ depth: Int) -> String {
            if depth <= 0 || next(5) == 0 {
                switch next(8) {
                case 0: return "@"
                case 1: return pick(Self.literals)
                default: return pick(Self.names)
                }
            }
            let d = depth - 1
            switch next(24) {
            case 0, 1: return "\(expression(d)).\(pick(Self.names))"
            case 2: return "\(expression(d))[\(number())]"
            case 3:
                let parts = [next(2) == 0 ? "" : "\(number())", next(2) == 0 ? "" : "\(number())"]
                let step = next(3) == 0 ? ":\([-2, -1, 1, 2][next(4)])" : ""
                return "\(expression(d))[\(parts[0]):\(parts[1])\(step)]"
            case 4: return "\(expression(d))[*].\(pick(Self.names))"
            case 5: return "\(expression(d))[]"
            case 6: return "\(expression(d)).*"
            case 7, 8: return "\(expression(d))[?\(condition(d))]"
            case 9: return "\(expression(d)) || \(expression(d))"
            case 10: return "\(expression(d)) && \(expression(d))"
            case 11: return "!\(expression(d))"
            case 12: return "(\(expression(d)))"
            case 13: return "\(expression(d)) | \(expression(d))"
            case 14: return "[\(expression(d)), \(expression(d))]"
            case 15: return "{k: \(expression(d)), j: \(expression(d))}"
            case 16: return condition(d)
            case 17: return "\(expression(d)).[\(pick(Self.names)), \(pick(Self.names))]"
            case 18: return "\(expression(d))[*]"
            default:
                let function = Self.functions[next(Self.functions.count)]
                let arguments = function.parameters.map { $0 == "&" ? "&\(expression(d))" : expression(d) }
                return "\(function.name)(\(arguments.joined(separator: ", ")))"
            }
        }

        mutating func condition(_ depth: Int) -> String {
            let comparators = ["==", "!=", "<", "<=", ">", ">="]
            switch next(4) {
            case 0: return expression(depth)
            default: return "\(expression(depth)) \(pick(comparators)) \(next(2) == 0 ? pick(Self.literals) : expression(depth))"
            }
        }
    }

    enum OracleOutcome: Equatable {
        case result(JSON)
        case error(String)
        case skipped(String)
    }

    /// Runs the oracle script once over all cases.
    static func runOracle(documents: [JSON], cases: [(String, Int)]) throws -> [OracleOutcome] {
        let request: JSON = [
            "documents": .array(documents),
            "cases": .array(cases.map { [.string($0.0), .int(Int64($0.1))] }),
        ]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", oracleScript]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(request.serialized().utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OracleUnavailable(reason: "python3 exited with status \(process.terminationStatus)")
        }
        guard case .array(let outcomes) = try JSON.parse([UInt8](data)) else {
            throw OracleUnavailable(reason: "unexpected oracle output")
        }
        return outcomes.map { outcome in
            if let result = outcome["r"] { return .result(result) }
            if let kind = outcome["e"]?.stringValue { return .error(kind) }
            return .skipped(outcome["skip"]?.stringValue ?? "?")
        }
    }

    struct OracleUnavailable: Error, CustomStringConvertible {
        var reason: String
        var description: String { "the Python jmespath oracle could not run: \(reason)" }
    }

    @Test func agreesWithPythonJMESPath() throws {
        let documents = try Self.oracleDocuments.map { try JSON.parse($0) }
        var generator = ExpressionGenerator(state: 0x5EED)
        var expressions: [String] = []
        var seen: Set<String> = []
        while expressions.count < 600 {
            let expression = generator.expression(3)
            if seen.insert(expression).inserted { expressions.append(expression) }
        }
        var cases: [(String, Int)] = []
        for expression in expressions {
            for index in documents.indices { cases.append((expression, index)) }
        }
        for expression in Self.botocoreExpressions {
            cases.append((expression, 0))
            cases.append((expression, 1))
        }

        let outcomes = try Self.runOracle(documents: documents, cases: cases)
        try #require(outcomes.count == cases.count)

        var failures: [String] = []
        var skipped = 0
        var errors = 0
        for ((expression, index), expected) in zip(cases, outcomes) {
            let actual: OracleOutcome
            do {
                actual = .result(try JMESPath(expression).evaluate(documents[index]))
            } catch {
                actual = .error(error.kind.rawValue)
            }
            switch (expected, actual) {
            case (.skipped, _):
                skipped += 1
            case (.result(let a), .result(let b)) where a == b:
                break
            case (.error(let a), .error(let b)) where a == b:
                errors += 1
            default:
                failures.append("\(expression.debugDescription) on document \(index): python \(expected), swift \(actual)")
            }
        }
        let compared = cases.count - skipped
        #expect(compared >= 2_000)
        #expect(skipped * 20 < cases.count, "\(skipped) of \(cases.count) cases skipped")
        #expect(
            failures.isEmpty,
            "oracle \(compared - failures.count)/\(compared) (\(errors) errors agreed, \(skipped) skipped):\n\(failures.prefix(40).joined(separator: "\n"))"
        )
    }
}

extension JMESPathTests {
    static let complianceGroups: [ComplianceGroup] = [
        ComplianceGroup(#"basic"#, given: #"{"foo": {"bar": {"baz": "correct"}}}"#, [
            ComplianceCase(#"foo"#, #"{"bar": {"baz": "correct"}}"#),
            ComplianceCase(#"foo.bar"#, #"{"baz": "correct"}"#),
            ComplianceCase(#"foo.bar.baz"#, #""correct""#),
            ComplianceCase(#"foo\#n.\#nbar\#n.baz"#, #""correct""#),
            ComplianceCase(#"foo.bar.baz.bad"#, #"null"#),
            ComplianceCase(#"foo.bar.bad"#, #"null"#),
            ComplianceCase(#"foo.bad"#, #"null"#),
            ComplianceCase(#"bad"#, #"null"#),
            ComplianceCase(#"bad.morebad.morebad"#, #"null"#),
        ]),
        ComplianceGroup(#"basic"#, given: #"{"foo": {"bar": ["one", "two", "three"]}}"#, [
            ComplianceCase(#"foo"#, #"{"bar": ["one", "two", "three"]}"#),
            ComplianceCase(#"foo.bar"#, #"["one", "two", "three"]"#),
        ]),
        ComplianceGroup(#"basic"#, given: #"["one", "two", "three"]"#, [
            ComplianceCase(#"one"#, #"null"#),
            ComplianceCase(#"two"#, #"null"#),
            ComplianceCase(#"three"#, #"null"#),
            ComplianceCase(#"one.two"#, #"null"#),
        ]),
        ComplianceGroup(#"basic"#, given: #"{"foo": {"1": ["one", "two", "three"], "-1": "bar"}}"#, [
            ComplianceCase(#"foo."1""#, #"["one", "two", "three"]"#),
            ComplianceCase(#"foo."1"[0]"#, #""one""#),
            ComplianceCase(#"foo."-1""#, #""bar""#),
        ]),
        ComplianceGroup(#"basic"#, given: #"{"a": 1, "b": 2.5, "c": null, "d": true, "e": "", "f": [], "g": {}}"#, [
            ComplianceCase(#"a"#, #"1"#),
            ComplianceCase(#"b"#, #"2.5"#),
            ComplianceCase(#"c"#, #"null"#),
            ComplianceCase(#"d"#, #"true"#),
            ComplianceCase(#"e"#, #""""#),
            ComplianceCase(#"f"#, #"[]"#),
            ComplianceCase(#"g"#, #"{}"#),
            ComplianceCase(#"h"#, #"null"#),
        ]),
        ComplianceGroup(#"boolean"#, given: #"{"outer": {"foo": "foo", "bar": "bar", "baz": "baz"}}"#, [
            ComplianceCase(#"outer.foo || outer.bar"#, #""foo""#),
            ComplianceCase(#"outer.foo||outer.bar"#, #""foo""#),
            ComplianceCase(#"outer.bar || outer.baz"#, #""bar""#),
            ComplianceCase(#"outer.bar||outer.baz"#, #""bar""#),
            ComplianceCase(#"outer.bad || outer.foo"#, #""foo""#),
            ComplianceCase(#"outer.bad||outer.foo"#, #""foo""#),
            ComplianceCase(#"outer.foo || outer.bad"#, #""foo""#),
            ComplianceCase(#"outer.foo||outer.bad"#, #""foo""#),
            ComplianceCase(#"outer.bad || outer.alsobad"#, #"null"#),
            ComplianceCase(#"outer.bad||outer.alsobad"#, #"null"#),
        ]),
        ComplianceGroup(#"boolean"#, given: #"{"outer": {"foo": "foo", "bool": false, "empty_list": [], "empty_string": ""}}"#, [
            ComplianceCase(#"outer.empty_string || outer.foo"#, #""foo""#),
            ComplianceCase(#"outer.nokey || outer.bool || outer.empty_list || outer.empty_string || outer.foo"#, #""foo""#),
        ]),
        ComplianceGroup(#"boolean"#, given: #"{"True": true, "False": false, "Number": 5, "EmptyList": [], "Zero": 0, "ZeroFloat": 0.0}"#, [
            ComplianceCase(#"True && False"#, #"false"#),
            ComplianceCase(#"False && True"#, #"false"#),
            ComplianceCase(#"True && True"#, #"true"#),
            ComplianceCase(#"False && False"#, #"false"#),
            ComplianceCase(#"True && Number"#, #"5"#),
            ComplianceCase(#"Number && True"#, #"true"#),
            ComplianceCase(#"Number && False"#, #"false"#),
            ComplianceCase(#"Number && EmptyList"#, #"[]"#),
            ComplianceCase(#"Number && True"#, #"true"#),
            ComplianceCase(#"EmptyList && True"#, #"[]"#),
            ComplianceCase(#"EmptyList && False"#, #"[]"#),
            ComplianceCase(#"True || False"#, #"true"#),
            ComplianceCase(#"True || True"#, #"true"#),
            ComplianceCase(#"False || True"#, #"true"#),
            ComplianceCase(#"False || False"#, #"false"#),
            ComplianceCase(#"Number || EmptyList"#, #"5"#),
            ComplianceCase(#"Number || True"#, #"5"#),
            ComplianceCase(#"Number || True && False"#, #"5"#),
            ComplianceCase(#"(Number || True) && False"#, #"false"#),
            ComplianceCase(#"Number || (True && False)"#, #"5"#),
            ComplianceCase(#"!True"#, #"false"#),
            ComplianceCase(#"!False"#, #"true"#),
            ComplianceCase(#"!Number"#, #"false"#),
            ComplianceCase(#"!EmptyList"#, #"true"#),
            ComplianceCase(#"True && !False"#, #"true"#),
            ComplianceCase(#"True && !EmptyList"#, #"true"#),
            ComplianceCase(#"!False && !EmptyList"#, #"true"#),
            ComplianceCase(#"!(True && False)"#, #"true"#),
            ComplianceCase(#"!Zero"#, #"false"#),
            ComplianceCase(#"!!Zero"#, #"true"#),
            ComplianceCase(#"!ZeroFloat"#, #"false"#),
            ComplianceCase(#"Zero || Number"#, #"0"#),
            ComplianceCase(#"ZeroFloat || Number"#, #"0.0"#),
        ]),
        ComplianceGroup(#"boolean"#, given: #"{"one": 1, "two": 2, "three": 3, "emptylist": [], "boolvalue": false}"#, [
            ComplianceCase(#"one < two"#, #"true"#),
            ComplianceCase(#"one <= two"#, #"true"#),
            ComplianceCase(#"one == one"#, #"true"#),
            ComplianceCase(#"one == two"#, #"false"#),
            ComplianceCase(#"one > two"#, #"false"#),
            ComplianceCase(#"one >= two"#, #"false"#),
            ComplianceCase(#"one != two"#, #"true"#),
            ComplianceCase(#"emptylist < one"#, #"null"#),
            ComplianceCase(#"emptylist < nullvalue"#, #"null"#),
            ComplianceCase(#"emptylist < boolvalue"#, #"null"#),
            ComplianceCase(#"one < boolvalue"#, #"null"#),
            ComplianceCase(#"one < two && three > one"#, #"true"#),
            ComplianceCase(#"one < two || three > one"#, #"true"#),
            ComplianceCase(#"one < two || three < one"#, #"true"#),
            ComplianceCase(#"two < one || three < one"#, #"false"#),
        ]),
        ComplianceGroup(#"boolean"#, given: #"{"a": "apple", "b": "banana", "n": 1}"#, [
            ComplianceCase(#"a < b"#, #"true"#),
            ComplianceCase(#"a >= b"#, #"false"#),
            ComplianceCase(#"b > a"#, #"true"#),
            ComplianceCase(#"a < n"#, #"null"#),
            ComplianceCase(#"a == 'apple'"#, #"true"#),
            ComplianceCase(#"n == `1.0`"#, #"true"#),
            ComplianceCase(#"n == `true`"#, #"false"#),
            ComplianceCase(#"`0` == `false`"#, #"false"#),
        ]),
        ComplianceGroup(#"current"#, given: #"{"foo": [{"name": "a"}, {"name": "b"}], "bar": {"baz": "qux"}}"#, [
            ComplianceCase(#"@"#, #"{"foo": [{"name": "a"}, {"name": "b"}], "bar": {"baz": "qux"}}"#),
            ComplianceCase(#"@.bar"#, #"{"baz": "qux"}"#),
            ComplianceCase(#"@.foo[0]"#, #"{"name": "a"}"#),
            ComplianceCase(#"@.foo[*].name"#, #"["a", "b"]"#),
            ComplianceCase(#"bar.@"#, error: .syntax),
            ComplianceCase(#"foo[?@.name == 'a']"#, #"[{"name": "a"}]"#),
            ComplianceCase(#"@ | bar"#, #"{"baz": "qux"}"#),
            ComplianceCase(#"@.@.bar"#, error: .syntax),
            ComplianceCase(#"[@]"#, #"[{"foo": [{"name": "a"}, {"name": "b"}], "bar": {"baz": "qux"}}]"#),
        ]),
        ComplianceGroup(#"escape"#, given: #"{"foo.bar": "dot", "foo bar": "space", "foo\nbar": "newline", "\"foo\"": "doublequote", "c:\\\\windows\\path": "windows", "/unix/path": "unix", "\"\"\"": false, "bar": {"baz": "qux"}, "\\": "backslash", "é": "accent"}"#, [
            ComplianceCase(#""foo.bar""#, #""dot""#),
            ComplianceCase(#""foo bar""#, #""space""#),
            ComplianceCase(#""foo\nbar""#, #""newline""#),
            ComplianceCase(#""\"foo\"""#, #""doublequote""#),
            ComplianceCase(#""c:\\\\windows\\path""#, #""windows""#),
            ComplianceCase(#""/unix/path""#, #""unix""#),
            ComplianceCase(#""\"\"\"""#, #"false"#),
            ComplianceCase(#""bar"."baz""#, #""qux""#),
            ComplianceCase(#""\\""#, #""backslash""#),
            ComplianceCase(#""\u00e9""#, #""accent""#),
            ComplianceCase(#""\u00E9""#, #""accent""#),
            ComplianceCase(#""\x""#, error: .syntax),
            ComplianceCase(#""foo"#, error: .syntax),
            ComplianceCase(#""\u00""#, error: .syntax),
        ]),
        ComplianceGroup(#"filters"#, given: #"{"foo": [{"name": "a"}, {"name": "b"}]}"#, [
            ComplianceCase(#"foo[?name == 'a']"#, #"[{"name": "a"}]"#),
            ComplianceCase(#"*[?[0] == `0`]"#, #"[[]]"#),
            ComplianceCase(#"foo[?name == 'c']"#, #"[]"#),
            ComplianceCase(#"foo[?name != 'a'].name"#, #"["b"]"#),
            ComplianceCase(#"foo[?name].name"#, #"["a", "b"]"#),
            ComplianceCase(#"foo[?!name]"#, #"[]"#),
        ]),
        ComplianceGroup(#"filters"#, given: #"{"foo": [{"first": "foo", "last": "bar"}, {"first": "foo", "last": "foo"}, {"first": "foo", "last": "baz"}]}"#, [
            ComplianceCase(#"foo[?first == last]"#, #"[{"first": "foo", "last": "foo"}]"#),
            ComplianceCase(#"foo[?first == last].first"#, #"["foo"]"#),
            ComplianceCase(#"foo[?last != first].last"#, #"["bar", "baz"]"#),
        ]),
        ComplianceGroup(#"filters"#, given: #"{"foo": [{"age": 20}, {"age": 25}, {"age": 30}, {"age": 12.5}]}"#, [
            ComplianceCase(#"foo[?age > `25`]"#, #"[{"age": 30}]"#),
            ComplianceCase(#"foo[?age >= `25`]"#, #"[{"age": 25}, {"age": 30}]"#),
            ComplianceCase(#"foo[?age > `30`]"#, #"[]"#),
            ComplianceCase(#"foo[?age < `25`]"#, #"[{"age": 20}, {"age": 12.5}]"#),
            ComplianceCase(#"foo[?age <= `25`]"#, #"[{"age": 20}, {"age": 25}, {"age": 12.5}]"#),
            ComplianceCase(#"foo[?age < `20`]"#, #"[{"age": 12.5}]"#),
            ComplianceCase(#"foo[?age == `20`]"#, #"[{"age": 20}]"#),
            ComplianceCase(#"foo[?age != `20`]"#, #"[{"age": 25}, {"age": 30}, {"age": 12.5}]"#),
            ComplianceCase(#"foo[?age == `12.5`]"#, #"[{"age": 12.5}]"#),
        ]),
        ComplianceGroup(#"filters"#, given: #"{"foo": [{"age": 20}, {"age": "old"}, {"age": "10"}]}"#, [
            ComplianceCase(#"foo[?age > `10`]"#, #"[{"age": 20}]"#),
            ComplianceCase(#"foo[?age > '10']"#, #"[{"age": "old"}]"#),
            ComplianceCase(#"foo[?age <= '10']"#, #"[{"age": "10"}]"#),
        ]),
        ComplianceGroup(#"filters"#, given: #"{"foo": [{"weight": 33.3}, {"weight": 44.4}, {"weight": 55.5}]}"#, [
            ComplianceCase(#"foo[?weight > `44.4`]"#, #"[{"weight": 55.5}]"#),
            ComplianceCase(#"foo[?weight >= `44.4`]"#, #"[{"weight": 44.4}, {"weight": 55.5}]"#),
            ComplianceCase(#"foo[?weight > `55.5`]"#, #"[]"#),
            ComplianceCase(#"foo[?weight < `44.4`]"#, #"[{"weight": 33.3}]"#),
            ComplianceCase(#"foo[?weight <= `44.4`]"#, #"[{"weight": 33.3}, {"weight": 44.4}]"#),
            ComplianceCase(#"foo[?weight == `33.3`]"#, #"[{"weight": 33.3}]"#),
        ]),
        ComplianceGroup(#"filters"#, given: #"{"foo": [{"top": {"name": "a"}}, {"top": {"name": "b"}}]}"#, [
            ComplianceCase(#"foo[?top.name == 'a']"#, #"[{"top": {"name": "a"}}]"#),
            ComplianceCase(#"foo[?top == `{"name": "b"}`]"#, #"[{"top": {"name": "b"}}]"#),
            ComplianceCase(#"foo[?top == `{"name": "c"}`]"#, #"[]"#),
        ]),
        ComplianceGroup(#"filters"#, given: #"{"foo": [{"top": {"first": "foo", "last": "bar"}}, {"top": {"first": "foo", "last": "foo"}}, {"top": {"first": "foo", "last": "baz"}}]}"#, [
            ComplianceCase(#"foo[?top.first == top.last]"#, #"[{"top": {"first": "foo", "last": "foo"}}]"#),
            ComplianceCase(#"foo[?top == `{"first": "foo", "last": "bar"}`]"#, #"[{"top": {"first": "foo", "last": "bar"}}]"#),
        ]),
        ComplianceGroup(#"filters"#, given: #"{"foo": [{"key": true}, {"key": false}, {"key": 0}, {"key": 1}, {"key": [0]}, {"key": {"bar": [0]}}, {"key": null}, {"key": [1]}, {"key": {"a": 2}}]}"#, [
            ComplianceCase(#"foo[?key == `true`]"#, #"[{"key": true}]"#),
            ComplianceCase(#"foo[?key == `false`]"#, #"[{"key": false}]"#),
            ComplianceCase(#"foo[?key == `0`]"#, #"[{"key": 0}]"#),
            ComplianceCase(#"foo[?key == `1`]"#, #"[{"key": 1}]"#),
            ComplianceCase(#"foo[?key == `[0]`]"#, #"[{"key": [0]}]"#),
            ComplianceCase(#"foo[?key == `{"bar": [0]}`]"#, #"[{"key": {"bar": [0]}}]"#),
            ComplianceCase(#"foo[?key == `null`]"#, #"[{"key": null}]"#),
            ComplianceCase(#"foo[?key == `[1]`]"#, #"[{"key": [1]}]"#),
            ComplianceCase(#"foo[?key == `{"a":2}`]"#, #"[{"key": {"a": 2}}]"#),
            ComplianceCase(#"foo[?`true` == key]"#, #"[{"key": true}]"#),
            ComplianceCase(#"foo[?key != `true`]"#, #"[{"key": false}, {"key": 0}, {"key": 1}, {"key": [0]}, {"key": {"bar": [0]}}, {"key": null}, {"key": [1]}, {"key": {"a": 2}}]"#),
            ComplianceCase(#"foo[?key != `null`]"#, #"[{"key": true}, {"key": false}, {"key": 0}, {"key": 1}, {"key": [0]}, {"key": {"bar": [0]}}, {"key": [1]}, {"key": {"a": 2}}]"#),
            ComplianceCase(#"foo[?key]"#, #"[{"key": true}, {"key": 0}, {"key": 1}, {"key": [0]}, {"key": {"bar": [0]}}, {"key": [1]}, {"key": {"a": 2}}]"#),
            ComplianceCase(#"foo[?!key]"#, #"[{"key": false}, {"key": null}]"#),
        ]),
        ComplianceGroup(#"filters"#, given: #"{"reservations": [{"instances": [{"foo": 1, "bar": 2}, {"foo": 1, "bar": 3}, {"foo": 1, "bar": 2}, {"foo": 2, "bar": 1}]}]}"#, [
            ComplianceCase(#"reservations[].instances[?bar==`1`]"#, #"[[{"foo": 2, "bar": 1}]]"#),
            ComplianceCase(#"reservations[*].instances[?bar==`1`]"#, #"[[{"foo": 2, "bar": 1}]]"#),
            ComplianceCase(#"reservations[].instances[?bar==`1`][]"#, #"[{"foo": 2, "bar": 1}]"#),
        ]),
        ComplianceGroup(#"filters"#, given: #"{"baz": "other", "foo": [{"bar": 1}, {"bar": 2}, {"bar": 3}, {"bar": 4}, {"bar": 1, "baz": 2}]}"#, [
            ComplianceCase(#"foo[?bar==`1`].bar[0]"#, #"[]"#),
            ComplianceCase(#"foo[?bar==`1`] | [0]"#, #"{"bar": 1}"#),
            ComplianceCase(#"foo[?bar==`1`].baz"#, #"[2]"#),
            ComplianceCase(#"foo[?bar==`1` && baz==`2`]"#, #"[{"bar": 1, "baz": 2}]"#),
            ComplianceCase(#"foo[?bar==`1` || baz==`2`]"#, #"[{"bar": 1}, {"bar": 1, "baz": 2}]"#),
            ComplianceCase(#"foo[?bar==`3` || bar==`4`].bar"#, #"[3, 4]"#),
            ComplianceCase(#"foo[?!(bar==`1`)]"#, #"[{"bar": 2}, {"bar": 3}, {"bar": 4}]"#),
            ComplianceCase(#"foo[?(bar==`1` || bar==`2`) && !baz].bar"#, #"[1, 2]"#),
            ComplianceCase(#"foo[?bar > `1`][?bar < `4`]"#, #"[]"#),
        ]),
        ComplianceGroup(#"filters"#, given: #"{"foo": [{"a": 1, "b": {"c": "x"}}, {"a": 2, "b": {"c": "y"}}, {"a": 3, "b": {"c": "z"}}]}"#, [
            ComplianceCase(#"foo[?a==`1`].b.c"#, #"["x"]"#),
            ComplianceCase(#"foo[?a > `1`].b | [*].c"#, #"["y", "z"]"#),
            ComplianceCase(#"foo[?b.c == 'y'] | [0].a"#, #"2"#),
            ComplianceCase(#"foo[?a].b.c"#, #"["x", "y", "z"]"#),
            ComplianceCase(#"foo[?`false`]"#, #"[]"#),
            ComplianceCase(#"foo[?`true`].a"#, #"[1, 2, 3]"#),
        ]),
        ComplianceGroup(#"filters"#, given: #"{"foo": [[1, 2], [3, 4], [], [5]]}"#, [
            ComplianceCase(#"foo[?length(@) > `1`]"#, #"[[1, 2], [3, 4]]"#),
            ComplianceCase(#"foo[?[0] == `3`]"#, #"[[3, 4]]"#),
            ComplianceCase(#"foo[?@]"#, #"[[1, 2], [3, 4], [5]]"#),
            ComplianceCase(#"foo[?@][]"#, #"[1, 2, 3, 4, 5]"#),
        ]),
        ComplianceGroup(#"filters"#, given: #"[{"instances": [{"State": {"Name": "running"}, "Id": "i-1"}, {"State": {"Name": "stopped"}, "Id": "i-2"}]}]"#, [
            ComplianceCase(#"[].instances[?State.Name=='running'].Id"#, #"[["i-1"]]"#),
            ComplianceCase(#"[].instances[] | [?State.Name!='running'].Id"#, #"["i-2"]"#),
        ]),
        ComplianceGroup(#"functions"#, given: #"{"foo": -1, "zero": 0, "numbers": [-1, 3, 4, 5], "array": [-1, 3, 4, 5, "a", "100"], "strings": ["a", "b", "c"], "decimals": [1.01, 1.2, -1.5], "str": "Str", "false": false, "empty_list": [], "empty_hash": {}, "objects": {"foo": "bar", "bar": "baz"}, "null_key": null}"#, [
            ComplianceCase(#"abs(foo)"#, #"1"#),
            ComplianceCase(#"abs(foo)"#, #"1"#),
            ComplianceCase(#"abs(str)"#, error: .invalidType),
            ComplianceCase(#"abs(array[1])"#, #"3"#),
            ComplianceCase(#"abs(`false`)"#, error: .invalidType),
            ComplianceCase(#"abs(`-24`)"#, #"24"#),
            ComplianceCase(#"abs(`1`, `2`)"#, error: .invalidArity),
            ComplianceCase(#"abs()"#, error: .invalidArity),
            ComplianceCase(#"unknown_function(`1`, `2`)"#, error: .unknownFunction),
            ComplianceCase(#"avg(numbers)"#, #"2.75"#),
            ComplianceCase(#"avg(array)"#, error: .invalidType),
            ComplianceCase(#"avg('abc')"#, error: .invalidType),
            ComplianceCase(#"avg(foo)"#, error: .invalidType),
            ComplianceCase(#"avg(@)"#, error: .invalidType),
            ComplianceCase(#"avg(strings)"#, error: .invalidType),
            ComplianceCase(#"avg(empty_list)"#, #"null"#),
            ComplianceCase(#"ceil(`1.2`)"#, #"2"#),
            ComplianceCase(#"ceil(decimals[0])"#, #"2"#),
            ComplianceCase(#"ceil(decimals[1])"#, #"2"#),
            ComplianceCase(#"ceil(decimals[2])"#, #"-1"#),
            ComplianceCase(#"ceil('string')"#, error: .invalidType),
            ComplianceCase(#"ceil(`2`)"#, #"2"#),
            ComplianceCase(#"contains('abc', 'a')"#, #"true"#),
            ComplianceCase(#"contains('abc', 'd')"#, #"false"#),
            ComplianceCase(#"contains(`false`, 'd')"#, error: .invalidType),
            ComplianceCase(#"contains(strings, 'a')"#, #"true"#),
            ComplianceCase(#"contains(decimals, `1.01`)"#, #"true"#),
            ComplianceCase(#"contains(decimals, `false`)"#, #"false"#),
            ComplianceCase(#"contains(numbers, `3.0`)"#, #"true"#),
            ComplianceCase(#"contains('', '')"#, #"true"#),
            ComplianceCase(#"contains('abc', '')"#, #"true"#),
            ComplianceCase(#"ends_with(str, 'r')"#, #"true"#),
            ComplianceCase(#"ends_with(str, 'tr')"#, #"true"#),
            ComplianceCase(#"ends_with(str, 'Str')"#, #"true"#),
            ComplianceCase(#"ends_with(str, 'SStr')"#, #"false"#),
            ComplianceCase(#"ends_with(str, 'foo')"#, #"false"#),
            ComplianceCase(#"ends_with(str, `0`)"#, error: .invalidType),
            ComplianceCase(#"floor(`1.2`)"#, #"1"#),
            ComplianceCase(#"floor('string')"#, error: .invalidType),
            ComplianceCase(#"floor(decimals[0])"#, #"1"#),
            ComplianceCase(#"floor(foo)"#, #"-1"#),
            ComplianceCase(#"floor(str)"#, error: .invalidType),
            ComplianceCase(#"floor(decimals[2])"#, #"-2"#),
            ComplianceCase(#"length('abc')"#, #"3"#),
            ComplianceCase(#"length('✓foo')"#, #"4"#),
            ComplianceCase(#"length('')"#, #"0"#),
            ComplianceCase(#"length(@)"#, #"12"#),
            ComplianceCase(#"length(strings[0])"#, #"1"#),
            ComplianceCase(#"length(str)"#, #"3"#),
            ComplianceCase(#"length(array)"#, #"6"#),
            ComplianceCase(#"length(objects)"#, #"2"#),
            ComplianceCase(#"length(`false`)"#, error: .invalidType),
            ComplianceCase(#"length(foo)"#, error: .invalidType),
            ComplianceCase(#"length(strings[0])"#, #"1"#),
            ComplianceCase(#"max(numbers)"#, #"5"#),
            ComplianceCase(#"max(decimals)"#, #"1.2"#),
            ComplianceCase(#"max(strings)"#, #""c""#),
            ComplianceCase(#"max(abc)"#, error: .invalidType),
            ComplianceCase(#"max(array)"#, error: .invalidType),
            ComplianceCase(#"max(decimals)"#, #"1.2"#),
            ComplianceCase(#"max(empty_list)"#, #"null"#),
            ComplianceCase(#"merge(`{}`)"#, #"{}"#),
            ComplianceCase(#"merge(`{}`, `{}`)"#, #"{}"#),
            ComplianceCase(#"merge(`{"a": 1}`, `{"b": 2}`)"#, #"{"a": 1, "b": 2}"#),
            ComplianceCase(#"merge(`{"a": 1}`, `{"a": 2}`)"#, #"{"a": 2}"#),
            ComplianceCase(#"merge(`{"a": 1, "b": 2}`, `{"a": 2, "c": 3}`, `{"d": 4}`)"#, #"{"a": 2, "b": 2, "c": 3, "d": 4}"#),
            ComplianceCase(#"merge()"#, error: .invalidArity),
            ComplianceCase(#"merge(`1`)"#, error: .invalidType),
            ComplianceCase(#"min(numbers)"#, #"-1"#),
            ComplianceCase(#"min(decimals)"#, #"-1.5"#),
            ComplianceCase(#"min(abc)"#, error: .invalidType),
            ComplianceCase(#"min(array)"#, error: .invalidType),
            ComplianceCase(#"min(empty_list)"#, #"null"#),
            ComplianceCase(#"min(decimals)"#, #"-1.5"#),
            ComplianceCase(#"min(strings)"#, #""a""#),
            ComplianceCase(#"type('abc')"#, #""string""#),
            ComplianceCase(#"type(`1.0`)"#, #""number""#),
            ComplianceCase(#"type(`2`)"#, #""number""#),
            ComplianceCase(#"type(`true`)"#, #""boolean""#),
            ComplianceCase(#"type(`false`)"#, #""boolean""#),
            ComplianceCase(#"type(`null`)"#, #""null""#),
            ComplianceCase(#"type(`[0]`)"#, #""array""#),
            ComplianceCase(#"type(`{"a": "b"}`)"#, #""object""#),
            ComplianceCase(#"type(@)"#, #""object""#),
            ComplianceCase(#"sort(keys(objects))"#, #"["bar", "foo"]"#),
            ComplianceCase(#"keys(foo)"#, error: .invalidType),
            ComplianceCase(#"keys(strings)"#, error: .invalidType),
            ComplianceCase(#"keys(`false`)"#, error: .invalidType),
            ComplianceCase(#"sort(values(objects))"#, #"["bar", "baz"]"#),
            ComplianceCase(#"keys(empty_hash)"#, #"[]"#),
            ComplianceCase(#"values(foo)"#, error: .invalidType),
            ComplianceCase(#"join(', ', strings)"#, #""a, b, c""#),
            ComplianceCase(#"join(', ', strings)"#, #""a, b, c""#),
            ComplianceCase(#"join(',', `["a", "b"]`)"#, #""a,b""#),
            ComplianceCase(#"join(',', `["a", 0]`)"#, error: .invalidType),
            ComplianceCase(#"join(', ', str)"#, error: .invalidType),
            ComplianceCase(#"join('|', strings)"#, #""a|b|c""#),
            ComplianceCase(#"join(`2`, strings)"#, error: .invalidType),
            ComplianceCase(#"join('|', decimals)"#, error: .invalidType),
            ComplianceCase(#"join('|', decimals[].to_string(@))"#, #""1.01|1.2|-1.5""#),
            ComplianceCase(#"join('|', empty_list)"#, #""""#),
            ComplianceCase(#"reverse(numbers)"#, #"[5, 4, 3, -1]"#),
            ComplianceCase(#"reverse(array)"#, #"["100", "a", 5, 4, 3, -1]"#),
            ComplianceCase(#"reverse(`[]`)"#, #"[]"#),
            ComplianceCase(#"reverse('')"#, #""""#),
            ComplianceCase(#"reverse('hello world')"#, #""dlrow olleh""#),
            ComplianceCase(#"starts_with(str, 'S')"#, #"true"#),
            ComplianceCase(#"starts_with(str, 'St')"#, #"true"#),
            ComplianceCase(#"starts_with(str, 'Str')"#, #"true"#),
            ComplianceCase(#"starts_with(str, 'String')"#, #"false"#),
            ComplianceCase(#"starts_with(str, `0`)"#, error: .invalidType),
            ComplianceCase(#"sum(numbers)"#, #"11"#),
            ComplianceCase(#"sum(decimals)"#, #"0.71"#),
            ComplianceCase(#"sum(array[].to_number(@))"#, #"111"#),
            ComplianceCase(#"sum(`[]`)"#, #"0"#),
            ComplianceCase(#"to_array('foo')"#, #"["foo"]"#),
            ComplianceCase(#"to_array(`0`)"#, #"[0]"#),
            ComplianceCase(#"to_array(objects)"#, #"[{"foo": "bar", "bar": "baz"}]"#),
            ComplianceCase(#"to_array(`[1, 2, 3]`)"#, #"[1, 2, 3]"#),
            ComplianceCase(#"to_array(false)"#, #"[false]"#),
            ComplianceCase(#"to_string('foo')"#, #""foo""#),
            ComplianceCase(#"to_string(`1.2`)"#, #""1.2""#),
            ComplianceCase(#"to_string(`[0, 1]`)"#, #""[0,1]""#),
            ComplianceCase(#"to_number('1.0')"#, #"1.0"#),
            ComplianceCase(#"to_number('1.1')"#, #"1.1"#),
            ComplianceCase(#"to_number('4')"#, #"4"#),
            ComplianceCase(#"to_number('notanumber')"#, #"null"#),
            ComplianceCase(#"to_number(`false`)"#, #"null"#),
            ComplianceCase(#"to_number(`null`)"#, #"null"#),
            ComplianceCase(#"to_number(`[0]`)"#, #"null"#),
            ComplianceCase(#"to_number(`{"foo": 0}`)"#, #"null"#),
            ComplianceCase(#"to_number('1e3')"#, #"1000.0"#),
            ComplianceCase(#"to_number(' 12 ')"#, #"12"#),
            ComplianceCase(#"to_number('-7')"#, #"-7"#),
            ComplianceCase(#"to_number('')"#, #"null"#),
            ComplianceCase(#""to_string"(`1.0`)"#, error: .syntax),
            ComplianceCase(#"sort(numbers)"#, #"[-1, 3, 4, 5]"#),
            ComplianceCase(#"sort(strings)"#, #"["a", "b", "c"]"#),
            ComplianceCase(#"sort(decimals)"#, #"[-1.5, 1.01, 1.2]"#),
            ComplianceCase(#"sort(array)"#, error: .invalidType),
            ComplianceCase(#"sort(abc)"#, error: .invalidType),
            ComplianceCase(#"sort(empty_list)"#, #"[]"#),
            ComplianceCase(#"sort(@)"#, error: .invalidType),
            ComplianceCase(#"not_null(unknown_key, str)"#, #""Str""#),
            ComplianceCase(#"not_null(unknown_key, foo.bar, empty_list, str)"#, #"[]"#),
            ComplianceCase(#"not_null(unknown_key, null_key, empty_list, str)"#, #"[]"#),
            ComplianceCase(#"not_null(all, expressions, are_null)"#, #"null"#),
            ComplianceCase(#"not_null()"#, error: .invalidArity),
            ComplianceCase(#"numbers[].to_string(@)"#, #"["-1", "3", "4", "5"]"#),
            ComplianceCase(#"array[].to_number(@)"#, #"[-1, 3, 4, 5, 100]"#),
        ]),
        ComplianceGroup(#"functions"#, given: #"{"foo": [{"b": "b", "a": "a"}, {"c": "c", "b": "b"}, {"d": "d", "c": "c"}, {"e": "e", "d": "d"}, {"f": "f", "e": "e"}]}"#, [
            ComplianceCase(#"foo[].not_null(f, e, d, c, b, a)"#, #"["b", "c", "d", "e", "f"]"#),
        ]),
        ComplianceGroup(#"functions"#, given: #"{"people": [{"age": 20, "age_str": "20", "bool": true, "name": "a", "extra": "foo"}, {"age": 40, "age_str": "40", "bool": false, "name": "b", "extra": "bar"}, {"age": 30, "age_str": "30", "bool": true, "name": "c"}, {"age": 50, "age_str": "50", "bool": false, "name": "d"}, {"age": 10, "age_str": "10", "bool": true, "name": 3}]}"#, [
            ComplianceCase(#"sort_by(people, &age)"#, #"[{"age": 10, "age_str": "10", "bool": true, "name": 3}, {"age": 20, "age_str": "20", "bool": true, "name": "a", "extra": "foo"}, {"age": 30, "age_str": "30", "bool": true, "name": "c"}, {"age": 40, "age_str": "40", "bool": false, "name": "b", "extra": "bar"}, {"age": 50, "age_str": "50", "bool": false, "name": "d"}]"#),
            ComplianceCase(#"sort_by(people, &age_str)"#, #"[{"age": 10, "age_str": "10", "bool": true, "name": 3}, {"age": 20, "age_str": "20", "bool": true, "name": "a", "extra": "foo"}, {"age": 30, "age_str": "30", "bool": true, "name": "c"}, {"age": 40, "age_str": "40", "bool": false, "name": "b", "extra": "bar"}, {"age": 50, "age_str": "50", "bool": false, "name": "d"}]"#),
            ComplianceCase(#"sort_by(people, &to_number(age_str))"#, #"[{"age": 10, "age_str": "10", "bool": true, "name": 3}, {"age": 20, "age_str": "20", "bool": true, "name": "a", "extra": "foo"}, {"age": 30, "age_str": "30", "bool": true, "name": "c"}, {"age": 40, "age_str": "40", "bool": false, "name": "b", "extra": "bar"}, {"age": 50, "age_str": "50", "bool": false, "name": "d"}]"#),
            ComplianceCase(#"sort_by(people, &age)[].name"#, #"[3, "a", "c", "b", "d"]"#),
            ComplianceCase(#"sort_by(people, &extra)"#, error: .invalidType),
            ComplianceCase(#"sort_by(people, &bool)"#, error: .invalidType),
            ComplianceCase(#"sort_by(people, &name)"#, error: .invalidType),
            ComplianceCase(#"sort_by(people, name)"#, error: .invalidType),
            ComplianceCase(#"sort_by(people, &age)[].extra"#, #"["foo", "bar"]"#),
            ComplianceCase(#"sort_by(`[]`, &age)"#, #"[]"#),
            ComplianceCase(#"max_by(people, &age)"#, #"{"age": 50, "age_str": "50", "bool": false, "name": "d"}"#),
            ComplianceCase(#"max_by(people, &age_str)"#, #"{"age": 50, "age_str": "50", "bool": false, "name": "d"}"#),
            ComplianceCase(#"max_by(people, &bool)"#, error: .invalidType),
            ComplianceCase(#"max_by(people, &extra)"#, error: .invalidType),
            ComplianceCase(#"max_by(people, &to_number(age_str))"#, #"{"age": 50, "age_str": "50", "bool": false, "name": "d"}"#),
            ComplianceCase(#"min_by(people, &age)"#, #"{"age": 10, "age_str": "10", "bool": true, "name": 3}"#),
            ComplianceCase(#"min_by(people, &age_str)"#, #"{"age": 10, "age_str": "10", "bool": true, "name": 3}"#),
            ComplianceCase(#"min_by(people, &bool)"#, error: .invalidType),
            ComplianceCase(#"min_by(people, &extra)"#, error: .invalidType),
            ComplianceCase(#"min_by(people, &to_number(age_str))"#, #"{"age": 10, "age_str": "10", "bool": true, "name": 3}"#),
            ComplianceCase(#"max_by(`[]`, &age)"#, #"null"#),
            ComplianceCase(#"min_by(`[]`, &age)"#, #"null"#),
            ComplianceCase(#"map(&name, people)"#, #"["a", "b", "c", "d", 3]"#),
            ComplianceCase(#"map(&age, people)"#, #"[20, 40, 30, 50, 10]"#),
            ComplianceCase(#"map(&extra, people)"#, #"["foo", "bar", null, null, null]"#),
            ComplianceCase(#"map(&[name, age], people)"#, #"[["a", 20], ["b", 40], ["c", 30], ["d", 50], [3, 10]]"#),
            ComplianceCase(#"map(name, people)"#, error: .invalidType),
            ComplianceCase(#"map(&a, `[]`)"#, #"[]"#),
            ComplianceCase(#"max_by(people, &name)"#, error: .invalidType),
            ComplianceCase(#"min_by(people, age)"#, error: .invalidType),
        ]),
        ComplianceGroup(#"functions"#, given: #"{"people": [{"age": 10, "order": "1"}, {"age": 10, "order": "2"}, {"age": 10, "order": "3"}, {"age": 10, "order": "4"}, {"age": 10, "order": "5"}, {"age": 10, "order": "6"}, {"age": 10, "order": "7"}, {"age": 10, "order": "8"}, {"age": 10, "order": "9"}, {"age": 10, "order": "10"}, {"age": 10, "order": "11"}]}"#, [
            ComplianceCase(#"sort_by(people, &age)"#, #"[{"age": 10, "order": "1"}, {"age": 10, "order": "2"}, {"age": 10, "order": "3"}, {"age": 10, "order": "4"}, {"age": 10, "order": "5"}, {"age": 10, "order": "6"}, {"age": 10, "order": "7"}, {"age": 10, "order": "8"}, {"age": 10, "order": "9"}, {"age": 10, "order": "10"}, {"age": 10, "order": "11"}]"#),
        ]),
        ComplianceGroup(#"functions"#, given: #"{"array": [{"foo": {"bar": "yes1"}}, {"foo": {"bar": "yes2"}}, {"foo1": {"bar": "no"}}]}"#, [
            ComplianceCase(#"map(&foo.bar, array)"#, #"["yes1", "yes2", null]"#),
            ComplianceCase(#"map(&foo1.bar, array)"#, #"[null, null, "no"]"#),
            ComplianceCase(#"map(&foo.bar.baz, array)"#, #"[null, null, null]"#),
        ]),
        ComplianceGroup(#"functions"#, given: #"[[1, 2, 3, [4]], [5, 6, 7, [8, 9]]]"#, [
            ComplianceCase(#"map(&[], @)"#, #"[[1, 2, 3, 4], [5, 6, 7, 8, 9]]"#),
            ComplianceCase(#"map(&@[0], @)"#, #"[1, 5]"#),
        ]),
        ComplianceGroup(#"identifiers"#, given: #"{"foo": 1, "_": 2, "__x": 3, "a1": 4, "A_b_C": 5, "with space": 6, "1a": 7, "": 8, "δ": 9}"#, [
            ComplianceCase(#"foo"#, #"1"#),
            ComplianceCase(#"_"#, #"2"#),
            ComplianceCase(#"__x"#, #"3"#),
            ComplianceCase(#"a1"#, #"4"#),
            ComplianceCase(#"A_b_C"#, #"5"#),
            ComplianceCase(#""with space""#, #"6"#),
            ComplianceCase(#""1a""#, #"7"#),
            ComplianceCase(#""""#, #"8"#),
            ComplianceCase(#""δ""#, #"9"#),
            ComplianceCase(#"1a"#, error: .syntax),
            ComplianceCase(#"a-b"#, error: .syntax),
            ComplianceCase(#"foo bar"#, error: .syntax),
            ComplianceCase(#"δ"#, error: .syntax),
            ComplianceCase(#"$foo"#, error: .syntax),
            ComplianceCase(#"a$"#, error: .syntax),
        ]),
        ComplianceGroup(#"indices"#, given: #"{"foo": {"bar": ["zero", "one", "two"]}}"#, [
            ComplianceCase(#"foo.bar[0]"#, #""zero""#),
            ComplianceCase(#"foo.bar[1]"#, #""one""#),
            ComplianceCase(#"foo.bar[2]"#, #""two""#),
            ComplianceCase(#"foo.bar[3]"#, #"null"#),
            ComplianceCase(#"foo.bar[-1]"#, #""two""#),
            ComplianceCase(#"foo.bar[-2]"#, #""one""#),
            ComplianceCase(#"foo.bar[-3]"#, #""zero""#),
            ComplianceCase(#"foo.bar[-4]"#, #"null"#),
            ComplianceCase(#"foo.bar[99999999999999999999]"#, #"null"#),
            ComplianceCase(#"foo[0]"#, #"null"#),
        ]),
        ComplianceGroup(#"indices"#, given: #"{"foo": [{"bar": "one"}, {"bar": "two"}, {"bar": "three"}, {"notbar": "four"}]}"#, [
            ComplianceCase(#"foo.bar"#, #"null"#),
            ComplianceCase(#"foo[0].bar"#, #""one""#),
            ComplianceCase(#"foo[1].bar"#, #""two""#),
            ComplianceCase(#"foo[2].bar"#, #""three""#),
            ComplianceCase(#"foo[3].notbar"#, #""four""#),
            ComplianceCase(#"foo[3].bar"#, #"null"#),
            ComplianceCase(#"foo[0]"#, #"{"bar": "one"}"#),
            ComplianceCase(#"foo[1]"#, #"{"bar": "two"}"#),
            ComplianceCase(#"foo[2]"#, #"{"bar": "three"}"#),
            ComplianceCase(#"foo[3]"#, #"{"notbar": "four"}"#),
            ComplianceCase(#"foo[4]"#, #"null"#),
        ]),
        ComplianceGroup(#"indices"#, given: #"[["one", "two"], ["three", "four"]]"#, [
            ComplianceCase(#"[0]"#, #"["one", "two"]"#),
            ComplianceCase(#"[1]"#, #"["three", "four"]"#),
            ComplianceCase(#"[2]"#, #"null"#),
            ComplianceCase(#"[-1]"#, #"["three", "four"]"#),
            ComplianceCase(#"[0][0]"#, #""one""#),
            ComplianceCase(#"[1][1]"#, #""four""#),
            ComplianceCase(#"[-1][-1]"#, #""four""#),
            ComplianceCase(#"[0][0][0]"#, #"null"#),
        ]),
        ComplianceGroup(#"indices"#, given: #"{"reservations": [{"instances": [{"foo": "bar"}, {"foo": "baz"}]}, {"instances": [{"foo": "bar"}, {"foo": "baz"}]}]}"#, [
            ComplianceCase(#"reservations[0].instances[0].foo"#, #""bar""#),
            ComplianceCase(#"reservations[-1].instances[-1].foo"#, #""baz""#),
            ComplianceCase(#"reservations[*].instances[0].foo"#, #"["bar", "bar"]"#),
            ComplianceCase(#"reservations[].instances[0].foo"#, #"["bar", "bar"]"#),
            ComplianceCase(#"reservations[].instances[].foo"#, #"["bar", "baz", "bar", "baz"]"#),
            ComplianceCase(#"reservations[*].instances[*].foo"#, #"[["bar", "baz"], ["bar", "baz"]]"#),
            ComplianceCase(#"reservations[*].instances[*].foo[0]"#, #"[[], []]"#),
            ComplianceCase(#"reservations[].instances[*].foo[]"#, #"["bar", "baz", "bar", "baz"]"#),
            ComplianceCase(#"reservations[*].instances.foo"#, #"[]"#),
            ComplianceCase(#"reservations[0]"#, #"{"instances": [{"foo": "bar"}, {"foo": "baz"}]}"#),
            ComplianceCase(#"reservations[]"#, #"[{"instances": [{"foo": "bar"}, {"foo": "baz"}]}, {"instances": [{"foo": "bar"}, {"foo": "baz"}]}]"#),
            ComplianceCase(#"reservations[][]"#, #"[{"instances": [{"foo": "bar"}, {"foo": "baz"}]}, {"instances": [{"foo": "bar"}, {"foo": "baz"}]}]"#),
            ComplianceCase(#"reservations[].instances[][0]"#, #"[]"#),
        ]),
        ComplianceGroup(#"indices"#, given: #"{"foo": [[["one", "two"], ["three", "four"]], [["five", "six"], ["seven", "eight"]], [["nine"], ["ten"]]]}"#, [
            ComplianceCase(#"foo[]"#, #"[["one", "two"], ["three", "four"], ["five", "six"], ["seven", "eight"], ["nine"], ["ten"]]"#),
            ComplianceCase(#"foo[][0]"#, #"["one", "three", "five", "seven", "nine", "ten"]"#),
            ComplianceCase(#"foo[][1]"#, #"["two", "four", "six", "eight"]"#),
            ComplianceCase(#"foo[][0][0]"#, #"[]"#),
            ComplianceCase(#"foo[][2][2]"#, #"[]"#),
            ComplianceCase(#"foo[][0][0][100]"#, #"[]"#),
            ComplianceCase(#"foo[][][]"#, #"["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]"#),
            ComplianceCase(#"foo[][][1]"#, #"[]"#),
            ComplianceCase(#"foo[]|[0]"#, #"["one", "two"]"#),
            ComplianceCase(#"foo[]|[0][0]"#, #""one""#),
            ComplianceCase(#"foo[0][0][0]"#, #""one""#),
            ComplianceCase(#"foo[-1][-1][-1]"#, #""ten""#),
            ComplianceCase(#"foo[]."#, error: .syntax),
        ]),
        ComplianceGroup(#"indices"#, given: #"{"foo": [1, 2, [3], [4, [5]], "six"]}"#, [
            ComplianceCase(#"foo[]"#, #"[1, 2, 3, 4, [5], "six"]"#),
            ComplianceCase(#"foo[][]"#, #"[1, 2, 3, 4, 5, "six"]"#),
            ComplianceCase(#"foo[][0]"#, #"[5]"#),
            ComplianceCase(#"foo[1"#, error: .syntax),
            ComplianceCase(#"foo[1.5]"#, error: .syntax),
            ComplianceCase(#"foo[-]"#, error: .syntax),
            ComplianceCase(#"foo[- 1]"#, error: .syntax),
            ComplianceCase(#"foo[01]"#, #"2"#),
        ]),
        ComplianceGroup(#"literal"#, given: #"{"foo": [{"name": "a"}, {"name": "b"}], "bar": {"baz": "qux"}}"#, [
            ComplianceCase(#"`"foo"`"#, #""foo""#),
            ComplianceCase(#"`"\u03a6"`"#, #""Φ""#),
            ComplianceCase(#"`"✓"`"#, #""✓""#),
            ComplianceCase(#"`[1, 2, 3]`"#, #"[1, 2, 3]"#),
            ComplianceCase(#"`{"a": "b"}`"#, #"{"a": "b"}"#),
            ComplianceCase(#"`true`"#, #"true"#),
            ComplianceCase(#"`false`"#, #"false"#),
            ComplianceCase(#"`null`"#, #"null"#),
            ComplianceCase(#"`0`"#, #"0"#),
            ComplianceCase(#"`1`"#, #"1"#),
            ComplianceCase(#"`2`"#, #"2"#),
            ComplianceCase(#"`3`"#, #"3"#),
            ComplianceCase(#"`4`"#, #"4"#),
            ComplianceCase(#"`-1`"#, #"-1"#),
            ComplianceCase(#"`1.5`"#, #"1.5"#),
            ComplianceCase(#"`1e3`"#, #"1000.0"#),
            ComplianceCase(#"`-1.5e-2`"#, #"-0.015"#),
            ComplianceCase(#"` {"foo": true}`"#, #"{"foo": true}"#),
            ComplianceCase(#"`{"foo": true} `"#, #"{"foo": true}"#),
            ComplianceCase(#"`"foo"`.bar"#, #"null"#),
            ComplianceCase(#"`[0, 1, 2]`[1]"#, #"1"#),
            ComplianceCase(#"`{"a": {"b": 1}}`.a.b"#, #"1"#),
            ComplianceCase(#"`foo`"#, #""foo""#),
            ComplianceCase(#"`  foo`"#, #""foo""#),
            ComplianceCase(#"`"foo\`bar"`"#, #""foo`bar""#),
            ComplianceCase(#"`[1, 2`"#, #""[1, 2""#),
            ComplianceCase(#"`{"a": }`"#, error: .syntax),
            ComplianceCase(#"`"#, error: .syntax),
            ComplianceCase(#"``"#, #""""#),
            ComplianceCase(#"'foo'"#, #""foo""#),
            ComplianceCase(#"' foo '"#, #"" foo ""#),
            ComplianceCase(#"'0'"#, #""0""#),
            ComplianceCase(#"'newline\#n'"#, #""newline\n""#),
            ComplianceCase(#"'\#n'"#, #""\n""#),
            ComplianceCase(#"'✓'"#, #""✓""#),
            ComplianceCase(#"'𝄞'"#, #""𝄞""#),
            ComplianceCase(#"'foo\'bar'"#, #""foo'bar""#),
            ComplianceCase(#"'\z'"#, #""\\z""#),
            ComplianceCase(#"'\\'"#, #""\\\\""#),
            ComplianceCase(#"'\"'"#, #""\\\"""#),
            ComplianceCase(#"''"#, #""""#),
            ComplianceCase(#"'unclosed"#, error: .syntax),
            ComplianceCase(#"'a' == `"a"`"#, #"true"#),
            ComplianceCase(#"foo[?name == 'a'].name | [0]"#, #""a""#),
            ComplianceCase(#"`["a", "b"]` | [1]"#, #""b""#),
            ComplianceCase(#"`{"a": 1}` | keys(@)"#, #"["a"]"#),
            ComplianceCase(#"`1.0`"#, #"1.0"#),
            ComplianceCase(#"`[1.0, 2]`"#, #"[1.0, 2]"#),
            ComplianceCase(#"`12345678901234567890`"#, #"12345678901234567890"#),
        ]),
        ComplianceGroup(#"multiselect"#, given: #"{"foo": {"bar": "bar", "baz": "baz", "qux": "qux", "nested": {"one": {"a": "first", "b": "second", "c": "third"}, "two": {"a": "first", "b": "second", "c": "third"}, "three": {"a": "first", "b": "second", "c": {"inner": "third"}}}}, "bar": 1, "baz": 2, "qux\"": 3}"#, [
            ComplianceCase(#"foo.{bar: bar}"#, #"{"bar": "bar"}"#),
            ComplianceCase(#"foo.{"bar": bar}"#, #"{"bar": "bar"}"#),
            ComplianceCase(#"foo.{"foo.bar": bar}"#, #"{"foo.bar": "bar"}"#),
            ComplianceCase(#"foo.{bar: bar, baz: baz}"#, #"{"bar": "bar", "baz": "baz"}"#),
            ComplianceCase(#"foo.{"bar": bar, "baz": baz}"#, #"{"bar": "bar", "baz": "baz"}"#),
            ComplianceCase(#"{"baz": baz, "qux\"": "qux\""}"#, #"{"baz": 2, "qux\"": 3}"#),
            ComplianceCase(#"foo.{bar:bar,baz:baz}"#, #"{"bar": "bar", "baz": "baz"}"#),
            ComplianceCase(#"foo.{bar: bar,qux: qux}"#, #"{"bar": "bar", "qux": "qux"}"#),
            ComplianceCase(#"foo.{bar: bar, noexist: noexist}"#, #"{"bar": "bar", "noexist": null}"#),
            ComplianceCase(#"foo.{noexist: noexist, alsonoexist: alsonoexist}"#, #"{"noexist": null, "alsonoexist": null}"#),
            ComplianceCase(#"foo.badkey.{nokey: nokey, alsonokey: alsonokey}"#, #"null"#),
            ComplianceCase(#"foo.nested.*.{a: a,b: b}"#, #"[{"a": "first", "b": "second"}, {"a": "first", "b": "second"}, {"a": "first", "b": "second"}]"#),
            ComplianceCase(#"foo.nested.three.{a: a, cinner: c.inner}"#, #"{"a": "first", "cinner": "third"}"#),
            ComplianceCase(#"foo.nested.three.{a: a, c: c.inner.bad.key}"#, #"{"a": "first", "c": null}"#),
            ComplianceCase(#"foo.{a: nested.one.a, b: nested.two.b}"#, #"{"a": "first", "b": "second"}"#),
            ComplianceCase(#"{bar: bar, baz: baz}"#, #"{"bar": 1, "baz": 2}"#),
            ComplianceCase(#"{bar: bar}"#, #"{"bar": 1}"#),
            ComplianceCase(#"{otherkey: bar}"#, #"{"otherkey": 1}"#),
            ComplianceCase(#"{no: no, exist: exist}"#, #"{"no": null, "exist": null}"#),
            ComplianceCase(#"foo.[bar]"#, #"["bar"]"#),
            ComplianceCase(#"foo.[bar,baz]"#, #"["bar", "baz"]"#),
            ComplianceCase(#"foo.[bar,qux]"#, #"["bar", "qux"]"#),
            ComplianceCase(#"foo.[bar,noexist]"#, #"["bar", null]"#),
            ComplianceCase(#"foo.[noexist,alsonoexist]"#, #"[null, null]"#),
            ComplianceCase(#"[bar, baz]"#, #"[1, 2]"#),
            ComplianceCase(#"[bar, `1`, 'x', @.baz]"#, #"[1, 1, "x", 2]"#),
            ComplianceCase(#"foo.{bar: bar, bar: baz}"#, #"{"bar": "baz"}"#),
            ComplianceCase(#"{a: `1`}.a"#, #"1"#),
            ComplianceCase(#"[[bar], [[baz]]]"#, #"[[1], [[2]]]"#),
            ComplianceCase(#"foo.[nested.one.a, {b: nested.two.b}]"#, #"["first", {"b": "second"}]"#),
            ComplianceCase(#"nothere.[a, b]"#, #"null"#),
            ComplianceCase(#"nothere.{a: a}"#, #"null"#),
            ComplianceCase(#"[*].[a]"#, #"null"#),
            ComplianceCase(#"foo.*.[a, b]"#, #"[[null, null], [null, null], [null, null], [null, null]]"#),
        ]),
        ComplianceGroup(#"multiselect"#, given: #"{"foo": [{"bar": "bar", "baz": "baz"}, {"bar": "bar2", "baz": "baz2"}]}"#, [
            ComplianceCase(#"foo[*].[bar, baz]"#, #"[["bar", "baz"], ["bar2", "baz2"]]"#),
            ComplianceCase(#"foo[*].{bar: bar, baz: baz}"#, #"[{"bar": "bar", "baz": "baz"}, {"bar": "bar2", "baz": "baz2"}]"#),
            ComplianceCase(#"foo[].[bar, baz][0]"#, #"["bar", "baz"]"#),
            ComplianceCase(#"foo[0].[bar, baz]"#, #"["bar", "baz"]"#),
            ComplianceCase(#"foo | [*].[bar] | [0]"#, #"["bar"]"#),
            ComplianceCase(#"foo[*].[bar, baz][0]"#, #"["bar", "baz"]"#),
            ComplianceCase(#"foo[*].[bar, baz] | [0]"#, #"["bar", "baz"]"#),
            ComplianceCase(#"[foo[0].bar, foo[1].baz]"#, #"["bar", "baz2"]"#),
        ]),
        ComplianceGroup(#"multiselect"#, given: #"{"reservations": [{"instances": [{"id": "id1", "state": {"name": "running"}}, {"id": "id2", "state": {"name": "stopped"}}]}, {"instances": [{"id": "id3", "state": {"name": "running"}}, {"id": "id4", "state": {"name": "stopped"}}]}]}"#, [
            ComplianceCase(#"reservations[*].instances[*].[id, state.name]"#, #"[[["id1", "running"], ["id2", "stopped"]], [["id3", "running"], ["id4", "stopped"]]]"#),
            ComplianceCase(#"reservations[].instances[].[id, state.name]"#, #"[["id1", "running"], ["id2", "stopped"], ["id3", "running"], ["id4", "stopped"]]"#),
            ComplianceCase(#"reservations[].instances[].{id: id, state: state.name}"#, #"[{"id": "id1", "state": "running"}, {"id": "id2", "state": "stopped"}, {"id": "id3", "state": "running"}, {"id": "id4", "state": "stopped"}]"#),
            ComplianceCase(#"reservations[*].instances[*].{id: id, state: state.name}[]"#, #"[{"id": "id1", "state": "running"}, {"id": "id2", "state": "stopped"}, {"id": "id3", "state": "running"}, {"id": "id4", "state": "stopped"}]"#),
        ]),
        ComplianceGroup(#"pipe"#, given: #"{"foo": {"bar": {"baz": "subkey"}, "other": {"baz": "subkey"}, "other2": {"baz": "subkey"}, "other3": {"notbaz": ["a", "b", "c"]}, "other4": {"notbaz": ["a", "b", "c"]}}}"#, [
            ComplianceCase(#"foo.*.baz | [0]"#, #""subkey""#),
            ComplianceCase(#"foo.*.baz | [1]"#, #""subkey""#),
            ComplianceCase(#"foo.*.baz | [2]"#, #""subkey""#),
            ComplianceCase(#"foo.bar.* | [0]"#, #""subkey""#),
            ComplianceCase(#"foo.*.notbaz | [*]"#, #"[["a", "b", "c"], ["a", "b", "c"]]"#),
            ComplianceCase(#"foo | bar"#, #"{"baz": "subkey"}"#),
            ComplianceCase(#"foo | bar | baz"#, #""subkey""#),
            ComplianceCase(#"foo|bar| baz"#, #""subkey""#),
            ComplianceCase(#"not_there | [0]"#, #"null"#),
            ComplianceCase(#"[foo.bar, foo.other] | [0]"#, #"{"baz": "subkey"}"#),
            ComplianceCase(#"{"a": foo.bar, "b": foo.other} | a"#, #"{"baz": "subkey"}"#),
            ComplianceCase(#"{"a": foo.bar, "b": foo.other} | b"#, #"{"baz": "subkey"}"#),
            ComplianceCase(#"foo.bam || foo.bar | baz"#, #""subkey""#),
            ComplianceCase(#"foo | not_there || bar"#, #"{"baz": "subkey"}"#),
            ComplianceCase(#"foo.*.notbaz | [*] | [0]"#, #"["a", "b", "c"]"#),
            ComplianceCase(#"foo |"#, error: .syntax),
            ComplianceCase(#"| foo"#, error: .syntax),
            ComplianceCase(#"foo || bar | baz && qux"#, #"null"#),
        ]),
        ComplianceGroup(#"pipe"#, given: #"{"foo": [{"bar": [{"baz": "one"}, {"baz": "two"}]}, {"bar": [{"baz": "three"}, {"baz": "four"}]}]}"#, [
            ComplianceCase(#"foo[*].bar[*] | [0][0]"#, #"{"baz": "one"}"#),
            ComplianceCase(#"foo[*].bar[*].baz | [0]"#, #"["one", "two"]"#),
            ComplianceCase(#"foo[].bar[].baz | [1:3]"#, #"["two", "three"]"#),
            ComplianceCase(#"foo[*].bar | [-1]"#, #"[{"baz": "three"}, {"baz": "four"}]"#),
        ]),
        ComplianceGroup(#"slice"#, given: #"{"foo": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "bar": {"baz": 1}}"#, [
            ComplianceCase(#"bar[0:10]"#, #"null"#),
            ComplianceCase(#"foo[0:10:1]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[0:10]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[0:10:]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[0::1]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[0::]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[0:]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[:10:1]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[::1]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[:10:]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[::]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[:]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[1:9]"#, #"[1, 2, 3, 4, 5, 6, 7, 8]"#),
            ComplianceCase(#"foo[0:10:2]"#, #"[0, 2, 4, 6, 8]"#),
            ComplianceCase(#"foo[5:]"#, #"[5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[5::2]"#, #"[5, 7, 9]"#),
            ComplianceCase(#"foo[::2]"#, #"[0, 2, 4, 6, 8]"#),
            ComplianceCase(#"foo[::-1]"#, #"[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]"#),
            ComplianceCase(#"foo[1::2]"#, #"[1, 3, 5, 7, 9]"#),
            ComplianceCase(#"foo[10:0:-1]"#, #"[9, 8, 7, 6, 5, 4, 3, 2, 1]"#),
            ComplianceCase(#"foo[10:5:-1]"#, #"[9, 8, 7, 6]"#),
            ComplianceCase(#"foo[8:2:-2]"#, #"[8, 6, 4]"#),
            ComplianceCase(#"foo[0:20]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[10:-20:-1]"#, #"[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]"#),
            ComplianceCase(#"foo[10:-20]"#, #"[]"#),
            ComplianceCase(#"foo[-4:-1]"#, #"[6, 7, 8]"#),
            ComplianceCase(#"foo[:-5:-1]"#, #"[9, 8, 7, 6]"#),
            ComplianceCase(#"foo[8:2:0]"#, error: .invalidValue),
            ComplianceCase(#"foo[8:2:0:1]"#, error: .syntax),
            ComplianceCase(#"foo[8:2&]"#, error: .syntax),
            ComplianceCase(#"foo[2:a:3]"#, error: .syntax),
            ComplianceCase(#"foo[-20:20]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[20:-20:-1]"#, #"[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]"#),
            ComplianceCase(#"foo[::-3]"#, #"[9, 6, 3, 0]"#),
            ComplianceCase(#"foo[-1:-11:-1]"#, #"[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]"#),
            ComplianceCase(#"foo[3:3]"#, #"[]"#),
            ComplianceCase(#"foo[5:2]"#, #"[]"#),
            ComplianceCase(#"foo[:2].a"#, #"[]"#),
            ComplianceCase(#"bar[1:]"#, #"null"#),
            ComplianceCase(#"`"abcdef"`[1:3]"#, #"null"#),
            ComplianceCase(#"foo[:99999999999999999999]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[-99999999999999999999:]"#, #"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"#),
            ComplianceCase(#"foo[::99999999999999999999]"#, #"[0]"#),
            ComplianceCase(#"foo[::-99999999999999999999]"#, #"[9]"#),
            ComplianceCase(#"foo[1:-1:3]"#, #"[1, 4, 7]"#),
            ComplianceCase(#"foo[ 1 : 3 ]"#, #"[1, 2]"#),
        ]),
        ComplianceGroup(#"slice"#, given: #"{"foo": [{"a": 1}, {"a": 2}, {"a": 3}], "bar": [{"a": {"b": 1}}, {"a": {"b": 2}}, {"a": {"b": 3}}], "baz": 50}"#, [
            ComplianceCase(#"foo[:2].a"#, #"[1, 2]"#),
            ComplianceCase(#"foo[:2].b"#, #"[]"#),
            ComplianceCase(#"foo[:2].a.b"#, #"[]"#),
            ComplianceCase(#"bar[::-1].a.b"#, #"[3, 2, 1]"#),
            ComplianceCase(#"bar[:2].a.b"#, #"[1, 2]"#),
            ComplianceCase(#"baz[:2].a"#, #"null"#),
            ComplianceCase(#"[:]"#, #"null"#),
            ComplianceCase(#"[:2].a"#, #"null"#),
            ComplianceCase(#"[::-1]"#, #"null"#),
            ComplianceCase(#"[:2].b"#, #"null"#),
            ComplianceCase(#"foo[:2] | [0]"#, #"{"a": 1}"#),
            ComplianceCase(#"foo[1:][0].a"#, #"[]"#),
            ComplianceCase(#"foo[:].a | [-1]"#, #"3"#),
        ]),
        ComplianceGroup(#"slice"#, given: #"[{"a": 1}, {"a": 2}, {"a": 3}]"#, [
            ComplianceCase(#"[:]"#, #"[{"a": 1}, {"a": 2}, {"a": 3}]"#),
            ComplianceCase(#"[:2].a"#, #"[1, 2]"#),
            ComplianceCase(#"[::-1].a"#, #"[3, 2, 1]"#),
            ComplianceCase(#"[:2].b"#, #"[]"#),
            ComplianceCase(#"[1:][?a > `2`]"#, #"[]"#),
        ]),
        ComplianceGroup(#"syntax"#, given: #"{"type": "object"}"#, [
            ComplianceCase(#"foo.bar"#, #"null"#),
            ComplianceCase(#"foo.1"#, error: .syntax),
            ComplianceCase(#"foo.-11"#, error: .syntax),
            ComplianceCase(#"foo"#, #"null"#),
            ComplianceCase(#"foo."#, error: .syntax),
            ComplianceCase(#".foo"#, error: .syntax),
            ComplianceCase(#"foo..bar"#, error: .syntax),
            ComplianceCase(#"foo.bar."#, error: .syntax),
            ComplianceCase(#"foo[.]"#, error: .syntax),
            ComplianceCase(#"."#, error: .syntax),
            ComplianceCase(#":"#, error: .syntax),
            ComplianceCase(#","#, error: .syntax),
            ComplianceCase(#"]"#, error: .syntax),
            ComplianceCase(#"["#, error: .syntax),
            ComplianceCase(#"}"#, error: .syntax),
            ComplianceCase(#"{"#, error: .syntax),
            ComplianceCase(#")"#, error: .syntax),
            ComplianceCase(#"("#, error: .syntax),
            ComplianceCase(#"a["#, error: .syntax),
            ComplianceCase(#"a]"#, error: .syntax),
            ComplianceCase(#"a]["#, error: .syntax),
            ComplianceCase(#"*"#, #"["object"]"#),
            ComplianceCase(#"*.*"#, #"[]"#),
            ComplianceCase(#"*.foo"#, #"[]"#),
            ComplianceCase(#"*[0]"#, #"[]"#),
            ComplianceCase(#".*"#, error: .syntax),
            ComplianceCase(#"*foo"#, error: .syntax),
            ComplianceCase(#"*0"#, error: .syntax),
            ComplianceCase(#"foo[*]bar"#, error: .syntax),
            ComplianceCase(#"foo[*]*"#, error: .syntax),
            ComplianceCase(#"[]"#, #"null"#),
            ComplianceCase(#"[0]"#, #"null"#),
            ComplianceCase(#"[*]"#, #"null"#),
            ComplianceCase(#"*.[0]"#, error: .syntax),
            ComplianceCase(#"*.["0"]"#, #"[[null]]"#),
            ComplianceCase(#"[*].bar"#, #"null"#),
            ComplianceCase(#"[*][0]"#, #"null"#),
            ComplianceCase(#"foo[#]"#, error: .syntax),
            ComplianceCase(#"foo[0]"#, #"null"#),
            ComplianceCase(#"foo[0, 1]"#, error: .syntax),
            ComplianceCase(#"foo.[0]"#, error: .syntax),
            ComplianceCase(#"foo.[*]"#, #"null"#),
            ComplianceCase(#"foo[0, ]"#, error: .syntax),
            ComplianceCase(#"foo[0,"#, error: .syntax),
            ComplianceCase(#"foo.[a"#, error: .syntax),
            ComplianceCase(#"foo[0,, 1]"#, error: .syntax),
            ComplianceCase(#"foo[abc]"#, error: .syntax),
            ComplianceCase(#"foo[abc, def]"#, error: .syntax),
            ComplianceCase(#"foo[abc, 1]"#, error: .syntax),
            ComplianceCase(#"foo[abc, ]"#, error: .syntax),
            ComplianceCase(#"foo.[abc]"#, #"null"#),
            ComplianceCase(#"foo.[abc, def]"#, #"null"#),
            ComplianceCase(#"foo.[abc, 1]"#, error: .syntax),
            ComplianceCase(#"foo.[abc, ]"#, error: .syntax),
            ComplianceCase(#"foo.[abc,, def]"#, error: .syntax),
            ComplianceCase(#"foo.[0, 1]"#, error: .syntax),
            ComplianceCase(#"a{}"#, error: .syntax),
            ComplianceCase(#"a{"#, error: .syntax),
            ComplianceCase(#"a{foo}"#, error: .syntax),
            ComplianceCase(#"a{foo:"#, error: .syntax),
            ComplianceCase(#"a{foo: 0"#, error: .syntax),
            ComplianceCase(#"a{foo:}"#, error: .syntax),
            ComplianceCase(#"a{foo: 0, "#, error: .syntax),
            ComplianceCase(#"a{foo: ,}"#, error: .syntax),
            ComplianceCase(#"a{foo: bar}"#, error: .syntax),
            ComplianceCase(#"a{foo: 0}"#, error: .syntax),
            ComplianceCase(#"a.{}"#, error: .syntax),
            ComplianceCase(#"a.{foo}"#, error: .syntax),
            ComplianceCase(#"a.{foo:}"#, error: .syntax),
            ComplianceCase(#"a.{foo: ,}"#, error: .syntax),
            ComplianceCase(#"a.{foo: bar}"#, #"null"#),
            ComplianceCase(#"a.{foo: bar, baz: bam}"#, #"null"#),
            ComplianceCase(#"a.{foo: bar, }"#, error: .syntax),
            ComplianceCase(#"a.{foo: bar, baz}"#, error: .syntax),
            ComplianceCase(#"a.{foo: bar, baz:}"#, error: .syntax),
            ComplianceCase(#"a.{foo: bar, baz: bam, }"#, error: .syntax),
            ComplianceCase(#"{"\\":{" ":*}}"#, #"{"\\": {" ": ["object"]}}"#),
            ComplianceCase(#"foo || bar"#, #"null"#),
            ComplianceCase(#"foo ||"#, error: .syntax),
            ComplianceCase(#"foo.|| bar"#, error: .syntax),
            ComplianceCase(#" || foo"#, error: .syntax),
            ComplianceCase(#"foo || || foo"#, error: .syntax),
            ComplianceCase(#"foo.[a || b]"#, #"null"#),
            ComplianceCase(#"foo.[a ||]"#, error: .syntax),
            ComplianceCase(#""foo"#, error: .syntax),
            ComplianceCase(#"foo[?bar==`"baz"`]"#, #"null"#),
            ComplianceCase(#"foo[? bar == `"baz"` ]"#, #"null"#),
            ComplianceCase(#"foo[ ?bar==`"baz"`]"#, error: .syntax),
            ComplianceCase(#"foo[?bar==]"#, error: .syntax),
            ComplianceCase(#"foo[?==]"#, error: .syntax),
            ComplianceCase(#"foo[?==bar]"#, error: .syntax),
            ComplianceCase(#"foo[?bar==baz?]"#, error: .syntax),
            ComplianceCase(#"foo[?a.b.c==d.e.f]"#, #"null"#),
            ComplianceCase(#"foo[?bar==`[0, 1, 2]`]"#, #"null"#),
            ComplianceCase(#"foo[?bar==`["a", "b", "c"]`]"#, #"null"#),
            ComplianceCase(#"foo[?bar==`["foo`bar"]`]"#, error: .syntax),
            ComplianceCase(#"foo[?bar==`["foo\`bar"]`]"#, #"null"#),
            ComplianceCase(#"foo[?bar<>baz]"#, error: .syntax),
            ComplianceCase(#"foo[?bar^baz]"#, error: .syntax),
            ComplianceCase(#"foo[bar==baz]"#, error: .syntax),
            ComplianceCase(#"[?"\\">`"foo"`]"#, #"null"#),
            ComplianceCase(#"[?"\\" > `"foo"`]"#, #"null"#),
            ComplianceCase(#"bar.`"anything"`"#, error: .syntax),
            ComplianceCase(#"bar.baz.noexists.`"literal"`"#, error: .syntax),
            ComplianceCase(#"foo[*].`"literal"`"#, error: .syntax),
            ComplianceCase(#"foo[*].name.`"literal"`"#, error: .syntax),
            ComplianceCase(#"foo[].name.`"literal"`"#, error: .syntax),
            ComplianceCase(#"foo[].name.`"literal"`.`"subliteral"`"#, error: .syntax),
            ComplianceCase(#"foo[*].name.noexist.`"literal"`"#, error: .syntax),
            ComplianceCase(#"foo[].name.noexist.`"literal"`"#, error: .syntax),
            ComplianceCase(#"twolen[*].`"foo"`"#, error: .syntax),
            ComplianceCase(#"twolen[*].threelen[*].`"bar"`"#, error: .syntax),
            ComplianceCase(#"twolen[].threelen[].`"bar"`"#, error: .syntax),
            ComplianceCase(#""foo""#, #"null"#),
            ComplianceCase(#""\\""#, #"null"#),
            ComplianceCase(#"foo = bar"#, error: .syntax),
            ComplianceCase(#"foo == bar"#, #"true"#),
            ComplianceCase(#"!"#, error: .syntax),
            ComplianceCase(#"!!"#, error: .syntax),
            ComplianceCase(#"foo!"#, error: .syntax),
            ComplianceCase(#"foo &"#, error: .syntax),
            ComplianceCase(#"&foo"#, error: .invalidType),
            ComplianceCase(#"foo &&"#, error: .syntax),
            ComplianceCase(#"@foo"#, error: .syntax),
            ComplianceCase(#"foo@"#, error: .syntax),
            ComplianceCase(#"foo.@"#, error: .syntax),
            ComplianceCase(#""foo"(@)"#, error: .syntax),
            ComplianceCase(#"foo.bar(@)"#, error: .unknownFunction),
            ComplianceCase(#"length(@).foo"#, #"null"#),
            ComplianceCase(#"(foo"#, error: .syntax),
            ComplianceCase(#"foo)"#, error: .syntax),
            ComplianceCase(#"()"#, error: .syntax),
            ComplianceCase(#"(foo)"#, #"null"#),
            ComplianceCase(#"((foo))"#, #"null"#),
            ComplianceCase(#"foo.(bar)"#, error: .syntax),
            ComplianceCase(#"foo[?bar]baz"#, error: .syntax),
            ComplianceCase(#"foo[?]"#, error: .syntax),
            ComplianceCase(#"[?]"#, error: .syntax),
            ComplianceCase(#"foo[]bar"#, error: .syntax),
            ComplianceCase(#"foo[] bar"#, error: .syntax),
            ComplianceCase(#"foo | *"#, #"null"#),
            ComplianceCase(#"foo[?a < b < c]"#, #"null"#),
            ComplianceCase(#"a < b == c"#, #"true"#),
            ComplianceCase(#"foo."bar"#, error: .syntax),
            ComplianceCase(#"foo.'bar'"#, error: .syntax),
            ComplianceCase(#"foo["bar"]"#, error: .syntax),
            ComplianceCase(#"foo['bar']"#, error: .syntax),
            ComplianceCase(#"length(@ @)"#, error: .syntax),
            ComplianceCase(#"length(@,)"#, error: .syntax),
            ComplianceCase(#"length(,@)"#, error: .syntax),
            ComplianceCase(#"length("#, error: .syntax),
            ComplianceCase(#"length(@"#, error: .syntax),
            ComplianceCase(#"f("#, error: .syntax),
            ComplianceCase(#"-"#, error: .syntax),
            ComplianceCase(#"-foo"#, error: .syntax),
            ComplianceCase(#"1"#, error: .syntax),
            ComplianceCase(#"1.foo"#, error: .syntax),
        ]),
        ComplianceGroup(#"syntax"#, given: #"[]"#, [
            ComplianceCase(#"*||*|*|*"#, #"null"#),
            ComplianceCase(#"*[]||[*]"#, #"[]"#),
            ComplianceCase(#"[*.*]"#, #"[null]"#),
        ]),
        ComplianceGroup(#"unicode"#, given: #"{"foo": [{"✓": "✓"}, {"✓": "✗"}]}"#, [
            ComplianceCase(#"foo[]."✓""#, #"["✓", "✗"]"#),
            ComplianceCase(#"foo[?"✓" == '✓']"#, #"[{"✓": "✓"}]"#),
        ]),
        ComplianceGroup(#"unicode"#, given: #"{"☯": true}"#, [
            ComplianceCase(#""☯""#, #"true"#),
            ComplianceCase(#""\u262f""#, #"true"#),
        ]),
        ComplianceGroup(#"unicode"#, given: #"{"♪♫•*¨*•.¸¸❤¸¸.•*¨*•♫♪": true}"#, [
            ComplianceCase(#""♪♫•*¨*•.¸¸❤¸¸.•*¨*•♫♪""#, #"true"#),
        ]),
        ComplianceGroup(#"unicode"#, given: #"{"strings": ["é", "é", "z", "Z", "ä", "𝄞", "a"], "s": "a𝄞é"}"#, [
            ComplianceCase(#"sort(strings)"#, #"["Z", "a", "é", "z", "ä", "é", "𝄞"]"#),
            ComplianceCase(#"max(strings)"#, #""𝄞""#),
            ComplianceCase(#"min(strings)"#, #""Z""#),
            ComplianceCase(#"length(s)"#, #"3"#),
            ComplianceCase(#"reverse(s)"#, #""é𝄞a""#),
            ComplianceCase(#"length(strings[1])"#, #"2"#),
            ComplianceCase(#"strings[?@ > 'e']"#, #"["é", "é", "z", "ä", "𝄞"]"#),
            ComplianceCase(#"starts_with(s, 'a𝄞')"#, #"true"#),
            ComplianceCase(#"ends_with(s, 'é')"#, #"true"#),
            ComplianceCase(#"contains(s, '𝄞')"#, #"true"#),
            ComplianceCase(#"to_string(strings)"#, #""[\"é\",\"é\",\"z\",\"Z\",\"ä\",\"𝄞\",\"a\"]""#),
            ComplianceCase(#"'𝄞' == `"\ud834\udd1e"`"#, #"true"#),
            ComplianceCase(#"sort_by(strings, &@)"#, #"["Z", "a", "é", "z", "ä", "é", "𝄞"]"#),
        ]),
        ComplianceGroup(#"wildcard"#, given: #"{"foo": {"bar": {"baz": "val"}, "other": {"baz": "val"}, "other2": {"baz": "val"}, "other3": {"notbaz": ["a", "b", "c"]}, "other4": {"notbaz": ["a", "b", "c"]}, "other5": {"other": {"a": 1, "b": 1, "c": 1}}}}"#, [
            ComplianceCase(#"foo.*.baz"#, #"["val", "val", "val"]"#),
            ComplianceCase(#"foo.bar.*"#, #"["val"]"#),
            ComplianceCase(#"foo.*.notbaz"#, #"[["a", "b", "c"], ["a", "b", "c"]]"#),
            ComplianceCase(#"foo.*.notbaz[0]"#, #"["a", "a"]"#),
            ComplianceCase(#"foo.*.notbaz[-1]"#, #"["c", "c"]"#),
            ComplianceCase(#"foo.*"#, #"[{"baz": "val"}, {"baz": "val"}, {"baz": "val"}, {"notbaz": ["a", "b", "c"]}, {"notbaz": ["a", "b", "c"]}, {"other": {"a": 1, "b": 1, "c": 1}}]"#),
            ComplianceCase(#"foo.*.*"#, #"[["val"], ["val"], ["val"], [["a", "b", "c"]], [["a", "b", "c"]], [{"a": 1, "b": 1, "c": 1}]]"#),
            ComplianceCase(#"foo.*.*.*"#, #"[[], [], [], [], [], [[1, 1, 1]]]"#),
            ComplianceCase(#"foo.*.*.*.*"#, #"[[], [], [], [], [], [[]]]"#),
            ComplianceCase(#"*.bar"#, #"[{"baz": "val"}]"#),
            ComplianceCase(#"*.*.baz"#, #"[["val", "val", "val"]]"#),
            ComplianceCase(#"foo.*.notbaz[*]"#, #"[["a", "b", "c"], ["a", "b", "c"]]"#),
            ComplianceCase(#"foo.*.*.a"#, #"[[], [], [], [], [], [1]]"#),
            ComplianceCase(#"foo.bar.*.*"#, #"[]"#),
            ComplianceCase(#"*"#, #"[{"bar": {"baz": "val"}, "other": {"baz": "val"}, "other2": {"baz": "val"}, "other3": {"notbaz": ["a", "b", "c"]}, "other4": {"notbaz": ["a", "b", "c"]}, "other5": {"other": {"a": 1, "b": 1, "c": 1}}}]"#),
        ]),
        ComplianceGroup(#"wildcard"#, given: #"{"foo": [{"bar": "one"}, {"bar": "two"}, {"bar": "three"}, {"notbar": "four"}]}"#, [
            ComplianceCase(#"foo[*].bar"#, #"["one", "two", "three"]"#),
            ComplianceCase(#"foo[*].notbar"#, #"["four"]"#),
            ComplianceCase(#"[*]"#, #"null"#),
            ComplianceCase(#"foo[*]"#, #"[{"bar": "one"}, {"bar": "two"}, {"bar": "three"}, {"notbar": "four"}]"#),
            ComplianceCase(#"foo[*].bar.baz"#, #"[]"#),
            ComplianceCase(#"foo[*][0]"#, #"[]"#),
            ComplianceCase(#"*[*]"#, #"[[{"bar": "one"}, {"bar": "two"}, {"bar": "three"}, {"notbar": "four"}]]"#),
            ComplianceCase(#"*[*].bar"#, #"[["one", "two", "three"]]"#),
            ComplianceCase(#"foo[*].*"#, #"[["one"], ["two"], ["three"], ["four"]]"#),
        ]),
        ComplianceGroup(#"wildcard"#, given: #"[{"bar": "one"}, {"bar": "two"}, {"bar": "three"}, {"notbar": "four"}]"#, [
            ComplianceCase(#"[*].bar"#, #"["one", "two", "three"]"#),
            ComplianceCase(#"[*].notbar"#, #"["four"]"#),
            ComplianceCase(#"*"#, #"null"#),
            ComplianceCase(#"[*][*]"#, #"[]"#),
        ]),
        ComplianceGroup(#"wildcard"#, given: #"{"foo": {"bar": [{"kind": "basic"}, {"kind": "intermediate"}, {"kind": "advanced"}, {"kind": "expert"}, {"kind": "no"}]}}"#, [
            ComplianceCase(#"foo.bar[*].kind"#, #"["basic", "intermediate", "advanced", "expert", "no"]"#),
            ComplianceCase(#"foo.bar[0].kind"#, #""basic""#),
            ComplianceCase(#"foo.bar[*].kind[0]"#, #"[]"#),
            ComplianceCase(#"foo.bar[1:3].kind"#, #"["intermediate", "advanced"]"#),
        ]),
        ComplianceGroup(#"wildcard"#, given: #"{"foo": [{"bar": [{"kind": "basic"}, {"kind": "intermediate"}]}, {"bar": [{"kind": "advanced"}, {"kind": "expert"}]}, {"bar": "string"}]}"#, [
            ComplianceCase(#"foo[*].bar[*].kind"#, #"[["basic", "intermediate"], ["advanced", "expert"]]"#),
            ComplianceCase(#"foo[*].bar[0].kind"#, #"["basic", "advanced"]"#),
            ComplianceCase(#"foo[*].bar[].kind"#, #"["basic", "intermediate", "advanced", "expert"]"#),
            ComplianceCase(#"foo[].bar[].kind"#, #"["basic", "intermediate", "advanced", "expert"]"#),
            ComplianceCase(#"foo[*].bar[*]"#, #"[[{"kind": "basic"}, {"kind": "intermediate"}], [{"kind": "advanced"}, {"kind": "expert"}]]"#),
            ComplianceCase(#"foo[*].bar[*][0]"#, #"[[], []]"#),
        ]),
        ComplianceGroup(#"wildcard"#, given: #"{"string": "string", "hash": {"foo": "bar", "bar": "baz"}, "number": 23, "nullvalue": null}"#, [
            ComplianceCase(#"string[*]"#, #"null"#),
            ComplianceCase(#"hash[*]"#, #"null"#),
            ComplianceCase(#"number[*]"#, #"null"#),
            ComplianceCase(#"nullvalue[*]"#, #"null"#),
            ComplianceCase(#"string[*].foo"#, #"null"#),
            ComplianceCase(#"hash[*].foo"#, #"null"#),
            ComplianceCase(#"number[*].foo"#, #"null"#),
            ComplianceCase(#"nullvalue[*].foo"#, #"null"#),
            ComplianceCase(#"nullvalue[*].foo[*].bar"#, #"null"#),
            ComplianceCase(#"string.*"#, #"null"#),
            ComplianceCase(#"hash.*"#, #"["bar", "baz"]"#),
            ComplianceCase(#"number.*"#, #"null"#),
            ComplianceCase(#"nullvalue.*"#, #"null"#),
            ComplianceCase(#"*[0]"#, #"[]"#),
            ComplianceCase(#"string[]"#, #"null"#),
            ComplianceCase(#"hash[]"#, #"null"#),
            ComplianceCase(#"number[]"#, #"null"#),
            ComplianceCase(#"nullvalue[]"#, #"null"#),
            ComplianceCase(#"hash.*.foo"#, #"[]"#),
            ComplianceCase(#"hash | *"#, #"["bar", "baz"]"#),
        ]),
    ]

    /// Every waiter and paginator expression in botocore's data for ec2, rds, s3, dynamodb and lambda.
    static let botocoreExpressions: [String] = [
        #"BundleTasks[].State"#,
        #"ConversionTasks[].State"#,
        #"CustomerGateways[].State"#,
        #"ExportTasks[].State"#,
        #"Reservations[].Instances[].State.Name"#,
        #"Snapshots[].State"#,
        #"Subnets[].State"#,
        #"Volumes[].State"#,
        #"Vpcs[].State"#,
        #"VpnConnections[].State"#,
        #"Images[].State"#,
        #"InstanceStatuses[].InstanceStatus.Status"#,
        #"length(PasswordData) > `0`"#,
        #"SpotInstanceRequests[].Status.Code"#,
        #"InstanceStatuses[].SystemStatus.Status"#,
        #"length(Reservations[]) > `0`"#,
        #"length(Output || '') > `0`"#,
        #"length(Images[]) > `0`"#,
        #"length(KeyPairs[].KeyName) > `0`"#,
        #"NatGateways[].State"#,
        #"NetworkInterfaces[].Status"#,
        #"length(NetworkAcls[]) > `0`"#,
        #"ImageUsageReports[].State"#,
        #"length(InternetGateways[].InternetGatewayId) > `0`"#,
        #"ImportSnapshotTasks[].SnapshotTaskDetail.Status"#,
        #"length(SecurityGroups[].GroupId) > `0`"#,
        #"SecurityGroupVpcAssociations[].State"#,
        #"length(SecurityGroupVpcAssociations[]) == `0`"#,
        #"StoreImageTaskResults[].StoreTaskState"#,
        #"VpcPeeringConnections[].Status.Code"#,
        #"SecondaryNetworks[].State"#,
        #"SecondarySubnets[].State"#,
        #"NextToken"#,
        #"InstanceStatuses"#,
        #"Reservations"#,
        #"ReservedInstancesModifications"#,
        #"ReservedInstancesOfferings"#,
        #"SpotPriceHistory"#,
        #"Tags"#,
        #"VolumeStatuses"#,
        #"Snapshots"#,
        #"SpotFleetRequestConfigs"#,
        #"Volumes"#,
        #"RouteTables"#,
        #"IamInstanceProfileAssociations"#,
        #"SecurityGroups"#,
        #"ActiveInstances"#,
        #"NatGateways"#,
        #"NetworkInterfaces"#,
        #"VpcEndpoints"#,
        #"ServiceDetails"#,
        #"ServiceNames"#,
        #"VpcEndpointConnections"#,
        #"ByoipCidrs"#,
        #"CapacityReservations"#,
        #"Instances"#,
        #"AuthorizationRules"#,
        #"Connections"#,
        #"ClientVpnEndpoints"#,
        #"Routes"#,
        #"ClientVpnTargetNetworks"#,
        #"EgressOnlyInternetGateways"#,
        #"Fleets"#,
        #"FlowLogs"#,
        #"FpgaImages"#,
        #"OfferingSet"#,
        #"HostReservationSet"#,
        #"Hosts"#,
        #"ImportImageTasks"#,
        #"ImportSnapshotTasks"#,
        #"InstanceCreditSpecifications"#,
        #"LaunchTemplateVersions"#,
        #"LaunchTemplates"#,
        #"MovingAddressStatuses"#,
        #"NetworkInterfacePermissions"#,
        #"PrefixLists"#,
        #"Principals"#,
        #"PublicIpv4Pools"#,
        #"ScheduledInstanceAvailabilitySet"#,
        #"ScheduledInstanceSet"#,
        #"StaleSecurityGroupSet"#,
        #"TransitGatewayAttachments"#,
        #"TransitGatewayRouteTables"#,
        #"TransitGatewayVpcAttachments"#,
        #"TransitGateways"#,
        #"VolumesModifications"#,
        #"Vpcs"#,
        #"ConnectionNotificationSet"#,
        #"ServiceConfigurations"#,
        #"AllowedPrincipals"#,
        #"VpcPeeringConnections"#,
        #"TransitGatewayAttachmentPropagations"#,
        #"Associations"#,
        #"TransitGatewayRouteTablePropagations"#,
        #"InternetGateways"#,
        #"NetworkAcls"#,
        #"SpotInstanceRequests"#,
        #"DhcpOptions"#,
        #"Subnets"#,
        #"TrafficMirrorFilters"#,
        #"TrafficMirrorSessions"#,
        #"TrafficMirrorTargets"#,
        #"ExportImageTasks"#,
        #"FastSnapshotRestores"#,
        #"Ipv6Pools"#,
        #"Ipv6CidrAssociations"#,
        #"CoipPools"#,
        #"InstanceTypeOfferings"#,
        #"InstanceTypes"#,
        #"LocalGatewayRouteTableVirtualInterfaceGroupAssociations"#,
        #"LocalGatewayRouteTableVpcAssociations"#,
        #"LocalGatewayRouteTables"#,
        #"LocalGatewayVirtualInterfaceGroups"#,
        #"LocalGatewayVirtualInterfaces"#,
        #"LocalGateways"#,
        #"TransitGatewayMulticastDomains"#,
        #"TransitGatewayPeeringAttachments"#,
        #"MulticastDomainAssociations"#,
        #"MulticastGroups"#,
        #"PrefixListAssociations"#,
        #"Entries"#,
        #"CapacityReservationGroups"#,
        #"CarrierGateways"#,
        #"TransitGatewayPrefixListReferences"#,
        #"NetworkInsightsAnalyses"#,
        #"NetworkInsightsPaths"#,
        #"TransitGatewayConnectPeers"#,
        #"TransitGatewayConnects"#,
        #"Addresses"#,
        #"ReplaceRootVolumeTasks"#,
        #"StoreImageTaskResults"#,
        #"SecurityGroupRules"#,
        #"InstanceEventWindows"#,
        #"InterfaceAssociations"#,
        #"VpnConnectionDeviceTypes"#,
        #"CapacityReservationFleets"#,
        #"SpotPlacementScores"#,
        #"SnapshotTierStatuses"#,
        #"IpamPools"#,
        #"IpamScopes"#,
        #"Ipams"#,
        #"NetworkInsightsAccessScopeAnalyses"#,
        #"NetworkInsightsAccessScopes"#,
        #"HistoryRecords"#,
        #"IpamPoolAllocations"#,
        #"IpamPoolCidrs"#,
        #"IpamResourceCidrs"#,
        #"FastLaunchImages"#,
        #"Images"#,
        #"TransitGatewayPolicyTables"#,
        #"TransitGatewayRouteTableAnnouncements"#,
        #"AddressTransfers"#,
        #"Subscriptions"#,
        #"DataResponses"#,
        #"VerifiedAccessEndpoints"#,
        #"VerifiedAccessGroups"#,
        #"LoggingConfigurations"#,
        #"VerifiedAccessInstances"#,
        #"VerifiedAccessTrustProviders"#,
        #"IpamResourceDiscoveries"#,
        #"IpamResourceDiscoveryAssociations"#,
        #"IpamDiscoveredAccounts"#,
        #"IpamDiscoveredResourceCidrs"#,
        #"AnalysisFindings"#,
        #"InstanceConnectEndpoints"#,
        #"SecurityGroupForVpcs"#,
        #"CapacityBlockOfferings"#,
        #"MacHosts"#,
        #"CapacityReservationBillingRequests"#,
        #"InstanceImageMetadata"#,
        #"SecurityGroupVpcAssociations"#,
        #"CapacityBlockExtensions"#,
        #"CapacityBlockExtensionOfferings"#,
        #"RouteServerEndpoints"#,
        #"RouteServerPeers"#,
        #"RouteServers"#,
        #"MacModificationTasks"#,
        #"CapacityBlockStatuses"#,
        #"CapacityBlocks"#,
        #"ImageReferences"#,
        #"ImageUsageReportEntries"#,
        #"ImageUsageReports"#,
        #"CapacityManagerDataExports"#,
        #"MetricDataResults"#,
        #"MetricDimensionResults"#,
        #"IpamPrefixListResolverTargets"#,
        #"IpamPrefixListResolvers"#,
        #"Rules"#,
        #"IpamPrefixListResolverVersions"#,
        #"VpnConcentrators"#,
        #"AdditionalRoutesAvailable"#,
        #"SecondaryInterfaces"#,
        #"SecondaryNetworks"#,
        #"SecondarySubnets"#,
        #"CapacityManagerTagKeys"#,
        #"DBInstances[].DBInstanceStatus"#,
        #"DBClusters[].Status"#,
        #"length(DBClusters) == `0`"#,
        #"DBClusterSnapshots[].Status"#,
        #"length(DBClusterSnapshots) == `0`"#,
        #"length(DBInstances) == `0`"#,
        #"DBSnapshots[].Status"#,
        #"length(DBSnapshots) == `0`"#,
        #"TenantDatabases[].Status"#,
        #"length(TenantDatabases) == `0`"#,
        #"Marker"#,
        #"DBEngineVersions"#,
        #"DBInstances"#,
        #"DescribeDBLogFiles"#,
        #"DBParameterGroups"#,
        #"Parameters"#,
        #"DBSecurityGroups"#,
        #"DBSnapshots"#,
        #"DBSubnetGroups"#,
        #"EngineDefaults.Marker"#,
        #"EngineDefaults.Parameters"#,
        #"EventSubscriptionsList"#,
        #"Events"#,
        #"OptionGroupOptions"#,
        #"OptionGroupsList"#,
        #"OrderableDBInstanceOptions"#,
        #"ReservedDBInstances"#,
        #"ReservedDBInstancesOfferings"#,
        #"LogFileData"#,
        #"AdditionalDataPending"#,
        #"Certificates"#,
        #"DBClusterBacktracks"#,
        #"DBClusterParameterGroups"#,
        #"DBClusterSnapshots"#,
        #"DBClusters"#,
        #"DBInstanceAutomatedBackups"#,
        #"GlobalClusters"#,
        #"PendingMaintenanceActions"#,
        #"SourceRegions"#,
        #"DBClusterEndpoints"#,
        #"DBProxies"#,
        #"TargetGroups"#,
        #"Targets"#,
        #"ExportTasks"#,
        #"DBProxyEndpoints"#,
        #"BlueGreenDeployments"#,
        #"DBClusterAutomatedBackups"#,
        #"Integrations"#,
        #"DBSnapshotTenantDatabases"#,
        #"TenantDatabases"#,
        #"DBRecommendations"#,
        #"DBMajorEngineVersions"#,
        #"ServerlessV2PlatformVersions"#,
        #"NextKeyMarker"#,
        #"NextUploadIdMarker"#,
        #"Uploads"#,
        #"CommonPrefixes"#,
        #"IsTruncated"#,
        #"NextVersionIdMarker"#,
        #"Versions"#,
        #"DeleteMarkers"#,
        #"NextMarker || Contents[-1].Key"#,
        #"Contents"#,
        #"NextContinuationToken"#,
        #"NextPartNumberMarker"#,
        #"Parts"#,
        #"ContinuationToken"#,
        #"Buckets"#,
        #"ContributorInsightsStatus"#,
        #"ExportDescription.ExportStatus"#,
        #"ImportTableDescription.ImportStatus"#,
        #"KinesisDataStreamDestinations[].DestinationStatus"#,
        #"length(KinesisDataStreamDestinations) > `0`  && length(KinesisDataStreamDestinations[?DestinationStatus == 'DISABLED' || DestinationStatus == 'ENABLE_FAILED']) ==  length(KinesisDataStreamDestinations)"#,
        #"Table.TableStatus"#,
        #"LastEvaluatedBackupArn"#,
        #"BackupSummaries"#,
        #"LastEvaluatedTableName"#,
        #"TableNames"#,
        #"LastEvaluatedKey"#,
        #"Items"#,
        #"Count"#,
        #"ScannedCount"#,
        #"ConsumedCapacity"#,
        #"State"#,
        #"Configuration.State"#,
        #"LastUpdateStatus"#,
        #"Configuration.LastUpdateStatus"#,
        #"NextMarker"#,
        #"EventSourceMappings"#,
        #"Functions"#,
        #"Aliases"#,
        #"LayerVersions"#,
        #"Layers"#,
        #"FunctionEventInvokeConfigs"#,
        #"ProvisionedConcurrencyConfigs"#,
        #"CodeSigningConfigs"#,
        #"FunctionArns"#,
        #"FunctionUrlConfigs"#,
        #"CapacityProviders"#,
        #"FunctionVersions"#,
        #"Operations"#,
        #"DurableExecutions"#,
    ]
}
