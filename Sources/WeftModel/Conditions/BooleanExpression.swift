/// A boolean expression over condition ids, such as `c1 && (c2 || !c3)`.
///
/// The grammar accepts `&&`/`AND`, `||`/`OR`, `!`/`NOT` (keywords in any letter case), parentheses,
/// and braces as grouping (the seed writes `{ (c1) }`). Precedence, highest first: NOT, AND, OR;
/// AND and OR associate to the left. A condition id is a run of letters, digits, `_`, `-` and `.`
/// that is not a keyword.
public indirect enum BooleanExpression: Sendable, Equatable {
    /// The outcome of the condition with this id.
    case condition(String)
    case not(BooleanExpression)
    /// True when every operand is true; `.and([])` is true.
    case and([BooleanExpression])
    /// True when some operand is true; `.or([])` is false.
    case or([BooleanExpression])

    /// Parses `text`.
    ///
    /// Returns `nil` when the text is empty, whitespace, or only empty braces (`{ }`): the caller
    /// decides what an empty expression means (for a condition set, all conditions ANDed).
    /// - Throws: `ExpressionError` with the 1-based character position of the problem.
    public static func parse(_ text: String) throws(ExpressionError) -> BooleanExpression? {
        var parser = ExpressionParser(text)
        return try parser.parseAll()
    }

    /// The condition ids the expression names, each once, in order of first appearance.
    public var conditionIds: [String] {
        var seen = Set<String>()
        var ids: [String] = []
        func visit(_ expression: BooleanExpression) {
            switch expression {
            case .condition(let id):
                if seen.insert(id).inserted { ids.append(id) }
            case .not(let operand):
                visit(operand)
            case .and(let operands), .or(let operands):
                operands.forEach(visit)
            }
        }
        visit(self)
        return ids
    }

    /// The value of the expression given the value of each condition.
    public func evaluate(_ value: (String) -> Bool) -> Bool {
        switch self {
        case .condition(let id): return value(id)
        case .not(let operand): return !operand.evaluate(value)
        case .and(let operands): return operands.allSatisfy { $0.evaluate(value) }
        case .or(let operands): return operands.contains { $0.evaluate(value) }
        }
    }
}

extension BooleanExpression: CustomStringConvertible {
    /// The expression in canonical form (`c1 && (c2 || !c3)`), parenthesised only where needed.
    public var description: String { render(parentPrecedence: 0) }

    private var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .not, .condition: return 3
        }
    }

    private func render(parentPrecedence: Int) -> String {
        let text: String
        switch self {
        case .condition(let id):
            text = id
        case .not(let operand):
            text = "!" + operand.render(parentPrecedence: 3)
        case .and(let operands):
            text = operands.isEmpty ? "true" : operands.map { $0.render(parentPrecedence: 2) }.joined(separator: " && ")
        case .or(let operands):
            text = operands.isEmpty ? "false" : operands.map { $0.render(parentPrecedence: 1) }.joined(separator: " || ")
        }
        let needsParentheses = precedence < parentPrecedence
            && !(self.isEmptyJunction)
        return needsParentheses ? "(\(text))" : text
    }

    private var isEmptyJunction: Bool {
        switch self {
        case .and(let operands), .or(let operands): return operands.isEmpty
        default: return false
        }
    }
}

/// A syntax error in a boolean expression.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, such as `expected ')'`.
    public var message: String
    /// The 1-based character position in the expression text where the problem was found.
    public var position: Int

    public init(message: String, position: Int) {
        self.message = message
        self.position = position
    }

    /// `expression, position 7: expected ')'`.
    public var description: String { "expression, position \(position): \(message)" }
}

private struct ExpressionParser {
    enum Token: Equatable {
        case and, or, not, open(Character), close(Character), identifier(String), end
    }

    private let characters: [Character]
    private var index = 0
    private var token: Token = .end
    private var tokenStart = 0

    init(_ text: String) {
        characters = Array(text)
    }

    mutating func parseAll() throws(ExpressionError) -> BooleanExpression? {
        try advance()
        if try isEmptyBody() { return nil }
        let expression = try parseOr()
        guard token == .end else { throw error("unexpected \(describe(token)), expected '&&', '||' or the end") }
        return expression
    }

    private mutating func isEmptyBody() throws(ExpressionError) -> Bool {
        if token == .end { return true }
        guard token == .open("{") else { return false }
        let saved = (index, token, tokenStart)
        try advance()
        if token == .close("}") {
            try advance()
            if token == .end { return true }
        }
        (index, token, tokenStart) = saved
        return false
    }

    private mutating func parseOr() throws(ExpressionError) -> BooleanExpression {
        var operands = [try parseAnd()]
        while token == .or {
            try advance()
            operands.append(try parseAnd())
        }
        return operands.count == 1 ? operands[0] : .or(operands)
    }

    private mutating func parseAnd() throws(ExpressionError) -> BooleanExpression {
        var operands = [try parseNot()]
        while token == .and {
            try advance()
            operands.append(try parseNot())
        }
        return operands.count == 1 ? operands[0] : .and(operands)
    }

    private mutating func parseNot() throws(ExpressionError) -> BooleanExpression {
        if token == .not {
            try advance()
            return .not(try parseNot())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ExpressionError) -> BooleanExpression {
        switch token {
        case .identifier(let id):
            try advance()
            return .condition(id)
        case .open(let opening):
            let closing: Character = opening == "(" ? ")" : "}"
            try advance()
            let inner = try parseOr()
            guard token == .close(closing) else {
                throw error("expected '\(closing)', found \(describe(token))")
            }
            try advance()
            return inner
        default:
            throw error("expected a condition id, '!' or '(', found \(describe(token))")
        }
    }

    private func error(_ message: String) -> ExpressionError {
        ExpressionError(message: message, position: tokenStart + 1)
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .and: return "'&&'"
        case .or: return "'||'"
        case .not: return "'!'"
        case .open(let c), .close(let c): return "'\(c)'"
        case .identifier(let id): return "'\(id)'"
        case .end: return "the end of the expression"
        }
    }

    private static func isIdentifierCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-" || c == ".")
    }

    private mutating func advance() throws(ExpressionError) {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        tokenStart = index
        guard index < characters.count else {
            token = .end
            return
        }
        let c = characters[index]
        switch c {
        case "(", "{":
            index += 1
            token = .open(c)
        case ")", "}":
            index += 1
            token = .close(c)
        case "!":
            index += 1
            token = .not
        case "&", "|":
            guard index + 1 < characters.count, characters[index + 1] == c else {
                throw ExpressionError(message: "expected '\(c)\(c)'", position: index + 1)
            }
            index += 2
            token = c == "&" ? .and : .or
        default:
            guard Self.isIdentifierCharacter(c) else {
                throw ExpressionError(message: "unexpected character '\(c)'", position: index + 1)
            }
            var end = index
            while end < characters.count, Self.isIdentifierCharacter(characters[end]) { end += 1 }
            let word = String(characters[index..<end])
            index = end
            switch word.lowercased() {
            case "and": token = .and
            case "or": token = .or
            case "not": token = .not
            default: token = .identifier(word)
            }
        }
    }
}
