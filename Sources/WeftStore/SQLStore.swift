import Foundation
import PostgresKit
import SQLKit
import SQLiteKit
import WeftEngine
import WeftModel

/// The store over SQL: SQLite (embedded, one process) or PostgreSQL (shared by several processes),
/// with the same schema, migrations and queries on both.
///
/// Conventions every method follows:
/// - Dates are kept to the millisecond: a `Date` comes back rounded to the nearest millisecond.
/// - Missing things throw `StoreError.notFound` with kind `flow`, `flow version` (id `<flowId>@<version>`),
///   `run`, `execution` or `blob`; list methods return an empty array for an unknown parent.
/// - Creating a run, execution or flow version whose id is taken throws `StoreError.conflict`; any other
///   database failure is `StoreError.backend`.
/// - Steps and blobs belong to an execution that must exist (`StoreError.notFound` otherwise); blobs
///   may also belong to no execution.
public final class SQLStore: Sendable {
    /// The database engine behind a store.
    public enum Engine: String, Sendable {
        case sqlite, postgres
    }

    public let engine: Engine
    let sessions: any SQLSessionSource

    init(engine: Engine, sessions: any SQLSessionSource) {
        self.engine = engine
        self.sessions = sessions
    }

    /// Opens (creating it and its parent directory when missing) the SQLite database file at `path` and
    /// applies pending migrations. The file is used in WAL mode with `synchronous=NORMAL`, foreign keys
    /// on and a busy timeout, through one connection that serializes every statement; stores of one
    /// process that open the same file share that connection.
    public static func openSQLite(path: String) async throws -> SQLStore {
        let sessions: SQLiteSessions
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            sessions = try await SQLiteSessions.open(path: path)
        } catch {
            throw StoreError.backend("cannot open SQLite database at \(path): \(SQLStore.describe(error))")
        }
        return try await open(engine: .sqlite, sessions: sessions)
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://user[:password]@host[:port]/database`,
    /// optional `?sslmode=disable|prefer|require`) through a connection pool and applies pending migrations.
    /// The database must exist.
    public static func openPostgres(url: String) async throws -> SQLStore {
        let sessions: PostgresSessions
        do {
            sessions = try PostgresSessions(url: url)
        } catch {
            throw StoreError.backend("invalid PostgreSQL URL: \(SQLStore.describe(error))")
        }
        return try await open(engine: .postgres, sessions: sessions)
    }

    private static func open(engine: Engine, sessions: any SQLSessionSource) async throws -> SQLStore {
        let store = SQLStore(engine: engine, sessions: sessions)
        do {
            try await store.migrate()
        } catch {
            try? await sessions.close()
            throw error
        }
        return store
    }

    /// Closes the store's connections (on SQLite, gives up its share of the file's connection). Call it
    /// before the store is released; the store must not be used afterwards.
    public func close() async throws {
        do {
            try await sessions.close()
        } catch {
            throw StoreError.backend(SQLStore.describe(error))
        }
    }

    // MARK: Running statements

    /// Runs `body`, which sends one statement, on a database; errors become `StoreError`s.
    ///
    /// On SQLite, a statement that finds the database locked by another process (past the busy
    /// timeout, or at once when SQLite detects a conflicting snapshot) had no effect and is retried
    /// for up to 30 s.
    func withDatabase<T: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await uncancelled { try await self.lockedRetry(body) }
    }

    private func lockedRetry<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await retryingWhileLocked {
            try await self.mapErrors {
                try await self.sessions.withDatabase { db in
                    do {
                        return try await body(db)
                    } catch let error as SQLiteError where SQLStore.isBusy(error) {
                        throw LockBusy()
                    }
                }
            }
        }
    }

    /// Runs `body` inside one transaction on one connection: committed when `body` returns, rolled
    /// back when it throws. Errors become `StoreError`s.
    ///
    /// On SQLite the transaction starts with `BEGIN IMMEDIATE`, taking the write lock up front; when
    /// another process holds it past the busy timeout the transaction is retried from the start for
    /// up to 30 s. Cancelling the calling task does not interrupt it.
    func transaction<T: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await uncancelled { try await self.lockedTransaction(body) }
    }

    private func lockedTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let begin = engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await retryingWhileLocked {
            try await self.mapErrors {
                try await self.sessions.withSession { db in
                    do {
                        try await db.raw(SQLQueryString(begin)).run()
                    } catch let error as SQLiteError where SQLStore.isBusy(error) {
                        throw LockBusy()
                    }
                    do {
                        let result = try await body(db)
                        try await db.raw("COMMIT").run()
                        return result
                    } catch {
                        let rollback: EventLoopFuture<Void> = db.execute(sql: SQLRaw("ROLLBACK")) { _ in }
                        try? await rollback.get()
                        throw error
                    }
                }
            }
        }
    }

    /// Runs `operation` in a task of its own, so that cancelling the caller does not cut a statement
    /// short: a cancelled run must still record how it ended.
    private func uncancelled<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task { try await operation() }.value
    }

    private func retryingWhileLocked<T>(_ attempt: () async throws -> T) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        var pause = Duration.milliseconds(1)
        while true {
            do {
                return try await attempt()
            } catch is LockBusy {
                guard clock.now < deadline else { throw StoreError.backend("the database is locked by another process") }
                guard !Task.isCancelled else { throw StoreError.backend("cancelled while waiting for the database lock") }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(50))
            }
        }
    }

    static func isBusy(_ error: SQLiteError) -> Bool {
        switch error.reason {
        case .busy, .busyInRecovery, .busyInSnapshot, .busyTimeout: return true
        default: return false
        }
    }

    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch let error as LockBusy {
            throw error
        } catch {
            if SQLStore.isUniqueViolation(error) { throw StoreError.conflict(SQLStore.describe(error)) }
            throw StoreError.backend(SQLStore.describe(error))
        }
    }

    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let error = error as? SQLiteError {
            switch error.reason {
            case .constraintUniqueFailed, .constraintPrimaryKeyFailed: return true
            default: return false
            }
        }
        if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23505" }
        return false
    }

    static func isForeignKeyViolation(_ error: any Error) -> Bool {
        if let error = error as? SQLiteError { return error.reason == .constraintForeignKeyFailed }
        if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23503" }
        return false
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                let message = info[.message] ?? "server error"
                let detail = info[.detail].map { " (\($0))" } ?? ""
                return "\(message)\(detail) [\(info[.sqlState] ?? "?")]"
            }
            return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
        }
        return "\(error)"
    }
}

/// `BEGIN` found the database locked; the transaction can be retried.
private struct LockBusy: Error {}
