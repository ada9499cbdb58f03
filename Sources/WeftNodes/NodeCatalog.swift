import WeftEngine

/// The one table of the node types built into Weft. Validation, `weft nodes`, the API's node-type
/// list and the runner all read it.
public enum NodeCatalog {
    /// Every built-in node type, in the order the palette lists them.
    public static let types: [any NodeType.Type] = [
        TriggerNode.self,
        DataNode.self,
        FilterNode.self,
        ControlNode.self,
        FormatterNode.self,
        JoinerNode.self,
        LoopNode.self,
        ReportNode.self,
        CustomNode.self,
        HTTPNode.self,
        LargeHTTPNode.self,
    ]

    public static var registry: NodeRegistry { NodeRegistry(types) }
}
