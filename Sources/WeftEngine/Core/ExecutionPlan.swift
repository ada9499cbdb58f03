import WeftModel

/// The static shape of one execution, as the state machine sees it: which nodes run, how they are
/// connected, and how each one behaves on failure.
public struct ExecutionPlan: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        public var id: String
        public var retry: RetryPolicy?
        public var onError: OnError
        /// Outputs a successful attempt emits (`main`, `rejected`, …), not counting `error`.
        public var outputs: [String]
        /// For a loop node: the ids of the nodes it repeats and its iteration limit.
        public var loop: Loop?

        public init(id: String, retry: RetryPolicy? = nil, onError: OnError = .stop, outputs: [String] = ["main"], loop: Loop? = nil) {
            self.id = id; self.retry = retry; self.onError = onError; self.outputs = outputs; self.loop = loop
        }
    }

    public struct Loop: Sendable, Equatable {
        public var body: Set<String>
        public var maxIterations: Int
        public init(body: Set<String>, maxIterations: Int) { self.body = body; self.maxIterations = maxIterations }
    }

    /// Nodes that take part, in document order.
    public var nodes: [Node]
    /// Edges between nodes that take part.
    public var edges: [FlowEdge]
    /// Nodes already completed by an earlier execution (redrive), with the outputs they emitted.
    public var completed: [String: Set<String>]

    public init(nodes: [Node], edges: [FlowEdge], completed: [String: Set<String>] = [:]) {
        self.nodes = nodes; self.edges = edges; self.completed = completed
    }
}
