import Foundation
import Testing
import WeftEngine
import WeftModel
import WeftNodes

/// Counts attempts per key so a test node can fail a given number of times.
actor AttemptCounter {
    static let shared = AttemptCounter()
    private var counts: [String: Int] = [:]
    func next(_ key: String) -> Int {
        counts[key, default: 0] += 1
        return counts[key]!
    }
}

/// Fails its first `failures` attempts, then passes its input through.
enum FlakyNode: NodeType {
    struct Parameters: Decodable, Sendable { var key: String; var failures: Int }
    static let description = NodeDescription(
        type: "test.flaky", displayName: "Flaky", group: .general, summary: "Fails a few times.",
        parameters: [Parameter("key", .string, required: true, help: "Counter key."),
                     Parameter("failures", .integer, required: true, help: "Attempts that fail.")],
        example: ["key": "k", "failures": 1])
    static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        let attempt = await AttemptCounter.shared.next(parameters.key)
        if attempt <= parameters.failures { throw NodeError("attempt \(attempt) failed", code: "flaky") }
        return NodeResult(main: context.input)
    }
}

/// Sleeps, checking for cancellation.
enum SlowNode: NodeType {
    struct Parameters: Decodable, Sendable { var milliseconds: Int }
    static let description = NodeDescription(
        type: "test.slow", displayName: "Slow", group: .general, summary: "Sleeps.",
        parameters: [Parameter("milliseconds", .integer, required: true, help: "How long.")],
        example: ["milliseconds": 1])
    static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        try await Task.sleep(nanoseconds: UInt64(parameters.milliseconds) * 1_000_000)
        return NodeResult(main: context.input)
    }
}

/// Two of these meet: each waits until the other has started, so they only finish when run concurrently.
actor Rendezvous {
    static let shared = Rendezvous()
    private var arrived: Set<String> = []
    func arrive(_ name: String) { arrived.insert(name) }
    func has(_ name: String) -> Bool { arrived.contains(name) }
}

enum MeetNode: NodeType {
    struct Parameters: Decodable, Sendable { var me: String; var other: String }
    static let description = NodeDescription(
        type: "test.meet", displayName: "Meet", group: .general, summary: "Waits for another node to start.",
        parameters: [Parameter("me", .string, required: true, help: "My name."),
                     Parameter("other", .string, required: true, help: "Who to wait for.")],
        example: ["me": "a", "other": "b"])
    static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        await Rendezvous.shared.arrive(parameters.me)
        for _ in 0..<500 {
            if await Rendezvous.shared.has(parameters.other) { return NodeResult(main: Items([.string(parameters.me)])) }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        throw NodeError("\(parameters.other) never started while \(parameters.me) was running")
    }
}

struct RunnerTests {
    static let registry = NodeRegistry(NodeCatalog.types + [FlakyNode.self, SlowNode.self, MeetNode.self])

    func flow(_ json: String) throws -> FlowDocument {
        let (document, issues) = FlowDocument.decode(try JSON.parse(json))
        #expect(issues.isEmpty, "\(issues)")
        return try #require(document)
    }

    func runner(_ store: MemoryStore, inlineItemLimit: Int = 100) -> Runner {
        Runner(registry: Self.registry, store: store,
               configuration: RunnerConfiguration(inlineItemLimit: inlineItemLimit, pageItemLimit: 7, jitter: { $0 }))
    }

    static let badRegexFlow = """
        {"weft": 1, "name": "bad regex",
         "variables": [{"name": "pattern", "type": "string", "value": "^ok"}],
         "nodes": [
          {"id": "trigger", "type": "trigger", "params": {}},
          {"id": "d", "type": "data", "params": {"items": [{"name": "ok-1"}, {"name": "no"}]}},
          {"id": "f", "type": "filter", "params": {"conditions": [
             {"id": "c1", "type": "param", "key": "$.name", "operator": "matches", "value": "$wf.variables:pattern"}]}},
          {"id": "after", "type": "formatter", "params": {"fields": [{"name": "n", "value": "$.name"}]}}
         ],
         "edges": [{"from": "trigger", "to": "d"}, {"from": "d", "to": "f"}, {"from": "f", "to": "after"}]}
        """

