import Foundation
import Testing
import WeftEngine
import WeftModel

extension StoreContract {
    static let journalCases: [StoreContractCase] = [
        StoreContractCase("appends get sequences 1, 2, 3 per execution") { store in
            try await prepareExecution(store, run: "run-1", execution: "exe-1")
            try await store.createExecution(makeExecution("exe-2", runId: "run-1"))
            var returned: [Int] = []
            for (index, executionId) in ["exe-1", "exe-1", "exe-2", "exe-1", "exe-2"].enumerated() {
                let record = StepRecord(
                    executionId: executionId, sequence: 99, nodeId: "node-\(index)", status: .running,
                    startedAt: ms(1_700_000_000 + Double(index)))
                returned.append(try await store.append(record))
            }
            #expect(returned == [1, 2, 1, 3, 2])
            let first = try await store.steps(executionId: "exe-1")
            #expect(first.map(\.sequence) == [1, 2, 3])
            #expect(first.map(\.nodeId) == ["node-0", "node-1", "node-3"])
            let second = try await store.steps(executionId: "exe-2")
            #expect(second.map(\.sequence) == [1, 2])
            #expect(second.map(\.nodeId) == ["node-2", "node-4"])
        },

        StoreContractCase("50 concurrent appends to one execution get 1…50") { store in
            try await prepareExecution(store)
            let assigned = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for index in 1...50 {
                    group.addTask {
                        let record = StepRecord(
                            executionId: "exe-1", nodeId: "branch-\(index)", status: .success,
                            startedAt: ms(1_700_000_000), outputs: ["main": .inline([.int(Int64(index))])])
                        return (index, try await store.append(record))
                    }
                }
                return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
            }
            #expect(assigned.values.sorted() == Array(1...50))
            let steps = try await store.steps(executionId: "exe-1")
            #expect(steps.map(\.sequence) == Array(1...50))
            for step in steps {
                let index = Int(step.nodeId.dropFirst("branch-".count)) ?? -1
                #expect(assigned[index] == step.sequence, "\(step.nodeId) was told \(assigned[index] ?? -1)")
                #expect(step.outputs["main"] == .inline([.int(Int64(index))]))
            }
        },

        StoreContractCase("step records round-trip every field") { store in
            try await prepareExecution(store)
            let page1 = try await store.putBlob(Compression.gzip(Array("[1,2]".utf8)), executionId: "exe-1")
            let page2 = try await store.putBlob(Compression.gzip(Array("[3]".utf8)), executionId: "exe-1")
            let full = StepRecord(
                executionId: "exe-1", sequence: 0, nodeId: "filter-1", attempt: 2, iteration: 3,
                worker: "host-a:123", status: .failed, startedAt: ms(1_700_000_000.123),
                endedAt: ms(1_700_000_001.456),
                input: [
                    "parameters": ["condition": "{{ $json.Public }}", "apiKey": "*****"],
                    "context": ["region": "eu-west-1", "account": "123456789012"],
                ],
                outputs: [
                    "main": .inline([["BucketName": "logs", "Public": true], awkwardJSON]),
                    "rejected": .inline([]),
                    "big": .pages([
                        BlobPage(blobId: page1, firstItem: 0, count: 2), BlobPage(blobId: page2, firstItem: 2, count: 1),
                    ]),
                ],
                itemCounts: ["in": 5, "main": 2, "rejected": 0, "big": 3],
                error: StepError(message: "AccessDenied: User is not authorized", nodeId: "filter-1", itemIndex: 7,
                                 code: "AccessDenied"),
                logs: ["first line", "ünïcode ✓ \"quoted\"", ""],
                trace: ["explain": [["path": "$.Public", "result": true]]])
            let minimal = StepRecord(
                executionId: "exe-1", nodeId: "list", status: .running, startedAt: ms(1_700_000_002.000))
            let nullTrace = StepRecord(
                executionId: "exe-1", nodeId: "report", status: .planned, startedAt: ms(1_700_000_003.999),
                error: StepError(message: "no index", nodeId: "report"), trace: .null)

            #expect(try await store.append(full) == 1)
            #expect(try await store.append(minimal) == 2)
            #expect(try await store.append(nullTrace) == 3)

            let steps = try await store.steps(executionId: "exe-1")
            try #require(steps.count == 3)
            var expected = [full, minimal, nullTrace]
            for index in expected.indices { expected[index].sequence = index + 1 }
            #expect(steps[0] == expected[0])
            #expect(steps[1] == expected[1])
            #expect(steps[2] == expected[2])
        },

        StoreContractCase("dates come back to the millisecond") { store in
            let precise = Date(timeIntervalSince1970: 1_700_000_000.123_456_7)
            let now = Date()
            try await store.createRun(makeRun("run-1", createdAt: precise))
            try await store.createExecution(makeExecution("exe-1", runId: "run-1"))
            _ = try await store.append(
                StepRecord(executionId: "exe-1", nodeId: "n", status: .success, startedAt: now, endedAt: precise))
            let run = try await store.run(id: "run-1")
            #expect(abs(run.createdAt.timeIntervalSince(precise)) <= 0.001)
            let step = try #require(try await store.steps(executionId: "exe-1").first)
            #expect(abs(step.startedAt.timeIntervalSince(now)) <= 0.001)
            let ended = try #require(step.endedAt)
            #expect(abs(ended.timeIntervalSince(precise)) <= 0.001)
            let saved = try await store.saveFlow(
                id: "f", name: "F", owner: nil, categories: [], tags: [], document: [:], author: nil)
            #expect(try await store.flowVersion(flowId: "f", version: 1).createdAt == saved.createdAt)
            #expect(abs(saved.createdAt.timeIntervalSinceNow) < 60)
        },

        StoreContractCase("blobs round-trip, 5 MB binary included") { store in
            try await prepareExecution(store)
            let large = pseudoRandomBytes(count: 5 * 1024 * 1024)
            #expect(Set(large).count == 256)
            let largeId = try await store.putBlob(large, executionId: "exe-1")
            let emptyId = try await store.putBlob([], executionId: nil)
            let smallId = try await store.putBlob([0, 1, 2, 0, 255], executionId: "exe-1")
            #expect(Set([largeId, emptyId, smallId]).count == 3)
            #expect(try await store.blob(id: largeId) == large)
            #expect(try await store.blob(id: emptyId) == [])
            #expect(try await store.blob(id: smallId) == [0, 1, 2, 0, 255])

            let items = JSON.array((0..<20_000).map { ["index": .int(Int64($0)), "name": .string("item \($0)")] })
            let compressed = Compression.gzip(Array(items.serialized().utf8))
            let pageId = try await store.putBlob(compressed, executionId: "exe-1")
            let restored = try JSON.parse(Compression.gunzip(try await store.blob(id: pageId)))
            #expect(restored == items)
        },
    ]
}
