import Foundation
import WeftModel

/// Why a run could not start.
public enum RunError: Error, CustomStringConvertible, Equatable {
    case unknownVariable(String)
    case unknownNode(String)
    /// A node's parameters are invalid once the run's variables are substituted.
    case invalidParameters(nodeId: String, message: String)

    public var description: String {
        switch self {
        case .unknownVariable(let name): return "unknown variable '\(name)' (the flow declares no such variable)"
        case .unknownNode(let id): return "unknown node '\(id)'"
        case .invalidParameters(let nodeId, let message): return "node '\(nodeId)': \(message)"
        }
    }
}

/// Runs flows: validates them, fans a run out into executions, drives each execution's state machine,
/// and writes everything to the step journal.
public final class Runner: Sendable {
    public let registry: NodeRegistry
    public let store: any Store
    public let configuration: RunnerConfiguration

    public init(registry: NodeRegistry, store: any Store, configuration: RunnerConfiguration = RunnerConfiguration()) {
        self.registry = registry; self.store = store; self.configuration = configuration
    }

    /// Runs `document` to the end and returns its summary.
    ///
    /// Throws `FlowValidationError` when the document is invalid and `RunError` for bad options, before
    /// anything is recorded; node failures do not throw, they end the execution `failed`.
    public func run(_ document: FlowDocument, options: RunOptions = RunOptions(),
                    observer: (any RunObserver)? = nil) async throws -> RunSummary {
        let issues = registry.validator.validate(document)
        guard issues.isEmpty else { throw FlowValidationError(issues) }
        var variables: [String: JSON] = [:]
        for variable in document.variables { variables[variable.name] = variable.value }
        for (name, value) in options.variables {
            guard variables[name] != nil else { throw RunError.unknownVariable(name) }
            variables[name] = value
        }
        let masker = SecretMasker(secretValues: document.variables.filter(\.secret).compactMap { variables[$0.name] } + options.secrets)
        if let till = options.runTill, document.node(till) == nil { throw RunError.unknownNode(till) }
        var options = options
        options.pinned = try Dictionary(options.pinned.map { key, items in
            guard let node = document.node(key) else { throw RunError.unknownNode(key) }
            return (node.id, items)
        }, uniquingKeysWith: { first, _ in first })
        let dryRun = options.dryRun || options.runTill != nil
        let plan = try makePlan(document, runTill: options.runTill.flatMap { document.node($0)?.id }, variables: variables,
                                masker: masker)

        var optionsJSON: JSONObject = [:]
        if !options.variables.isEmpty {
            optionsJSON["variables"] = masker.mask(.object(JSONObject(uniqueKeysWithValues: options.variables.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })))
        }
        if let till = options.runTill { optionsJSON["runTill"] = .string(till) }
        if options.allowActions { optionsJSON["allowActions"] = true }
        if !options.pinned.isEmpty { optionsJSON["pinned"] = .array(options.pinned.keys.sorted().map { .string($0) }) }
        if let retried = options.retryOf { optionsJSON["retryOf"] = .string(retried) }
        let reusedNodes = Set(options.reused.values.flatMap(\.outputs.keys))
        if !reusedNodes.isEmpty { optionsJSON["reused"] = .array(reusedNodes.sorted().map { .string($0) }) }
        let run = RunRecord(id: Runner.newId(), flowId: options.flowId, flowVersion: options.flowVersion,
                            flowName: dryRun ? "_dry_run_\(document.name)" : document.name, trigger: options.trigger,
                            dryRun: dryRun, status: .running, options: .object(optionsJSON), createdAt: Date())
        try await store.createRun(run)
        let targets = options.targets.isEmpty ? [ExecutionTarget.local] : options.targets
        var executions: [ExecutionRecord] = []
        for target in targets {
            let execution = ExecutionRecord(id: Runner.newId(), runId: run.id, connector: target.connector,
                                            accountId: target.accountId, region: target.region,
                                            provider: target.provider, status: .queued)
            try await store.createExecution(execution)
            executions.append(execution)
        }
        observer?.runStarted(run, executions: executions)

