/// The DAG of a flow's nodes and edges.
public struct FlowGraph: Sendable {
    /// Node ids in document order.
    public let nodeIds: [String]
    public let edges: [FlowEdge]
    /// Incoming edges of each node, in the order of the document's edges.
    public let incoming: [String: [FlowEdge]]
    /// Outgoing edges of each node, in the order of the document's edges.
    public let outgoing: [String: [FlowEdge]]

    public init(nodeIds: [String], edges: [FlowEdge]) {
        self.nodeIds = nodeIds
        self.edges = edges
        var incoming: [String: [FlowEdge]] = [:]
        var outgoing: [String: [FlowEdge]] = [:]
        for edge in edges {
            incoming[edge.to, default: []].append(edge)
            outgoing[edge.from, default: []].append(edge)
        }
        self.incoming = incoming
        self.outgoing = outgoing
    }

    public init(_ document: FlowDocument) {
        self.init(nodeIds: document.nodes.map(\.id), edges: document.edges)
    }

    /// Ids of the nodes upstream of `id` (not including it).
    public func ancestors(of id: String) -> Set<String> {
        var seen: Set<String> = []
        var stack = incoming[id]?.map(\.from) ?? []
        while let next = stack.popLast() {
            if seen.insert(next).inserted { stack += incoming[next]?.map(\.from) ?? [] }
        }
        return seen
    }

    /// Ids of the nodes downstream of `id` (not including it).
    public func descendants(of id: String) -> Set<String> {
        var seen: Set<String> = []
        var stack = outgoing[id]?.map(\.to) ?? []
        while let next = stack.popLast() {
            if seen.insert(next).inserted { stack += outgoing[next]?.map(\.to) ?? [] }
        }
        return seen
    }

    /// The nodes of one cycle in edge order, or an empty array when the graph is acyclic.
    /// Iterative, so flows of any length are checked without deep recursion.
    public func cycle() -> [String] {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        for root in nodeIds where marks[root] == nil {
            var path: [String] = [root]
            var nextEdge: [Int] = [0]
            marks[root] = .visiting
            while let current = path.last {
                let edges = outgoing[current] ?? []
                let index = nextEdge[nextEdge.count - 1]
                guard index < edges.count else {
                    marks[current] = .done
                    path.removeLast()
                    nextEdge.removeLast()
                    continue
                }
                nextEdge[nextEdge.count - 1] += 1
                let target = edges[index].to
                switch marks[target] {
                case .visiting:
                    return Array(path[(path.firstIndex(of: target) ?? 0)...])
                case .done:
                    continue
                case nil:
                    marks[target] = .visiting
                    path.append(target)
                    nextEdge.append(0)
                }
            }
        }
        return []
    }
}
