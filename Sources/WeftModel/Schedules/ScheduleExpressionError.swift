/// Why a schedule expression was rejected.
///
/// `description` names the field first when one field is at fault, for example
/// `day-of-week: 8 is out of range 1-7`.
public struct ScheduleExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A field of a schedule expression.
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case minute
        case hour
        case dayOfMonth = "day-of-month"
        case month
        case dayOfWeek = "day-of-week"
        case year
        case rateValue = "rate value"
        case rateUnit = "rate unit"
    }

    /// The field at fault, or nil when the expression as a whole is malformed.
    public let field: Field?
    /// What is wrong, without the field name.
    public let reason: String

    public init(field: Field?, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String {
        guard let field else { return reason }
        return "\(field.rawValue): \(reason)"
    }
}
