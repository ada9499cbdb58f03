import Foundation
import Testing
import WeftEngine
import WeftModel

extension StoreContract {
    /// The `UserStore` part of the contract; each case fails when the store is not a `UserStore`.
    public static let userCases: [StoreContractCase] = [
        StoreContractCase("users round-trip and are listed by name") { store in
            let users = try userStore(store)
            #expect(try await users.users() == [])
            let ann = UserRecord(
                id: "u-1", name: "ann", role: .manager, tags: [], grants: ["export"], passwordHash: "$2b$04$hash",
                createdAt: ms(1_700_000_000.123))
            let bob = UserRecord(
                id: "u-2", name: "Bob ✓", role: .reader, tags: ["prod", "s3"], passwordHash: nil, disabled: true,
                createdAt: ms(1_700_000_001.000))
            try await users.createUser(bob)
            try await users.createUser(ann)
            #expect(try await users.user(id: "u-1") == ann)
            #expect(try await users.user(named: "Bob ✓") == bob)
            #expect(try await users.users() == [bob, ann].sorted { $0.name < $1.name })

            var changed = bob
            changed.role = .deployer
            changed.tags = ["dev"]
            changed.passwordHash = "$2b$04$other"
            changed.disabled = false
            try await users.updateUser(changed)
            #expect(try await users.user(id: "u-2") == changed)
        },

        StoreContractCase("user ids and names are unique; missing users are notFound") { store in
            let users = try userStore(store)
            try await users.createUser(UserRecord(id: "u-1", name: "ann", role: .admin, createdAt: ms(1_700_000_000)))
            await expectConflict("same id") {
                try await users.createUser(UserRecord(id: "u-1", name: "other", role: .admin, createdAt: ms(1_700_000_000)))
            }
            await expectConflict("same name") {
                try await users.createUser(UserRecord(id: "u-2", name: "ann", role: .admin, createdAt: ms(1_700_000_000)))
            }
            await expectNotFound("user", "nobody") { _ = try await users.user(id: "nobody") }
            await expectNotFound("user", "nobody") { _ = try await users.user(named: "nobody") }
            await expectNotFound("user", "nobody") {
                try await users.updateUser(UserRecord(id: "nobody", name: "x", role: .reader, createdAt: ms(1_700_000_000)))
            }
            await expectNotFound("user", "nobody") { try await users.deleteUser(id: "nobody") }
        },

        StoreContractCase("tokens are found by hash and deleted with their user") { store in
            let users = try userStore(store)
            try await users.createUser(UserRecord(id: "u-1", name: "ann", role: .developer, createdAt: ms(1_700_000_000)))
            let first = APITokenRecord(
                id: "t-1", userId: "u-1", name: "ci", tokenHash: "aa", createdAt: ms(1_700_000_000.5))
            let second = APITokenRecord(
                id: "t-2", userId: "u-1", name: "laptop", tokenHash: "bb", createdAt: ms(1_700_000_001.5),
                expiresAt: ms(1_800_000_000.25))
            try await users.createToken(second)
            try await users.createToken(first)
            #expect(try await users.token(hash: "bb") == second)
            #expect(try await users.tokens(userId: "u-1") == [first, second])
            #expect(try await users.tokens(userId: "nobody") == [])
            await expectConflict("same hash") {
                try await users.createToken(
                    APITokenRecord(id: "t-3", userId: "u-1", name: "x", tokenHash: "aa", createdAt: ms(1_700_000_000)))
            }
            await expectNotFound("user", "nobody") {
                try await users.createToken(
                    APITokenRecord(id: "t-4", userId: "nobody", name: "x", tokenHash: "cc", createdAt: ms(1_700_000_000)))
            }
            try await users.deleteToken(id: "t-1")
            await expectNotFound("token", "aa") { _ = try await users.token(hash: "aa") }
            await expectNotFound("token", "t-1") { try await users.deleteToken(id: "t-1") }
            try await users.deleteUser(id: "u-1")
            #expect(try await users.tokens(userId: "u-1") == [])
            await expectNotFound("token", "bb") { _ = try await users.token(hash: "bb") }
        },

        StoreContractCase("sessions are found by hash and expire") { store in
            let users = try userStore(store)
            try await users.createUser(UserRecord(id: "u-1", name: "ann", role: .reader, createdAt: ms(1_700_000_000)))
            let old = SessionRecord(
                tokenHash: "s-old", userId: "u-1", csrfToken: "c1", createdAt: ms(1_700_000_000),
                expiresAt: ms(1_700_003_600))
            let live = SessionRecord(
                tokenHash: "s-live", userId: "u-1", csrfToken: "c2", createdAt: ms(1_700_000_000),
                expiresAt: ms(1_700_100_000.5))
            try await users.createSession(old)
            try await users.createSession(live)
            #expect(try await users.session(hash: "s-live") == live)
            await expectNotFound("user", "nobody") {
                try await users.createSession(
                    SessionRecord(
                        tokenHash: "s-x", userId: "nobody", csrfToken: "c", createdAt: ms(1_700_000_000),
                        expiresAt: ms(1_700_000_001)))
            }
            #expect(try await users.deleteSessions(expiredBy: ms(1_700_003_600)) == 1)
            await expectNotFound("session", "s-old") { _ = try await users.session(hash: "s-old") }
            try await users.deleteSession(hash: "s-live")
            await expectNotFound("session", "s-live") { try await users.deleteSession(hash: "s-live") }
        },
    ]
}

/// The store as a `UserStore`, or a recorded failure.
func userStore(_ store: any Store) throws -> any UserStore {
    guard let users = store as? any UserStore else {
        throw StoreBackendUnavailable(message: "\(type(of: store)) is not a UserStore")
    }
    return users
}

/// Expects `body` to throw `StoreError.notFound` of `kind` and `id`.
func expectNotFound(
    _ kind: String, _ id: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected StoreError.notFound(\(kind), \(id)), nothing was thrown", sourceLocation: sourceLocation)
    } catch StoreError.notFound(let foundKind, let foundId) where foundKind == kind && foundId == id {
    } catch {
        Issue.record("expected StoreError.notFound(\(kind), \(id)), got \(error)", sourceLocation: sourceLocation)
    }
}
