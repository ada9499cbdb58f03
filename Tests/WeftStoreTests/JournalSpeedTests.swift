import Foundation
import Testing
import WeftEngine
import WeftModel
import WeftTesting
import WeftStore

private let benchRequested = ProcessInfo.processInfo.environment["WEFT_STORE_BENCH"] == "1"

/// The engine appends two journal entries per node (running, then its end); a 200-node chain must
/// cost well under a millisecond of store time per step on SQLite.
///
/// Timings taken while other tests run in parallel measure the machine's load, so these run only
/// when asked for: `WEFT_STORE_BENCH=1 swift test --filter "Journal speed"`.
@Suite("Journal speed", .serialized, .enabled(if: benchRequested, "set WEFT_STORE_BENCH=1 to measure"))
struct JournalSpeedTests {
    @Test("a 200-node chain's journal on SQLite costs under 1 ms per append")
    func sqliteChain() async throws {
        try await StoreBackend.sqlite.withFreshStore { store in
            let perAppend = try await Self.chain(store: store, nodes: 200)
            print("SQLite journal: \(String(format: "%.3f", perAppend * 1000)) ms per append (200 nodes, 400 appends)")
            #expect(perAppend < 0.001)
        }
    }

    @Test(
        "a 200-node chain's journal on PostgreSQL", .enabled(if: !StoreBackend.skipsPostgres, "WEFT_SKIP_POSTGRES=1"))
    func postgresChain() async throws {
        try await StoreBackend.postgres.withFreshStore { store in
            let perAppend = try await Self.chain(store: store, nodes: 200)
            print("PostgreSQL journal: \(String(format: "%.3f", perAppend * 1000)) ms per append (200 nodes, 400 appends)")
            #expect(perAppend < 0.01)
        }
    }

    /// Appends what a chain of `nodes` nodes journals and returns the mean seconds per append.
    static func chain(store: some Store, nodes: Int) async throws -> Double {
        try await store.createRun(
            RunRecord(id: "run", flowName: "chain", trigger: "manual", dryRun: false, status: .running, createdAt: Date()))
        try await store.createExecution(
            ExecutionRecord(id: "exe", runId: "run", connector: "aws", region: "eu-west-1", status: .running))
        let items: [JSON] = (0..<5).map { ["BucketName": .string("bucket-\($0)"), "Public": false, "Size": .int(Int64($0))] }
        let clock = ContinuousClock()
        let started = clock.now
        for index in 0..<nodes {
            let start = Date()
            let input: JSON = ["parameters": ["condition": "{{ $json.Public }}"], "node": .string("n\(index)")]
            _ = try await store.append(
                StepRecord(executionId: "exe", nodeId: "n\(index)", worker: "w", status: .running, startedAt: start,
                           input: input))
            _ = try await store.append(
                StepRecord(executionId: "exe", nodeId: "n\(index)", worker: "w", status: .success, startedAt: start,
                           endedAt: Date(), input: input, outputs: ["main": .inline(items)],
                           itemCounts: ["in": 5, "main": 5]))
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        #expect(try await store.steps(executionId: "exe").count == nodes * 2)
        return seconds / Double(nodes * 2)
    }
}
