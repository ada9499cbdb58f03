import Testing
import WeftModel

@Suite struct ExpressionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var canonical: String?
        var testDescription: String { text.debugDescription }
    }

    static let parsed: [Case] = [
        Case(text: "c1", canonical: "c1"),
        Case(text: "{ (c1) }", canonical: "c1"),
        Case(text: "{c1 && c2}", canonical: "c1 && c2"),
        Case(text: "c1 && c2 || c3", canonical: "c1 && c2 || c3"),
        Case(text: "c1 || c2 && c3", canonical: "c1 || c2 && c3"),
        Case(text: "(c1 || c2) && c3", canonical: "(c1 || c2) && c3"),
        Case(text: "!c1 && c2", canonical: "!c1 && c2"),
        Case(text: "!(c1 && c2)", canonical: "!(c1 && c2)"),
        Case(text: "c1 AND c2 OR NOT c3", canonical: "c1 && c2 || !c3"),
        Case(text: "c1 and c2 or not c3", canonical: "c1 && c2 || !c3"),
        Case(text: "c1 And (c2 Or c3)", canonical: "c1 && (c2 || c3)"),
        Case(text: "not not c1", canonical: "!!c1"),
        Case(text: "c1&&c2||!c3", canonical: "c1 && c2 || !c3"),
        Case(text: "  node-1_a.b  ", canonical: "node-1_a.b"),
        Case(text: "", canonical: nil),
        Case(text: "   \n ", canonical: nil),
        Case(text: "{ }", canonical: nil),
        Case(text: "{}", canonical: nil),
    ]

    @Test(arguments: parsed)
    func parses(_ c: Case) throws {
        let expression = try BooleanExpression.parse(c.text)
        #expect(expression?.description == c.canonical)
    }

    @Test func precedenceNotOverAndOverOr() throws {
        let expression = try #require(try BooleanExpression.parse("c1 || c2 && !c3"))
        #expect(expression == .or([.condition("c1"), .and([.condition("c2"), .not(.condition("c3"))])]))
        let truth: [([String: Bool], Bool)] = [
            (["c1": false, "c2": true, "c3": false], true),
            (["c1": false, "c2": true, "c3": true], false),
            (["c1": true, "c2": false, "c3": true], true),
            (["c1": false, "c2": false, "c3": false], false),
        ]
        for (values, expected) in truth {
            #expect(expression.evaluate { values[$0] ?? false } == expected)
        }
    }

    @Test func andOrAssociateLeftAndFlatten() throws {
        #expect(try BooleanExpression.parse("a && b && c") == .and([.condition("a"), .condition("b"), .condition("c")]))
        #expect(try BooleanExpression.parse("a || b || c") == .or([.condition("a"), .condition("b"), .condition("c")]))
    }

    @Test func conditionIdsInOrderOnce() throws {
        let expression = try #require(try BooleanExpression.parse("c2 && (c1 || !c2) || c3"))
        #expect(expression.conditionIds == ["c2", "c1", "c3"])
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var text: String
        var description: String
        var testDescription: String { text.debugDescription }
    }

    static let failures: [Failure] = [
        Failure(text: "(c1 && c2", description: "expression, position 10: expected ')', found the end of the expression"),
        Failure(text: "c1 && ", description: "expression, position 7: expected a condition id, '!' or '(', found the end of the expression"),
        Failure(text: "c1 c2", description: "expression, position 4: unexpected 'c2', expected '&&', '||' or the end"),
        Failure(text: "c1 & c2", description: "expression, position 4: expected '&&'"),
        Failure(text: "c1 | c2", description: "expression, position 4: expected '||'"),
        Failure(text: "{ (c1) ", description: "expression, position 8: expected '}', found the end of the expression"),
        Failure(text: "(c1 }", description: "expression, position 5: expected ')', found '}'"),
        Failure(text: "c1 == c2", description: "expression, position 4: unexpected character '='"),
        Failure(text: "()", description: "expression, position 2: expected a condition id, '!' or '(', found ')'"),
        Failure(text: "c1)", description: "expression, position 3: unexpected ')', expected '&&', '||' or the end"),
        Failure(text: "AND c1", description: "expression, position 1: expected a condition id, '!' or '(', found '&&'"),
    ]

    @Test(arguments: failures)
    func rejects(_ f: Failure) {
        #expect(throws: ExpressionError.self) { try BooleanExpression.parse(f.text) }
        do {
            _ = try BooleanExpression.parse(f.text)
        } catch {
            #expect(error.description == f.description)
        }
    }

    @Test func emptyJunctionsHaveTheirIdentity() {
        #expect(BooleanExpression.and([]).evaluate { _ in false })
        #expect(!BooleanExpression.or([]).evaluate { _ in true })
    }
}