    @Test func filterRunsWithAVariable() async throws {
        let store = MemoryStore()
        let summary = try await runner(store).run(try flow(Self.badRegexFlow))
        #expect(summary.run.status == .success)
        let steps = try #require(summary.executions.first?.steps)
        #expect(steps.map(\.nodeId) == ["trigger", "d", "f", "after"])
        #expect(steps.first { $0.nodeId == "f" }?.itemCounts == ["in": 2, "main": 1, "rejected": 1])
    }

    @Test func aBadRegexFromAVariableFailsTheExecutionWithTheNodeId() async throws {
        let store = MemoryStore()
        let summary = try await runner(store).run(try flow(Self.badRegexFlow), options: RunOptions(variables: ["pattern": "(unclosed"]))
        #expect(summary.run.status == .failed)
        let execution = try #require(summary.executions.first)
        #expect(execution.execution.status == .failed)
        #expect(execution.execution.error?["nodeId"] == "f")
        let message = execution.execution.error?["message"]?.stringValue ?? ""
        #expect(message.contains("c1"), "\(message)")
        let failed = try #require(execution.steps.first { $0.nodeId == "f" })
        #expect(failed.status == .failed)
        #expect(failed.error?.nodeId == "f")
        #expect(execution.steps.first { $0.nodeId == "after" }?.status == .skipped)
        let json = summary.json.serialized()
        #expect(json.contains("\"nodeId\":\"f\""))
    }

    @Test func onErrorContinueGoesOn() async throws {
        var document = try flow(Self.badRegexFlow)
        document.nodes[2].settings.onError = .continue
        let summary = try await runner(MemoryStore()).run(document, options: RunOptions(variables: ["pattern": "(unclosed"]))
        let steps = try #require(summary.executions.first?.steps)
        #expect(steps.first { $0.nodeId == "f" }?.status == .failed)
        #expect(steps.first { $0.nodeId == "after" }?.status == .success)
        #expect(steps.first { $0.nodeId == "after" }?.itemCounts["in"] == 0)
        #expect(summary.run.status == .success)
    }

    @Test func secretsAreMaskedInTheJournal() async throws {
        let secret = "hunter2-\(UUID().uuidString)"
        let document = try flow("""
            {"weft": 1, "name": "secret",
             "variables": [{"name": "token", "type": "string", "value": "\(secret)", "secret": true}],
             "nodes": [
              {"id": "trigger", "type": "trigger", "params": {}},
              {"id": "fmt", "type": "formatter", "params": {"fields": [{"name": "auth", "value": "Bearer $wf.variables:token"}]}}
             ],
             "edges": [{"from": "trigger", "to": "fmt"}]}
            """)
        let store = MemoryStore()
        let summary = try await runner(store).run(document)
        #expect(summary.run.status == .success)
        let steps = try await store.steps(executionId: summary.executions[0].execution.id)
        var recorded = ""
        for step in steps {
            recorded += step.input.serialized()
            for case .inline(let items) in step.outputs.values { recorded += JSON.array(items).serialized() }
        }
        #expect(!recorded.contains(secret))
        #expect(recorded.contains("Bearer *****"))
    }

    @Test func retriesUntilSuccess() async throws {
        let key = UUID().uuidString
        let document = try flow("""
            {"weft": 1, "name": "flaky", "nodes": [
              {"id": "trigger", "type": "trigger", "params": {}},
              {"id": "x", "type": "test.flaky", "params": {"key": "\(key)", "failures": 2},
               "settings": {"retry": {"maxAttempts": 3, "initialDelayMs": 1, "maxDelayMs": 5}}}
             ], "edges": [{"from": "trigger", "to": "x"}]}
            """)
        let store = MemoryStore()
        let summary = try await runner(store).run(document)
        #expect(summary.run.status == .success)
        let attempts = try await store.steps(executionId: summary.executions[0].execution.id).filter { $0.nodeId == "x" && $0.status.isFinal }
        #expect(attempts.map(\.attempt) == [1, 2, 3])
        #expect(attempts.map(\.status) == [.failed, .failed, .success])
    }

