import Foundation

/// `function`: a JavaScript predicate.
///
/// Fields: `code`, the body of a function receiving `item` and `ctx` (`{index, now, vars,
/// execution}`: the item's index, the step's time as ISO 8601 text, the flow variables, the
/// execution) and returning a boolean. It holds when the function returns `true`; `false` makes it
/// not hold; any other value, or an exception, makes it unevaluable (false), with the reason in the
/// trace. `await` may be used.
///
/// The code runs in the JavaScript sandbox, not here: nodes evaluate these conditions in batches
/// before testing items and pass the results to `CompiledConditions.evaluate(_:context:precomputed:)`
/// (`isEvaluatedExternally`). Whether the code parses is checked when it is compiled in the sandbox.
public struct FunctionCondition: ConditionType {
    public static let name = "function"
    public static let summary = "Runs a JavaScript function body with item and ctx; holds when it returns true."
    public static let fields: [Parameter] = [
        Parameter("code", .string(.javascript), required: true,
                  help: "The body of a function of (item, ctx) returning a boolean, e.g. "
                      + "`return item.Tags?.some(t => t.Key === 'Owner') && ctx.vars.strict !== true;`. "
                      + "ctx holds index, now (ISO 8601), vars and execution; weft helpers are available."),
    ]
    public static var isEvaluatedExternally: Bool { true }

    /// The function body as written.
    public let code: String

    public init?(fields: inout ConditionFields) {
        guard let code = fields.string("code", required: true) else { return nil }
        guard !code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            fields.report("code", "must not be empty")
            return nil
        }
        self.code = code
    }

    public func evaluate(_ item: JSON, context: ConditionContext) -> ConditionResult {
        .unevaluable("a function condition is evaluated in the JavaScript sandbox")
    }
}
