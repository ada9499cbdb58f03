import Testing
import WeftEngine
import WeftModel

/// Table-driven tests of the execution state machine: a plan, a script of events, the actions expected.
struct ExecutionStateMachineTests {
    typealias Node = ExecutionPlan.Node

    static func edge(_ from: String, _ to: String, _ output: String = "main") -> FlowEdge {
        FlowEdge(from: from, to: to, output: output)
    }

    static func failure(_ node: String, code: String? = nil) -> StepError {
        StepError(message: "boom", nodeId: node, code: code)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var plan: ExecutionPlan
        /// Each step: an event and the actions it must produce (order within a step kept).
        var script: [(ExecutionStateMachine.Event, [ExecutionStateMachine.Action])]
        var testDescription: String { name }
    }

    static let chain = ExecutionPlan(nodes: [Node(id: "trigger"), Node(id: "a"), Node(id: "b")],
                                     edges: [edge("trigger", "a"), edge("a", "b")])

    static let cases: [Case] = [
        Case(name: "a chain runs in order and succeeds", plan: chain, script: [
            (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
            (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), [.start(nodeId: "a", attempt: 1, iteration: 0)]),
            (.nodeSucceeded(nodeId: "a", emitted: ["main"]), [.start(nodeId: "b", attempt: 1, iteration: 0)]),
            (.nodeSucceeded(nodeId: "b", emitted: ["main"]), [.finish(.success, nil)]),
        ]),
        Case(name: "independent branches start together and a join waits for both",
             plan: ExecutionPlan(nodes: [Node(id: "trigger"), Node(id: "a"), Node(id: "b"), Node(id: "j")],
                                 edges: [edge("trigger", "a"), edge("trigger", "b"), edge("a", "j"), edge("b", "j")]),
             script: [
                (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]),
                 [.start(nodeId: "a", attempt: 1, iteration: 0), .start(nodeId: "b", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "b", emitted: ["main"]), []),
                (.nodeSucceeded(nodeId: "a", emitted: ["main"]), [.start(nodeId: "j", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "j", emitted: ["main"]), [.finish(.success, nil)]),
             ]),
        Case(name: "a failure with onError stop fails the execution and skips the rest", plan: chain, script: [
            (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
            (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), [.start(nodeId: "a", attempt: 1, iteration: 0)]),
            (.nodeFailed(nodeId: "a", error: failure("a")),
             [.cancelRunning, .skip(nodeId: "b", attempt: 1), .finish(.failed, failure("a"))]),
        ]),
        Case(name: "retry with exponential backoff, then success",
             plan: ExecutionPlan(nodes: [Node(id: "trigger"),
                                         Node(id: "a", retry: RetryPolicy(maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 150))],
                                 edges: [edge("trigger", "a")]),
             script: [
                (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), [.start(nodeId: "a", attempt: 1, iteration: 0)]),
                (.nodeFailed(nodeId: "a", error: failure("a")), [.scheduleRetry(nodeId: "a", attempt: 2, delayMs: 100)]),
                (.retryDue(nodeId: "a"), [.start(nodeId: "a", attempt: 2, iteration: 0)]),
                (.nodeFailed(nodeId: "a", error: failure("a")), [.scheduleRetry(nodeId: "a", attempt: 3, delayMs: 150)]),
                (.retryDue(nodeId: "a"), [.start(nodeId: "a", attempt: 3, iteration: 0)]),
                (.nodeSucceeded(nodeId: "a", emitted: ["main"]), [.finish(.success, nil)]),
             ]),
        Case(name: "retries exhausted fail the execution",
             plan: ExecutionPlan(nodes: [Node(id: "trigger"), Node(id: "a", retry: RetryPolicy(maxAttempts: 2, initialDelayMs: 10, backoff: .fixed))],
                                 edges: [edge("trigger", "a")]),
             script: [
                (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), [.start(nodeId: "a", attempt: 1, iteration: 0)]),
                (.nodeFailed(nodeId: "a", error: failure("a")), [.scheduleRetry(nodeId: "a", attempt: 2, delayMs: 10)]),
                (.retryDue(nodeId: "a"), [.start(nodeId: "a", attempt: 2, iteration: 0)]),
                (.nodeFailed(nodeId: "a", error: failure("a")), [.cancelRunning, .finish(.failed, failure("a"))]),
             ]),
        Case(name: "onError continue lets downstream run and the execution succeed",
             plan: ExecutionPlan(nodes: [Node(id: "trigger"), Node(id: "a", onError: .continue), Node(id: "b")],
                                 edges: [edge("trigger", "a"), edge("a", "b")]),
             script: [
                (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), [.start(nodeId: "a", attempt: 1, iteration: 0)]),
                (.nodeFailed(nodeId: "a", error: failure("a")), [.start(nodeId: "b", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "b", emitted: ["main"]), [.finish(.success, nil)]),
             ]),
        Case(name: "errorOutput takes only the error edge",
             plan: ExecutionPlan(nodes: [Node(id: "trigger"), Node(id: "a", onError: .errorOutput), Node(id: "ok"), Node(id: "handler")],
                                 edges: [edge("trigger", "a"), edge("a", "ok"), edge("a", "handler", "error")]),
             script: [
                (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), [.start(nodeId: "a", attempt: 1, iteration: 0)]),
                (.nodeFailed(nodeId: "a", error: failure("a")),
                 [.skip(nodeId: "ok", attempt: 1), .start(nodeId: "handler", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "handler", emitted: ["main"]), [.finish(.success, nil)]),
             ]),
        Case(name: "without an error the error edge is not taken",
             plan: ExecutionPlan(nodes: [Node(id: "trigger"), Node(id: "a", onError: .errorOutput), Node(id: "handler")],
                                 edges: [edge("trigger", "a"), edge("a", "handler", "error")]),
             script: [
                (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), [.start(nodeId: "a", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "a", emitted: ["main"]), [.skip(nodeId: "handler", attempt: 1), .finish(.success, nil)]),
             ]),
        Case(name: "a filter's rejected output feeds its own branch",
             plan: ExecutionPlan(nodes: [Node(id: "trigger"), Node(id: "f", outputs: ["main", "rejected"]), Node(id: "kept"), Node(id: "dropped")],
                                 edges: [edge("trigger", "f"), edge("f", "kept"), edge("f", "dropped", "rejected")]),
             script: [
                (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), [.start(nodeId: "f", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "f", emitted: ["main", "rejected"]),
                 [.start(nodeId: "kept", attempt: 1, iteration: 0), .start(nodeId: "dropped", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "kept", emitted: ["main"]), []),
                (.nodeSucceeded(nodeId: "dropped", emitted: ["main"]), [.finish(.success, nil)]),
             ]),
        Case(name: "a loop repeats its body until the exit condition holds",
             plan: ExecutionPlan(nodes: [Node(id: "trigger"), Node(id: "l", loop: .init(body: ["b"], maxIterations: 5)), Node(id: "b"), Node(id: "after")],
                                 edges: [edge("trigger", "l"), edge("l", "b"), edge("l", "after")]),
             script: [
                (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), [.start(nodeId: "l", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "l", emitted: ["main"]), [.start(nodeId: "b", attempt: 1, iteration: 1)]),
                (.nodeSucceeded(nodeId: "b", emitted: ["main"]), [.evaluateLoop(nodeId: "l", iteration: 1)]),
                (.loopEvaluated(nodeId: "l", exit: false), [.start(nodeId: "b", attempt: 1, iteration: 2)]),
                (.nodeSucceeded(nodeId: "b", emitted: ["main"]), [.evaluateLoop(nodeId: "l", iteration: 2)]),
                (.loopEvaluated(nodeId: "l", exit: true), [.start(nodeId: "after", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "after", emitted: ["main"]), [.finish(.success, nil)]),
             ]),
        Case(name: "a loop stops at its iteration limit",
             plan: ExecutionPlan(nodes: [Node(id: "trigger"), Node(id: "l", loop: .init(body: ["b"], maxIterations: 1)), Node(id: "b")],
                                 edges: [edge("trigger", "l"), edge("l", "b")]),
             script: [
                (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), [.start(nodeId: "l", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "l", emitted: ["main"]), [.start(nodeId: "b", attempt: 1, iteration: 1)]),
                (.nodeSucceeded(nodeId: "b", emitted: ["main"]), [.evaluateLoop(nodeId: "l", iteration: 1)]),
                (.loopEvaluated(nodeId: "l", exit: false), [.finish(.success, nil)]),
             ]),
        Case(name: "cancel stops new work and ends cancelled once running nodes report",
             plan: ExecutionPlan(nodes: [Node(id: "trigger"), Node(id: "a"), Node(id: "b"), Node(id: "c")],
                                 edges: [edge("trigger", "a"), edge("trigger", "b"), edge("a", "c")]),
             script: [
                (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]),
                 [.start(nodeId: "a", attempt: 1, iteration: 0), .start(nodeId: "b", attempt: 1, iteration: 0)]),
                (.cancel, [.cancelRunning, .skip(nodeId: "c", attempt: 1)]),
                (.nodeFailed(nodeId: "a", error: failure("a", code: "cancelled")), []),
                (.nodeFailed(nodeId: "b", error: failure("b", code: "cancelled")),
                 [.finish(.cancelled, StepError(message: "the execution was cancelled", nodeId: "", code: "cancelled"))]),
             ]),
        Case(name: "redrive: completed nodes are not run again",
             plan: ExecutionPlan(nodes: [Node(id: "trigger"), Node(id: "a"), Node(id: "b")],
                                 edges: [edge("trigger", "a"), edge("a", "b")],
                                 completed: ["trigger": ["main"], "a": ["main"]]),
             script: [
                (.start, [.start(nodeId: "b", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "b", emitted: ["main"]), [.finish(.success, nil)]),
             ]),
        Case(name: "events for unknown or finished nodes change nothing", plan: chain, script: [
            (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
            (.nodeSucceeded(nodeId: "nope", emitted: ["main"]), []),
            (.retryDue(nodeId: "trigger"), []),
            (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), [.start(nodeId: "a", attempt: 1, iteration: 0)]),
            (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), []),
        ]),
    ]

    @Test(arguments: cases)
    func transitions(_ testCase: Case) {
        var machine = ExecutionStateMachine(plan: testCase.plan)
        for (index, (event, expected)) in testCase.script.enumerated() {
            let actions = machine.handle(event)
            #expect(actions == expected, "step \(index): \(event)")
        }
    }

    @Test func exponentialDelaysAreCapped() {
        let policy = RetryPolicy(maxAttempts: 10, initialDelayMs: 100, maxDelayMs: 1_000)
        #expect((1...6).map { policy.delayMs(afterAttempt: $0) } == [100, 200, 400, 800, 1_000, 1_000])
        #expect(RetryPolicy(initialDelayMs: 50, backoff: .fixed).delayMs(afterAttempt: 4) == 50)
    }

    @Test func runStatusHonoursToleratedFailures() {
        #expect(Runner.runStatus([.success, .success], tolerated: nil) == .success)
        #expect(Runner.runStatus([.success, .failed], tolerated: nil) == .failed)
        #expect(Runner.runStatus([.success, .failed], tolerated: .count(1)) == .success)
        #expect(Runner.runStatus([.success, .failed, .failed], tolerated: .count(1)) == .failed)
        #expect(Runner.runStatus([.success, .success, .success, .failed], tolerated: .percent(25)) == .success)
        #expect(Runner.runStatus([.success, .success, .failed, .failed], tolerated: .percent(25)) == .failed)
    }
}

