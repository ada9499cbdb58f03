import Foundation
import WeftModel

/// The six roles of SPEC 8, from most to least powerful.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Everything, including users and roles.
    case manager
    /// Create, edit, run, delete and deploy all flows.
    case admin
    /// Create, edit, run, delete and deploy own flows.
    case powerDeveloper
    /// Create, edit, run and delete own flows; no deploy.
    case developer
    /// List, read, run and deploy flows carrying one of the user's tags.
    case deployer
    /// List and read flows carrying one of the user's tags.
    case reader
}

/// A local user account.
public struct UserRecord: Sendable, Equatable, Codable {
    public var id: String
    /// The login name; unique.
    public var name: String
    public var role: Role
    /// The tags whose flows a Deployer or Reader may see.
    public var tags: [String]
    /// Separate grants a Manager gives: `export`, `import`, `clone`.
    public var grants: [String]
    /// The bcrypt hash of the password; `nil` for an account that logs in with API tokens only.
    public var passwordHash: String?
    public var disabled: Bool
    public var createdAt: Date

    public init(
        id: String, name: String, role: Role, tags: [String] = [], grants: [String] = [],
        passwordHash: String? = nil, disabled: Bool = false, createdAt: Date
    ) {
        self.id = id; self.name = name; self.role = role; self.tags = tags; self.grants = grants
        self.passwordHash = passwordHash; self.disabled = disabled; self.createdAt = createdAt
    }
}

/// An API token: only the SHA-256 hash of the secret is stored.
public struct APITokenRecord: Sendable, Equatable, Codable {
    public var id: String
    public var userId: String
    public var name: String
    /// Lowercase hex SHA-256 of the token's secret; unique.
    public var tokenHash: String
    public var createdAt: Date
    public var expiresAt: Date?

    public init(id: String, userId: String, name: String, tokenHash: String, createdAt: Date, expiresAt: Date? = nil) {
        self.id = id; self.userId = userId; self.name = name; self.tokenHash = tokenHash
        self.createdAt = createdAt; self.expiresAt = expiresAt
    }
}

/// A login session of the web UI, found by the hash of its cookie value.
public struct SessionRecord: Sendable, Equatable, Codable {
    /// Lowercase hex SHA-256 of the cookie value; unique.
    public var tokenHash: String
    public var userId: String
    /// The value a cookie-authenticated write must send in its CSRF header.
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(tokenHash: String, userId: String, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash; self.userId = userId; self.csrfToken = csrfToken
        self.createdAt = createdAt; self.expiresAt = expiresAt
    }
}

/// Users, their API tokens and login sessions.
///
/// Missing things throw `StoreError.notFound` with kind `user`, `token` or `session`; a taken user id
/// or name, token id or hash, or session hash throws `StoreError.conflict`. Deleting a user deletes
/// its tokens and sessions. Dates come back rounded to the millisecond.
public protocol UserStore: Sendable {
    func createUser(_ user: UserRecord) async throws
    /// Replaces every field but `id` and `createdAt`. Throws `StoreError.notFound` for an unknown user.
    func updateUser(_ user: UserRecord) async throws
    func user(id: String) async throws -> UserRecord
    func user(named name: String) async throws -> UserRecord
    /// Users ordered by name.
    func users() async throws -> [UserRecord]
    func deleteUser(id: String) async throws

    /// Throws `StoreError.notFound` (kind `user`) when the token's user does not exist.
    func createToken(_ token: APITokenRecord) async throws
    func token(hash: String) async throws -> APITokenRecord
    /// A user's tokens, oldest first; `[]` for an unknown user.
    func tokens(userId: String) async throws -> [APITokenRecord]
    func deleteToken(id: String) async throws

    /// Throws `StoreError.notFound` (kind `user`) when the session's user does not exist.
    func createSession(_ session: SessionRecord) async throws
    func session(hash: String) async throws -> SessionRecord
    func deleteSession(hash: String) async throws
    /// Deletes sessions that expired at or before `date`; returns how many.
    func deleteSessions(expiredBy date: Date) async throws -> Int
}
