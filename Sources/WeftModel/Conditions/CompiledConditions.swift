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
    /// `expression` with each condition id replaced by the positions in `conditions` of that id.
    private let positions: PositionExpression

    public init(conditions: [Entry], expression: BooleanExpression) {
        self.conditions = conditions
        self.expression = expression
        positions = PositionExpression(expression, conditions: conditions)
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
    /// A condition that cannot be evaluated counts as false. The verdict's trace is written when it
    /// is read (see `ConditionVerdict.trace`), so testing many items costs no explanation text.
    /// - Parameter precomputed: results by condition id that replace evaluation, for conditions
    ///   evaluated externally; such a condition without a result here cannot be evaluated.
    public func evaluate(_ item: JSON, context: ConditionContext,
                         precomputed: [String: ConditionResult] = [:]) -> ConditionVerdict {
        var held = HeldPositions()
        for position in conditions.indices {
            let outcome: ConditionOutcome
            if !precomputed.isEmpty, let given = precomputed[conditions[position].id] {
                outcome = given.outcome
            } else if conditions[position].isEvaluatedExternally {
                outcome = .unevaluable
            } else {
                outcome = conditions[position].condition.outcome(item, context: context)
            }
            if outcome == .held { held.insert(position) }
        }
        let explanation = DeferredTrace(item: item, conditions: conditions, context: context, precomputed: precomputed,
                                        held: held)
        return ConditionVerdict(matched: positions.evaluate(held), explanation: explanation)
    }
}

/// A boolean expression over the positions of conditions in a `CompiledConditions`.
private indirect enum PositionExpression: Sendable {
    /// True when a condition at one of these positions held (none: the id names no condition).
    case condition([Int])
    case not(PositionExpression)
    case and([PositionExpression])
    case or([PositionExpression])

    init(_ expression: BooleanExpression, conditions: [CompiledConditions.Entry]) {
        switch expression {
        case .condition(let id): self = .condition(conditions.indices.filter { conditions[$0].id == id })
        case .not(let operand): self = .not(PositionExpression(operand, conditions: conditions))
        case .and(let operands): self = .and(operands.map { PositionExpression($0, conditions: conditions) })
        case .or(let operands): self = .or(operands.map { PositionExpression($0, conditions: conditions) })
        }
    }

    func evaluate(_ held: HeldPositions) -> Bool {
        switch self {
        case .condition(let positions): return positions.contains { held.contains($0) }
        case .not(let operand): return !operand.evaluate(held)
        case .and(let operands): return operands.allSatisfy { $0.evaluate(held) }
        case .or(let operands): return operands.contains { $0.evaluate(held) }
        }
    }
}

/// The positions of the conditions that held; the first 64 without allocating.
struct HeldPositions: Sendable {
    private var first64: UInt64 = 0
    private var beyond: [Int] = []

    mutating func insert(_ position: Int) {
        if position < 64 { first64 |= 1 << UInt64(position) } else { beyond.append(position) }
    }

    func contains(_ position: Int) -> Bool {
        position < 64 ? first64 & (1 << UInt64(position)) != 0 : beyond.contains(position)
    }
}

/// What `CompiledConditions.evaluate` needs to explain a verdict later: the conditions are
/// evaluated again, with their explanations, on the same item, time and precomputed results.
struct DeferredTrace: Sendable {
    let item: JSON
    let conditions: [CompiledConditions.Entry]
    let context: ConditionContext
    let precomputed: [String: ConditionResult]
    let held: HeldPositions

    var trace: [ConditionTrace] {
        conditions.map { entry in
            let result: ConditionResult
            if let given = precomputed[entry.id] {
                result = given
            } else if entry.isEvaluatedExternally {
                result = .unevaluable("not evaluated")
            } else {
                result = entry.condition.evaluate(item, context: context)
            }
            return ConditionTrace(id: entry.id, type: entry.type, result: result)
        }
    }

    var heldIds: [String] { conditions.indices.filter { held.contains($0) }.map { conditions[$0].id } }
}

/// Whether an item satisfied a condition set, and why.
public struct ConditionVerdict: Sendable, Equatable {
    /// The value of the expression.
    public var matched: Bool
    private var explanation: Explanation

    private enum Explanation: Sendable {
        case written([ConditionTrace])
        case deferred(DeferredTrace)
    }

    public init(matched: Bool, trace: [ConditionTrace]) {
        self.matched = matched
        explanation = .written(trace)
    }

    init(matched: Bool, explanation: DeferredTrace) {
        self.matched = matched
        self.explanation = .deferred(explanation)
    }

    /// One entry per condition, in the order they were written.
    ///
    /// For a verdict of `CompiledConditions.evaluate`, each read evaluates the conditions again on
    /// the item to write their reasons (the outcomes are the same): read it once, and only for the
    /// items that are explained.
    public var trace: [ConditionTrace] {
        get {
            switch explanation {
            case .written(let trace): return trace
            case .deferred(let deferred): return deferred.trace
            }
        }
        set { explanation = .written(newValue) }
    }

    /// The ids of the conditions that held, in order (a control finding's `matched`), without
    /// writing the trace.
    public var heldIds: [String] {
        switch explanation {
        case .written(let trace): return trace.filter { $0.outcome == .held }.map(\.id)
        case .deferred(let deferred): return deferred.heldIds
        }
    }

    /// The form kept in step records:
    /// `{"matched": true, "conditions": [{"id", "type", "outcome", "reason"}]}`.
    public var json: JSON {
        .object([
            "matched": .bool(matched),
            "conditions": .array(trace.map(\.json)),
        ])
    }

    public static func == (lhs: ConditionVerdict, rhs: ConditionVerdict) -> Bool {
        lhs.matched == rhs.matched && lhs.trace == rhs.trace
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
