extension JMESPath {
    /// A Pratt parser over the tokens of one expression, following the grammar of the JMESPath
    /// specification and the binding powers of the reference implementation.
    struct Parser {
        private let tokens: [Token]
        private var index = 0
        private var nesting = 0

        init(_ expression: String) throws(JMESPathError) {
            tokens = try Lexer.tokenize(expression)
        }

        /// Parses the whole expression; throws when tokens are left over.
        mutating func parse() throws(JMESPathError) -> JMESPathNode {
            let node = try expression(0)
            guard case .end = current.kind else {
                throw JMESPathError(.syntax, "unexpected \(current.display)", position: current.position)
            }
            return node
        }

        private var current: Token { tokens[index] }

        private func peek(_ offset: Int) -> Token { tokens[min(index + offset, tokens.count - 1)] }

        private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

        private mutating func expect(_ kind: Token.Kind, _ what: String) throws(JMESPathError) {
            guard current.kind == kind else {
                throw JMESPathError(.syntax, "expected \(what), found \(current.display)", position: current.position)
            }
            advance()
        }

        private func bounded(_ node: JMESPathNode) throws(JMESPathError) -> JMESPathNode {
            guard node.depth <= JMESPath.maximumDepth else {
                throw JMESPathError(
                    .syntax, "expression is nested deeper than \(JMESPath.maximumDepth) levels",
                    position: node.position)
            }
            return node
        }

        private mutating func expression(_ bindingPower: Int) throws(JMESPathError) -> JMESPathNode {
            nesting += 1
            defer { nesting -= 1 }
            guard nesting <= JMESPath.maximumDepth else {
                throw JMESPathError(
                    .syntax, "expression is nested deeper than \(JMESPath.maximumDepth) levels",
                    position: current.position)
            }
            let token = current
            advance()
            var left = Chain(try bounded(try prefix(token)))
            while bindingPower < current.bindingPower {
                let token = current
                advance()
                try infix(token, &left)
                if left.depth > JMESPath.maximumDepth { _ = try bounded(left.node) }
            }
            return left.node
        }

        /// Steps applied one after the other (`a.b[0] | c`), collected without copying as the
        /// parser extends them.
        private struct Chain {
            private var steps: [JMESPathNode]
            private var deepestStep: Int

            init(_ node: JMESPathNode) {
                steps = []
                deepestStep = 0
                append(node)
            }

            var depth: Int { steps.count == 1 ? deepestStep : deepestStep + 1 }

            mutating func append(_ node: JMESPathNode) {
                if case .chain(let more) = node.kind {
                    for step in more { add(step) }
                } else {
                    add(node)
                }
            }

            private mutating func add(_ step: JMESPathNode) {
                steps.append(step)
                deepestStep = max(deepestStep, step.depth)
            }

            var node: JMESPathNode {
                if steps.count == 1 { return steps[0] }
                return JMESPathNode(.chain(steps), depth: depth, position: steps[0].position)
            }
        }

        private mutating func prefix(_ token: Token) throws(JMESPathError) -> JMESPathNode {
            let at = token.position
            switch token.kind {
            case .literal(let value):
                return JMESPathNode(.literal(value), position: at)
            case .identifier(let name):
                return JMESPathNode(.field(name), position: at)
            case .quotedIdentifier(let name):
                if current.kind == .lparen {
                    throw JMESPathError(.syntax, "a function name cannot be quoted", position: at)
                }
                return JMESPathNode(.field(name), position: at)
            case .current:
                return .current(at: at)
            case .star:
                let right: JMESPathNode
                if current.kind == .rbracket {
                    right = .current(at: at)
                } else {
                    right = try projectionRight(token.bindingPower)
                }
                return JMESPathNode(.valueProjection(.current(at: at), right), position: at, children: [right])
            case .filter:
                return try filter(.current(at: at), at: at)
            case .lbrace:
                return try multiSelectHash(at: at)
            case .lparen:
                let inner = try expression(0)
                try expect(.rparen, "')'")
                return inner
            case .flatten:
                let left = JMESPathNode(.flatten(.current(at: at)), position: at, children: [.current(at: at)])
                let right = try projectionRight(token.bindingPower)
                return JMESPathNode(.projection(left, right), position: at, children: [left, right])
            case .not:
                let operand = try expression(token.bindingPower)
                return JMESPathNode(.not(operand), position: at, children: [operand])
            case .lbracket:
                switch current.kind {
                case .number, .colon:
                    let right = try indexOrSlice()
                    guard case .slice = right.kind else { return right }
                    let rest = try projectionRight(Token(kind: .star, position: at).bindingPower)
                    return JMESPathNode(.projection(right, rest), position: at, children: [right, rest])
                case .star where peek(1).kind == .rbracket:
                    advance()
                    advance()
                    let right = try projectionRight(Token(kind: .star, position: at).bindingPower)
                    return JMESPathNode(.projection(.current(at: at), right), position: at, children: [right])
                default:
                    return try multiSelectList(at: at)
                }
            case .expref:
                let body = try expression(token.bindingPower)
                return JMESPathNode(.expressionReference(body), position: at, children: [body])
            case .end:
                throw JMESPathError(.syntax, "unexpected end of expression", position: at)
            default:
                throw JMESPathError(.syntax, "unexpected \(token.display)", position: at)
            }
        }

