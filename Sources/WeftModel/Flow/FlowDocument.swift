import OrderedCollections

/// A flow document (SPEC §2): trigger, nodes, edges, variables and targets.
public struct FlowDocument: Sendable, Equatable {
    /// The format version; this build reads version 1.
    public var weft: Int
    public var name: String
    public var description: String
    public var categories: [String]
    public var tags: [String]
    public var variables: [FlowVariable]
    public var targets: [FlowTarget]
    public var nodes: [FlowNode]
    public var edges: [FlowEdge]
    /// How many executions of a run may fail before the run counts as failed.
    public var toleratedFailures: ToleratedFailures?
    /// Editor-only data; the engine ignores it.
    public var ui: JSON?

    public static let currentFormat = 1

    public init(weft: Int = FlowDocument.currentFormat, name: String, description: String = "",
                categories: [String] = [], tags: [String] = [], variables: [FlowVariable] = [],
                targets: [FlowTarget] = [], nodes: [FlowNode], edges: [FlowEdge],
                toleratedFailures: ToleratedFailures? = nil, ui: JSON? = nil) {
        self.weft = weft; self.name = name; self.description = description; self.categories = categories
        self.tags = tags; self.variables = variables; self.targets = targets; self.nodes = nodes
        self.edges = edges; self.toleratedFailures = toleratedFailures; self.ui = ui
    }

    /// The node with the given id, or else with the given name.
    public func node(_ idOrName: String) -> FlowNode? {
        nodes.first { $0.id == idOrName } ?? nodes.first { $0.name == idOrName }
    }
}

public enum VariableType: String, Sendable, CaseIterable {
    case auto, array, object, string
}

/// A flow variable; a run may override its value.
public struct FlowVariable: Sendable, Equatable {
    public var name: String
    public var type: VariableType
    public var value: JSON
    /// A secret value is masked as `"*****"` wherever it would be recorded or shown.
    public var secret: Bool
    public var description: String

    public init(name: String, type: VariableType = .auto, value: JSON, secret: Bool = false, description: String = "") {
        self.name = name; self.type = type; self.value = value; self.secret = secret; self.description = description
    }
}

/// Where a flow runs: a connector and some of its regions (all of them when empty).
public struct FlowTarget: Sendable, Equatable {
    public var connector: String
    public var regions: [String]
    public init(connector: String, regions: [String] = []) { self.connector = connector; self.regions = regions }
}

public enum ToleratedFailures: Sendable, Equatable {
    case count(Int)
    case percent(Double)
}

/// One step of a flow.
public struct FlowNode: Sendable, Equatable {
    public var id: String
    public var type: String
    /// A label unique in the flow; defaults to the type's display name plus a number.
    public var name: String
    public var params: JSONObject
    public var settings: NodeSettings
    public var ui: JSON?

    public init(id: String, type: String, name: String? = nil, params: JSONObject = [:],
                settings: NodeSettings = NodeSettings(), ui: JSON? = nil) {
        self.id = id; self.type = type; self.name = name ?? id; self.params = params; self.settings = settings
        self.ui = ui
    }
}

/// What a node does when it fails.
public enum OnError: String, Sendable, CaseIterable {
    /// The execution fails.
    case stop
    /// The step is recorded as failed, its outputs are empty and the execution goes on.
    case `continue`
    /// The error is sent as one item on the node's `error` output; its other outputs are not taken.
    case errorOutput
}

public struct RetryPolicy: Sendable, Equatable {
    public enum Backoff: String, Sendable, CaseIterable { case exponential, fixed }
    public var maxAttempts: Int
    public var initialDelayMs: Int
    public var maxDelayMs: Int
    public var backoff: Backoff

    public init(maxAttempts: Int = 3, initialDelayMs: Int = 1000, maxDelayMs: Int = 30_000, backoff: Backoff = .exponential) {
        self.maxAttempts = maxAttempts; self.initialDelayMs = initialDelayMs; self.maxDelayMs = maxDelayMs
        self.backoff = backoff
    }

    /// The delay before attempt `attempt + 1`, before jitter, after `attempt` failed attempts.
    public func delayMs(afterAttempt attempt: Int) -> Int {
        switch backoff {
        case .fixed: return min(initialDelayMs, maxDelayMs)
        case .exponential:
            let exponent = min(max(attempt - 1, 0), 30)
            let delay = Double(initialDelayMs) * Double(1 << exponent)
            return Int(min(delay, Double(maxDelayMs)))
        }
    }
}

/// Per-node execution settings (SPEC §2 `settings`).
public struct NodeSettings: Sendable, Equatable {
    /// The longest `timeoutSeconds` accepted: one day.
    public static let maximumTimeoutSeconds = 86_400.0
    public var retry: RetryPolicy?
    public var timeoutSeconds: Double?
    public var onError: OnError
    public var disabled: Bool

    public init(retry: RetryPolicy? = nil, timeoutSeconds: Double? = nil, onError: OnError = .stop, disabled: Bool = false) {
        self.retry = retry; self.timeoutSeconds = timeoutSeconds; self.onError = onError; self.disabled = disabled
    }
}

/// A connection from one node's output to another node.
public struct FlowEdge: Sendable, Equatable, Hashable {
    public var from: String
    public var to: String
    /// The output of `from` this edge carries: `main` unless it names a second output (`rejected`, `error`).
    public var output: String

    public init(from: String, to: String, output: String = "main") {
        self.from = from; self.to = to; self.output = output
    }
}
