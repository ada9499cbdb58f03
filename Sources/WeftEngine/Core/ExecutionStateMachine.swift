import WeftModel

/// The life of one execution as a pure state machine: events in, actions out, no I/O.
///
/// The runner performs the actions (start a node attempt, wait before a retry, evaluate a loop's exit
/// condition, finish) and feeds back what happened as events. Every transition is a plain function of
/// the current state, so the machine is tested with tables of cases.
public struct ExecutionStateMachine: Sendable {
    public enum NodeState: Sendable, Equatable {
        case pending
        case running(attempt: Int)
        case waitingRetry(attempt: Int)
        /// Finished; `emitted` holds the outputs downstream nodes may read.
        case succeeded(emitted: Set<String>)
        /// Failed but `onError` let the execution go on (`continue`), or failed and stopped it.
        case failed(emitted: Set<String>)
        case skipped
        /// A loop node whose body is running; `iteration` is 1-based.
        case looping(iteration: Int)
    }

    public enum Action: Sendable, Equatable {
        /// Run one attempt of a node. `iteration` is the loop iteration for loop bodies, 0 elsewhere.
        case start(nodeId: String, attempt: Int, iteration: Int)
        /// Wait about `delayMs` (the runner applies jitter), then send `.retryDue(nodeId)`.
        case scheduleRetry(nodeId: String, attempt: Int, delayMs: Int)
        /// Record that a node did not run (this attempt), because none of its inputs was taken or the
        /// execution stopped; for a loop, that its iterations were cut off.
        case skip(nodeId: String, attempt: Int)
        /// A loop's body finished an iteration: evaluate its exit condition, then send `.loopEvaluated`.
        case evaluateLoop(nodeId: String, iteration: Int)
        /// Cancel node attempts still running; each will report back with `.nodeFailed`.
        case cancelRunning
        case finish(RunStatus, StepError?)
    }

    public enum Event: Sendable, Equatable {
        case start
        /// An attempt succeeded and emitted these outputs.
        case nodeSucceeded(nodeId: String, emitted: Set<String>)
        case nodeFailed(nodeId: String, error: StepError)
        case retryDue(nodeId: String)
        case loopEvaluated(nodeId: String, exit: Bool)
        /// A loop's exit condition could not be evaluated; handled like a failure of the loop node.
        case loopFailed(nodeId: String, error: StepError)
        case cancel
    }

    public private(set) var states: [String: NodeState]
    public private(set) var status: RunStatus = .queued
    private let plan: ExecutionPlan
    private let nodesById: [String: ExecutionPlan.Node]
    private let incoming: [String: [FlowEdge]]
    /// Loop node id for each body node.
    private let loopOf: [String: String]
    private var failure: StepError?
    private var stopping = false
    private var finishedReported = false