    @Test func aTimeoutFailsTheStep() async throws {
        let document = try flow("""
            {"weft": 1, "name": "slow", "nodes": [
              {"id": "trigger", "type": "trigger", "params": {}},
              {"id": "s", "type": "test.slow", "params": {"milliseconds": 5000}, "settings": {"timeoutSeconds": 0.05}}
             ], "edges": [{"from": "trigger", "to": "s"}]}
            """)
        let summary = try await runner(MemoryStore()).run(document)
        #expect(summary.run.status == .failed)
        #expect(summary.executions[0].steps.last?.error?.code == "timeout")
    }

    @Test func independentBranchesRunConcurrently() async throws {
        let a = UUID().uuidString, b = UUID().uuidString
        let document = try flow("""
            {"weft": 1, "name": "meet", "nodes": [
              {"id": "trigger", "type": "trigger", "params": {}},
              {"id": "a", "type": "test.meet", "params": {"me": "\(a)", "other": "\(b)"}},
              {"id": "b", "type": "test.meet", "params": {"me": "\(b)", "other": "\(a)"}}
             ], "edges": [{"from": "trigger", "to": "a"}, {"from": "trigger", "to": "b"}]}
            """)
        let summary = try await runner(MemoryStore()).run(document)
        #expect(summary.run.status == .success, "\(summary.json.serialized())")
    }

    @Test func runTillRunsOnlyTheNodeAndItsAncestorsAsADryRun() async throws {
        let summary = try await runner(MemoryStore()).run(try flow(Self.badRegexFlow), options: RunOptions(runTill: "f"))
        #expect(summary.run.dryRun)
        #expect(summary.run.flowName == "_dry_run_bad regex")
        #expect(summary.executions[0].steps.map(\.nodeId) == ["trigger", "d", "f"])
    }

    @Test func largeOutputsArePagedIntoCompressedBlobs() async throws {
        let items = (0..<20).map { "{\"n\": \($0)}" }.joined(separator: ",")
        let document = try flow("""
            {"weft": 1, "name": "big", "nodes": [
              {"id": "trigger", "type": "trigger", "params": {}},
              {"id": "d", "type": "data", "params": {"items": [\(items)]}}
             ], "edges": [{"from": "trigger", "to": "d"}]}
            """)
        let store = MemoryStore()
        let summary = try await runner(store, inlineItemLimit: 5).run(document)
        let step = try #require(summary.executions[0].steps.last)
        guard case .pages(let pages)? = step.outputs["main"] else {
            Issue.record("expected pages, got \(String(describing: step.outputs["main"]))")
            return
        }
        #expect(pages.map(\.count) == [7, 7, 6])
        #expect(pages.map(\.firstItem) == [0, 7, 14])
        var all: [JSON] = []
        for page in pages {
            let bytes = try Compression.gunzip(try await store.blob(id: page.blobId))
            all += try JSON.parse(bytes).arrayValue ?? []
        }
        #expect(all == (0..<20).map { ["n": .int(Int64($0))] })
    }

    @Test func aDisabledNodePassesItsInputThrough() async throws {
        var document = try flow(Self.badRegexFlow)
        document.nodes[2].settings.disabled = true
        let summary = try await runner(MemoryStore()).run(document, options: RunOptions(variables: ["pattern": "(unclosed"]))
        #expect(summary.run.status == .success)
        #expect(summary.executions[0].steps.first { $0.nodeId == "after" }?.itemCounts["in"] == 2)
    }

    @Test func aRunFansOutOverTargets() async throws {
        let targets = ["us-east-1", "eu-west-2", "ap-south-1"].map { ExecutionTarget(connector: "demo", accountId: "1", region: $0) }
        let summary = try await runner(MemoryStore()).run(try flow(Self.badRegexFlow), options: RunOptions(targets: targets))
        #expect(summary.executions.map(\.execution.region) == ["us-east-1", "eu-west-2", "ap-south-1"])
        #expect(summary.executions.allSatisfy { $0.execution.status == .success })
    }

