import Foundation
import PostgresKit
import SQLKit
import SQLiteKit

/// Where a `SQLStore` gets its databases from.
protocol SQLSessionSource: Sendable {
    /// Runs `body` with a database for single statements; consecutive statements may run on
    /// different connections.
    func withDatabase<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs `body` with a database bound to one connection that nothing else uses until `body` returns.
    func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func close() async throws
}

/// One SQLite connection; every use of it waits for the previous one to finish, so a transaction
/// opened by one caller never sees another caller's statements.
final class SQLiteSessions: SQLSessionSource {
    private let connection: SQLiteConnection
    private let database: any SQLDatabase
    private let gate = SerialGate()

    private init(connection: SQLiteConnection) {
        self.connection = connection
        self.database = connection.sql(queryLogLevel: nil)
    }

    static func open(path: String) async throws -> SQLiteSessions {
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        let sessions = SQLiteSessions(connection: connection)
        do {
            for pragma in [
                "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON",
                "PRAGMA busy_timeout = 10000",
            ] {
                try await sessions.database.raw(SQLQueryString(pragma)).run()
            }
        } catch {
            try? await connection.close()
            throw error
        }
        return sessions
    }

    func withDatabase<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withSession(body)
    }

    func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        await gate.acquire()
        do {
            let result = try await body(database)
            await gate.release()
            return result
        } catch {
            await gate.release()
            throw error
        }
    }

    func close() async throws {
        await gate.acquire()
        do {
            try await connection.close()
            await gate.release()
        } catch {
            await gate.release()
            throw error
        }
    }
}

/// A pool of PostgreSQL connections. AsyncKit's pool is thread-safe but predates `Sendable`.
final class PostgresSessions: SQLSessionSource, @unchecked Sendable {
    private let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>
    private let database: any SQLDatabase

    init(url: String, maxConnectionsPerEventLoop: Int = 4) throws {
        let configuration = try SQLPostgresConfiguration(url: url)
        pool = EventLoopGroupConnectionPool(
            source: PostgresConnectionSource(sqlConfiguration: configuration),
            maxConnectionsPerEventLoop: maxConnectionsPerEventLoop,
            requestTimeout: .seconds(30),
            logger: Logger(label: "weft.store.pool"),
            on: MultiThreadedEventLoopGroup.singleton)
        database = pool.database(logger: Logger(label: "weft.store")).sql(queryLogLevel: nil)
    }

    func withDatabase<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await body(database)
    }

    func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.withSession(body)
    }

    func close() async throws {
        try await pool.shutdownAsync()
    }
}

/// An asynchronous mutex: callers get through one at a time, in arrival order.
actor SerialGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
    }

    func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
