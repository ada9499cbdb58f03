import WeftEngine
import WeftModel

/// `filter`: splits items by a condition set — those for which the expression holds go to `main`,
/// the others to `rejected`.
///
/// The conditions and expression sit at the top level of `params`, as the seed writes them. The
/// step's trace explains each item: `{"items": [{"index", "matched", "conditions": [...]}],
/// "traced", "total", "matched", "rejected", "truncated", "note"}`, for the first `VerdictTrace.limit` items;
/// `note` says when later items were left out.
public enum FilterNode: NodeType {
    public struct Parameters: Decodable, Sendable {
        public var input: InputReference?
        /// The condition objects as written; compiled by `execute` after variable substitution.
        public var conditions: [JSON]
        public var expression: String

        public init(input: InputReference? = nil, conditions: [JSON], expression: String = "") {
            self.input = input
            self.conditions = conditions
            self.expression = expression
        }

        private enum CodingKeys: String, CodingKey { case input, conditions, expression }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            input = try container.decodeIfPresent(InputReference.self, forKey: .input)
            conditions = try container.decode([JSON].self, forKey: .conditions)
            expression = try container.decodeIfPresent(String.self, forKey: .expression) ?? ""
        }

        /// The conditions as a set.
        public var conditionSet: ConditionSet { ConditionSet(conditions: conditions, expression: expression) }
    }

    public static let description = NodeDescription(
        type: "filter",
        displayName: "Filter",
        group: .general,
        summary: "Keeps the items that satisfy conditions combined by an expression; the others go to the "
            + "rejected output. The step details explain the verdict of every condition for each item.",
        parameters: [
            Parameter("input", .inputReference,
                      help: "The items to filter: a node and an optional JSONPath applied to each of its items. "
                          + "Default: the output of the upstream node."),
            Parameter("conditions", .conditionList, required: true,
                      help: "The conditions, each with an id, a type (param, date, tags, …) and that type's fields. "
                          + "A condition that cannot be evaluated for an item (missing key, wrong type) is false."),
            Parameter("expression", .string, default: "",
                      help: "How the conditions combine, by id: `c1 && (c2 || !c3)`; AND/OR/NOT and a surrounding "
                          + "`{ }` are accepted. Empty: all conditions must hold."),
        ],
        outputs: ["main", "rejected"],
        example: [
            "conditions": [
                ["id": "c1", "type": "param", "key": "$.State.Name", "operator": "==", "value": "running"],
                ["id": "c2", "type": "tags", "key": "Owner", "operator": "notExists"],
            ],
            "expression": "c1 && c2",
        ]
    )

    public static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        let compiled: CompiledConditions
        do {
            compiled = try parameters.conditionSet.compile()
        } catch {
            throw NodeError(error.description, code: "invalidParameter")
        }
        let items = try context.items(parameters.input)
        let total = items.count
        let conditionContext = ConditionContext(now: context.now)
        // [JavaScript] `function` conditions run in the sandbox in batches, before the items are tested.
        let functions = try await FunctionConditionResults.evaluate(compiled, items: items, context: context)
        var matched = ItemsBuilder()
        var rejected = ItemsBuilder()
        var trace = VerdictTrace()
        var index = 0
        try items.forEachEncoded { item, encoded in
            defer { index += 1 }
            if index % 1_024 == 0 { try context.checkCancellation() }
            if index > 0, index % 10_000 == 0 { context.progress(done: index, total: total) }
            let verdict = compiled.evaluate(item, context: conditionContext, precomputed: functions.precomputed(at: index))
            if verdict.matched { matched.append(item, encoded: encoded) } else { rejected.append(item, encoded: encoded) }
            trace.add(verdict, index: index)
        }
        context.progress(done: total, total: total)
        return NodeResult(outputs: ["main": matched.finish(), "rejected": rejected.finish()],
                          trace: trace.json(counts: ["matched": .int(Int64(matched.count)), "rejected": .int(Int64(rejected.count))]))
    }
}