        /// Extends `chain` with the infix or postfix operator `token`.
        private mutating func infix(_ token: Token, _ chain: inout Chain) throws(JMESPathError) {
            switch token.kind {
            case .dot where current.kind != .star:
                chain.append(try dotRight(token.bindingPower))
            case .pipe:
                chain.append(try expression(token.bindingPower))
            case .lbracket:
                switch current.kind {
                case .number, .colon:
                    let right = try indexOrSlice()
                    if case .slice = right.kind {
                        chain.append(right)
                        let rest = try projectionRight(Token(kind: .star, position: token.position).bindingPower)
                        let left = chain.node
                        chain = Chain(JMESPathNode(.projection(left, rest), position: token.position, children: [left, rest]))
                    } else {
                        chain.append(right)
                    }
                default:
                    let left = chain.node
                    try expect(.star, "'*', a number or ':'")
                    try expect(.rbracket, "']'")
                    let right = try projectionRight(Token(kind: .star, position: token.position).bindingPower)
                    chain = Chain(JMESPathNode(.projection(left, right), position: token.position, children: [left, right]))
                }
            default:
                chain = Chain(try bounded(try operation(token, chain.node)))
            }
        }

        /// The node for an infix operator other than sub-expression, pipe and brackets.
        private mutating func operation(_ token: Token, _ left: JMESPathNode) throws(JMESPathError) -> JMESPathNode {
            let at = token.position
            switch token.kind {
            case .dot:
                let starAt = current.position
                advance()
                let right = try projectionRight(token.bindingPower)
                return JMESPathNode(.valueProjection(left, right), position: starAt, children: [left, right])
            case .or:
                let right = try expression(token.bindingPower)
                return JMESPathNode(.or(left, right), position: at, children: [left, right])
            case .and:
                let right = try expression(token.bindingPower)
                return JMESPathNode(.and(left, right), position: at, children: [left, right])
            case .lparen:
                return try functionCall(left, at: at)
            case .filter:
                return try filter(left, at: at)
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
                let comparator: JMESPathComparator
                switch token.kind {
                case .equal: comparator = .equal
                case .notEqual: comparator = .notEqual
                case .less: comparator = .less
                case .lessOrEqual: comparator = .lessOrEqual
                case .greater: comparator = .greater
                default: comparator = .greaterOrEqual
                }
                let right = try expression(token.bindingPower)
                return JMESPathNode(.comparison(comparator, left, right), position: at, children: [left, right])
            case .flatten:
                let flattened = JMESPathNode(.flatten(left), position: at, children: [left])
                let right = try projectionRight(token.bindingPower)
                return JMESPathNode(.projection(flattened, right), position: at, children: [flattened, right])
            default:
                throw JMESPathError(.syntax, "unexpected \(token.display)", position: at)
            }
        }

        /// After `[` and before a number or `:`: an index `[n]` or a slice `[a:b:c]`.
        private mutating func indexOrSlice() throws(JMESPathError) -> JMESPathNode {
            let at = current.position
            if case .number(let value) = current.kind, peek(1).kind != .colon {
                advance()
                try expect(.rbracket, "']'")
                return JMESPathNode(.index(value), position: at)
            }
            var parts: [Int?] = [nil, nil, nil]
            var part = 0
            while current.kind != .rbracket {
                switch current.kind {
                case .colon:
                    part += 1
                    if part == 3 {
                        throw JMESPathError(.syntax, "a slice has at most three parts", position: current.position)
                    }
                case .number(let value) where parts[part] == nil:
                    parts[part] = value
                default:
                    throw JMESPathError(
                        .syntax, "expected a number, ':' or ']' in a slice, found \(current.display)",
                        position: current.position)
                }
                advance()
            }
            advance()
            let step = parts[2] ?? 1
            if step == 0 {
                throw JMESPathError(.invalidValue, "a slice step cannot be 0", position: at)
            }
            return JMESPathNode(.slice(start: parts[0], stop: parts[1], step: step), position: at)
        }

