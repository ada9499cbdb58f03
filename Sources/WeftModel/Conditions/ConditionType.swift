import Foundation

/// A kind of condition (`param`, `date`, `tags`, …): how its fields are read and how it tests an item.
///
/// A new type is one file with a conforming struct plus one line in `ConditionTypes.builtIn`.
/// The same initializer serves static validation (`weft validate`, where fields holding variable
/// references are deferred) and compilation at run time (after variable substitution).
public protocol ConditionType: Sendable {
    /// The `type` string in flow documents.
    static var name: String { get }
    /// One sentence for the editor and `weft nodes`.
    static var summary: String { get }
    /// The fields a condition of this type may have besides `id` and `type`; others are errors.
    static var fields: [Parameter] { get }
    /// True for types evaluated outside `evaluate`, such as JavaScript functions run in batches:
    /// their results are passed to `CompiledConditions.evaluate(_:context:precomputed:)`.
    static var isEvaluatedExternally: Bool { get }

    /// Reads the condition from `fields`.
    ///
    /// Reports every problem found to `fields` and returns `nil` when there is one, or when a field
    /// it needs is deferred (holds a variable reference during static validation).
    init?(fields: inout ConditionFields)

    /// Tests one item. Never throws: what cannot be evaluated is `.unevaluable` with the reason.
    func evaluate(_ item: JSON, context: ConditionContext) -> ConditionResult

    /// Tests one item without explaining why: always `evaluate(item, context: context).outcome`.
    ///
    /// `CompiledConditions.evaluate` calls this and explains only when the trace is read; a type
    /// whose explanation costs more than its test implements it (the default calls `evaluate`).
    func outcome(_ item: JSON, context: ConditionContext) -> ConditionOutcome
}

extension ConditionType {
    public static var isEvaluatedExternally: Bool { false }

    public func outcome(_ item: JSON, context: ConditionContext) -> ConditionOutcome {
        evaluate(item, context: context).outcome
    }
}

/// The registry of condition types.
public enum ConditionTypes {
    /// The types every condition set understands, in the order the editor lists them.
    public static let builtIn: [any ConditionType.Type] = [
        ParamCondition.self,
        DateCondition.self,
        TagsCondition.self,
        SecurityGroupCondition.self,
        NetworkAclCondition.self,
        FunctionCondition.self,  // [JavaScript] evaluated in the sandbox by filter and control
    ]

    /// The type named `name` in `types`.
    public static func named(_ name: String, in types: [any ConditionType.Type] = builtIn) -> (any ConditionType.Type)? {
        types.first { $0.name == name }
    }
}

/// What a condition may read besides the item.
public struct ConditionContext: Sendable {
    /// The time relative conditions (`olderThan`) measure from.
    public var now: Date

    public init(now: Date) {
        self.now = now
    }
}

/// The outcome of a condition for one item.
public enum ConditionOutcome: String, Sendable, Equatable {
    case held
    case notHeld
    /// The condition could not be evaluated (missing key, wrong type); it counts as false.
    case unevaluable

    /// The boolean the expression uses: true only for `.held`.
    public var isTrue: Bool { self == .held }
}

/// A condition's outcome for one item and why.
public struct ConditionResult: Sendable, Equatable {
    public var outcome: ConditionOutcome
    /// What was tested and found, without the condition id or the verdict:
    /// `$.State.Name is "running", == "stopped"`, `$.LaunchTime missing`.
    public var detail: String

    public init(_ outcome: ConditionOutcome, _ detail: String) {
        self.outcome = outcome
        self.detail = detail
    }

    public static func held(_ detail: String) -> ConditionResult { ConditionResult(.held, detail) }
    public static func notHeld(_ detail: String) -> ConditionResult { ConditionResult(.notHeld, detail) }
    public static func unevaluable(_ detail: String) -> ConditionResult { ConditionResult(.unevaluable, detail) }
    public static func from(_ held: Bool, _ detail: String) -> ConditionResult {
        ConditionResult(held ? .held : .notHeld, detail)
    }
}

/// Combines per-value results with three-valued logic.
enum Quantifier {
    /// Some value satisfies: held if any held, notHeld if all notHeld, else unevaluable.
    case any
    /// Every value satisfies: notHeld if any notHeld, held if all held, else unevaluable.
    case all

    func combine(_ outcomes: [ConditionOutcome]) -> ConditionOutcome {
        switch self {
        case .any:
            if outcomes.contains(.held) { return .held }
            return outcomes.allSatisfy { $0 == .notHeld } ? .notHeld : .unevaluable
        case .all:
            if outcomes.contains(.notHeld) { return .notHeld }
            return outcomes.allSatisfy { $0 == .held } ? .held : .unevaluable
        }
    }
}
