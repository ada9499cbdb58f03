/// A compiled JMESPath expression (https://jmespath.org/specification.html).
///
/// The expression is parsed once, when the value is created: syntax errors, unknown functions,
/// wrong argument counts, a zero slice step and nesting deeper than `JMESPath.maximumDepth` are
/// all reported by `init`. `search` only walks the document and may be called any number of
/// times, from any thread.
public struct JMESPath: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let description: String
    let root: JMESPathNode

    /// The deepest nesting of sub-expressions an expression may have.
    public static let maximumDepth = 100

    /// Parses a JMESPath expression.
    ///
    /// Throws `JMESPathError` with the offset of the offending character for syntax errors, and
    /// for unknown functions, wrong argument counts, a zero slice step, or nesting deeper than
    /// `maximumDepth`.
    public init(_ expression: String) throws(JMESPathError) {
        var parser = try Parser(expression)
        root = try parser.parse()
        description = expression
    }

    /// The result of the expression applied to `value`.
    ///
    /// A function given an argument of the wrong type makes the whole result `null`; use
    /// `evaluate` to see that error instead.
    public func search(_ value: JSON) -> JSON {
        (try? evaluate(value)) ?? .null
    }

    /// The result of the expression applied to `value`.
    ///
    /// Throws `JMESPathError` with kind `.invalidType` when a function is given an argument of a
    /// type it does not accept (for example `length(\`1\`)`), or when an expression reference is
    /// used outside a function argument.
    public func evaluate(_ value: JSON) throws(JMESPathError) -> JSON {
        try Evaluator().evaluate(root, value)
    }

    public static func == (lhs: JMESPath, rhs: JMESPath) -> Bool {
        lhs.description == rhs.description
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
    }
}

/// Why an expression is not valid JMESPath, or why evaluating it failed.
public struct JMESPathError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The error classes of the JMESPath specification.
    public enum Kind: String, Sendable {
        case syntax = "syntax"
        case unknownFunction = "unknown-function"
        case invalidArity = "invalid-arity"
        case invalidType = "invalid-type"
        case invalidValue = "invalid-value"
    }

    public var kind: Kind
    /// What was expected or what is wrong, e.g. "expected ']'".
    public var message: String
    /// The 0-based offset, in Unicode scalars, of the place in the expression the error refers to.
    public var position: Int

    public init(_ kind: Kind, _ message: String, position: Int) {
        self.kind = kind
        self.message = message
        self.position = position
    }

    public var description: String { "JMESPath \(kind.rawValue) error at position \(position): \(message)" }
}
