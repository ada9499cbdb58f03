import Foundation
import WeftEngine
import WeftJavaScript
import WeftModel

/// `custom`: runs the user's JavaScript over the items, in a sandboxed helper process.
///
/// `code` is the body of a function. In `all` mode it receives `items` (the input as an array),
/// `inputs` (the named inputs, each an array) and `weft`, and returns an array of output items
/// (any other value is one item; returning `undefined` is an error). In `each` mode it runs once
/// per item with `item`, `index`, `inputs` and `weft` and returns an item, an array of items, or
/// `undefined` for none. `await` may be used anywhere; promises are awaited. Items go to the helper
/// and back as JSON text, in pages, and the output is spilled to disk past the usual threshold.
///
/// An exception fails the step with its message and its line and column in `code` (and, in `each`
/// mode, the item's index). Console lines (`console.log`, `info`, `warn`, `error`) go to the step's
/// log, secrets masked. The step's limits (`limits`, default 30 s of CPU and 512 MB of memory)
/// are enforced on the helper process; a helper that hits one is killed and replaced, and the
/// step fails naming the limit. The code has no file system, network, process or environment
/// access.
public enum CustomNode: NodeType {
    public enum Mode: String, Decodable, Sendable, CaseIterable { case all, each }

    public struct Limits: Decodable, Sendable {
        public var cpuSeconds: Double?
        public var memoryMB: Int?
    }

    public struct Parameters: Decodable, Sendable {
        public var input: InputReference?
        public var inputs: [String: InputReference]?
        public var code: String
        /// Filled with its declared default (`all`) by the runner.
        public var mode: Mode?
        public var limits: Limits?

        public init(input: InputReference? = nil, inputs: [String: InputReference]? = nil, code: String,
                    mode: Mode = .all, limits: Limits? = nil) {
            self.input = input; self.inputs = inputs; self.code = code; self.mode = mode; self.limits = limits
        }
    }

    /// Items per page sent to the helper.
    static let pageSize = 2_000

    public static let description = NodeDescription(
        type: "custom",
        displayName: "Custom code",
        group: .general,
        summary: "Transforms or filters the items with JavaScript (ES2020+), run in a sandbox with CPU-time and memory limits.",
        parameters: [
            Parameter("input", .inputReference,
                      help: "The items the code receives: a node and an optional JSONPath applied to each of its items. "
                          + "Default: the output of the upstream node."),
            Parameter("inputs", .map(of: .inputReference),
                      help: "More inputs by name, e.g. {\"owners\": {\"node\": \"owners\"}}; the code reads them as "
                          + "inputs.owners (an array)."),
            Parameter("code", .string(.javascript), required: true,
                      help: """
                          The body of a JavaScript function (await allowed). all mode: receives items, inputs, weft and \
                          returns an array, e.g. `return items.filter(i => i.size > 10).map(i => ({id: i.id}))`. \
                          each mode: receives item, index, inputs, weft and returns an item, an array of items, or \
                          nothing. Helpers: weft.jsonpath(value, path) → array of matches, e.g. \
                          weft.jsonpath(item, '$.Tags[*].Key'); weft.xmlToJson(text) → {root: …} (attributes as \
                          "@name", repeated elements as arrays, text as "#text"); weft.cidr.contains('10.0.0.0/8', \
                          '10.1.0.0/16') → true; weft.cidr.isPublic('0.0.0.0/0') → true; weft.date.parse(isoOrEpoch) \
                          → Date; weft.date.format(date, 'YYYY-MM-DD HH:mm:ss') (UTC; ISO 8601 without a pattern); \
                          weft.date.addDays(date, -90) → Date; weft.csv.parse(text) → objects keyed by the header; \
                          weft.csv.stringify(rows, columns?) → text; weft.vars.<name> (flow variables); \
                          weft.execution.{id, runId, connector, accountId, region, dryRun, startedAt}. \
                          console.log/info/warn/error go to the step's log. No require, process, fetch or timers.
                          """),
            Parameter("mode", .choice(Mode.allCases.map(\.rawValue)), default: "all",
                      help: "all: the code runs once with all items. each: the code runs once per item."),
            Parameter("limits", .object([
                Parameter("cpuSeconds", .number, help: "CPU time for the step, default 30, at most 600."),
                Parameter("memoryMB", .integer(min: 16, max: 8_192), help: "Resident memory of the sandbox, default 512."),
            ]), help: "The step's sandbox limits."),
        ],
        example: [
            "mode": "all",
            "code": "return items.filter(i => i.State?.Name === 'running').map(i => ({ id: i.InstanceId, type: i.InstanceType }));",
        ]
    )

