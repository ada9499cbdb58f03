import Foundation

/// A condition set ready to test items: every condition built, the expression resolved.
public struct CompiledConditions: Sendable {
    /// One built condition.
    public struct Entry: Sendable {
        public let id: String
        /// The condition's `type` (`param`, `date`, …).
        public let type: String
        public let condition: any ConditionType

        public init(id: String, type: String, condition: any ConditionType) {
            self.id = id
            self.type = type
            self.condition = condition
        }

        /// Whether the caller must evaluate this condition and pass its result in `precomputed`.
        public var isEvaluatedExternally: Bool { Swift.type(of: condition).isEvaluatedExternally }
    }

    /// The conditions in the order they were written.
    public let conditions: [Entry]
    /// The expression; for an empty one as written, all conditions ANDed.
    public let expression: BooleanExpression

    public init(conditions: [Entry], expression: BooleanExpression) {
        self.conditions = conditions
        self.expression = expression
    }

    /// The conditions the caller evaluates itself (in batches, asynchronously) before `evaluate`.
    public var externallyEvaluated: [Entry] { conditions.filter(\.isEvaluatedExternally) }

    /// Tests one item at time `now`. See `evaluate(_:context:precomputed:)`.
    public func evaluate(_ item: JSON, now: Date) -> ConditionVerdict {
        evaluate(item, context: ConditionContext(now: now))
    }

    /// Tests one item.
    ///
    /// Every condition is evaluated, whatever the expression needs, so the trace explains each one.
    /// A condition that cannot be evaluated counts as false.
    /// - Parameter precomputed: results by condition id that replace evaluation, for conditions
    ///   evaluated externally; such a condition without a result here cannot be evaluated.
    public func evaluate(_ item: JSON, context: ConditionContext,
                         precomputed: [String: ConditionResult] = [:]) -> ConditionVerdict {
        var trace: [ConditionTrace] = []
        trace.reserveCapacity(conditions.count)
        var held = Set<String>()
        for entry in conditions {
            let result: ConditionResult
            if let given = precomputed[entry.id] {
                result = given
            } else if entry.isEvaluatedExternally {
                result = .unevaluable("not evaluated")
            } else {
                result = entry.condition.evaluate(item, context: context)
            }
            if result.outcome == .held { held.insert(entry.id) }
            trace.append(ConditionTrace(id: entry.id, type: entry.type, result: result))
        }
        return ConditionVerdict(matched: expression.evaluate { held.contains($0) }, trace: trace)
    }
}

/// Whether an item satisfied a condition set, and why.
public struct ConditionVerdict: Sendable, Equatable {
    /// The value of the expression.
    public var matched: Bool
    /// One entry per condition, in the order they were written.
    public var trace: [ConditionTrace]

    public init(matched: Bool, trace: [ConditionTrace]) {
        self.matched = matched
        self.trace = trace
    }

    /// The ids of the conditions that held, in order (a control finding's `matched`).
    public var heldIds: [String] { trace.filter { $0.outcome == .held }.map(\.id) }

    /// The form kept in step records:
    /// `{"matched": true, "conditions": [{"id", "type", "outcome", "reason"}]}`.
    public var json: JSON {
        .object([
            "matched": .bool(matched),
            "conditions": .array(trace.map(\.json)),
        ])
    }
}

/// One condition's outcome for one item, with a reason a person can read.
public struct ConditionTrace: Sendable, Equatable, CustomStringConvertible {
    public var id: String
    public var type: String
    public var outcome: ConditionOutcome
    /// `c1: $.State.Name is "running", == "stopped" → false`,
    /// `c2: $.LaunchTime missing → cannot evaluate (false)`.
    public var reason: String

    public init(id: String, type: String, outcome: ConditionOutcome, reason: String) {
        self.id = id
        self.type = type
        self.outcome = outcome
        self.reason = reason
    }

    public init(id: String, type: String, result: ConditionResult) {
        let verdict: String
        switch result.outcome {
        case .held: verdict = "true"
        case .notHeld: verdict = "false"
        case .unevaluable: verdict = "cannot evaluate (false)"
        }
        self.init(id: id, type: type, outcome: result.outcome, reason: "\(id): \(result.detail) → \(verdict)")
    }

    public var description: String { reason }

    public var json: JSON {
        .object([
            "id": .string(id),
            "type": .string(type),
            "outcome": .string(outcome.rawValue),
            "reason": .string(reason),
        ])
    }
}
