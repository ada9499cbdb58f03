import WeftCloudNodes
import WeftEngine
import WeftNodes

/// Every node type this build of `weft` knows: the general ones and the cloud ones.
enum AllNodeTypes {
    static let registry = NodeRegistry(NodeCatalog.types + CloudNodeCatalog.types)
}