    public static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        let limits = try sandboxLimits(parameters.limits)
        let items = try context.items(parameters.input)
        let named = try (parameters.inputs ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, try context.items($0.value)) }
        let mode = parameters.mode ?? .all
        let code = parameters.code
        let environment = sandboxEnvironment(context)
        let pool = context.services[JavaScriptSandboxPool.self] ?? .shared
        let total = items.count
        let (outcome, logs) = try await pool.withSession(limits: limits) { session -> (Result<Items, JavaScriptError>, [String]) in
            do {
                try session.beginCustom(code: code, mode: mode == .each ? .each : .all, inputNames: named.map(\.0),
                                        environment: environment)
                for (name, input) in named {
                    try input.forEachPage(size: pageSize) { _, _, page in try session.addInput(name: name, page: page) }
                }
                var output = ItemsBuilder()
                switch mode {
                case .all:
                    try items.forEachPage(size: pageSize) { _, _, page in try session.addInput(page: page) }
                    try session.runAll { output.append(contentsOf: $0) }
                case .each:
                    try items.forEachPage(size: pageSize) { first, count, page in
                        output.append(contentsOf: try session.runEach(start: first, page: page))
                        context.progress(done: first + count, total: total)
                    }
                }
                return (.success(output.finish()), session.logs)
            } catch let error as JavaScriptError {
                return (.failure(error), session.logs)
            }
        }
        for line in logs { context.log(context.secrets.mask(line)) }
        switch outcome {
        case .success(let output):
            return NodeResult(main: output)
        case .failure(let error):
            throw nodeError(error, context: context)
        }
    }

    /// The step's limits: the defaults, changed by the node's `limits` within `JavaScriptLimits.maximum`.
    static func sandboxLimits(_ given: Limits?) throws -> JavaScriptLimits {
        var limits = JavaScriptLimits()
        if let seconds = given?.cpuSeconds {
            guard seconds > 0, seconds <= JavaScriptLimits.maximum.cpuSeconds else {
                throw NodeError("limits.cpuSeconds must be greater than 0 and at most \(Int(JavaScriptLimits.maximum.cpuSeconds))",
                                code: "invalidParameter")
            }
            limits.cpuSeconds = seconds
        }
        if let megabytes = given?.memoryMB {
            guard megabytes >= 16, megabytes << 20 <= JavaScriptLimits.maximum.memoryBytes else {
                throw NodeError("limits.memoryMB must be between 16 and \(JavaScriptLimits.maximum.memoryBytes >> 20)",
                                code: "invalidParameter")
            }
            limits.memoryBytes = megabytes << 20
        }
        return limits
    }

    /// `weft.vars` (the flow's variables, by name) and `weft.execution`.
    static func sandboxEnvironment(_ context: NodeContext) -> JavaScriptSession.Environment {
        var variables = JSONObject()
        for name in context.variables.keys.sorted() { variables[name] = context.variables[name] }
        return JavaScriptSession.Environment(variables: variables, execution: context.execution.json)
    }

    /// The step's error for a sandbox failure, naming the node; a cancellation stays a cancellation.
    static func nodeError(_ error: JavaScriptError, context: NodeContext, subject: String? = nil) -> any Error {
        if error.kind == .cancelled, Task.isCancelled { return CancellationError() }
        let code: String
        switch error.kind {
        case .syntax: code = "javascriptSyntax"
        case .exception: code = "javascriptException"
        case .cpu: code = "cpuLimit"
        case .memory: code = "memoryLimit"
        case .output: code = "outputLimit"
        case .crashed: code = "sandboxCrashed"
        case .cancelled: code = "cancelled"
        }
        let node = "node '\(context.nodeName)'" + (subject.map { ", \($0)" } ?? "")
        return NodeError(context.secrets.mask("\(node): \(error)"), itemIndex: error.itemIndex, code: code)
    }
}

/// The outcomes of a condition set's `function` conditions for every item, computed in the sandbox
/// a page of items at a time before the node tests the items; `precomputed(at:)` gives them to
/// `CompiledConditions.evaluate(_:context:precomputed:)`.
struct FunctionConditionResults: Sendable {
    private var outcomes: [String: [ConditionOutcome]] = [:]
    /// Details of the results other than a plain true or false, by condition id and item index.
    private var details: [String: [Int: String]] = [:]

    /// No results: for condition sets without `function` conditions.
    static let none = FunctionConditionResults()

    /// Runs the `function` conditions of `compiled` over `items`; `.none` when there are none.
    /// - Throws: `NodeError` naming the node and condition when a function does not parse, or when
    ///   the sandbox stops on a limit.
    static func evaluate(_ compiled: CompiledConditions, items: Items, context: NodeContext) async throws -> FunctionConditionResults {
        let functions = compiled.externallyEvaluated.compactMap { entry in
            (entry.condition as? FunctionCondition).map { (id: entry.id, code: $0.code) }
        }
        guard !functions.isEmpty, !items.isEmpty else { return .none }
        let environment = CustomNode.sandboxEnvironment(context)
        let now = ISODate.format(context.now)
        let pool = context.services[JavaScriptSandboxPool.self] ?? .shared
        let subject = functions.count == 1 ? "condition \(functions[0].id)" : "conditions " + functions.map(\.id).joined(separator: ", ")
        let outcome = try await pool.withSession { session -> Result<FunctionConditionResults, JavaScriptError> in
            do {
                try session.beginConditions(functions, environment: environment, now: now)
                var results = FunctionConditionResults()
                try items.forEachPage(size: CustomNode.pageSize) { first, _, page in
                    for (id, list) in try session.evaluateConditions(start: first, page: page) {
                        results.append(list, id: id, first: first)
                    }
                }
                return .success(results)
            } catch let error as JavaScriptError {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let results): return results
        case .failure(let error): throw CustomNode.nodeError(error, context: context, subject: subject)
        }
    }

    private static let heldDetail = "function returned true"
    private static let notHeldDetail = "function returned false"

    private mutating func append(_ list: [ConditionResult], id: String, first: Int) {
        var outcomes = self.outcomes[id] ?? []
        outcomes.reserveCapacity(first + list.count)
        for (offset, result) in list.enumerated() {
            outcomes.append(result.outcome)
            if result.detail != Self.heldDetail, result.detail != Self.notHeldDetail {
                details[id, default: [:]][first + offset] = result.detail
            }
        }
        self.outcomes[id] = outcomes
    }

    /// The results for the item at `index`, by condition id.
    func precomputed(at index: Int) -> [String: ConditionResult] {
        guard !outcomes.isEmpty else { return [:] }
        var results: [String: ConditionResult] = [:]
        for (id, list) in outcomes where index < list.count {
            let outcome = list[index]
            let detail = details[id]?[index] ?? (outcome == .held ? Self.heldDetail : Self.notHeldDetail)
            results[id] = ConditionResult(outcome, detail)
        }
        return results
    }
}
