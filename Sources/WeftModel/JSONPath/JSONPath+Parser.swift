extension JSONPath {
    /// A recursive-descent parser for the RFC 9535 grammar, with the well-typedness checks of §2.4.3.
    ///
    /// Positions are offsets in Unicode scalars.
    struct Parser {
        private let scalars: [Unicode.Scalar]
        private var position = 0
        private var depth = 0

        /// How deeply filter expressions may nest (parentheses, negations, function arguments,
        /// filters inside filters), so that hostile input cannot exhaust the stack.
        static let maxNesting = 100

        /// The largest magnitude of an index or slice bound (I-JSON exact integers).
        static let maxExactInteger = 9_007_199_254_740_991

        init(_ expression: String) {
            scalars = Array(expression.unicodeScalars)
        }

        /// Parses a whole query: `$` then segments, and nothing after them.
        mutating func parseRootQuery() throws(JSONPathError) -> Query {
            guard peek == "$" else { throw failure("expected '$' at the start of the query") }
            position += 1
            let segments = try parseSegments()
            if let next = peek {
                throw failure("unexpected \(Self.describe(next))")
            }
            return Query(isRelative: false, segments: segments)
        }

        // MARK: Segments and selectors

        private mutating func parseSegments() throws(JSONPathError) -> [Segment] {
            var segments: [Segment] = []
            while true {
                let saved = position
                skipBlanks()
                switch peek {
                case "[":
                    segments.append(Segment(isDescendant: false, selectors: try parseBracketedSelection()))
                case ".":
                    if peek(at: 1) == "." {
                        position += 2
                        segments.append(try parseDescendantSegment())
                    } else {
                        position += 1
                        segments.append(Segment(isDescendant: false, selectors: [try parseShorthand(after: "'.'")]))
                    }
                default:
                    position = saved
                    return segments
                }
            }
        }

        private mutating func parseDescendantSegment() throws(JSONPathError) -> Segment {
            if peek == "[" {
                return Segment(isDescendant: true, selectors: try parseBracketedSelection())
            }
            return Segment(isDescendant: true, selectors: [try parseShorthand(after: "'..'")])
        }

        /// `*` or a member-name-shorthand, directly after `.` or `..`.
        private mutating func parseShorthand(after what: String) throws(JSONPathError) -> Selector {
            guard let first = peek else { throw failure("expected a name or '*' after \(what)") }
            if first == "*" {
                position += 1
                return .wildcard
            }
            guard Self.isNameFirst(first) else {
                throw failure("expected a name or '*' after \(what), found \(Self.describe(first))")
            }
            var name = String.UnicodeScalarView()
            while let c = peek, Self.isNameFirst(c) || Self.isDigit(c) {
                name.append(c)
                position += 1
            }
            return .name(String(name))
        }

        private mutating func parseBracketedSelection() throws(JSONPathError) -> [Selector] {
            position += 1
            skipBlanks()
            var selectors: [Selector] = []
            while true {
                selectors.append(try parseSelector())
                skipBlanks()
                switch peek {
                case ",":
                    position += 1
                    skipBlanks()
                case "]":
                    position += 1
                    return selectors
                default:
                    throw failure("expected ',' or ']'")
                }
            }
        }

        private mutating func parseSelector() throws(JSONPathError) -> Selector {
            guard let c = peek else { throw failure("expected a selector") }
            switch c {
            case "'", "\"":
                return .name(try parseStringLiteral())
            case "*":
                position += 1
                return .wildcard
            case "?":
                position += 1
                skipBlanks()
                return .filter(try logical(try parseOr()))
            case ":", "-", "0"..."9":
                return try parseIndexOrSlice()
            default:
                throw failure("expected a selector, found \(Self.describe(c))")
            }
        }

        private mutating func parseIndexOrSlice() throws(JSONPathError) -> Selector {
            let start: Int? = peek == ":" ? nil : try parseInteger()
            let afterStart = position
            skipBlanks()
            guard peek == ":" else {
                position = afterStart
                return .index(start ?? 0)
            }
            position += 1
            skipBlanks()
            let end: Int? = isIntegerStart(peek) ? try parseInteger() : nil
            let afterEnd = position
            skipBlanks()
            var step = 1
            if peek == ":" {
                position += 1
                skipBlanks()
                if isIntegerStart(peek) { step = try parseInteger() }
            } else {
                position = afterEnd
            }
            return .slice(start: start, end: end, step: step)
        }

        private func isIntegerStart(_ c: Unicode.Scalar?) -> Bool {
            guard let c else { return false }
            return c == "-" || Self.isDigit(c)
        }

        /// An `int` of the grammar: no leading zeros, no `-0`, magnitude at most 2^53-1.
        private mutating func parseInteger() throws(JSONPathError) -> Int {
            let start = position
            let negative = peek == "-"
            if negative { position += 1 }
            guard let first = peek, Self.isDigit(first) else { throw failure("expected a digit") }
            if first == "0" {
                position += 1
                if negative { throw failure("'-0' is not a valid integer", at: start) }
                if let next = peek, Self.isDigit(next) {
                    throw failure("leading zeros are not allowed", at: start)
                }
                return 0
            }
            var value = 0
            while let c = peek, Self.isDigit(c) {
                value = value * 10 + Int(c.value - 0x30)
                if value > Self.maxExactInteger {
                    throw failure("integer out of range ±(2^53-1)", at: start)
                }
                position += 1
            }
            return negative ? -value : value
        }

        // MARK: String literals

        private mutating func parseStringLiteral() throws(JSONPathError) -> String {
            let start = position
            let quote = scalars[position]
            position += 1
            var result = String.UnicodeScalarView()
            while true {
                guard let c = peek else { throw failure("unterminated string literal", at: start) }
                if c == quote {
                    position += 1
                    return String(result)
                }
                if c == "\\" {
                    result.append(try parseEscape(quote: quote))
                } else if c.value < 0x20 {
                    throw failure("control character U+\(Self.hex(c.value)) must be escaped in a string literal")
                } else {
                    result.append(c)
                    position += 1
                }
            }
        }

        private mutating func parseEscape(quote: Unicode.Scalar) throws(JSONPathError) -> Unicode.Scalar {
            let start = position
            position += 1
            guard let c = peek else { throw failure("unterminated escape sequence", at: start) }
            position += 1
            switch c {
            case "b": return "\u{08}"
            case "f": return "\u{0C}"
            case "n": return "\n"
            case "r": return "\r"
            case "t": return "\t"
            case "/", "\\": return c
            case "'" where quote == "'", "\"" where quote == "\"": return c
            case "u":
                let unit = try parseHex4(escapeStart: start)
                switch unit {
                case 0xD800...0xDBFF:
                    guard peek == "\\", peek(at: 1) == "u" else {
                        throw failure("high surrogate \\u\(Self.hex(unit)) must be followed by a low surrogate", at: start)
                    }
                    position += 2
                    let low = try parseHex4(escapeStart: position - 2)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw failure("high surrogate \\u\(Self.hex(unit)) must be followed by a low surrogate", at: start)
                    }
                    return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
                case 0xDC00...0xDFFF:
                    throw failure("unpaired low surrogate \\u\(Self.hex(unit))", at: start)
                default:
                    return Unicode.Scalar(unit)!
                }
            default:
                throw failure("invalid escape sequence '\\\(c)'", at: start)
            }
        }

        private mutating func parseHex4(escapeStart: Int) throws(JSONPathError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let c = peek, let digit = Self.hexValue(c) else {
                    throw failure("\\u must be followed by four hexadecimal digits", at: escapeStart)
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }

        // MARK: Filter expressions

        /// A parsed operand before it is known whether it is used as a test, a value or a nodelist.
        private enum Operand {
            case literal(JSON)
            case query(Query)
            case function(FunctionCall, name: String)
            case logical(LogicalExpression)
        }

        private struct Located {
            var operand: Operand
            var position: Int
        }

        private mutating func parseOr() throws(JSONPathError) -> Located {
            let start = position
            let first = try parseAnd()
            var terms: [LogicalExpression] = []
            while true {
                let saved = position
                skipBlanks()
                guard peek == "|", peek(at: 1) == "|" else {
                    position = saved
                    break
                }
                if terms.isEmpty { terms.append(try logical(first)) }
                position += 2
                skipBlanks()
                terms.append(try logical(try parseAnd()))
            }
            return terms.isEmpty ? first : Located(operand: .logical(.or(terms)), position: start)
        }

        private mutating func parseAnd() throws(JSONPathError) -> Located {
            let start = position
            let first = try parseUnary()
            var terms: [LogicalExpression] = []
            while true {
                let saved = position
                skipBlanks()
                guard peek == "&", peek(at: 1) == "&" else {
                    position = saved
                    break
                }
                if terms.isEmpty { terms.append(try logical(first)) }
                position += 2
                skipBlanks()
                terms.append(try logical(try parseUnary()))
            }
            return terms.isEmpty ? first : Located(operand: .logical(.and(terms)), position: start)
        }

        private mutating func parseUnary() throws(JSONPathError) -> Located {
            let start = position
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxNesting else { throw failure("expression nested too deeply") }
            if peek == "!" {
                position += 1
                skipBlanks()
                let negated = peek == "(" ? try parseParenthesized() : try logical(try parsePrimary())
                return Located(operand: .logical(.not(negated)), position: start)
            }
            if peek == "(" {
                return Located(operand: .logical(try parseParenthesized()), position: start)
            }
            let left = try parsePrimary()
            let saved = position
            skipBlanks()
            guard let comparison = parseComparisonOperator() else {
                position = saved
                return left
            }
            skipBlanks()
            let right = try parsePrimary()
            return Located(
                operand: .logical(.comparison(try value(left), comparison, try value(right))),
                position: start
            )
        }

        private mutating func parseParenthesized() throws(JSONPathError) -> LogicalExpression {
            position += 1
            skipBlanks()
            let inner = try logical(try parseOr())
            skipBlanks()
            guard peek == ")" else { throw failure("expected ')'") }
            position += 1
            return inner
        }

        private mutating func parseComparisonOperator() -> ComparisonOperator? {
            let pair = (peek, peek(at: 1))
            let found: ComparisonOperator?
            switch pair {
            case ("=", "="): found = .equal
            case ("!", "="): found = .notEqual
            case ("<", "="): found = .lessOrEqual
            case (">", "="): found = .greaterOrEqual
            case ("<", _): found = .less
            case (">", _): found = .greater
            default: found = nil
            }
            if let found { position += found.rawValue.unicodeScalars.count }
            return found
        }

        /// A literal, a filter query (`@…` or `$…`) or a function expression.
        private mutating func parsePrimary() throws(JSONPathError) -> Located {
            let start = position
            guard let c = peek else { throw failure("expected an expression") }
            switch c {
            case "@", "$":
                position += 1
                let query = Query(isRelative: c == "@", segments: try parseSegments())
                return Located(operand: .query(query), position: start)
            case "'", "\"":
                return Located(operand: .literal(.string(try parseStringLiteral())), position: start)
            case "-", "0"..."9":
                return Located(operand: .literal(try parseNumber()), position: start)
            case "a"..."z":
                var name = ""
                while let c = peek, ("a"..."z").contains(c) || c == "_" || Self.isDigit(c) {
                    name.unicodeScalars.append(c)
                    position += 1
                }
                if peek == "(" {
                    let call = try parseFunctionCall(name: name, start: start)
                    return Located(operand: .function(call, name: name), position: start)
                }
                switch name {
                case "true": return Located(operand: .literal(.bool(true)), position: start)
                case "false": return Located(operand: .literal(.bool(false)), position: start)
                case "null": return Located(operand: .literal(.null), position: start)
                default: throw failure("expected '(' after function name '\(name)'")
                }
            default:
                throw failure("expected an expression, found \(Self.describe(c))")
            }
        }

        /// A `number` of the grammar: an `int` or `-0`, then an optional fraction and exponent.
        private mutating func parseNumber() throws(JSONPathError) -> JSON {
            let start = position
            if peek == "-" { position += 1 }
            guard let first = peek, Self.isDigit(first) else { throw failure("expected a digit") }
            position += 1
            if first == "0", let next = peek, Self.isDigit(next) {
                throw failure("leading zeros are not allowed", at: start)
            }
            skipDigits()
            var isInteger = true
            if peek == "." {
                position += 1
                guard let c = peek, Self.isDigit(c) else { throw failure("expected a digit after '.'") }
                skipDigits()
                isInteger = false
            }
            if peek == "e" || peek == "E" {
                position += 1
                if peek == "+" || peek == "-" { position += 1 }
                guard let c = peek, Self.isDigit(c) else { throw failure("expected a digit in the exponent") }
                skipDigits()
                isInteger = false
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars[start..<position])
            if isInteger, let integer = Int64(text) { return .int(integer) }
            return .double(Double(text) ?? .nan)
        }

        private mutating func skipDigits() {
            while let c = peek, Self.isDigit(c) { position += 1 }
        }

        private mutating func parseFunctionCall(name: String, start: Int) throws(JSONPathError) -> FunctionCall {
            position += 1
            skipBlanks()
            var arguments: [Located] = []
            if peek == ")" {
                position += 1
            } else {
                while true {
                    arguments.append(try parseOr())
                    skipBlanks()
                    if peek == "," {
                        position += 1
                        skipBlanks()
                    } else if peek == ")" {
                        position += 1
                        break
                    } else {
                        throw failure("expected ',' or ')' in the arguments of '\(name)'")
                    }
                }
            }
            func requireArguments(_ count: Int) throws(JSONPathError) {
                guard arguments.count == count else {
                    let noun = count == 1 ? "argument" : "arguments"
                    throw failure("function '\(name)' takes \(count) \(noun), not \(arguments.count)", at: start)
                }
            }
            switch name {
            case "length":
                try requireArguments(1)
                return .length(try value(arguments[0]))
            case "count":
                try requireArguments(1)
                return .count(try nodes(arguments[0], function: name))
            case "value":
                try requireArguments(1)
                return .value(try nodes(arguments[0], function: name))
            case "match", "search":
                try requireArguments(2)
                let subject = try value(arguments[0])
                let pattern: RegexArgument
                switch try value(arguments[1]) {
                case .literal(.string(let text)): pattern = .compiled(IRegexp(text, wholeString: name == "match"))
                case .literal: pattern = .compiled(nil)
                case let dynamic: pattern = .dynamic(dynamic)
                }
                return name == "match" ? .match(subject, pattern) : .search(subject, pattern)
            default:
                throw failure("unknown function '\(name)'", at: start)
            }
        }

        // MARK: Well-typedness (RFC 9535 §2.4.3)

        /// The operand as a test: a LogicalType expression, a filter query, or a LogicalType function.
        private func logical(_ located: Located) throws(JSONPathError) -> LogicalExpression {
            switch located.operand {
            case .logical(let expression):
                return expression
            case .query(let query):
                return .exists(query)
            case .function(let call, let name):
                guard call.returnsLogical else {
                    throw failure("the result of '\(name)' must be compared", at: located.position)
                }
                return .function(call)
            case .literal:
                throw failure("a literal must be compared", at: located.position)
            }
        }

        /// The operand as a ValueType: a literal, a singular query, or a ValueType function.
        private func value(_ located: Located) throws(JSONPathError) -> ValueExpression {
            switch located.operand {
            case .literal(let json):
                return .literal(json)
            case .query(let query):
                guard let steps = query.singularSteps else {
                    throw failure("a non-singular query cannot be used as a value", at: located.position)
                }
                return .singular(SingularQuery(isRelative: query.isRelative, steps: steps))
            case .function(let call, let name):
                guard !call.returnsLogical else {
                    throw failure("the logical result of '\(name)' cannot be used as a value", at: located.position)
                }
                return .function(call)
            case .logical:
                throw failure("a logical expression cannot be used as a value", at: located.position)
            }
        }

        /// The operand as a NodesType: a filter query.
        private func nodes(_ located: Located, function: String) throws(JSONPathError) -> Query {
            guard case .query(let query) = located.operand else {
                throw failure("the argument of '\(function)' must be a query", at: located.position)
            }
            return query
        }

        // MARK: Characters

        private var peek: Unicode.Scalar? {
            position < scalars.count ? scalars[position] : nil
        }

        private func peek(at offset: Int) -> Unicode.Scalar? {
            position + offset < scalars.count ? scalars[position + offset] : nil
        }

        private mutating func skipBlanks() {
            while let c = peek, c == " " || c == "\t" || c == "\n" || c == "\r" { position += 1 }
        }

        private func failure(_ message: String, at offset: Int? = nil) -> JSONPathError {
            JSONPathError(message: message, position: offset ?? position)
        }

        private static func isDigit(_ c: Unicode.Scalar) -> Bool {
            ("0"..."9").contains(c)
        }

        private static func isNameFirst(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c.value >= 0x80
        }

        private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
            switch c {
            case "0"..."9": return c.value - 0x30
            case "a"..."f": return c.value - 0x61 + 10
            case "A"..."F": return c.value - 0x41 + 10
            default: return nil
            }
        }

        private static func hex(_ value: UInt32) -> String {
            let digits = String(value, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }

        private static func describe(_ c: Unicode.Scalar) -> String {
            c.value < 0x20 || c.value == 0x7F ? "U+\(hex(c.value))" : "'\(c)'"
        }
    }
}
