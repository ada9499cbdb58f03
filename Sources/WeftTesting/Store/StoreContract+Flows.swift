import Foundation
import Testing
import WeftEngine
import WeftModel

extension StoreContract {
    static let flowCases: [StoreContractCase] = [
        StoreContractCase("flow versions are numbered 1, 2, 3 and never change") { store in
            let first: JSON = ["name": "Public buckets", "nodes": [["id": "list", "type": "aws.s3.buckets"]]]
            let second: JSON = ["name": "Public buckets", "nodes": [["id": "list", "type": "aws.s3.buckets"], ["id": "f"]]]
            let v1 = try await store.saveFlow(
                id: "flow-1", name: "Public buckets", owner: "ann", categories: ["cis"], tags: ["s3"],
                document: first, author: "ann")
            let v2 = try await store.saveFlow(
                id: "flow-1", name: "Public S3 buckets", owner: "bob", categories: ["cis", "pci"], tags: [],
                document: second, author: nil)
            let v3 = try await store.saveFlow(
                id: "flow-1", name: "Public S3 buckets", owner: "bob", categories: [], tags: ["s3", "public"],
                document: awkwardJSON, author: "carol")
            #expect([v1.version, v2.version, v3.version] == [Int](1...3))
            #expect(v1.flowId == "flow-1" && v1.document == first && v1.author == "ann")
            #expect(v2.author == nil && v3.document == awkwardJSON)

            #expect(try await store.flowVersion(flowId: "flow-1", version: 1) == v1)
            #expect(try await store.flowVersion(flowId: "flow-1", version: 2) == v2)
            #expect(try await store.flowVersion(flowId: "flow-1", version: 3) == v3)
            #expect(try await store.flowVersions(flowId: "flow-1") == [v1, v2, v3])

            let flow = try await store.flow(id: "flow-1")
            #expect(flow.id == "flow-1" && flow.name == "Public S3 buckets" && flow.owner == "bob")
            #expect(flow.categories == [] && flow.tags == ["s3", "public"])
            #expect(flow.latestVersion == 3)
            #expect(flow.createdAt == v1.createdAt && flow.updatedAt == v3.createdAt)
            #expect(v1.createdAt <= v2.createdAt && v2.createdAt <= v3.createdAt)
        },

        StoreContractCase("flow documents keep every JSON value exactly") { store in
            let saved = try await store.saveFlow(
                id: "awkward", name: "Awkward", owner: nil, categories: [], tags: [], document: awkwardJSON,
                author: nil)
            let read = try await store.flowVersion(flowId: "awkward", version: saved.version)
            #expect(read.document == awkwardJSON)
            #expect(read == saved)
        },

        StoreContractCase("flows are listed by name") { store in
            #expect(try await store.flows() == [])
            for (id, name) in [("id-b", "Bravo"), ("id-a", "Charlie"), ("id-c", "Alpha")] {
                _ = try await store.saveFlow(
                    id: id, name: name, owner: nil, categories: [], tags: [], document: ["name": .string(name)],
                    author: nil)
            }
            let flows = try await store.flows()
            #expect(flows.map(\.name) == ["Alpha", "Bravo", "Charlie"])
            #expect(flows.map(\.id) == ["id-c", "id-b", "id-a"])
            #expect(flows.allSatisfy { $0.latestVersion == 1 && $0.owner == nil })
        },

        StoreContractCase("concurrent saves of one flow get distinct versions without gaps") { store in
            let versions = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 1...20 {
                    group.addTask {
                        try await store.saveFlow(
                            id: "busy", name: "Busy", owner: nil, categories: [], tags: [],
                            document: ["index": .int(Int64(index))], author: "writer-\(index)"
                        ).version
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(versions.sorted() == Array(1...20))
            let stored = try await store.flowVersions(flowId: "busy")
            #expect(stored.map(\.version) == Array(1...20))
            #expect(Set(stored.compactMap { $0.document["index"]?.intValue }).count == 20)
            #expect(try await store.flow(id: "busy").latestVersion == 20)
        },

        StoreContractCase("deleting a flow removes its versions and keeps its runs") { store in
            _ = try await store.saveFlow(
                id: "doomed", name: "Doomed", owner: nil, categories: [], tags: [], document: [:], author: nil)
            _ = try await store.saveFlow(
                id: "kept", name: "Kept", owner: nil, categories: [], tags: [], document: [:], author: nil)
            let run = makeRun("run-of-doomed", flowId: "doomed")
            try await store.createRun(run)
            try await store.createExecution(makeExecution("exe-of-doomed", runId: run.id))
            _ = try await store.append(
                StepRecord(executionId: "exe-of-doomed", nodeId: "n", status: .success, startedAt: ms(1_700_000_000)))

            try await store.deleteFlow(id: "doomed")

            await #expect(throws: StoreError.notFound(kind: "flow", id: "doomed")) {
                try await store.flow(id: "doomed")
            }
            await #expect(throws: StoreError.notFound(kind: "flow version", id: "doomed@1")) {
                try await store.flowVersion(flowId: "doomed", version: 1)
            }
            #expect(try await store.flowVersions(flowId: "doomed") == [])
            #expect(try await store.flows().map(\.id) == ["kept"])
            #expect(try await store.run(id: run.id) == run)
            #expect(try await store.runs(flowId: "doomed", limit: 10) == [run])
            #expect(try await store.steps(executionId: "exe-of-doomed").count == 1)
        },
    ]
}
