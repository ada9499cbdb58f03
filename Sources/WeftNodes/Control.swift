import WeftEngine
import WeftModel

/// `control`: turns resources into compliance findings — one PASS or FAIL per input item, with the
/// evidence that decided it.
///
/// By default (`criteriaMatch: "fail"`) an item matching the criteria FAILS and the others PASS;
/// with `"pass"` the reverse. Each finding is `{"resourceId", "displayName", "result", "evidence",
/// "matched", "connector", "accountId", "region"}`: `evidence` holds each key of `evidence.keys`,
/// as written, with its value (the single match, an array when several values match, null when
/// none); `matched` lists the ids of the conditions that held. The execution's summary counts
/// `passed` and `failed`; the step's trace explains every condition for each item.
enum ControlNode: NodeType {
    enum CriteriaMatch: String, Decodable, Sendable, CaseIterable { case fail, pass }

    struct Evidence: Decodable, Sendable {
        var resourceId: String?
        var displayName: String?
        var keys: [String]?
    }

    struct Parameters: Decodable, Sendable {
        var input: InputReference?
        var criteria: ConditionSet
        /// Filled with its declared default (`fail`) by the runner.
        var criteriaMatch: CriteriaMatch?
        var evidence: Evidence?
    }

    static let description = NodeDescription(
        type: "control", displayName: "Control", group: .general,
        summary: "Evaluates each resource against criteria and outputs one PASS/FAIL finding per resource, with evidence; the execution counts the passed and failed resources.",
        parameters: [
            Parameter("input", .inputReference,
                      help: "The resources to evaluate: a node and an optional JSONPath applied to each of its items. Default: the output of the upstream node."),
            Parameter("criteria", .conditions, required: true,
                      help: "The conditions and the expression combining them, as in the filter node."),
            Parameter("criteriaMatch", .choice(CriteriaMatch.allCases.map(\.rawValue)), default: "fail",
                      help: "fail: resources matching the criteria FAIL, the others PASS. pass: matching resources PASS, the others FAIL."),
            Parameter("evidence", .object([
                Parameter("resourceId", .string(.jsonPath), help: "JSONPath of the resource's id, e.g. $.DBInstanceIdentifier."),
                Parameter("displayName", .string(.jsonPath), help: "JSONPath of a readable name, e.g. $.DBName."),
                Parameter("keys", .array(of: .string(.jsonPath), maxItems: 50),
                          help: "JSONPaths recorded in each finding as evidence, keyed by the path as written."),
            ]), help: "What each finding records about its resource."),
        ],
        example: [
            "criteria": [
                "conditions": [["id": "c1", "type": "param", "key": "$.PubliclyAccessible", "operator": "==", "value": true]],
                "expression": "c1",
            ],
            "evidence": ["resourceId": "$.DBInstanceIdentifier", "displayName": "$.DBName", "keys": ["$.PubliclyAccessible"]],
        ])

    static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        let compiled: CompiledConditions
        do {
            compiled = try parameters.criteria.compile()
        } catch {
            throw NodeError("criteria: \(error.description)", code: "invalidParameter")
        }
        let resourceId = try parameters.evidence?.resourceId.map { try ParameterPath($0, parameter: "evidence.resourceId") }
        let displayName = try parameters.evidence?.displayName.map { try ParameterPath($0, parameter: "evidence.displayName") }
        let keys = try (parameters.evidence?.keys ?? []).enumerated().map { index, key in
            (key, try ParameterPath(key, parameter: "evidence.keys[\(index)]"))
        }
        let failOnMatch = (parameters.criteriaMatch ?? .fail) == .fail
        let execution = context.execution
        let items = try context.items(parameters.input)
        let total = items.count
        let conditionContext = ConditionContext(now: context.now)
        // [JavaScript] `function` conditions run in the sandbox in batches, before the items are tested.
        let functions = try await FunctionConditionResults.evaluate(compiled, items: items, context: context)
        var findings = ItemsBuilder()
        var trace = VerdictTrace()
        var passed = 0, failed = 0
        try items.enumerated { index, item in
            if index % 1_024 == 0 { try context.checkCancellation() }
            if index > 0, index % 10_000 == 0 { context.progress(done: index, total: total) }
            let verdict = compiled.evaluate(item, context: conditionContext, precomputed: functions.precomputed(at: index))
            let fails = verdict.matched == failOnMatch
            if fails { failed += 1 } else { passed += 1 }
            var evidence = JSONObject()
            for (key, path) in keys { evidence[key] = path.select(item) ?? .null }
            let finding: JSON = [
                "resourceId": resourceId?.select(item) ?? .null,
                "displayName": displayName?.select(item) ?? .null,
                "result": fails ? "FAIL" : "PASS",
                "evidence": .object(evidence),
                "matched": .array(verdict.heldIds.map(JSON.string)),
                "connector": .string(execution.connector),
                "accountId": execution.accountId.map(JSON.string) ?? .null,
                "region": .string(execution.region),
            ]
            findings.append(finding)
            trace.add(verdict, index: index, extra: ["result": fails ? "FAIL" : "PASS"])
        }
        context.progress(done: total, total: total)
        let counts: JSONObject = ["passed": .int(Int64(passed)), "failed": .int(Int64(failed))]
        return NodeResult(main: findings.finish(), summary: counts, trace: trace.json(counts: counts))
    }
}
