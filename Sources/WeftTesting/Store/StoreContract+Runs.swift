import Foundation
import Testing
import WeftEngine
import WeftModel

extension StoreContract {
    static let runCases: [StoreContractCase] = [
        StoreContractCase("runs round-trip and update") { store in
            let saved = RunRecord(
                id: "run-full", flowId: "flow-1", flowVersion: 4, flowName: "_dry_run_Public buckets",
                trigger: "schedule", dryRun: true, status: .queued,
                options: ["variables": ["token": "*****", "limit": 5], "runTill": "filter-1", "targets": ["aws-prod"]],
                createdAt: ms(1_700_000_000.250))
            let bare = RunRecord(
                id: "run-bare", flowName: "file.flow.json", trigger: "manual", dryRun: false, status: .running,
                createdAt: ms(1_700_000_100.000), endedAt: ms(1_700_000_200.999))
            try await store.createRun(saved)
            try await store.createRun(bare)
            #expect(try await store.run(id: "run-full") == saved)
            #expect(try await store.run(id: "run-bare") == bare)

            try await store.updateRun(id: "run-full", status: .success, endedAt: ms(1_700_000_060.007))
            var expected = saved
            expected.status = .success
            expected.endedAt = ms(1_700_000_060.007)
            #expect(try await store.run(id: "run-full") == expected)

            try await store.updateRun(id: "run-bare", status: .cancelled, endedAt: nil)
            var expectedBare = bare
            expectedBare.status = .cancelled
            expectedBare.endedAt = nil
            #expect(try await store.run(id: "run-bare") == expectedBare)
        },

        StoreContractCase("recent executions per flow: newest runs first, no dry runs, at most the limit") { store in
            #expect(try await store.recentExecutions(limit: 3) == [:])
            try await store.createRun(makeRun("old", flowId: "a", createdAt: ms(1_700_000_100)))
            try await store.createExecution(makeExecution("old-1", runId: "old"))
            try await store.createRun(makeRun("new", flowId: "a", createdAt: ms(1_700_000_300)))
            try await store.createExecution(makeExecution("new-1", runId: "new", region: "us-east-1"))
            try await store.createExecution(makeExecution("new-2", runId: "new", region: "eu-west-2"))
            var dry = makeRun("dry", flowId: "a", createdAt: ms(1_700_000_400))
            dry.dryRun = true
            try await store.createRun(dry)
            try await store.createExecution(makeExecution("dry-1", runId: "dry"))
            try await store.createRun(makeRun("mid", flowId: "a", createdAt: ms(1_700_000_200)))
            try await store.createExecution(makeExecution("mid-1", runId: "mid"))
            try await store.createRun(makeRun("b-run", flowId: "b", createdAt: ms(1_700_000_050)))
            try await store.createExecution(makeExecution("b-1", runId: "b-run"))
            try await store.createRun(makeRun("file-run", createdAt: ms(1_700_000_500)))
            try await store.createExecution(makeExecution("file-1", runId: "file-run"))
            let recent = try await store.recentExecutions(limit: 3)
            #expect(recent.mapValues { $0.map(\.id) } == ["a": ["new-1", "new-2", "mid-1"], "b": ["b-1"]])
            #expect(try await store.recentExecutions(limit: 1).mapValues { $0.map(\.id) } == ["a": ["new-1"], "b": ["b-1"]])
        },

        StoreContractCase("reads and writes complete for a cancelled task") { store in
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                try await store.createRun(makeRun("r-cancelled", flowId: "a", createdAt: ms(1_700_000_100)))
                try await store.updateRun(id: "r-cancelled", status: .cancelled, endedAt: ms(1_700_000_200))
                return try await store.run(id: "r-cancelled")
            }
            let run = try await task.value
            #expect(run.status == .cancelled)
            #expect(try await store.run(id: "r-cancelled").endedAt == ms(1_700_000_200))
        },

        StoreContractCase("runs are listed newest first, by flow, up to the limit") { store in
            #expect(try await store.runs(flowId: nil, limit: 10) == [])
            try await store.createRun(makeRun("r1", flowId: "a", createdAt: ms(1_700_000_100)))
            try await store.createRun(makeRun("r2", flowId: "b", createdAt: ms(1_700_000_300)))
            try await store.createRun(makeRun("r3", flowId: "a", createdAt: ms(1_700_000_200)))
            try await store.createRun(makeRun("r4", flowId: "a", createdAt: ms(1_700_000_300)))
            try await store.createRun(makeRun("r5", flowId: nil, createdAt: ms(1_700_000_050)))
            #expect(try await store.runs(flowId: nil, limit: 10).map(\.id) == ["r4", "r2", "r3", "r1", "r5"])
            #expect(try await store.runs(flowId: nil, limit: 2).map(\.id) == ["r4", "r2"])
            #expect(try await store.runs(flowId: "a", limit: 10).map(\.id) == ["r4", "r3", "r1"])
            #expect(try await store.runs(flowId: "a", limit: 1).map(\.id) == ["r4"])
            #expect(try await store.runs(flowId: "zzz", limit: 10) == [])
            #expect(try await store.runs(flowId: nil, limit: 0) == [])
        },

