/// A string parameter with `{{ <expression> }}` parts, parsed once and rendered per item.
///
/// An expression starts at one of these roots, optionally followed by an RFC 9535 JSONPath tail
/// (segments such as `.a`, `[0]`, `[*]`, `[?@.x > 1]`):
/// - `$` — the current item (`{{ $.GroupId }}`); an expression without a leading `$` is a
///   lenient key (`{{ GroupId }}` means `{{ $.GroupId }}`);
/// - `$execution` — the execution context (`{{ $execution.region }}`);
/// - `$nodes.<id>` or `$nodes['<id>']` — a node's output array (`{{ $nodes.trigger[0].event }}`);
///   an id is `[A-Za-z0-9_-]+`;
/// - `$loop` — the loop state inside loops (`{{ $loop.iteration }}`);
/// - `$wf.variables.<name>` (or `:<name>`, `['<name>']`) — a flow variable.
///
/// Rendering: when the whole string (surrounding whitespace aside) is one expression, the result
/// keeps its JSON type — the selected value (`null` when none) for a root alone or a singular tail
/// (only names and indexes), an array of all selected values otherwise. In longer text each
/// expression is replaced by the value's text: a string as is, other values as compact JSON,
/// nothing for no value, and a JSON array for a non-singular tail.
public struct Template: Sendable {
    /// The text as written.
    public let text: String
    let segments: [Segment]

    enum Segment: Sendable {
        case literal(String)
        case expression(TemplateExpression)
    }

