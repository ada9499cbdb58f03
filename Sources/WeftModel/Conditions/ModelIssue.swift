/// One problem found by static validation of a model value, located by an RFC 6901 JSON pointer.
public struct ModelIssue: Sendable, Equatable, CustomStringConvertible {
    /// Pointer to the offending value, such as `/nodes/2/params/conditions/1/operator`.
    public var pointer: String
    /// What is wrong, naming the thing concerned (`condition c2: unknown operator "=~"`).
    public var message: String

    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    /// `/nodes/2/params/conditions/1/operator: condition c2: unknown operator "=~"`.
    public var description: String { pointer.isEmpty ? message : "\(pointer): \(message)" }
}
