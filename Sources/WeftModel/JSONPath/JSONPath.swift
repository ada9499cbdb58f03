/// A compiled RFC 9535 JSONPath query.
///
/// The expression is parsed and type-checked once, when the value is created; `query` and `locate`
/// only walk the document. Two paths are equal when their expressions are the same text.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written (for `init(key:)`, the expanded form starting with `$`).
    public let description: String
    let ast: Query

    /// Parses an RFC 9535 query.
    ///
    /// Throws `JSONPathError` for anything the RFC rejects: syntax errors, whitespace where the
    /// grammar allows none, out-of-range integers, invalid escapes, and ill-typed function
    /// expressions (RFC 9535 §2.4.3).
    public init(_ expression: String) throws(JSONPathError) {
        var parser = Parser(expression)
        ast = try parser.parseRootQuery()
        description = expression
    }

    /// Parses a key written by a user, where the leading `$` may be left out.
    ///
    /// `""` means `$`; a key starting with `$` is parsed as is; a key starting with `[` or `.` is
    /// appended to `$`; any other key is appended to `$.`, so `State.Code` means `$.State.Code`.
    /// Error positions refer to `key`, not to the expanded expression.
    public init(key: String) throws(JSONPathError) {
        let prefix: String
        switch key.unicodeScalars.first {
        case nil: prefix = "$"
        case "$": prefix = ""
        case "[", ".": prefix = "$"
        default: prefix = "$."
        }
        do {
            try self.init(prefix + key)
        } catch {
            throw JSONPathError(message: error.message, position: max(0, error.position - prefix.count))
        }
    }

    /// The values of the nodes the query selects from `root`, in RFC order.
    public func query(_ root: JSON) -> [JSON] {
        if let steps = ast.singularSteps {
            guard let value = Evaluator.walk(steps, from: root) else { return [] }
            return [value]
        }
        let evaluator = Evaluator(root: root)
        return evaluator.select(ast.segments, from: root, path: UntrackedPath()).map(\.value)
    }

    /// The nodes the query selects from `root`, each with its Normalized Path (RFC 9535 §2.7),
    /// such as `$['a'][0]`, in RFC order.
    public func locate(_ root: JSON) -> [(path: String, value: JSON)] {
        let evaluator = Evaluator(root: root)
        return evaluator.select(ast.segments, from: root, path: TrackedPath.root).map {
            (path: $0.path.normalized, value: $0.value)
        }
    }

    /// True when the query is singular: only child segments holding one name or index selector
    /// each, so it selects at most one node.
    public var isSingular: Bool { ast.singularSteps != nil }

    public static func == (lhs: JSONPath, rhs: JSONPath) -> Bool {
        lhs.description == rhs.description
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
    }
}

/// Why an expression is not a valid JSONPath query.
public struct JSONPathError: Error, Equatable, CustomStringConvertible {
    /// What was expected or what is wrong, e.g. "expected ']'".
    public var message: String
    /// The 0-based offset, in Unicode scalars, of the place in the expression where the error was found.
    public var position: Int

    public init(message: String, position: Int) {
        self.message = message
        self.position = position
    }

    public var description: String { "invalid JSONPath at position \(position): \(message)" }
}