    public init(plan: ExecutionPlan) {
        self.plan = plan
        nodesById = Dictionary(plan.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var incoming: [String: [FlowEdge]] = [:]
        for edge in plan.edges where edge.from != edge.to { incoming[edge.to, default: []].append(edge) }
        self.incoming = incoming
        var loopOf: [String: String] = [:]
        for node in plan.nodes { for member in node.loop?.body ?? [] { loopOf[member] = node.id } }
        self.loopOf = loopOf
        var states: [String: NodeState] = [:]
        for node in plan.nodes { states[node.id] = plan.completed[node.id].map { .succeeded(emitted: $0) } ?? .pending }
        self.states = states
    }

    /// The loop iteration a node runs in (0 outside loops).
    public func iteration(of nodeId: String) -> Int {
        guard let loop = loopOf[nodeId], case .looping(let i)? = states[loop] else { return 0 }
        return i
    }

    public mutating func handle(_ event: Event) -> [Action] {
        var actions: [Action] = []
        switch event {
        case .start:
            guard status == .queued else { return [] }
            status = .running
        case .nodeSucceeded(let id, let emitted):
            guard case .running = states[id] else { return [] }
            if let loop = nodesById[id]?.loop, !stopping {
                states[id] = .looping(iteration: 1)
                resetBody(loop.body)
            } else {
                states[id] = .succeeded(emitted: emitted)
            }
        case .nodeFailed(let id, let error):
            guard case .running(let attempt) = states[id], let node = nodesById[id] else { return [] }
            if !stopping, error.code != "cancelled", let retry = node.retry, attempt < retry.maxAttempts {
                states[id] = .waitingRetry(attempt: attempt)
                actions.append(.scheduleRetry(nodeId: id, attempt: attempt + 1, delayMs: retry.delayMs(afterAttempt: attempt)))
                return actions
            }
            actions += settleFailure(node, error)
        case .retryDue(let id):
            guard case .waitingRetry(let attempt) = states[id] else { return [] }
            if stopping {
                states[id] = .failed(emitted: [])
                actions.append(.skip(nodeId: id, attempt: attempt + 1))
            } else {
                states[id] = .running(attempt: attempt + 1)
                actions.append(.start(nodeId: id, attempt: attempt + 1, iteration: iteration(of: id)))
                return actions
            }
        case .loopEvaluated(let id, let exit):
            guard case .looping(let i) = states[id], let loop = nodesById[id]?.loop else { return [] }
            pendingLoopEvaluations.remove(id)
            if exit || i >= loop.maxIterations || stopping {
                states[id] = .succeeded(emitted: ["main"])
            } else {
                states[id] = .looping(iteration: i + 1)
                resetBody(loop.body)
            }
        case .loopFailed(let id, let error):
            guard case .looping = states[id], let node = nodesById[id] else { return [] }
            pendingLoopEvaluations.remove(id)
            actions += settleFailure(node, error)
        case .cancel:
            guard !status.isFinal else { return [] }
            if !stopping {
                stopping = true
                failure = StepError(message: "the execution was cancelled", nodeId: "", code: "cancelled")
                actions.append(.cancelRunning)
            }
        }
        actions += advance()
        return actions
    }

    /// A node's final failure: its outputs per `onError`, and the execution stopping for `stop`.
    private mutating func settleFailure(_ node: ExecutionPlan.Node, _ error: StepError) -> [Action] {
        switch stopping ? .stop : node.onError {
        case .continue:
            states[node.id] = .failed(emitted: Set(node.outputs))
        case .errorOutput:
            states[node.id] = .failed(emitted: ["error"])
        case .stop:
            states[node.id] = .failed(emitted: [])
            if !stopping {
                failure = error
                stopping = true
                return [.cancelRunning]
            }
        }
        return []
    }

    private mutating func resetBody(_ body: Set<String>) {
        for id in body { states[id] = .pending }
    }

    /// Starts or skips every node whose inputs are settled; finishes when nothing is left to do.
    private mutating func advance() -> [Action] {
        guard status == .running else { return [] }
        var actions: [Action] = []
        var changed = true
        while changed {
            changed = false
            for node in plan.nodes {
                guard states[node.id] == .pending else { continue }
                if stopping {
                    states[node.id] = .skipped
                    actions.append(.skip(nodeId: node.id, attempt: 1))
                    changed = true
                    continue
                }
                switch readiness(of: node.id) {
                case .waiting: break
                case .run:
                    states[node.id] = .running(attempt: 1)
                    actions.append(.start(nodeId: node.id, attempt: 1, iteration: iteration(of: node.id)))
                    changed = true
                case .skip:
                    states[node.id] = .skipped
                    actions.append(.skip(nodeId: node.id, attempt: 1))
                    changed = true
                }
            }
            for node in plan.nodes {
                guard let loop = node.loop, case .looping(let i) = states[node.id] else { continue }
                guard loop.body.allSatisfy({ isSettled(states[$0]) }) else { continue }
                if stopping {
                    states[node.id] = .failed(emitted: [])
                    actions.append(.skip(nodeId: node.id, attempt: 1))
                    changed = true
                } else if !pendingLoopEvaluations.contains(node.id) {
                    pendingLoopEvaluations.insert(node.id)
                    actions.append(.evaluateLoop(nodeId: node.id, iteration: i))
                }
            }
        }
        if !finishedReported, plan.nodes.allSatisfy({ isSettled(states[$0.id]) }) {
            finishedReported = true
            status = failure == nil ? .success : (failure?.code == "cancelled" ? .cancelled : .failed)
            actions.append(.finish(status, failure))
        }
        return actions
    }

    /// Loops whose exit condition is being evaluated.
    private var pendingLoopEvaluations: Set<String> = []

    private enum Readiness { case waiting, run, skip }

    private func readiness(of id: String) -> Readiness {
        let edges = incoming[id] ?? []
        if edges.isEmpty { return .run }
        var anyTaken = false
        for edge in edges {
            guard let state = states[edge.from] else { continue }
            let entersBody = nodesById[edge.from]?.loop?.body.contains(id) == true
            switch state {
            case .pending, .running, .waitingRetry:
                return .waiting
            case .looping:
                if !entersBody { return .waiting }
                anyTaken = true
            case .succeeded(let emitted), .failed(let emitted):
                if emitted.contains(edge.output) { anyTaken = true }
            case .skipped:
                break
            }
        }
        return anyTaken ? .run : .skip
    }

    private func isSettled(_ state: NodeState?) -> Bool {
        switch state {
        case .succeeded, .failed, .skipped, nil: return true
        case .pending, .running, .waitingRetry, .looping: return false
        }
    }
}
