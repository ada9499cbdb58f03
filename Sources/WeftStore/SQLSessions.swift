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

/// A store's use of an SQLite database file. All stores of one process that open the same file share
/// one connection (see `SQLiteConnections`), so they never contend for SQLite's locks; every use of the
/// connection waits for the previous one to finish, so a transaction opened by one caller never sees
/// another caller's statements.
final class SQLiteSessions: SQLSessionSource {
    private let shared: SharedSQLiteConnection
    private let token: SQLiteConnections.Token

    static func open(path: String) async throws -> SQLiteSessions {
        let (shared, token) = try await SQLiteConnections.shared.retain(path: path)
        return SQLiteSessions(shared: shared, token: token)
    }

    private init(shared: SharedSQLiteConnection, token: SQLiteConnections.Token) {
        self.shared = shared
        self.token = token
    }

    func withDatabase<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await shared.withSession(body)
    }

    func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await shared.withSession(body)
    }

    /// Gives up this store's share of the connection; the last share closes it. Closing twice does nothing.
    func close() async throws {
        try await SQLiteConnections.shared.release(token)
    }

    deinit {
        let token = self.token
        Task { try? await SQLiteConnections.shared.release(token) }
    }
}

/// One open SQLite connection and the gate that serializes its uses.
final class SharedSQLiteConnection: Sendable {
    private let connection: SQLiteConnection
    private let database: any SQLDatabase
    private let gate = SerialGate()

    private init(connection: SQLiteConnection) {
        self.connection = connection
        self.database = connection.sql(queryLogLevel: nil)
    }

    static func open(path: String) async throws -> SharedSQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        let shared = SharedSQLiteConnection(connection: connection)
        do {
            for pragma in [
                "PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                "PRAGMA foreign_keys = ON",
            ] {
                try await shared.database.raw(SQLQueryString(pragma)).run()
            }
        } catch {
            let closing: EventLoopFuture<Void> = connection.close()
            try? await closing.get()
            throw error
        }
        return shared
    }

    /// Runs `body` alone on the connection: callers get through one at a time, in arrival order.
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
        let connection = self.connection
        try await withSession { _ in
            let closing: EventLoopFuture<Void> = connection.close()
            try await closing.get()
        }
    }
}

/// The SQLite connections open in this process, one per database file, and the stores sharing each.
actor SQLiteConnections {
    static let shared = SQLiteConnections()

    /// One store's share of a connection.
    struct Token: Hashable, Sendable {
        fileprivate var key: String
        fileprivate var number: Int
    }

    private struct Entry {
        var connection: Task<SharedSQLiteConnection, any Error>
        var holders: Set<Int>
    }

    private var entries: [String: Entry] = [:]
    private var nextNumber = 0

    /// The connection to the file at `path`, opened (with its pragmas set) unless this process has it open.
    func retain(path: String) async throws -> (SharedSQLiteConnection, Token) {
        let key = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        nextNumber += 1
        let token = Token(key: key, number: nextNumber)
        let connection: Task<SharedSQLiteConnection, any Error>
        if var entry = entries[key] {
            entry.holders.insert(token.number)
            entries[key] = entry
            connection = entry.connection
        } else {
            connection = Task { try await SharedSQLiteConnection.open(path: path) }
            entries[key] = Entry(connection: connection, holders: [token.number])
        }
        do {
            return (try await connection.value, token)
        } catch {
            if entries[key]?.connection == connection { entries[key] = nil }
            throw error
        }
    }

    /// Gives up `token`'s share; closes the connection when it was the last. Unknown tokens are ignored.
    func release(_ token: Token) async throws {
        guard var entry = entries[token.key], entry.holders.remove(token.number) != nil else { return }
        if !entry.holders.isEmpty {
            entries[token.key] = entry
            return
        }
        entries[token.key] = nil
        let connection = try await entry.connection.value
        try await connection.close()
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