        StoreContractCase("a taken run or execution id is a conflict") { store in
            try await store.createRun(makeRun("twice"))
            await expectConflict("second run with the same id") { try await store.createRun(makeRun("twice")) }
            try await store.createExecution(makeExecution("exe-twice", runId: "twice"))
            await expectConflict("second execution with the same id") {
                try await store.createExecution(makeExecution("exe-twice", runId: "twice"))
            }
            #expect(try await store.runs(flowId: nil, limit: 10).count == 1)
            #expect(try await store.executions(runId: "twice").count == 1)
        },

        StoreContractCase("executions round-trip, update and list in creation order") { store in
            try await store.createRun(makeRun("run-x"))
            try await store.createRun(makeRun("run-y"))
            let full = ExecutionRecord(
                id: "exe-c", runId: "run-x", connector: "aws-prod", accountId: "123456789012", region: "us-east-1",
                provider: "aws", status: .queued, error: nil, summary: ["passed": 3, "failed": 1],
                worker: "host-a:123", startedAt: ms(1_700_000_000.001), endedAt: nil)
            try await store.createExecution(full)
            try await store.createExecution(makeExecution("exe-a", runId: "run-x", region: "eu-west-1"))
            try await store.createExecution(makeExecution("exe-other", runId: "run-y"))
            try await store.createExecution(makeExecution("exe-b", runId: "run-x", region: "ap-south-1"))

            #expect(try await store.execution(id: "exe-c") == full)
            #expect(try await store.executions(runId: "run-x").map(\.id) == ["exe-c", "exe-a", "exe-b"])
            #expect(try await store.executions(runId: "run-y").map(\.id) == ["exe-other"])

            var updated = full
            updated.status = .failed
            updated.error = ["message": "AccessDenied: not authorized", "nodeId": "list", "itemIndex": 3]
            updated.summary = ["passed": 2, "failed": 2, "notes": ["x", nil]]
            updated.worker = "host-b:456"
            updated.startedAt = ms(1_700_000_010.010)
            updated.endedAt = ms(1_700_000_020.020)
            try await store.updateExecution(updated)
            #expect(try await store.execution(id: "exe-c") == updated)

            var cleared = updated
            cleared.status = .success
            cleared.error = nil
            cleared.worker = nil
            cleared.endedAt = nil
            try await store.updateExecution(cleared)
            #expect(try await store.execution(id: "exe-c") == cleared)
            #expect(try await store.executions(runId: "run-x").map(\.id) == ["exe-c", "exe-a", "exe-b"])
        },

        StoreContractCase("missing things are not found and lists of unknown parents are empty") { store in
            _ = try await store.saveFlow(
                id: "only", name: "Only", owner: nil, categories: [], tags: [], document: [:], author: nil)
            await #expect(throws: StoreError.notFound(kind: "flow", id: "nope")) { try await store.flow(id: "nope") }
            await #expect(throws: StoreError.notFound(kind: "flow version", id: "only@2")) {
                try await store.flowVersion(flowId: "only", version: 2)
            }
            await #expect(throws: StoreError.notFound(kind: "flow version", id: "nope@1")) {
                try await store.flowVersion(flowId: "nope", version: 1)
            }
            await #expect(throws: StoreError.notFound(kind: "flow", id: "nope")) { try await store.deleteFlow(id: "nope") }
            await #expect(throws: StoreError.notFound(kind: "run", id: "nope")) { try await store.run(id: "nope") }
            await #expect(throws: StoreError.notFound(kind: "run", id: "nope")) {
                try await store.updateRun(id: "nope", status: .success, endedAt: nil)
            }
            await #expect(throws: StoreError.notFound(kind: "run", id: "nope")) {
                try await store.createExecution(makeExecution("orphan", runId: "nope"))
            }
            await #expect(throws: StoreError.notFound(kind: "execution", id: "nope")) {
                try await store.execution(id: "nope")
            }
            await #expect(throws: StoreError.notFound(kind: "execution", id: "nope")) {
                try await store.updateExecution(makeExecution("nope", runId: "nope"))
            }
            await #expect(throws: StoreError.notFound(kind: "execution", id: "nope")) {
                try await store.append(StepRecord(executionId: "nope", nodeId: "n", status: .running, startedAt: ms(0)))
            }
            await #expect(throws: StoreError.notFound(kind: "execution", id: "nope")) {
                try await store.putBlob([1, 2, 3], executionId: "nope")
            }
            await #expect(throws: StoreError.notFound(kind: "blob", id: "nope")) { try await store.blob(id: "nope") }

            #expect(try await store.flowVersions(flowId: "nope") == [])
            #expect(try await store.runs(flowId: "nope", limit: 10) == [])
            #expect(try await store.executions(runId: "nope") == [])
            #expect(try await store.steps(executionId: "nope") == [])
            #expect(try await store.flows().map(\.id) == ["only"])
        },
    ]
}
