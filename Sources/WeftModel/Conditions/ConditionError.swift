/// A condition set that cannot be used once variables are substituted: a node error.
public struct ConditionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The condition concerned; `nil` for problems of the set itself (its list or its expression).
    public var conditionId: String?
    /// The field concerned, as written in the condition (`value`, `operator`), or `conditions` /
    /// `expression` for problems of the set.
    public var field: String
    /// What is wrong. For a condition, a predicate that follows the field name
    /// (`"([a" is not a valid regular expression`); for the set, a whole sentence
    /// (`expression, position 7: expected ')'`).
    public var message: String

    public init(conditionId: String?, field: String, message: String) {
        self.conditionId = conditionId
        self.field = field
        self.message = message
    }

    /// `condition c2: value "([a" is not a valid regular expression`, or the message of a set problem.
    public var description: String {
        guard let conditionId else { return message }
        return "condition \(conditionId): \(field) \(message)"
    }
}