    @Test func aPinnedNodeOutputsTheRecordedItemsInsteadOfRunning() async throws {
        var options = RunOptions()
        options.pinned = ["d": Items([["name": "ok-recorded"], ["name": "ok-too"], ["name": "nope"]])]
        let summary = try await runner(MemoryStore()).run(try flow(Self.badRegexFlow), options: options)
        let steps = try #require(summary.executions.first?.steps)
        let pinned = try #require(steps.first { $0.nodeId == "d" })
        #expect(pinned.status == .success)
        #expect(pinned.itemCounts["main"] == 3)
        #expect(pinned.logs.contains { $0.hasPrefix("pinned: 3 recorded items") })
        #expect(steps.first { $0.nodeId == "f" }?.itemCounts == ["in": 3, "main": 2, "rejected": 1])
        #expect(summary.run.options["pinned"] == ["d"])
    }

    @Test func pinningAnUnknownNodeIsRejected() async throws {
        var options = RunOptions()
        options.pinned = ["nowhere": Items([1])]
        await #expect(throws: RunError.unknownNode("nowhere")) {
            _ = try await runner(MemoryStore()).run(try flow(Self.badRegexFlow), options: options)
        }
    }

    @Test func unknownVariableOverridesAreRejected() async throws {
        await #expect(throws: RunError.unknownVariable("nope")) {
            _ = try await runner(MemoryStore()).run(try flow(Self.badRegexFlow), options: RunOptions(variables: ["nope": 1]))
        }
    }
}

struct RunnerCancellationTests {
    @Test func cancellingTheRunTaskEndsTheExecutionCancelled() async throws {
        let (document, issues) = FlowDocument.decode(try JSON.parse("""
            {"weft": 1, "name": "slow", "nodes": [
              {"id": "trigger", "type": "trigger", "params": {}},
              {"id": "s", "type": "test.slow", "params": {"milliseconds": 10000}},
              {"id": "after", "type": "test.slow", "params": {"milliseconds": 1}}
             ], "edges": [{"from": "trigger", "to": "s"}, {"from": "s", "to": "after"}]}
            """))
        #expect(issues.isEmpty)
        let store = MemoryStore()
        let runner = Runner(registry: RunnerTests.registry, store: store)
        let task = Task { try await runner.run(try #require(document)) }
        for _ in 0..<200 {
            if let run = try await store.runs(flowId: nil, limit: 1).first,
               let execution = try await store.executions(runId: run.id).first,
               try await store.steps(executionId: execution.id).contains(where: { $0.nodeId == "s" }) { break }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        task.cancel()
        let summary = try await task.value
        #expect(summary.run.status == .cancelled)
        let execution = try #require(summary.executions.first)
        #expect(execution.execution.status == .cancelled)
        #expect(execution.steps.first { $0.nodeId == "s" }?.error?.code == "cancelled")
        #expect(execution.steps.first { $0.nodeId == "after" }?.status == .skipped)
    }

    @Test func cancellingBeforeAnyStepStartsEndsTheRunCancelled() async throws {
        let (document, issues) = FlowDocument.decode(try JSON.parse("""
            {"weft": 1, "name": "slow", "nodes": [
              {"id": "trigger", "type": "trigger", "params": {}},
              {"id": "s", "type": "test.slow", "params": {"milliseconds": 10000}}
             ], "edges": [{"from": "trigger", "to": "s"}]}
            """))
        #expect(issues.isEmpty)
        let store = MemoryStore()
        let runner = Runner(registry: RunnerTests.registry, store: store)
        let task = Task { try await runner.run(try #require(document)) }
        task.cancel()
        let summary = try await task.value
        #expect(summary.run.status == .cancelled)
        #expect(summary.executions.first?.execution.status == .cancelled)
    }
}
