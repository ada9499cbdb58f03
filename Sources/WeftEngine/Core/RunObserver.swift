import WeftModel

/// Follows a run as it happens: the CLI's progress display, the server's live updates.
/// Every method has an empty default; callbacks may arrive from several tasks at once.
public protocol RunObserver: Sendable {
    func runStarted(_ run: RunRecord, executions: [ExecutionRecord])
    func stepStarted(_ execution: ExecutionRecord, nodeId: String, attempt: Int, itemsIn: Int)
    func stepProgress(_ execution: ExecutionRecord, nodeId: String, done: Int, total: Int?)
    /// A step ended; `outputs` are the node's outputs with secrets masked.
    func stepFinished(_ execution: ExecutionRecord, record: StepRecord, outputs: [String: Items])
    func executionFinished(_ execution: ExecutionRecord)
}

extension RunObserver {
    public func runStarted(_ run: RunRecord, executions: [ExecutionRecord]) {}
    public func stepStarted(_ execution: ExecutionRecord, nodeId: String, attempt: Int, itemsIn: Int) {}
    public func stepProgress(_ execution: ExecutionRecord, nodeId: String, done: Int, total: Int?) {}
    public func stepFinished(_ execution: ExecutionRecord, record: StepRecord, outputs: [String: Items]) {}
    public func executionFinished(_ execution: ExecutionRecord) {}
}

/// Forwards every callback to several observers in order.
public struct ObserverGroup: RunObserver {
    public let observers: [any RunObserver]
    public init(_ observers: [any RunObserver]) { self.observers = observers }

    public func runStarted(_ run: RunRecord, executions: [ExecutionRecord]) {
        for o in observers { o.runStarted(run, executions: executions) }
    }
    public func stepStarted(_ execution: ExecutionRecord, nodeId: String, attempt: Int, itemsIn: Int) {
        for o in observers { o.stepStarted(execution, nodeId: nodeId, attempt: attempt, itemsIn: itemsIn) }
    }
    public func stepProgress(_ execution: ExecutionRecord, nodeId: String, done: Int, total: Int?) {
        for o in observers { o.stepProgress(execution, nodeId: nodeId, done: done, total: total) }
    }
    public func stepFinished(_ execution: ExecutionRecord, record: StepRecord, outputs: [String: Items]) {
        for o in observers { o.stepFinished(execution, record: record, outputs: outputs) }
    }
    public func executionFinished(_ execution: ExecutionRecord) {
        for o in observers { o.executionFinished(execution) }
    }
}
