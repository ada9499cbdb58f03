import Testing
import WeftModel

@Suite struct JSONPathTests {
    static let document: JSON = [
        "State": ["Code": "WA", "Name": "Washington"],
        "items": [
            ["id": 1, "tags": ["a", "b"]],
            ["id": 2, "tags": []],
            ["id": 3],
        ],
        "": "empty",
    ]

    // MARK: Lenient keys

    @Test(
        arguments: [
            ("State.Code", "$.State.Code", ["WA"]),
            ("$.State.Code", "$.State.Code", ["WA"]),
            ("", "$", [document]),
            ("[\"State\"].Name", "$[\"State\"].Name", ["Washington"]),
            ("items[1].id", "$.items[1].id", [2]),
            (".State.Code", "$.State.Code", ["WA"]),
            ("..Code", "$..Code", ["WA"]),
        ] as [(String, String, [JSON])])
    func keyExpandsToQuery(key: String, expression: String, expected: [JSON]) throws {
        let path = try JSONPath(key: key)
        #expect(path.description == expression)
        #expect(path == (try JSONPath(expression)))
        #expect(path.query(Self.document) == expected)
    }

    @Test func keyErrorPositionsReferToTheKey() {
        #expect(throws: JSONPathError(message: "expected a name or '*' after '.'", position: 6)) {
            try JSONPath(key: "State.")
        }
        #expect(throws: JSONPathError(message: "expected ',' or ']'", position: 3)) {
            try JSONPath(key: "[0 1]")
        }
        #expect(throws: JSONPathError.self) { try JSONPath(key: "State Code") }
    }

    // MARK: Normalized paths

    @Test func locateGivesNormalizedPaths() throws {
        let located = try JSONPath("$.items[?@.id >= 2].id").locate(Self.document)
        #expect(located.map(\.path) == ["$['items'][1]['id']", "$['items'][2]['id']"])
        #expect(located.map(\.value) == [2, 3])
        #expect(try JSONPath("$").locate(Self.document).map(\.path) == ["$"])
        #expect(try JSONPath("$.items[-1:]").locate(Self.document).map(\.path) == ["$['items'][2]"])
        #expect(try JSONPath("$['']").locate(Self.document).map(\.path) == ["$['']"])
    }

    @Test func normalizedPathsEscapeNames() throws {
        let document: JSON = [
            "it's": 1, "back\\slash": 2, "line\nbreak": 3, "\u{01}\u{1F}\u{7F}": 4, "tab\t\u{08}\u{0C}\r": 5, "é𝄞\"": 6,
        ]
        let paths = try JSONPath("$.*").locate(document).map(\.path)
        #expect(
            paths == [
                #"$['it\'s']"#, #"$['back\\slash']"#, #"$['line\nbreak']"#, "$['\\u0001\\u001f\u{7F}']",
                #"$['tab\t\b\f\r']"#, "$['é𝄞\"']",
            ])
    }

    @Test func queryAndLocateAgree() throws {
        for expression in ["$..*", "$..[0]", "$.items[*].tags[*]", "$[?@.Code]", "$..[?@ == 'a' || @ == 1]"] {
            let path = try JSONPath(expression)
            #expect(path.query(Self.document) == path.locate(Self.document).map(\.value), "\(expression)")
        }
    }

    // MARK: Errors

    @Test(arguments: [
        (" $", 0, "expected '$' at the start of the query"),
        ("$ ", 1, "unexpected ' '"),
        ("$[0 2]", 4, "expected ',' or ']'"),
        ("$['a", 2, "unterminated string literal"),
        ("$['\\x']", 3, "invalid escape sequence '\\x'"),
        ("$[\"\\uD800\"]", 3, "high surrogate \\uD800 must be followed by a low surrogate"),
        ("$[01]", 2, "leading zeros are not allowed"),
        ("$[-0]", 2, "'-0' is not a valid integer"),
        ("$[9007199254740992]", 2, "integer out of range ±(2^53-1)"),
        ("$[?@.a==01]", 8, "leading zeros are not allowed"),
        ("$[?@.a==1.]", 10, "expected a digit after '.'"),
        ("$[?length(@.*)<3]", 10, "a non-singular query cannot be used as a value"),
        ("$[?@.*==1]", 3, "a non-singular query cannot be used as a value"),
        ("$[?length(@.a)]", 3, "the result of 'length' must be compared"),
        ("$[?match(@.a, 'a')==true]", 3, "the logical result of 'match' cannot be used as a value"),
        ("$[?count(1)==1]", 9, "the argument of 'count' must be a query"),
        ("$[?true]", 3, "a literal must be compared"),
        ("$[?foo(@)]", 3, "unknown function 'foo'"),
        ("$[?value(@.a,@.b)==1]", 3, "function 'value' takes 1 argument, not 2"),
        ("$[?count (@.*)==1]", 8, "expected '(' after function name 'count'"),
        ("$[?(@.a]", 7, "expected ')'"),
        ("$.é.", 4, "expected a name or '*' after '.'"),
    ])
    func errorPositions(expression: String, position: Int, message: String) {
        #expect(throws: JSONPathError(message: message, position: position)) { try JSONPath(expression) }
    }

    @Test func errorDescription() {
        let error = JSONPathError(message: "expected ']'", position: 4)
        #expect(error.description == "invalid JSONPath at position 4: expected ']'")
    }

    @Test func deepNestingIsRejectedNotFatal() throws {
        let shallow = String(repeating: "(", count: 50) + "@.a" + String(repeating: ")", count: 50)
        #expect(try JSONPath("$[?\(shallow)]").query([["a": 1], [:]]) == [["a": 1]])
        let deep = String(repeating: "(", count: 5000) + "@.a" + String(repeating: ")", count: 5000)
        #expect(throws: JSONPathError(message: "expression nested too deeply", position: 103)) {
            try JSONPath("$[?\(deep)]")
        }
        let filters = String(repeating: "@[?", count: 5000) + "@" + String(repeating: "]", count: 5000)
        #expect(throws: JSONPathError.self) { try JSONPath("$[?\(filters)]") }
    }

    // MARK: Properties

    @Test(arguments: [
        ("$", true), ("$.a", true), ("$.a[0]['b'][-1]", true), ("$ .a [0]", true),
        ("$.*", false), ("$..a", false), ("$[0,1]", false), ("$[0:1]", false), ("$[?@]", false),
    ])
    func singularity(expression: String, isSingular: Bool) throws {
        #expect(try JSONPath(expression).isSingular == isSingular)
    }

    @Test func equalityAndHashingUseTheExpression() throws {
        let set: Set<JSONPath> = [try JSONPath("$.a"), try JSONPath("$.a"), try JSONPath("$['a']")]
        #expect(set.count == 2)
        #expect(try JSONPath("$.a").description == "$.a")
    }

    // MARK: Semantics the suite covers thinly

    @Test func numbersCompareExactlyAcrossIntAndDouble() throws {
        let document: JSON = [.int(9_007_199_254_740_993), .double(9_007_199_254_740_992), .int(1), .double(1.5)]
        #expect(try JSONPath("$[?@ == 9007199254740992.0]").query(document) == [.double(9_007_199_254_740_992)])
        #expect(try JSONPath("$[?@ > 9007199254740992.0]").query(document) == [.int(9_007_199_254_740_993)])
        #expect(try JSONPath("$[?@ < 1.5]").query(document) == [1])
        #expect(try JSONPath("$[?@ == 1.0]").query(document) == [1])
        #expect(try JSONPath("$[?@ >= 1e0 && @ <= 15e-1]").query(document) == [1, 1.5])
    }

    @Test func stringsCompareByCodePoint() throws {
        let decomposed = "e\u{301}"
        let document: JSON = ["\u{E9}", .string(decomposed), "\u{FFFF}", "\u{10000}"]
        #expect(try JSONPath("$[?@ == '\u{E9}']").query(document).count == 1)
        #expect(try JSONPath("$[?@ > '\u{FFFF}']").query(document) == ["\u{10000}"])
        let object: JSON = .object([decomposed: 1])
        #expect(try JSONPath("$['\u{E9}']").query(object) == [])
        #expect(try JSONPath("$['e\u{301}']").query(object) == [1])
    }

    @Test func nothingComparesEqualToNothing() throws {
        let document: JSON = [["a": 1], ["b": 2]]
        #expect(try JSONPath("$[?@.x == @.y]").query(document).count == 2)
        #expect(try JSONPath("$[?@.x <= @.y]").query(document).count == 2)
        #expect(try JSONPath("$[?@.x < @.y]").query(document).isEmpty)
        #expect(try JSONPath("$[?@.a != @.x]").query(document) == [["a": 1]])
    }

    @Test func regexFunctions() throws {
        let document: JSON = ["abc", "ABC", "a\nc", "Ž1", "a.c", "x^y", ["pattern": "b+"]]
        #expect(try JSONPath("$[?match(@, 'a.c')]").query(document) == ["abc", "a.c"])
        #expect(try JSONPath("$[?search(@, '[A-Z]')]").query(document) == ["ABC"])
        #expect(try JSONPath(#"$[?match(@, '\\p{Lu}\\p{Nd}')]"#).query(document) == ["Ž1"])
        #expect(try JSONPath(#"$[?match(@, 'a\\.c')]"#).query(document) == ["a.c"])
        #expect(try JSONPath(#"$[?match(@, 'a(b|\\n)c')]"#).query(document) == ["abc", "a\nc"])
        #expect(try JSONPath(#"$[?search(@, '\\^')]"#).query(document) == ["x^y"])
        #expect(try JSONPath("$[?search(@, '^a')]").query(document) == ["abc", "a\nc", "a.c"])
        #expect(try JSONPath("$[?match(@, '(?i)abc')]").query(document) == [])
        #expect(try JSONPath("$[?search(@, 'B{1,2}')]").query(document) == ["ABC"])
        #expect(try JSONPath("$[?search(@, $[6].pattern)]").query(document) == ["abc"])
        #expect(try JSONPath("$[?match(@, $[6].pattern)]").query(document) == [])
        #expect(try JSONPath("$[?search(@, $[6].missing)]").query(document) == [])
    }

    @Test(arguments: ["[", "(", "a{2,1}", "\\d", "\\w", "a**", "a*?", "[a-\\p{L}]", "\\p{Xx}", "[]", "[z-a]", ")"])
    func invalidRegexMatchesNothing(pattern: String) throws {
        let document: JSON = ["a", "aa", "[", "d", ""]
        let escaped = pattern.replacingOccurrences(of: "\\", with: "\\\\")
        #expect(try JSONPath("$[?match(@, '\(escaped)')]").query(document) == [])
        #expect(try JSONPath("$[?search(@, '\(escaped)')]").query(document) == [])
        #expect(try JSONPath("$[?!search(@, '\(escaped)')]").query(document).count == 5)
    }

    @Test func functionExtensions() throws {
        let document: JSON = [
            ["name": "héllo", "list": [1, 2, 3]],
            ["name": "hi", "list": []],
            ["name": 5],
        ]
        #expect(try JSONPath("$[?length(@.name) == 5].name").query(document) == ["héllo"])
        #expect(try JSONPath("$[?length(@.list) == 0].name").query(document) == ["hi"])
        #expect(try JSONPath("$[?count(@.list[*]) > 1].name").query(document) == ["héllo"])
        #expect(try JSONPath("$[?value(@..name) == 'hi'].list").query(document) == [[]])
        #expect(try JSONPath("$[?length(@.name) == length(@.missing)].name").query(document) == [5])
    }

    @Test func concurrentQueriesShareCompiledPaths() async throws {
        let path = try JSONPath("$[?search(@.name, @.pattern)].name")
        let document: JSON = [["name": "alpha", "pattern": "ph"], ["name": "beta", "pattern": "^a"]]
        let results = await withTaskGroup(of: [JSON].self) { group in
            for _ in 0..<16 { group.addTask { path.query(document) } }
            var all: [[JSON]] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.allSatisfy { $0 == ["alpha"] })
    }
}