        /// What a projection applies to each element: nothing (the element itself) when the next
        /// token ends the projection, else a bracket, filter or dot expression.
        private mutating func projectionRight(_ bindingPower: Int) throws(JMESPathError) -> JMESPathNode {
            if current.bindingPower < Token.projectionStop { return .current(at: current.position) }
            switch current.kind {
            case .lbracket, .filter:
                return try expression(bindingPower)
            case .dot:
                advance()
                return try dotRight(bindingPower)
            default:
                throw JMESPathError(.syntax, "unexpected \(current.display) after a projection", position: current.position)
            }
        }

        /// After `.`: an identifier, `*`, a multi-select list or a multi-select hash.
        private mutating func dotRight(_ bindingPower: Int) throws(JMESPathError) -> JMESPathNode {
            switch current.kind {
            case .identifier, .quotedIdentifier, .star:
                return try expression(bindingPower)
            case .lbracket:
                let at = current.position
                advance()
                return try multiSelectList(at: at)
            case .lbrace:
                let at = current.position
                advance()
                return try multiSelectHash(at: at)
            default:
                throw JMESPathError(
                    .syntax, "expected an identifier, '*', '[' or '{' after '.', found \(current.display)",
                    position: current.position)
            }
        }

        private mutating func filter(_ left: JMESPathNode, at position: Int) throws(JMESPathError) -> JMESPathNode {
            let condition = try expression(0)
            try expect(.rbracket, "']'")
            let right: JMESPathNode
            if current.kind == .flatten {
                right = .current(at: current.position)
            } else {
                right = try projectionRight(Token(kind: .filter, position: position).bindingPower)
            }
            return JMESPathNode(
                .filterProjection(left, right, condition: condition), position: position,
                children: [left, right, condition])
        }

        /// After `[` of a multi-select list.
        private mutating func multiSelectList(at position: Int) throws(JMESPathError) -> JMESPathNode {
            var elements: [JMESPathNode] = []
            while true {
                elements.append(try expression(0))
                if current.kind == .rbracket { break }
                try expect(.comma, "',' or ']'")
            }
            advance()
            return JMESPathNode(.multiSelectList(elements), position: position, children: elements)
        }

        /// After `{` of a multi-select hash.
        private mutating func multiSelectHash(at position: Int) throws(JMESPathError) -> JMESPathNode {
            var pairs: [(key: String, value: JMESPathNode)] = []
            while true {
                let key: String
                switch current.kind {
                case .identifier(let name), .quotedIdentifier(let name): key = name
                default:
                    throw JMESPathError(
                        .syntax, "expected a key in a multi-select hash, found \(current.display)",
                        position: current.position)
                }
                advance()
                try expect(.colon, "':'")
                pairs.append((key, try expression(0)))
                if current.kind == .rbrace { break }
                try expect(.comma, "',' or '}'")
            }
            advance()
            return JMESPathNode(.multiSelectHash(pairs), position: position, children: pairs.map(\.value))
        }

        /// After `name(`: the arguments up to `)`; the function and its argument count are checked here.
        private mutating func functionCall(_ left: JMESPathNode, at position: Int) throws(JMESPathError) -> JMESPathNode {
            guard case .field(let name) = left.kind else {
                throw JMESPathError(.syntax, "only a plain name can be called as a function", position: position)
            }
            var arguments: [JMESPathNode] = []
            if current.kind != .rparen {
                while true {
                    arguments.append(try expression(0))
                    if current.kind == .rparen { break }
                    try expect(.comma, "',' or ')'")
                }
            }
            advance()
            guard let function = JMESPathFunction(rawValue: name) else {
                throw JMESPathError(.unknownFunction, "unknown function \(name)()", position: left.position)
            }
            let count = arguments.count
            let parameters = function.parameters
            let accepted = function.isVariadic ? count >= parameters.count : count == parameters.count
            guard accepted else {
                let expected = function.isVariadic ? "at least \(parameters.count)" : "\(parameters.count)"
                throw JMESPathError(
                    .invalidArity, "\(name)() takes \(expected) argument\(parameters.count == 1 ? "" : "s"), given \(count)",
                    position: left.position)
            }
            return JMESPathNode(.function(function, arguments), position: left.position, children: arguments)
        }
    }
}
