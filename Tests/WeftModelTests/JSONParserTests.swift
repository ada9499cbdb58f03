import Foundation
import Testing

@testable import WeftModel

private func parseFailure(_ text: String) -> JSONParseError? {
    do {
        _ = try JSON.parse(text)
        return nil
    } catch {
        return error
    }
}

private func parseFailure(bytes: [UInt8]) -> JSONParseError? {
    do {
        _ = try JSON.parse(bytes)
        return nil
    } catch {
        return error
    }
}

private func bitPattern(_ value: JSON) -> UInt64? {
    if case .double(let number) = value { return number.bitPattern }
    return nil
}

private func temporaryFile(_ contents: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("weft-json-\(UUID().uuidString)").path
    try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSON.parse(#" { "a" : [1, -2, 3.5, true, false, null, "x"], "b": {} , "c": [] } "#)
        let expected: JSON = ["a": [1, -2, 3.5, true, false, nil, "x"], "b": [:], "c": []]
        #expect(value == expected)
        #expect(value.objectValue?.keys.elements == ["a", "b", "c"])
    }

    @Test func parsesFromBytesAndBuffers() throws {
        let bytes = Array(#"{"k":[1,2]}"#.utf8)
        #expect(try JSON.parse(bytes) == ["k": [1, 2]])
        let fromBuffer = try bytes.withUnsafeBytes { buffer in try JSON.parse(buffer) }
        #expect(fromBuffer == ["k": [1, 2]])
    }

    @Test func scalarsAtTopLevel() throws {
        #expect(try JSON.parse("null") == .null)
        #expect(try JSON.parse(" true ") == .bool(true))
        #expect(try JSON.parse("\"s\"") == .string("s"))
        #expect(try JSON.parse("\n42\t") == .int(42))
    }

    // MARK: Numbers

    @Test func integersAreExactInt64() throws {
        guard case .int(let max) = try JSON.parse("9223372036854775807") else {
            Issue.record("Int64.max is not an int")
            return
        }
        #expect(max == Int64.max)
        guard case .int(let min) = try JSON.parse("-9223372036854775808") else {
            Issue.record("Int64.min is not an int")
            return
        }
        #expect(min == Int64.min)
        guard case .int(let zero) = try JSON.parse("-0") else {
            Issue.record("-0 is not an int")
            return
        }
        #expect(zero == 0)
    }

    @Test func integersBeyondInt64BecomeDoubles() throws {
        #expect(bitPattern(try JSON.parse("9223372036854775808")) == 9_223_372_036_854_775_808.0.bitPattern)
        #expect(bitPattern(try JSON.parse("-9223372036854775809")) == (-9_223_372_036_854_775_809.0).bitPattern)
        #expect(bitPattern(try JSON.parse("123456789012345678901234567890")) == 1.2345678901234568e29.bitPattern)
        #expect(bitPattern(try JSON.parse("18446744073709551616")) == 18_446_744_073_709_551_616.0.bitPattern)
    }

    @Test(arguments: [
        "0.1", "1e300", "-0.0", "5e-324", "2.2250738585072014e-308", "1.7976931348623157e308",
        "0.30000000000000004", "123.456e-2", "1E2", "1e-7", "3.141592653589793", "9007199254740993.0",
        "0.000001234", "-1.5", "1.0", "4.9406564584124654e-324", "1e22", "1e23", "8.98846567431158e307",
        "0.1e1", "12345678901234567890.5",
    ])
    func doublesMatchTheStandardLibrary(_ text: String) throws {
        let value = try JSON.parse(text)
        #expect(bitPattern(value) == Double(text)!.bitPattern)
        #expect(bitPattern(try JSON.parse(value.serialized())) == Double(text)!.bitPattern)
    }

    @Test func negativeZeroKeepsItsSign() throws {
        let value = try JSON.parse("-0.0")
        #expect(value.doubleValue?.sign == .minus)
        #expect(value.serialized() == "-0.0")
    }

    @Test func doublesSerializeInShortestForm() {
        #expect(JSON.double(0.1).serialized() == "0.1")
        #expect(JSON.double(1e300).serialized() == "1e+300")
        #expect(JSON.double(.leastNonzeroMagnitude).serialized() == "5e-324")
        #expect(JSON.double(1.0).serialized() == "1.0")
        #expect(JSON.double(100).serialized() == "100.0")
        #expect(JSON.double(.nan).serialized() == "null")
        #expect(JSON.double(-.infinity).serialized() == "null")
        #expect(JSON.int(Int64.min).serialized() == "-9223372036854775808")
        #expect(JSON.int(Int64.max).serialized() == "9223372036854775807")
        #expect(JSON.int(0).serialized() == "0")
        #expect(JSON.int(-7).serialized() == "-7")
    }

    // MARK: Strings

    @Test func escapesAndUnicode() throws {
        let value = try JSON.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00 é😀""#)
        #expect(value == .string("\"\\/\u{8}\u{c}\n\r\tAé€😀 é😀"))
        #expect(try JSON.parse(#""\u0000""#) == .string("\u{0}"))
    }

    @Test func serializerEscapesOnlyWhatItMust() {
        let value = JSON.string("\"\\/\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}é😀\u{2028}")
        #expect(value.serialized() == #""\"\\/\b\f\n\r\t\u0001\u001f"# + "\u{7f}é😀\u{2028}\"")
    }

    @Test func stringsRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1f}", "é", "€", "😀", "~"]
        for length in 0..<80 {
            let text = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            let encoded = JSON.string(text).serialized()
            #expect(try JSON.parse(encoded) == .string(text), "\(encoded)")
            #expect(try JSON.parse("[\(encoded),\(encoded)]") == .array([.string(text), .string(text)]))
        }
    }

    // MARK: Objects

    @Test func duplicateKeysKeepFirstPositionAndLastValue() throws {
        let value = try JSON.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(value.objectValue?.keys.elements == ["a", "b"])
        #expect(value["a"] == 3)
        let escaped = try JSON.parse(#"{"a":1,"\u0061":2}"#)
        #expect(escaped.objectValue?.count == 1)
        #expect(escaped["a"] == 2)
    }

    @Test func duplicateKeysInLargeObjects() throws {
        let members = (0..<40).map { "\"key\($0)\": \($0)" }.joined(separator: ",")
        let value = try JSON.parse("{\(members), \"key5\": \"again\"}")
        #expect(value.objectValue?.count == 40)
        #expect(value.objectValue?.keys[5] == "key5")
        #expect(value["key5"] == "again")
        let unique = try JSON.parse("{\(members)}")
        #expect(unique.objectValue?.keys.elements == (0..<40).map { "key\($0)" })
    }

    // MARK: Serialization

    @Test func compactAndPrettyOutput() throws {
        let value: JSON = ["a": 1, "b": [true, nil], "c": [:], "d": [], "e": ["x": "y"]]
        #expect(value.serialized() == #"{"a":1,"b":[true,null],"c":{},"d":[],"e":{"x":"y"}}"#)
        #expect(
            value.serialized(pretty: true) == """
                {
                  "a": 1,
                  "b": [
                    true,
                    null
                  ],
                  "c": {},
                  "d": [],
                  "e": {
                    "x": "y"
                  }
                }
                """)
        var buffer = Array("prefix:".utf8)
        value.write(to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "prefix:" + value.serialized())
        var nested = Array("[\n  ".utf8)
        (["x": [1]] as JSON).write(to: &nested, pretty: true, indent: 1)
        #expect(String(decoding: nested, as: UTF8.self) == "[\n  {\n    \"x\": [\n      1\n    ]\n  }")
    }

    @Test func serializationRoundTripsKeyOrder() throws {
        let text = #"{"z":1,"a":{"y":[1,2.5,"s",null,false],"b":-3},"m":"é"}"#
        #expect(try JSON.parse(text).serialized() == text)
        #expect(try JSON.parse(try JSON.parse(text).serialized(pretty: true)).serialized() == text)
    }

    // MARK: Errors

    @Test(
        arguments: [
            (#"{"a":1 "b":2}"#, 1, 8, "expected ',' or '}' after object member"),
            ("[1,2,]", 1, 5, "trailing comma in array"),
            (#"{"a":1,}"#, 1, 7, "trailing comma in object"),
            ("[1 2]", 1, 4, "expected ',' or ']' after array element"),
            (#"{"a" 1}"#, 1, 6, "expected ':' after object key"),
            ("{1:2}", 1, 2, "unexpected character '1', expected a string key in object"),
            ("// c\n1", 1, 1, "comments are not allowed in JSON"),
            ("'a'", 1, 1, "strings must use double quotes"),
            ("01", 1, 1, "leading zeros are not allowed in numbers"),
            ("[-]", 1, 3, "unexpected character ']', expected a digit after '-'"),
            ("1.e5", 1, 3, "expected a digit after '.'"),
            ("1ex", 1, 3, "expected a digit in exponent"),
            ("1.", 1, 3, "unexpected end of input, expected a digit after '.'"),
            (".5", 1, 1, "unexpected character '.', expected a value"),
            ("+1", 1, 1, "unexpected character '+', expected a value"),
            ("NaN", 1, 1, "unexpected character 'N', expected a value"),
            ("tru", 1, 4, "unexpected end of input, expected 'true'"),
            ("trux", 1, 1, "invalid literal, expected 'true'"),
            ("nul", 1, 4, "unexpected end of input, expected 'null'"),
            (#""a\xb""#, 1, 3, "invalid escape sequence '\\x'"),
            (#""\u12G4""#, 1, 2, "invalid \\u escape, expected 4 hexadecimal digits"),
            (#""\uD800""#, 1, 2, "unpaired high surrogate \\uD800 in string"),
            (#""\uD800\n""#, 1, 2, "unpaired high surrogate \\uD800 in string"),
            (#""\uD800\u0041""#, 1, 2, "unpaired high surrogate \\uD800 in string"),
            (#""x\uDC00""#, 1, 3, "unpaired low surrogate \\uDC00 in string"),
            ("\"a\u{1}b\"", 1, 3, "unescaped control character U+0001 in string"),
            ("[\"tab\there\"]", 1, 6, "unescaped control character U+0009 in string"),
            ("\"abc", 1, 5, "unexpected end of input, unterminated string"),
            ("", 1, 1, "unexpected end of input, expected a value"),
            ("  \n ", 2, 2, "unexpected end of input, expected a value"),
            ("[", 1, 2, "unexpected end of input, expected a value or ']'"),
            (#"{"a":"#, 1, 6, "unexpected end of input, expected a value"),
            ("1 2", 1, 3, "unexpected character '2' after the JSON value"),
            ("{}}", 1, 3, "unexpected character '}' after the JSON value"),
            ("[\"é\", x]", 1, 7, "unexpected character 'x', expected a value"),
            ("{\n  \"a\": 1,\n  \"b\": tru\n}", 3, 8, "invalid literal, expected 'true'"),
            ("{\n  \"id\": 1,\n  \"name\": \"x\" \"y\"\n}", 3, 15, "expected ',' or '}' after object member"),
        ] as [(String, Int, Int, String)])
    func errorsCarryPosition(_ text: String, _ line: Int, _ column: Int, _ message: String) {
        let error = parseFailure(text)
        #expect(error?.message == message)
        #expect(error?.line == line)
        #expect(error?.column == column)
        #expect(error?.description == "line \(line), column \(column): \(message)")
    }

    @Test func errorOffsetsAreBytes() {
        let error = parseFailure("[\"é\", x]")
        #expect(error?.offset == 7)
    }

    @Test func invalidUTF8IsRejected() {
        let cases: [([UInt8], Int)] = [
            ([0x22, 0xFF, 0x22], 2),
            ([0x22, 0x61, 0xC0, 0x80, 0x22], 3),
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 2),
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 2),
            ([0x22, 0xE2, 0x82, 0x22], 2),
            ([0x22] + Array("abcdefghij".utf8) + [0x80, 0x22], 12),
        ]
        for (bytes, column) in cases {
            let error = parseFailure(bytes: bytes)
            #expect(error?.message.hasPrefix("invalid UTF-8") == true, "\(bytes)")
            #expect(error?.column == column, "\(bytes)")
        }
        #expect(throws: Never.self) { try JSON.parse([0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22]) }
    }

    @Test func nestingIsLimitedTo512() throws {
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSON.parse(deepest) }
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = parseFailure(tooDeep)
        #expect(error?.message == "nesting is deeper than 512 levels")
        #expect(error?.column == 513)
        let objects = String(repeating: "{\"a\":", count: 600) + "1" + String(repeating: "}", count: 600)
        #expect(parseFailure(objects)?.message == "nesting is deeper than 512 levels")
        #expect(parseFailure(String(repeating: "[", count: 100_000))?.message == "nesting is deeper than 512 levels")
    }
}

@Suite struct JSONFileReaderTests {
    private static func arrayFile(count: Int) -> (String, [JSON]) {
        var elements: [JSON] = []
        for index in 0..<count {
            elements.append([
                "id": .int(Int64(index)), "name": .string("instance-\(index) é"),
                "ratio": .double(Double(index) / 7), "tags": [["Key": "k", "Value": .string(String(index))]],
                "flag": .bool(index % 2 == 0), "none": nil,
            ])
        }
        let text = "[\n" + elements.map { $0.serialized() }.joined(separator: ",\n") + "\n]\n"
        return (text, elements)
    }

    private static func readAll(_ path: String, chunkSize: Int) throws -> [JSON] {
        var reader = try JSONArrayFileReader(path: path, chunkSize: chunkSize)
        var values: [JSON] = []
        while let value = try reader.next() { values.append(value) }
        return values
    }

    @Test func readsArrayElementsAcrossManyChunks() throws {
        let (text, elements) = Self.arrayFile(count: 3000)
        #expect(text.utf8.count > 40 * 4096)
        let path = try temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for chunkSize in [16, 97, 4096] {
            let values = try Self.readAll(path, chunkSize: chunkSize)
            #expect(values.count == elements.count)
            #expect(values == elements)
        }
        #expect(try JSON.readItems(fromFile: path) == elements)
    }

    @Test func elementsLargerThanTheChunk() throws {
        let big = JSON.string(String(repeating: "x", count: 50_000))
        let path = try temporaryFile("[\(big.serialized()), 12345678, [1,2,3], 1.5e10]")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try Self.readAll(path, chunkSize: 1024) == [big, 12_345_678, [1, 2, 3], 1.5e10])
    }

    @Test func emptyArrayAndWhitespace() throws {
        let path = try temporaryFile("  \n[ \n ]\n\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try JSONArrayFileReader(path: path, chunkSize: 16)
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    @Test func malformedElementReportsFilePosition() throws {
        var (text, _) = Self.arrayFile(count: 3000)
        var lines = text.components(separatedBy: "\n")
        let badLine = 2501
        lines[badLine - 1] = #"{"id": 2499, "name": tru},"#
        text = lines.joined(separator: "\n")
        let path = try temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try JSONArrayFileReader(path: path, chunkSize: 4096)
        var read = 0
        do {
            while try reader.next() != nil { read += 1 }
            Issue.record("no error")
        } catch let error as JSONParseError {
            #expect(read == 2499)
            #expect(error.line == badLine)
            #expect(error.column == 22)
            #expect(error.message == "invalid literal, expected 'true'")
            let offset = lines[..<(badLine - 1)].reduce(0) { $0 + $1.utf8.count + 1 } + 21
            #expect(error.offset == offset)
        }
        #expect(throws: JSONParseError.self) { try reader.next() }
    }

    @Test(
        arguments: [
            ("[1,2,]", 1, 5, "trailing comma in array"),
            ("[1,2\n", 2, 1, "unexpected end of input, expected ',' or ']' after array element"),
            ("[1,\n2] x", 2, 4, "unexpected character 'x' after the top-level array"),
            ("{\"a\": 1}", 1, 1, "expected '[' at the start of a JSON array file"),
            ("", 1, 1, "expected '[' at the start of a JSON array file"),
            ("[1 2]", 1, 4, "expected ',' or ']' after array element"),
            ("[1, \"abc", 1, 9, "unexpected end of input, unterminated string"),
            ("[12", 1, 4, "unexpected end of input, expected ',' or ']' after array element"),
        ] as [(String, Int, Int, String)])
    func arrayFileErrors(_ text: String, _ line: Int, _ column: Int, _ message: String) throws {
        let path = try temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try Self.readAll(path, chunkSize: 2)
            Issue.record("no error")
        } catch let error as JSONParseError {
            #expect(error.message == message)
            #expect(error.line == line)
            #expect(error.column == column)
        }
    }

    @Test func missingFileIsAFileError() {
        #expect(throws: JSONFileError.self) { try JSONArrayFileReader(path: "/nonexistent/weft.json") }
        #expect(throws: JSONFileError.self) { try JSON.readItems(fromFile: "/nonexistent/weft.json") }
    }

    @Test func readsNDJSON() throws {
        let long = String(repeating: "y", count: 300)
        let text = "{\"a\":1}\n\n  [1,2]  \r\n\"s\"\r\n   \n{\"b\":2}\n{\"long\":\"\(long)\"}"
        let path = try temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try NDJSONFileReader(path: path, chunkSize: 8)
        var values: [JSON] = []
        while let value = try reader.next() { values.append(value) }
        let expected: [JSON] = [["a": 1], [1, 2], "s", ["b": 2], ["long": .string(long)]]
        #expect(values == expected)
        #expect(try JSON.readItems(fromFile: path) == expected)
    }

    @Test func ndjsonErrorsGiveLineNumbers() throws {
        let text = "{\"a\":1}\n{\"a\":2}\n\n{\"a\":3,}\n{\"a\":4}\n"
        let path = try temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try NDJSONFileReader(path: path, chunkSize: 5)
        #expect(try reader.next() == ["a": 1])
        #expect(try reader.next() == ["a": 2])
        do {
            _ = try reader.next()
            Issue.record("no error")
        } catch let error as JSONParseError {
            #expect(error.line == 4)
            #expect(error.column == 7)
            #expect(error.offset == 23)
            #expect(error.message == "trailing comma in object")
        }
        do {
            _ = try JSON.readItems(fromFile: path)
            Issue.record("no error")
        } catch let error as JSONParseError {
            #expect(error.line == 4)
            #expect(error.column == 7)
        }
    }

    @Test func readItemsShapes() throws {
        let single = try temporaryFile("{\n  \"a\": 1\n}\n")
        let blank = try temporaryFile(" \n")
        let scalar = try temporaryFile("42")
        let garbage = try temporaryFile("{\n  \"a\": 1\n} {\"b\": 2}\n")
        defer {
            for path in [single, blank, scalar, garbage] { try? FileManager.default.removeItem(atPath: path) }
        }
        #expect(try JSON.readItems(fromFile: single) == [["a": 1]])
        #expect(try JSON.readItems(fromFile: blank) == [])
        #expect(try JSON.readItems(fromFile: scalar) == [42])
        do {
            _ = try JSON.readItems(fromFile: garbage)
            Issue.record("no error")
        } catch let error as JSONParseError {
            #expect(error.line == 3)
            #expect(error.column == 3)
        }
    }
}
