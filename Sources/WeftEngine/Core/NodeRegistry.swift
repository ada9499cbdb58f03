import WeftModel

/// The node types a runner knows, by type name.
public struct NodeRegistry: Sendable {
    public let types: [any NodeType.Type]
    private let byName: [String: any NodeType.Type]

    public init(_ types: [any NodeType.Type]) {
        self.types = types
        byName = Dictionary(types.map { ($0.description.type, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public var descriptions: [NodeDescription] { types.map { $0.description } }

    public func type(named name: String) -> (any NodeType.Type)? { byName[name] }

    public func description(of name: String) -> NodeDescription? { byName[name]?.description }

    public var validator: FlowValidator { FlowValidator(descriptions: descriptions) }

    /// Decodes `params` (already resolved: variables substituted, defaults applied) for the node type and
    /// runs one attempt outside any execution, as benchmarks and node tests do. Decoding errors become
    /// `NodeError`s that name the parameter's JSON pointer.
    public func execute(_ type: any NodeType.Type, params: JSON, context: NodeContext) async throws -> NodeResult {
        try await Self.decodeAndExecute(type, params: params, context: context)
    }

    private static func decodeAndExecute<N: NodeType>(_ type: N.Type, params: JSON, context: NodeContext) async throws -> NodeResult {
        try await N.execute(try decodeParameters(type, params: params), context: context)
    }

    /// Decodes a node's parameters; a `DecodingError` becomes a `NodeError` naming the parameter's pointer.
    static func decodeParameters<N: NodeType>(_ type: N.Type, params: JSON) throws -> N.Parameters {
        do {
            return try JSONValueDecoder().decode(N.Parameters.self, from: params)
        } catch let error as DecodingError {
            throw NodeError("invalid parameter at /params\(error.jsonPointer): \(error.readableMessage)", code: "invalidParameter")
        }
    }
}

extension NodeDescription {
    /// `params` with the declared defaults filled in for absent top-level parameters.
    public func applyingDefaults(to params: JSONObject) -> JSONObject {
        var result = params
        for parameter in parameters where result[parameter.name] == nil {
            if let value = parameter.defaultValue { result[parameter.name] = value }
        }
        return result
    }
}
