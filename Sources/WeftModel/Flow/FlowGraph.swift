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
    public func cycle() -> [String] {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        func visit(_ id: String) -> [String]? {
            switch marks[id] {
            case .done: return nil
            case .visiting:
                if let start = path.firstIndex(of: id) { return Array(path[start...]) }
                return [id]
            case nil: break
            }
            marks[id] = .visiting
            path.append(id)
            for edge in outgoing[id] ?? [] {
                if let found = visit(edge.to) { return found }
            }
            path.removeLast()
            marks[id] = .done
            return nil
        }
        for id in nodeIds {
            if let found = visit(id) { return found }
        }
        return []
    }

    /// Node ids in an order where every node comes after its upstream nodes; ties keep document order.
    /// Precondition: the graph is acyclic.
    public func topologicalOrder() -> [String] {
        var remaining: [String: Int] = [:]
        for id in nodeIds { remaining[id] = incoming[id]?.count ?? 0 }
        var order: [String] = []
        var ready = nodeIds.filter { remaining[$0] == 0 }
        var position = Dictionary(uniqueKeysWithValues: nodeIds.enumerated().map { ($1, $0) })
        while !ready.isEmpty {
            let id = ready.removeFirst()
            order.append(id)
            for edge in outgoing[id] ?? [] {
                remaining[edge.to, default: 0] -= 1
                if remaining[edge.to] == 0 {
                    let p = position[edge.to] ?? 0
                    let insertAt = ready.firstIndex { (position[$0] ?? 0) > p } ?? ready.count
                    ready.insert(edge.to, at: insertAt)
                }
            }
        }
        position.removeAll()
        return order
    }
}
