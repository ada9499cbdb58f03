import Foundation
import PostgresKit
import SQLKit
import WeftEngine

extension SQLStore {
    /// Creates database `name` on the PostgreSQL server of `serverURL` (a URL of any database on that
    /// server the user may connect to) and returns the URL of the new database.
    /// Throws `StoreError.conflict` when it exists.
    public static func createPostgresDatabase(serverURL: String, name: String) async throws -> String {
        let target = try postgresURL(serverURL, database: name)
        try await withAdminDatabase(serverURL) { db in
            try await db.raw("CREATE DATABASE \(ident: name)").run()
        }
        return target
    }

    /// Drops database `name` from the PostgreSQL server of `serverURL`, closing its other sessions first.
    /// Does nothing when there is no such database.
    public static func dropPostgresDatabase(serverURL: String, name: String) async throws {
        try await withAdminDatabase(serverURL) { db in
            try await db.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
        }
    }

    /// `url` with its database path replaced by `database`.
    static func postgresURL(_ url: String, database: String) throws -> String {
        guard var components = URLComponents(string: url) else {
            throw StoreError.backend("invalid PostgreSQL URL")
        }
        components.path = "/" + database
        guard let result = components.string else { throw StoreError.backend("invalid PostgreSQL URL") }
        return result
    }

    private static func withAdminDatabase(
        _ url: String, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void
    ) async throws {
        let sessions: PostgresSessions
        do {
            sessions = try PostgresSessions(url: url, maxConnectionsPerEventLoop: 1)
        } catch {
            throw StoreError.backend("invalid PostgreSQL URL: \(describe(error))")
        }
        do {
            try await sessions.withDatabase(body)
            try await sessions.close()
        } catch {
            try? await sessions.close()
            if isDuplicateDatabase(error) { throw StoreError.conflict(describe(error)) }
            throw StoreError.backend(describe(error))
        }
    }

    private static func isDuplicateDatabase(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "42P04"
    }
}
