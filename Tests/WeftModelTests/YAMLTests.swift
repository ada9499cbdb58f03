import Testing

@testable import WeftModel

private func yamlFailure(_ text: String) -> JSONParseError? {
    do {
        _ = try JSON.parse(yaml: text)
        return nil
    } catch let error as JSONParseError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

private func documentFailure(_ text: String) -> JSONParseError? {
    do {
        _ = try JSON.parseDocument(Array(text.utf8))
        return nil
    } catch let error as JSONParseError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite struct YAMLTests {
    @Test func mappingsKeepDocumentOrder() throws {
        let value = try JSON.parse(yaml: "zeta: 1\nalpha: 2\nmiddle:\n  b: x\n  a: y\n")
        #expect(value.objectValue?.keys.elements == ["zeta", "alpha", "middle"])
        #expect(value["middle"]?.objectValue?.keys.elements == ["b", "a"])
    }

    @Test func integersAreExact() throws {
        let value = try JSON.parse(
            yaml: """
                max: 9223372036854775807
                min: -9223372036854775808
                big: 9223372036854775808
                hex: 0x1F
                octal: 0o17
                plus: +5
                """)
        guard case .int(let max) = value["max"], case .int(let min) = value["min"] else {
            Issue.record("not exact: \(value)")
            return
        }
        #expect(max == Int64.max)
        #expect(min == Int64.min)
        guard case .double(let big) = value["big"] else {
            Issue.record("big is not a double")
            return
        }
        #expect(big == 9_223_372_036_854_775_808.0)
        #expect(value["hex"] == .int(31))
        #expect(value["octal"] == .int(15))
        #expect(value["plus"] == .int(5))
    }

    @Test func coreSchemaScalars() throws {
        let value = try JSON.parse(
            yaml: """
                t: true
                T: True
                f: FALSE
                yes: yes
                on: on
                n1: null
                n2: ~
                n3:
                f1: 1.5
                f2: -2.5e3
                f3: .5
                f4: 1e3
                inf: .inf
                ninf: -.Inf
                nan: .nan
                s: hello world
                date: 2024-05-01
                version: 1.2.3
                """)
        #expect(value["t"] == true)
        #expect(value["T"] == true)
        #expect(value["f"] == false)
        #expect(value["yes"] == "yes")
        #expect(value["on"] == "on")
        #expect(value["n1"] == .null)
        #expect(value["n2"] == .null)
        #expect(value["n3"] == .null)
        #expect(value["f1"] == 1.5)
        #expect(value["f2"] == -2500.0)
        #expect(value["f3"] == 0.5)
        guard case .double(let thousand) = value["f4"] else {
            Issue.record("1e3 is not a double")
            return
        }
        #expect(thousand == 1000)
        #expect(value["inf"] == .double(.infinity))
        #expect(value["ninf"] == .double(-.infinity))
        #expect(value["nan"]?.doubleValue?.isNaN == true)
        #expect(value["s"] == "hello world")
        #expect(value["date"] == "2024-05-01")
        #expect(value["version"] == "1.2.3")
    }

    @Test func quotedAndBlockScalarsStayStrings() throws {
        let value = try JSON.parse(
            yaml: """
                a: "123"
                b: 'true'
                c: "null"
                d: |
                  line one
                  line two
                e: >-
                  folded
                  text
                "1": numeric key
                """)
        #expect(value["a"] == "123")
        #expect(value["b"] == "true")
        #expect(value["c"] == "null")
        #expect(value["d"] == "line one\nline two\n")
        #expect(value["e"] == "folded text")
        #expect(value["1"] == "numeric key")
    }

    @Test func explicitTags() throws {
        let value = try JSON.parse(yaml: "a: !!str 123\nb: !!int \"42\"\nc: !!float 1\nd: ! 12\ne: !Custom 7\n")
        #expect(value["a"] == "123")
        #expect(value["b"] == .int(42))
        guard case .double(let one) = value["c"] else {
            Issue.record("!!float is not a double")
            return
        }
        #expect(one == 1)
        #expect(value["d"] == "12")
        #expect(value["e"] == 7)
        #expect(yamlFailure("a: !!int abc")?.message == #"invalid !!int value "abc""#)
    }

    @Test func sequencesAndFlowStyle() throws {
        let value = try JSON.parse(yaml: "- 1\n- [a, 'b', {c: d}]\n- {}\n- []\n")
        #expect(value == [1, ["a", "b", ["c": "d"]], [:], []])
    }

    @Test func anchorsAliasesAndMerges() throws {
        let value = try JSON.parse(
            yaml: """
                base: &base
                  x: 1
                  y: 2
                copy: *base
                derived:
                  <<: *base
                  y: 3
                  z: 4
                list:
                  - &item {k: v}
                  - *item
                """)
        #expect(value["copy"] == ["x": 1, "y": 2])
        #expect(value["derived"] == ["x": 1, "y": 3, "z": 4])
        #expect(value["derived"]?.objectValue?.keys.elements == ["x", "y", "z"])
        #expect(value["list"] == [["k": "v"], ["k": "v"]])
    }

    @Test func emptyDocumentIsNull() throws {
        #expect(try JSON.parse(yaml: "") == .null)
        #expect(try JSON.parse(yaml: "# only a comment\n") == .null)
        #expect(try JSON.parse(yaml: "just text") == "just text")
    }

    @Test func syntaxErrorsCarryPosition() {
        let indentation = yamlFailure("key: value\n  bad: indent\n")
        #expect(indentation?.line == 2)
        #expect(indentation?.column == 6)
        #expect(indentation?.message.contains("mapping values are not allowed") == true)

        let unclosed = yamlFailure("a: [1, 2\nb: 3\n")
        #expect(unclosed != nil)
        #expect((unclosed?.line ?? 0) >= 1)

        let tab = yamlFailure("a:\n\t- 1\n")
        #expect(tab?.line == 2)
        #expect(tab?.column == 1)
    }

    @Test func duplicateKeysAndComplexKeysAreErrors() {
        let duplicate = yamlFailure("a: 1\nb: 2\na: 3\n")
        #expect(duplicate?.message.contains("duplicate key 'a'") == true)
        #expect(duplicate?.line == 1)
        let complex = yamlFailure("? [a, b]\n: 1\n")
        #expect(complex?.message == "mapping keys must be scalars")
        #expect(complex?.line == 1)
        #expect(complex?.column == 3)
    }

    @Test func multipleDocumentsAreAnError() {
        #expect(yamlFailure("a: 1\n---\nb: 2\n") != nil)
    }

    @Test func documentsAreToldApartByContent() throws {
        #expect(try JSON.parseDocument(Array(#"  {"a": [1, 2.0]}"#.utf8)) == ["a": [1, 2.0]])
        #expect(try JSON.parseDocument(Array("\n[true]".utf8)) == [true])
        #expect(try JSON.parseDocument(Array("a: [1, 2]\nb: yes\n".utf8)) == ["a": [1, 2], "b": "yes"])
        #expect(try JSON.parseDocument([0xEF, 0xBB, 0xBF] + Array(#"{"bom": 1}"#.utf8)) == ["bom": 1])
        #expect(try JSON.parseDocument([0xEF, 0xBB, 0xBF] + Array("bom: 2".utf8)) == ["bom": 2])

        let json = documentFailure("{\n  \"a\": 1,\n  \"b\": tru\n}")
        #expect(json?.line == 3)
        #expect(json?.column == 8)
        #expect(json?.message == "invalid literal, expected 'true'")

        let flowYAML = documentFailure("{a: 1}")
        #expect(flowYAML?.message == "unexpected character 'a', expected a string key in object")

        let yaml = documentFailure("a: 1\nb: [\n")
        #expect(yaml != nil)

        let badBytes = documentFailure(String(decoding: [0x61, 0x3A, 0x20], as: UTF8.self))
        #expect(badBytes == nil)
        do {
            _ = try JSON.parseDocument([0x61, 0x3A, 0x20, 0xFF])
            Issue.record("no error")
        } catch let error as JSONParseError {
            #expect(error.message == "invalid UTF-8 byte")
            #expect(error.column == 4)
        }
    }
}
