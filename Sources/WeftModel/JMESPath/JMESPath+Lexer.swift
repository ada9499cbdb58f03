extension JMESPath {
    /// One token of an expression and the offset, in Unicode scalars, where it starts.
    struct Token: Sendable {
        enum Kind: Equatable, Sendable {
            case dot, star, comma, colon, current, lparen, rparen, lbrace, rbrace
            case lbracket, rbracket, flatten, filter
            case pipe, or, and, not, expref
            case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
            case identifier(String)
            case quotedIdentifier(String)
            case literal(JSON)
            case number(Int)
            case end
        }

        var kind: Kind
        var position: Int

        /// Binding power for the Pratt parser; tokens below `projectionStop` end a projection.
        var bindingPower: Int {
            switch kind {
            case .pipe: return 1
            case .or: return 2
            case .and: return 3
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return 5
            case .flatten: return 9
            case .star: return 20
            case .filter: return 21
            case .dot: return 40
            case .not: return 45
            case .lbrace: return 50
            case .lbracket: return 55
            case .lparen: return 60
            default: return 0
            }
        }

        static let projectionStop = 10

        /// How the token reads in error messages.
        var display: String {
            switch kind {
            case .dot: return "'.'"
            case .star: return "'*'"
            case .comma: return "','"
            case .colon: return "':'"
            case .current: return "'@'"
            case .lparen: return "'('"
            case .rparen: return "')'"
            case .lbrace: return "'{'"
            case .rbrace: return "'}'"
            case .lbracket: return "'['"
            case .rbracket: return "']'"
            case .flatten: return "'[]'"
            case .filter: return "'[?'"
            case .pipe: return "'|'"
            case .or: return "'||'"
            case .and: return "'&&'"
            case .not: return "'!'"
            case .expref: return "'&'"
            case .equal: return "'=='"
            case .notEqual: return "'!='"
            case .less: return "'<'"
            case .lessOrEqual: return "'<='"
            case .greater: return "'>'"
            case .greaterOrEqual: return "'>='"
            case .identifier(let name): return "identifier '\(name)'"
            case .quotedIdentifier(let name): return "quoted identifier \(JSON.string(name).serialized())"
            case .literal: return "literal"
            case .number(let value): return "number \(value)"
            case .end: return "end of expression"
            }
        }
    }

    /// Splits an expression into tokens; the last token is always `.end`.
    struct Lexer {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ expression: String) {
            scalars = Array(expression.unicodeScalars)
        }

        static func tokenize(_ expression: String) throws(JMESPathError) -> [Token] {
            var lexer = Lexer(expression)
            guard !lexer.scalars.isEmpty else {
                throw JMESPathError(.syntax, "empty expression", position: 0)
            }
            var tokens: [Token] = []
            while let token = try lexer.next() { tokens.append(token) }
            tokens.append(Token(kind: .end, position: lexer.scalars.count))
            return tokens
        }

        private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        private mutating func next() throws(JMESPathError) -> Token? {
            while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { index += 1 }
            guard let c = current else { return nil }
            let start = index
            func simple(_ kind: Token.Kind, length: Int = 1) -> Token {
                index += length
                return Token(kind: kind, position: start)
            }
            func pair(_ second: Unicode.Scalar, _ double: Token.Kind, else single: Token.Kind) -> Token {
                if index + 1 < scalars.count, scalars[index + 1] == second { return simple(double, length: 2) }
                return simple(single)
            }
            switch c {
            case ".": return simple(.dot)
            case "*": return simple(.star)
            case ",": return simple(.comma)
            case ":": return simple(.colon)
            case "@": return simple(.current)
            case "(": return simple(.lparen)
            case ")": return simple(.rparen)
            case "{": return simple(.lbrace)
            case "}": return simple(.rbrace)
            case "]": return simple(.rbracket)
            case "[":
                if index + 1 < scalars.count {
                    if scalars[index + 1] == "]" { return simple(.flatten, length: 2) }
                    if scalars[index + 1] == "?" { return simple(.filter, length: 2) }
                }
                return simple(.lbracket)
            case "|": return pair("|", .or, else: .pipe)
            case "&": return pair("&", .and, else: .expref)
            case "!": return pair("=", .notEqual, else: .not)
            case "<": return pair("=", .lessOrEqual, else: .less)
            case ">": return pair("=", .greaterOrEqual, else: .greater)
            case "=":
                if index + 1 < scalars.count, scalars[index + 1] == "=" { return simple(.equal, length: 2) }
                throw JMESPathError(.syntax, "unexpected '=' (did you mean '=='?)", position: start)
            case "'":
                let body = try delimited(by: "'")
                return Token(kind: .literal(.string(body.replacingEscaped("'"))), position: start)
            case "`":
                let body = try delimited(by: "`").replacingEscaped("`")
                return Token(kind: .literal(try Self.literal(body, at: start)), position: start)
            case "\"":
                let body = try delimited(by: "\"")
                guard case .string(let name)? = try? JSON.parse("\"" + body + "\"") else {
                    throw JMESPathError(.syntax, "invalid quoted identifier", position: start)
                }
                return Token(kind: .quotedIdentifier(name), position: start)
            case "-", "0"..."9":
                index += 1
                while let d = current, ("0"..."9").contains(d) { index += 1 }
                let text = String(String.UnicodeScalarView(scalars[start..<index]))
                guard text != "-" else {
                    throw JMESPathError(.syntax, "'-' must be followed by digits", position: start)
                }
                let value = Int(text) ?? (c == "-" ? Int.min : Int.max)
                return Token(kind: .number(value), position: start)
            default:
                if c.isIdentifierStart {
                    index += 1
                    while let d = current, d.isIdentifierStart || ("0"..."9").contains(d) { index += 1 }
                    let name = String(String.UnicodeScalarView(scalars[start..<index]))
                    return Token(kind: .identifier(name), position: start)
                }
                throw JMESPathError(.syntax, "unexpected character '\(c)'", position: start)
            }
        }

        /// The text up to the closing `delimiter`; a backslash keeps itself and the next character.
        private mutating func delimited(by delimiter: Unicode.Scalar) throws(JMESPathError) -> String {
            let start = index
            index += 1
            var body = String.UnicodeScalarView()
            while true {
                guard var c = current else {
                    throw JMESPathError(.syntax, "unclosed \(delimiter) delimiter", position: start)
                }
                if c == delimiter { break }
                if c == "\\" {
                    body.append(c)
                    index += 1
                    guard let escaped = current else {
                        throw JMESPathError(.syntax, "unclosed \(delimiter) delimiter", position: start)
                    }
                    c = escaped
                }
                body.append(c)
                index += 1
            }
            index += 1
            return String(body)
        }

        /// The value of a backtick literal: JSON, or, for compatibility with the deprecated form,
        /// text that is valid as the inside of a JSON string.
        private static func literal(_ body: String, at position: Int) throws(JMESPathError) -> JSON {
            if let value = try? JSON.parse(body) { return value }
            let trimmed = body.unicodeScalars.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
            if let value = try? JSON.parse("\"" + String(String.UnicodeScalarView(trimmed)) + "\"") {
                return value
            }
            throw JMESPathError(.syntax, "invalid JSON literal", position: position)
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isIdentifierStart: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_"
    }
}

extension String {
    /// The string with every backslash-`delimiter` pair replaced by `delimiter`.
    fileprivate func replacingEscaped(_ delimiter: Unicode.Scalar) -> String {
        var result = String.UnicodeScalarView()
        var iterator = unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        while let c = pending {
            pending = iterator.next()
            if c == "\\", pending == delimiter {
                result.append(delimiter)
                pending = iterator.next()
            } else {
                result.append(c)
            }
        }
        return String(result)
    }
}
