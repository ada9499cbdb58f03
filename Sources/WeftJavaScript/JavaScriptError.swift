/// Why user JavaScript failed.
public struct JavaScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The code does not parse.
        case syntax
        /// The code threw (or returned a rejected promise).
        case exception
        /// The step used up its CPU time.
        case cpu
        /// The helper's resident memory passed the limit.
        case memory
        /// The code produced more output than allowed.
        case output
        /// The helper process died or broke the protocol.
        case crashed
        /// The step was cancelled (or its node timed out) while the code ran.
        case cancelled
    }

    public var kind: Kind
    /// What happened, e.g. `ReferenceError: Can't find variable: x`.
    public var message: String
    /// The 1-based line and column in the user's code, when known.
    public var line: Int?
    public var column: Int?
    /// The JavaScript stack, when the code threw.
    public var stack: String?
    /// The index of the input item the code was handling, in `each` mode.
    public var itemIndex: Int?
    /// For `cpu` failures, the CPU time the step had used when the sandbox stopped it, when known.
    public var cpuSeconds: Double?

    public init(_ kind: Kind, _ message: String, line: Int? = nil, column: Int? = nil, stack: String? = nil) {
        self.kind = kind; self.message = message; self.line = line; self.column = column; self.stack = stack
    }

    /// True for the failures after which the helper process is not reused.
    public var retiresHelper: Bool {
        switch self.kind {
        case .syntax, .exception, .output: false
        case .cpu, .memory, .crashed, .cancelled: true
        }
    }

    /// `SyntaxError: Unexpected token ')' (line 3, column 9)`.
    public var description: String {
        guard let line else { return message }
        return "\(message) (line \(line)\(column.map { ", column \($0)" } ?? ""))"
    }
}
