import Foundation
import SQLKit
import Testing
import WeftEngine
import WeftModel
import WeftTesting

@testable import WeftStore

/// One behaviour checked on each backend.
struct BackendCheck: Sendable, CustomTestStringConvertible {
    var name: String
    var body: @Sendable (StoreBackend) async throws -> Void
    var testDescription: String { name }
}

/// Behaviour of `SQLStore` beyond the contract: opening, migrations, engine settings, several
/// processes on one database.
@Suite("SQLStore")
struct SQLStoreTests {
    static let checks: [BackendCheck] = [
        BackendCheck(name: "reopening keeps the data and applies each migration once", body: reopen),
        BackendCheck(name: "stores opened together on one database migrate once", body: concurrentOpen),
        BackendCheck(name: "a database with a newer schema is refused", body: newerSchema),
        BackendCheck(name: "two stores appending to one execution share one sequence", body: appendsFromTwoProcesses),
    ]

    @Test("SQLite", arguments: checks)
    func sqlite(_ check: BackendCheck) async throws {
        try await check.body(.sqlite)
    }

    @Test("PostgreSQL", .enabled(if: !StoreBackend.skipsPostgres, "WEFT_SKIP_POSTGRES=1"), arguments: checks)
    func postgres(_ check: BackendCheck) async throws {
        try await check.body(.postgres)
    }

    /// "reopening keeps the data and applies each migration once"
    static func reopen(_ backend: StoreBackend) async throws {
        try await backend.withFreshDatabase { open in
            let first = try await open()
            _ = try await first.saveFlow(
                id: "f", name: "F", owner: nil, categories: [], tags: [], document: ["a": 1], author: nil)
            try await first.close()

            let second = try await open()
            #expect(try await second.flow(id: "f").latestVersion == 1)
            let versions = try await second.withDatabase { db in
                try await db.raw("SELECT version FROM schema_migrations ORDER BY version").all().map {
                    try $0.decode(column: "version", as: Int.self)
                }
            }
            #expect(versions == SQLStore.migrations.map(\.version))
            try await second.close()
        }
    }

    /// "stores opened together on one database migrate once"
    static func concurrentOpen(_ backend: StoreBackend) async throws {
        try await backend.withFreshDatabase { open in
            let opened = await withTaskGroup(of: Result<SQLStore, any Error>.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        do { return .success(try await open()) } catch { return .failure(error) }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let stores = opened.compactMap { try? $0.get() }
            for case .failure(let error) in opened { Issue.record(error, "opening a store failed") }
            if let store = stores.first {
                let count = try? await store.withDatabase { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM schema_migrations").first()?.decode(column: "n", as: Int.self)
                }
                #expect(count == SQLStore.migrations.count)
            }
            for store in stores { try await store.close() }
        }
    }

    /// "a database with a newer schema is refused"
    static func newerSchema(_ backend: StoreBackend) async throws {
        try await backend.withFreshDatabase { open in
            let store = try await open()
            try await store.withDatabase { db in
                try await db.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', \(bind: Date()))"
                ).run()
            }
            try await store.close()
            await #expect {
                _ = try await open()
            } throws: { error in
                guard case StoreError.backend(let message) = error else { return false }
                return message.contains("999")
            }
        }
    }

    /// "two stores appending to one execution share one sequence"
    static func appendsFromTwoProcesses(_ backend: StoreBackend) async throws {
        try await backend.withFreshDatabase { open in
            let stores = [try await open(), try await open()]
            do {
                try await Self.appendFromBoth(stores)
            } catch {
                for store in stores { try? await store.close() }
                throw error
            }
            for store in stores { try await store.close() }
        }
    }

    private static func appendFromBoth(_ stores: [SQLStore]) async throws {
        try await stores[0].createRun(RunRecord(
            id: "r", flowName: "f", trigger: "manual", dryRun: false, status: .running, createdAt: Date()))
        try await stores[0].createExecution(
            ExecutionRecord(id: "e", runId: "r", connector: "c", region: "eu-west-1", status: .running))
        let assigned = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                let store = stores[index % 2]
                group.addTask {
                    try await store.append(
                        StepRecord(executionId: "e", nodeId: "n\(index)", status: .success, startedAt: Date()))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(assigned.sorted() == Array(1...40))
        #expect(try await stores[1].steps(executionId: "e").map(\.sequence) == Array(1...40))
    }

    @Test("SQLite runs in WAL mode with synchronous=NORMAL and foreign keys on")
    func sqlitePragmas() async throws {
        try await StoreBackend.sqlite.withFreshStore { store in
            let (mode, synchronous, foreignKeys) = try await store.withDatabase { db in
                (
                    try await db.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self),
                    try await db.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self),
                    try await db.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self)
                )
            }
            #expect(mode == "wal")
            #expect(synchronous == 1)
            #expect(foreignKeys == 1)
        }
    }

    @Test("openSQLite creates missing parent directories")
    func sqliteCreatesDirectories() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("weft-open-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("a/b/c/weft.sqlite").path
        let store = try await SQLStore.openSQLite(path: path)
        try await store.close()
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("a bad PostgreSQL URL or an unreachable server is a backend error")
    func postgresUnreachable() async throws {
        await #expect {
            _ = try await SQLStore.openPostgres(url: "postgres://nobody@127.0.0.1:1/none?sslmode=disable")
        } throws: { error in
            guard case StoreError.backend = error else { return false }
            return true
        }
        await #expect {
            _ = try await SQLStore.openPostgres(url: "mysql://x@y/z")
        } throws: { error in
            guard case StoreError.backend = error else { return false }
            return true
        }
    }
}