extension ExecutionStateMachineTests {
    static let loopPlan = ExecutionPlan(
        nodes: [Node(id: "trigger"), Node(id: "l", loop: .init(body: ["b"], maxIterations: 5)), Node(id: "b"), Node(id: "after")],
        edges: [edge("trigger", "l"), edge("l", "b"), edge("l", "after")])

    static let moreCases: [Case] = [
        Case(name: "a loop whose exit condition fails fails the execution", plan: loopPlan, script: [
            (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
            (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), [.start(nodeId: "l", attempt: 1, iteration: 0)]),
            (.nodeSucceeded(nodeId: "l", emitted: ["main"]), [.start(nodeId: "b", attempt: 1, iteration: 1)]),
            (.nodeSucceeded(nodeId: "b", emitted: ["main"]), [.evaluateLoop(nodeId: "l", iteration: 1)]),
            (.loopFailed(nodeId: "l", error: failure("l")), [.cancelRunning, .skip(nodeId: "after", attempt: 1), .finish(.failed, failure("l"))]),
        ]),
        Case(name: "a failure in the body cuts the loop off and records it", plan: loopPlan, script: [
            (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
            (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]), [.start(nodeId: "l", attempt: 1, iteration: 0)]),
            (.nodeSucceeded(nodeId: "l", emitted: ["main"]), [.start(nodeId: "b", attempt: 1, iteration: 1)]),
            (.nodeFailed(nodeId: "b", error: failure("b")),
             [.cancelRunning, .skip(nodeId: "after", attempt: 1), .skip(nodeId: "l", attempt: 1), .finish(.failed, failure("b"))]),
        ]),
        Case(name: "a retry cut off by a failure elsewhere is recorded as its next attempt",
             plan: ExecutionPlan(nodes: [Node(id: "trigger"), Node(id: "a", retry: RetryPolicy(maxAttempts: 3, initialDelayMs: 10)), Node(id: "b")],
                                 edges: [edge("trigger", "a"), edge("trigger", "b")]),
             script: [
                (.start, [.start(nodeId: "trigger", attempt: 1, iteration: 0)]),
                (.nodeSucceeded(nodeId: "trigger", emitted: ["main"]),
                 [.start(nodeId: "a", attempt: 1, iteration: 0), .start(nodeId: "b", attempt: 1, iteration: 0)]),
                (.nodeFailed(nodeId: "a", error: failure("a")), [.scheduleRetry(nodeId: "a", attempt: 2, delayMs: 10)]),
                (.nodeFailed(nodeId: "b", error: failure("b")), [.cancelRunning]),
                (.retryDue(nodeId: "a"), [.skip(nodeId: "a", attempt: 2), .finish(.failed, failure("b"))]),
             ]),
    ]

    @Test(arguments: moreCases)
    func moreTransitions(_ testCase: Case) {
        var machine = ExecutionStateMachine(plan: testCase.plan)
        for (index, (event, expected)) in testCase.script.enumerated() {
            #expect(machine.handle(event) == expected, "step \(index): \(event)")
        }
    }
}
