import WeftEngine

/// The cloud node types (AWS today; Azure and GCP to come), in palette order.
public enum CloudNodeCatalog {
    public static let types: [any NodeType.Type] = [
        AWSResourceNode.self,
        AWSActionNode.self,
        AWSRawNode.self,
    ]
}
