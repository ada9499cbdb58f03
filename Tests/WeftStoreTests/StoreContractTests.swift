import Testing
import WeftEngine
import WeftTesting

/// The store contract, run on every backend: each case gets a fresh, private store.
@Suite("Store contract")
struct StoreContractTests {
    @Test("SQLite", arguments: StoreContract.cases)
    func sqlite(_ contractCase: StoreContractCase) async throws {
        try await StoreBackend.sqlite.withFreshStore { try await contractCase.body($0) }
    }

    @Test(
        "PostgreSQL", .enabled(if: !StoreBackend.skipsPostgres, "WEFT_SKIP_POSTGRES=1"),
        arguments: StoreContract.cases)
    func postgres(_ contractCase: StoreContractCase) async throws {
        try await StoreBackend.postgres.withFreshStore { try await contractCase.body($0) }
    }
}