        let context = RunContext(document: document, plan: plan, variables: variables, masker: masker,
                                 options: options, dryRun: dryRun, observer: observer)
        var summaries = [ExecutionSummary?](repeating: nil, count: executions.count)
        let limit = max(1, configuration.maxConcurrentExecutions)
        await withTaskGroup(of: (Int, ExecutionSummary).self) { group in
            var next = 0
            func launch() {
                let index = next
                let execution = executions[index]
                next += 1
                group.addTask {
                    let driver = ExecutionDriver(runner: self, context: context, execution: execution)
                    return (index, await driver.run())
                }
            }
            while next < executions.count, next < limit { launch() }
            for await (index, summary) in group {
                summaries[index] = summary
                if next < executions.count { launch() }
            }
        }
        let finished = summaries.compactMap { $0 }
        var finalRun = run
        finalRun.status = Runner.runStatus(finished.map(\.execution.status), tolerated: document.toleratedFailures)
        finalRun.endedAt = Date()
        try await store.updateRun(id: run.id, status: finalRun.status, endedAt: finalRun.endedAt)
        return RunSummary(run: finalRun, executions: finished)
    }

    /// A run succeeds when all its executions do, or when the failures stay within `tolerated`.
    public static func runStatus(_ statuses: [RunStatus], tolerated: ToleratedFailures?) -> RunStatus {
        if statuses.allSatisfy({ $0 == .success }) { return .success }
        if statuses.contains(.cancelled) { return .cancelled }
        let failures = statuses.filter { $0 != .success }.count
        switch tolerated {
        case .count(let n)? where failures <= n: return .success
        case .percent(let p)? where Double(failures) * 100 <= p * Double(statuses.count): return .success
        default: return .failed
        }
    }

    /// The nodes that take part in a run (all, or the run-till node and its ancestors) and their behaviour.
    /// Throws `RunError.invalidParameters` (secrets masked) when a loop's parameters are invalid.
    func makePlan(_ document: FlowDocument, runTill: String?, variables: [String: JSON],
                  masker: SecretMasker) throws(RunError) -> ExecutionPlan {
        let graph = FlowGraph(document)
        var selected = Set(document.nodes.map(\.id))
        if let runTill { selected = graph.ancestors(of: runTill).union([runTill]) }
        var nodes: [ExecutionPlan.Node] = []
        var loops: [String: ExecutionPlan.Loop] = [:]
        for node in document.nodes where !node.settings.disabled {
            guard let type = registry.type(named: node.type), type is any LoopingNodeType.Type else { continue }
            do {
                let params = try ParameterResolver.resolve(node: node, description: type.description, variables: variables)
                if let shape = try registry.loopShape(type: type, params: params) {
                    let body = Set(shape.body.compactMap { document.node($0)?.id })
                    loops[node.id] = ExecutionPlan.Loop(body: body, maxIterations: shape.maxIterations)
                }
            } catch {
                throw .invalidParameters(nodeId: node.id, message: masker.mask("\(error)"))
            }
        }
        for (id, loop) in loops where selected.contains(id) { selected.formUnion(loop.body) }
        for node in document.nodes where selected.contains(node.id) {
            guard let description = registry.description(of: node.type) else { continue }
            nodes.append(ExecutionPlan.Node(id: node.id, retry: node.settings.retry, onError: node.settings.onError,
                                            outputs: description.outputs, loop: loops[node.id]))
        }
        let edges = document.edges.filter { selected.contains($0.from) && selected.contains($0.to) }
        return ExecutionPlan(nodes: nodes, edges: edges)
    }

    static func newId() -> String { UUID().uuidString.lowercased() }
}

/// What every execution of one run shares.
struct RunContext: Sendable {
    let document: FlowDocument
    let plan: ExecutionPlan
    let variables: [String: JSON]
    let masker: SecretMasker
    let options: RunOptions
    let dryRun: Bool
    let observer: (any RunObserver)?
}

/// Turns a node's `params` into the values it runs with: declared defaults filled in and flow variables
/// substituted.
enum ParameterResolver {
    static func resolve(node: FlowNode, description: NodeDescription, variables: [String: JSON]) throws -> JSON {
        let withDefaults = description.applyingDefaults(to: node.params)
        do {
            return try VariableSubstitution(variables).apply(to: .object(withDefaults), pointer: "/params")
        } catch {
            throw NodeError("\(error.pointer): \(error.message)", code: "invalidParameter")
        }
    }
}