    /// Parses `text`.
    /// - Throws: `TemplateError` with the 1-based position of an unclosed `{{`, an empty or
    ///   unknown root, or an invalid JSONPath tail.
    public init(_ text: String) throws(TemplateError) {
        self.text = text
        var segments: [Segment] = []
        let scalars = Array(text.unicodeScalars)
        var literal = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            guard scalars[i] == "{", i + 1 < scalars.count, scalars[i + 1] == "{" else {
                literal.append(scalars[i])
                i += 1
                continue
            }
            guard let close = Self.closing(scalars, from: i + 2) else {
                throw TemplateError(message: "unclosed '{{'", position: i + 1)
            }
            if !literal.isEmpty {
                segments.append(.literal(String(literal)))
                literal = String.UnicodeScalarView()
            }
            var start = i + 2
            var end = close
            while start < end, scalars[start].properties.isWhitespace { start += 1 }
            while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 }
            let source = String(String.UnicodeScalarView(scalars[start..<end]))
            segments.append(.expression(try TemplateExpression(source, offset: start)))
            i = close + 2
        }
        if !literal.isEmpty { segments.append(.literal(String(literal))) }
        self.segments = segments
    }

    /// Whether `text` has a `{{` that would make it a template.
    public static func containsTemplate(_ text: String) -> Bool {
        text.contains("{{")
    }

    /// True when the text has no expression: rendering gives the text unchanged.
    public var isConstant: Bool {
        !segments.contains { if case .expression = $0 { return true } else { return false } }
    }

    /// The node ids the template reads with `$nodes`, each once, in order.
    public var nodeReferences: [String] {
        var ids: [String] = []
        for case .expression(let expression) in segments {
            if case .nodes(let id) = expression.root, !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    /// Renders the template for one item.
    /// - Throws: `TemplateError` for an unknown node id or variable, or `$loop` outside a loop.
    public func render(_ context: TemplateContext) throws(TemplateError) -> JSON {
        if let whole = wholeExpression {
            let (values, singular) = try whole.evaluate(context)
            return singular ? (values.first ?? .null) : .array(values)
        }
        var output = ""
        for segment in segments {
            switch segment {
            case .literal(let literal):
                output += literal
            case .expression(let expression):
                let (values, singular) = try expression.evaluate(context)
                if singular {
                    if let value = values.first { output += JSONText.inline(value) }
                } else {
                    output += JSONText.compact(.array(values))
                }
            }
        }
        return .string(output)
    }

    /// The expression when the text is exactly one, surrounding whitespace aside.
    private var wholeExpression: TemplateExpression? {
        var found: TemplateExpression?
        for segment in segments {
            switch segment {
            case .literal(let literal):
                guard literal.allSatisfy(\.isWhitespace) else { return nil }
            case .expression(let expression):
                guard found == nil else { return nil }
                found = expression
            }
        }
        return found
    }

    /// Renders every template string in `value` (object keys are left alone).
    /// - Throws: `TemplateError` carrying the pointer of the failing string below `pointer`.
    public static func renderTree(_ value: JSON, context: TemplateContext, pointer: String = "") throws(TemplateError) -> JSON {
        try TemplateTree(value, pointer: pointer).render(context)
    }

    /// Index of the `}}` closing an expression that starts at `from`, skipping quoted strings.
    private static func closing(_ s: [Unicode.Scalar], from: Int) -> Int? {
        var i = from
        var quote: Unicode.Scalar?
        while i < s.count {
            let c = s[i]
            if let open = quote {
                if c == "\\" {
                    i += 2
                    continue
                }
                if c == open { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "}", i + 1 < s.count, s[i + 1] == "}" {
                return i
            }
            i += 1
        }
        return nil
    }
}

/// A JSON tree whose template strings are parsed once and rendered per item.
public struct TemplateTree: Sendable {
    indirect enum Node: Sendable {
        case constant(JSON)
        case template(Template, pointer: String)
        case array([Node])
        case object([(String, Node)])
    }

    let root: Node

    /// Parses every string holding `{{` in `value`.
    /// - Throws: `TemplateError` with the pointer of the first string that does not parse.
    public init(_ value: JSON, pointer: String = "") throws(TemplateError) {
        root = try Self.build(value, pointer: pointer)
    }

    /// True when no string holds an expression: rendering gives the value unchanged.
    public var isConstant: Bool {
        if case .constant = root { return true }
        return false
    }

    /// The node ids read with `$nodes` anywhere in the tree, each once, in order.
    public var nodeReferences: [String] {
        var ids: [String] = []
        func visit(_ node: Node) {
            switch node {
            case .constant: break
            case .template(let template, _):
                for id in template.nodeReferences where !ids.contains(id) { ids.append(id) }
            case .array(let nodes): nodes.forEach(visit)
            case .object(let members): members.forEach { visit($0.1) }
            }
        }
        visit(root)
        return ids
    }

    /// The problems of every template string in `value`, for static validation.
    public static func issues(in value: JSON, pointer: String = "") -> [ModelIssue] {
        switch value {
        case .string(let text):
            guard Template.containsTemplate(text) else { return [] }
            do {
                _ = try Template(text)
                return []
            } catch {
                return [ModelIssue(pointer: pointer, message: error.description)]
            }
        case .array(let elements):
            return elements.enumerated().flatMap { issues(in: $0.element, pointer: JSONPointer.append(pointer, $0.offset)) }
        case .object(let members):
            return members.flatMap { issues(in: $0.value, pointer: JSONPointer.append(pointer, $0.key)) }
        default:
            return []
        }
    }

    /// The tree with every template rendered for `context`.
    /// - Throws: `TemplateError` carrying the pointer of the failing string.
    public func render(_ context: TemplateContext) throws(TemplateError) -> JSON {
        try Self.render(root, context)
    }

    private static func render(_ node: Node, _ context: TemplateContext) throws(TemplateError) -> JSON {
        switch node {
        case .constant(let value):
            return value
        case .template(let template, let pointer):
            do {
                return try template.render(context)
            } catch {
                var located = error
                located.pointer = pointer
                throw located
            }
        case .array(let nodes):
            var result: [JSON] = []
            result.reserveCapacity(nodes.count)
            for node in nodes { result.append(try render(node, context)) }
            return .array(result)
        case .object(let members):
            var result = JSONObject(minimumCapacity: members.count)
            for (key, node) in members { result[key] = try render(node, context) }
            return .object(result)
        }
    }

    private static func build(_ value: JSON, pointer: String) throws(TemplateError) -> Node {
        switch value {
        case .string(let text):
            guard Template.containsTemplate(text) else { return .constant(value) }
            let template: Template
            do {
                template = try Template(text)
            } catch {
                var located = error
                located.pointer = pointer
                throw located
            }
            return template.isConstant ? .constant(value) : .template(template, pointer: pointer)
        case .array(let elements):
            var nodes: [Node] = []
            var constant = true
            for (index, element) in elements.enumerated() {
                let node = try build(element, pointer: JSONPointer.append(pointer, index))
                if case .constant = node {} else { constant = false }
                nodes.append(node)
            }
            return constant ? .constant(value) : .array(nodes)
        case .object(let members):
            var nodes: [(String, Node)] = []
            var constant = true
            for (key, member) in members {
                let node = try build(member, pointer: JSONPointer.append(pointer, key))
                if case .constant = node {} else { constant = false }
                nodes.append((key, node))
            }
            return constant ? .constant(value) : .object(nodes)
        default:
            return .constant(value)
        }
    }
}

/// What templates read besides the current item.
public struct TemplateContext: Sendable {
    /// `$`: the current item.
    public var item: JSON
    /// `$execution`: `{id, runId, flowId, connector, accountId, region, provider, dryRun, startedAt}`.
    public var execution: JSON
    /// `$nodes.<id>`: a node's output items, or `nil` for an id the flow does not have (or whose
    /// output is not available); called lazily, only for expressions that read it.
    public var nodes: @Sendable (String) -> [JSON]?
    /// `$loop`: `{iteration}` inside a loop body, `nil` elsewhere.
    public var loop: JSON?
    /// `$wf.variables.<name>`.
    public var variables: [String: JSON]

    public init(item: JSON = .null, execution: JSON = [:],
                nodes: @escaping @Sendable (String) -> [JSON]? = { _ in nil },
                loop: JSON? = nil, variables: [String: JSON] = [:]) {
        self.item = item
        self.execution = execution
        self.nodes = nodes
        self.loop = loop
        self.variables = variables
    }

    /// A context whose node outputs are given up front.
    public init(item: JSON = .null, execution: JSON = [:], nodeOutputs: [String: [JSON]],
                loop: JSON? = nil, variables: [String: JSON] = [:]) {
        self.init(item: item, execution: execution, nodes: { nodeOutputs[$0] }, loop: loop, variables: variables)
    }

    /// The same context for another item.
    public func with(item: JSON) -> TemplateContext {
        var copy = self
        copy.item = item
        return copy
    }
}

/// A template that does not parse or cannot be rendered.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong: `unclosed '{{'`, `unknown node "x"`.
    public var message: String
    /// For syntax errors, the 1-based position (in Unicode scalars) in the template text.
    public var position: Int?
    /// Pointer of the failing string in a parameter tree, when rendered from one.
    public var pointer: String?

    public init(message: String, position: Int? = nil, pointer: String? = nil) {
        self.message = message
        self.position = position
        self.pointer = pointer
    }

    /// `/params/url: template, position 5: unclosed '{{'` or `unknown node "x"`.
    public var description: String {
        var text = position.map { "template, position \($0): \(message)" } ?? message
        if let pointer, !pointer.isEmpty { text = "\(pointer): \(text)" }
        return text
    }
}

/// One `{{ … }}` expression: a root and an optional JSONPath tail.
struct TemplateExpression: Sendable {
    enum Root: Sendable, Equatable {
        case item
        case execution
        case nodes(String)
        case loop
        case variable(String)
    }

    let root: Root
    /// Applied to the root's value; `nil` selects the value itself.
    let tail: JSONPath?

    /// - Parameter offset: the 0-based scalar offset of `source` in the template, for positions.
    init(_ source: String, offset: Int) throws(TemplateError) {
        let scalars = Array(source.unicodeScalars)
        func fail(_ message: String, at index: Int) -> TemplateError {
            TemplateError(message: message, position: offset + index + 1)
        }
        guard !scalars.isEmpty else { throw fail("empty expression", at: 0) }
        func word(at index: Int, _ name: String) -> Bool {
            let pattern = Array(name.unicodeScalars)
            guard index + pattern.count <= scalars.count, Array(scalars[index..<(index + pattern.count)]) == pattern else {
                return false
            }
            let next = index + pattern.count
            return next == scalars.count || !Self.isIdentifier(scalars[next])
        }

        var rest: Int
        if scalars[0] != "$" {
            root = .item
            do {
                tail = try JSONPath(key: source)
            } catch {
                throw fail(error.message, at: error.position)
            }
            return
        } else if scalars.count == 1 || scalars[1] == "." || scalars[1] == "[" {
            root = .item
            rest = 1
        } else if word(at: 1, "execution") {
            root = .execution
            rest = 10
        } else if word(at: 1, "loop") {
            root = .loop
            rest = 5
        } else if word(at: 1, "nodes") {
            let (id, end) = try Self.name(scalars, at: 6, allowColon: false, allowDash: true, offset: offset, what: "node id")
            root = .nodes(id)
            rest = end
        } else if word(at: 1, "wf.variables") {
            let (name, end) = try Self.name(scalars, at: 13, allowColon: true, allowDash: false, offset: offset, what: "variable name")
            root = .variable(name)
            rest = end
        } else {
            var end = 1
            while end < scalars.count, Self.isIdentifier(scalars[end]) { end += 1 }
            let written = String(String.UnicodeScalarView(scalars[0..<end]))
            throw fail("unknown root \"\(written)\"; expected $, $execution, $nodes, $loop or $wf.variables", at: 0)
        }
        guard rest < scalars.count else {
            tail = nil
            return
        }
        let tailText = "$" + String(String.UnicodeScalarView(scalars[rest...]))
        do {
            tail = try JSONPath(tailText)
        } catch {
            throw fail(error.message, at: rest + max(0, error.position - 1))
        }
    }

    /// Reads `.name`, `:name` or `['name']` at `index`; returns the name and the index after it.
    private static func name(_ s: [Unicode.Scalar], at index: Int, allowColon: Bool, allowDash: Bool,
                             offset: Int, what: String) throws(TemplateError) -> (String, Int) {
        func fail(_ at: Int) -> TemplateError {
            TemplateError(message: "expected a \(what) after \(String(String.UnicodeScalarView(s[0..<min(index, s.count)])))",
                          position: offset + at + 1)
        }
        guard index < s.count else { throw fail(index) }
        if s[index] == "." || (allowColon && s[index] == ":") {
            var end = index + 1
            while end < s.count, s[end].isASCII,
                VariableReference.isNameByte(UInt8(s[end].value)) || (allowDash && s[end] == "-")
            {
                end += 1
            }
            guard end > index + 1 else { throw fail(index + 1) }
            return (String(String.UnicodeScalarView(s[(index + 1)..<end])), end)
        }
        if s[index] == "[", index + 1 < s.count, s[index + 1] == "'" || s[index + 1] == "\"" {
            let quote = s[index + 1]
            var end = index + 2
            while end < s.count, s[end] != quote { end += 1 }
            guard end + 1 < s.count, s[end + 1] == "]", end > index + 2 else { throw fail(index) }
            return (String(String.UnicodeScalarView(s[(index + 2)..<end])), end + 2)
        }
        throw fail(index)
    }

    private static func isIdentifier(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && VariableReference.isNameByte(UInt8(c.value))
    }

    /// The selected values and whether at most one can be selected.
    func evaluate(_ context: TemplateContext) throws(TemplateError) -> ([JSON], Bool) {
        let base: JSON
        switch root {
        case .item:
            base = context.item
        case .execution:
            base = context.execution
        case .loop:
            guard let loop = context.loop else { throw TemplateError(message: "$loop is only available inside a loop") }
            base = loop
        case .nodes(let id):
            guard let output = context.nodes(id) else { throw TemplateError(message: "unknown node \"\(id)\"") }
            base = .array(output)
        case .variable(let name):
            guard let value = context.variables[name] else { throw TemplateError(message: "unknown variable \"\(name)\"") }
            base = value
        }
        guard let tail else { return ([base], true) }
        return (tail.query(base), tail.isSingular)
    }
}
