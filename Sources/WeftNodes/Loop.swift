import WeftEngine
import WeftModel

/// Repeats a body of nodes until an exit condition holds on the body's output, at most 10 times.
enum LoopNode: LoopingNodeType {
    struct Parameters: Decodable, Sendable {
        var body: [String]
        var maxIterations: Int
        var exitWhen: JSON?
    }

    static let description = NodeDescription(
        type: "loop", displayName: "Loop", group: .general,
        summary: "Runs the nodes of its body, then repeats them until the exit condition holds on the body's last output or the iteration limit is reached. The body runs at least once, each time with the loop's input; the loop's output is the last iteration's output.",
        parameters: [
            Parameter("body", .array(of: .nodeReference, maxItems: nil), required: true,
                      help: "Ids of the nodes repeated. Connect the loop to the first of them; the nodes after the loop connect to the loop itself."),
            Parameter("maxIterations", .integer(min: 1, max: 10), default: 3,
                      help: "How many times the body runs at most (1–10)."),
            Parameter("exitWhen", .conditions,
                      help: "Conditions tested on each item of the body's last output; the loop ends when some item satisfies them. Without it, the body runs maxIterations times."),
        ],
        example: [
            "body": ["node-1a2b3c4d-formatter"], "maxIterations": 5,
            "exitWhen": ["conditions": [["id": "c1", "type": "param", "key": "$.status", "operator": "==", "value": "done"]], "expression": "c1"],
        ],
        check: checkBody)

    /// The body must be non-empty, lie downstream of the loop, hold no loop, take its inputs only from
    /// the loop and itself, and lead nowhere outside itself.
    @Sendable static func checkBody(_ node: FlowNode, _ document: FlowDocument) -> [ModelIssue] {
        guard case .array(let ids)? = node.params["body"] else { return [] }
        if ids.isEmpty { return [ModelIssue(pointer: "/body", message: "the body needs at least one node")] }
        let graph = FlowGraph(document)
        let downstream = graph.descendants(of: node.id)
        let body = Set(ids.compactMap { $0.stringValue.flatMap { document.node($0)?.id } })
        var issues: [ModelIssue] = []
        for (index, id) in ids.enumerated() {
            guard let name = id.stringValue, let member = document.node(name) else { continue }
            let pointer = "/body/\(index)"
            if member.id == node.id {
                issues.append(ModelIssue(pointer: pointer, message: "a loop cannot be part of its own body"))
            } else if member.type == description.type {
                issues.append(ModelIssue(pointer: pointer, message: "loops cannot be nested: '\(member.id)' is a loop"))
            } else if !downstream.contains(member.id) {
                issues.append(ModelIssue(pointer: pointer, message: "body node '\(member.id)' is not downstream of the loop (connect the loop to it)"))
            }
            for edge in graph.incoming[member.id] ?? [] where edge.from != node.id && !body.contains(edge.from) {
                issues.append(ModelIssue(pointer: pointer, message: "body node '\(member.id)' has an input from '\(edge.from)', which is neither the loop nor in its body"))
            }
            for edge in graph.outgoing[member.id] ?? [] where !body.contains(edge.to) {
                issues.append(ModelIssue(pointer: pointer, message: "body node '\(member.id)' leads to '\(edge.to)' outside the body; connect the nodes after the loop to the loop itself"))
            }
        }
        return issues
    }

    /// The loop node itself passes its input on to the body.
    static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        NodeResult(main: context.input)
    }

    static func loopShape(_ parameters: Parameters) -> (body: [String], maxIterations: Int) {
        (parameters.body, min(max(parameters.maxIterations, 1), 10))
    }

    static func shouldExit(_ parameters: Parameters, lastOutput: Items, context: NodeContext) throws -> Bool {
        guard let exitWhen = parameters.exitWhen else { return false }
        let compiled: CompiledConditions
        do {
            compiled = try ConditionSet(exitWhen).compile()
        } catch {
            throw NodeError("invalid exitWhen: \(error)", code: "invalidParameter")
        }
        var exit = false
        try lastOutput.forEach { item in
            if !exit, compiled.evaluate(item, now: context.now).matched { exit = true }
        }
        return exit
    }
}
