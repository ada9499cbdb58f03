import Foundation
import Testing
import WeftEngine
import WeftStore

/// The engines a `SQLStore` runs on, each able to hand a test a fresh, private, empty store.
///
/// PostgreSQL needs a server: run tests under `scripts/with-postgres.sh`, which starts a throwaway
/// cluster and sets `WEFT_TEST_POSTGRES_URL`. With `WEFT_SKIP_POSTGRES=1` the PostgreSQL tests are
/// skipped instead (see `skipsPostgres`).
public enum StoreBackend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// True when `WEFT_SKIP_POSTGRES=1`: PostgreSQL tests should be disabled (visibly skipped).
    public static var skipsPostgres: Bool {
        ProcessInfo.processInfo.environment["WEFT_SKIP_POSTGRES"] == "1"
    }

    /// The URL of the test server's scratch database, from `WEFT_TEST_POSTGRES_URL`.
    /// Throws `StoreBackendUnavailable` when it is not set.
    public static func postgresServerURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["WEFT_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw StoreBackendUnavailable(
                message: """
                    WEFT_TEST_POSTGRES_URL is not set: run the tests under scripts/with-postgres.sh \
                    (e.g. `scripts/with-postgres.sh swift test`), or set WEFT_SKIP_POSTGRES=1 to skip the \
                    PostgreSQL tests
                    """)
        }
        return url
    }

    /// Opens a new empty store (SQLite: a file in a new temporary directory; PostgreSQL: a new database
    /// on the test server), runs `body` with it, then closes it and deletes its file or database, also
    /// when `body` throws.
    public func withFreshStore(_ body: (SQLStore) async throws -> Void) async throws {
        try await withFreshDatabase { open in
            let store = try await open()
            do {
                try await body(store)
            } catch {
                try? await store.close()
                throw error
            }
            try await store.close()
        }
    }

    /// Creates a new empty database (SQLite: a file path in a new temporary directory; PostgreSQL: a new
    /// database on the test server) and runs `body` with a function that opens a store on it; each call
    /// opens another store (another process, as far as the database can tell), which the caller closes.
    /// The database is deleted afterwards, also when `body` throws.
    public func withFreshDatabase(
        _ body: (_ open: @escaping @Sendable () async throws -> SQLStore) async throws -> Void
    ) async throws {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("weft-store-test-\(UUID().uuidString.lowercased())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("data/weft.sqlite").path
            try await body { try await SQLStore.openSQLite(path: path) }
        case .postgres:
            let serverURL = try Self.postgresServerURL()
            let name = "weft_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let url = try await SQLStore.createPostgresDatabase(serverURL: serverURL, name: name)
            do {
                try await body { try await SQLStore.openPostgres(url: url) }
            } catch {
                try? await SQLStore.dropPostgresDatabase(serverURL: serverURL, name: name)
                throw error
            }
            try await SQLStore.dropPostgresDatabase(serverURL: serverURL, name: name)
        }
    }
}

/// A store backend that the test environment does not provide.
public struct StoreBackendUnavailable: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
