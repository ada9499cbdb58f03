import WeftModel

/// A node type that repeats a body of other nodes (the `loop` node).
///
/// The engine runs the node itself once, then its body, then asks `shouldExit` with the body's last
/// output; it repeats the body until that returns true or `maxIterations` is reached.
public protocol LoopingNodeType: NodeType {
    /// The ids of the nodes repeated, and the iteration limit.
    static func loopShape(_ parameters: Parameters) -> (body: [String], maxIterations: Int)
    /// Whether the loop ends after an iteration whose body produced `lastOutput`.
    static func shouldExit(_ parameters: Parameters, lastOutput: Items, context: NodeContext) throws -> Bool
}

extension NodeRegistry {
    /// The loop shape of a node, when its type is a looping node type.
    func loopShape(type: any NodeType.Type, params: JSON) throws -> (body: [String], maxIterations: Int)? {
        guard let looping = type as? any LoopingNodeType.Type else { return nil }
        return try Self.shape(looping, params: params)
    }

    private static func shape<N: LoopingNodeType>(_ type: N.Type, params: JSON) throws -> (body: [String], maxIterations: Int) {
        N.loopShape(try decodeParameters(type, params: params))
    }

    func loopShouldExit(type: any NodeType.Type, params: JSON, lastOutput: Items, context: NodeContext) throws -> Bool {
        guard let looping = type as? any LoopingNodeType.Type else { return true }
        return try Self.exit(looping, params: params, lastOutput: lastOutput, context: context)
    }

    private static func exit<N: LoopingNodeType>(_ type: N.Type, params: JSON, lastOutput: Items, context: NodeContext) throws -> Bool {
        try N.shouldExit(try decodeParameters(type, params: params), lastOutput: lastOutput, context: context)
    }
}
