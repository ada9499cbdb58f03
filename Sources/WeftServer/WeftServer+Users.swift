import Foundation
import Hummingbird
import WeftEngine
import WeftModel

extension WeftServer {
    /// `GET /api/v1/users` (Manager): every user.
    func listUsers(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.managesUsers(try input.user) else { throw APIError.forbidden() }
        return JSONResponse.make(["users": .array(try await store.users().map(UserJSON.user))])
    }

    /// `POST /api/v1/users {"name", "password"?, "role", "tags"?, "grants"?}` (Manager): 201 with the user.
    func createUser(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.managesUsers(try input.user) else { throw APIError.forbidden() }
        let body = try await JSONBody.read(input.request, limit: configuration.maxBodyBytes)
        try body.allowOnly(["name", "password", "role", "tags", "grants"])
        let name = try body.requiredString("name")
        let rawRole = try body.requiredString("role")
        guard let role = Role(rawValue: rawRole) else {
            throw APIError.invalidRequest(
                "unknown role '\(rawRole)'", details: ["roles": .array(Role.allCases.map { .string($0.rawValue) })])
        }
        let password = try body.string("password")
        if let password { try Self.checkPassword(password) }
        let grants = try Self.checkedGrants(try body.strings("grants") ?? [])
        let user = UserRecord(
            id: Credentials.newId("usr"), name: name, role: role, tags: try body.strings("tags") ?? [], grants: grants,
            passwordHash: password.map { Credentials.hashPassword($0, cost: configuration.bcryptCost) },
            createdAt: Date())
        try await store.createUser(user)
        return JSONResponse.make(["user": UserJSON.user(try await store.user(id: user.id))], status: .created)
    }

    /// `PATCH /api/v1/users/{id} {"name"?, "password"?, "role"?, "tags"?, "grants"?, "disabled"?}` (Manager):
    /// the user as changed. A Manager cannot change their own role or disable themself (409).
    func updateUser(_ input: RouteInput) async throws -> Response {
        let caller = try input.user
        guard AccessPolicy.managesUsers(caller) else { throw APIError.forbidden() }
        var user = try await store.user(id: try input.parameter("id"))
        let body = try await JSONBody.read(input.request, limit: configuration.maxBodyBytes)
        try body.allowOnly(["name", "password", "role", "tags", "grants", "disabled"])
        if let name = try body.string("name") {
            guard !name.isEmpty else { throw APIError.invalidRequest("'name' must not be empty") }
            user.name = name
        }
        if let raw = try body.string("role") {
            guard let role = Role(rawValue: raw) else { throw APIError.invalidRequest("unknown role '\(raw)'") }
            user.role = role
        }
        if let tags = try body.strings("tags") { user.tags = tags }
        if let grants = try body.strings("grants") { user.grants = try Self.checkedGrants(grants) }
        if let disabled = try body.bool("disabled") { user.disabled = disabled }
        if let password = try body.string("password") {
            try Self.checkPassword(password)
            user.passwordHash = Credentials.hashPassword(password, cost: configuration.bcryptCost)
        }
        if user.id == caller.id, user.role != caller.role || user.disabled {
            throw APIError(.conflict, code: "conflict", message: "you cannot change your own role or disable yourself")
        }
        try await store.updateUser(user)
        return JSONResponse.make(["user": UserJSON.user(user)])
    }

    /// `DELETE /api/v1/users/{id}` (Manager): 204; a Manager cannot delete themself.
    func deleteUser(_ input: RouteInput) async throws -> Response {
        let caller = try input.user
        guard AccessPolicy.managesUsers(caller) else { throw APIError.forbidden() }
        let id = try input.parameter("id")
        guard id != caller.id else { throw APIError(.conflict, code: "conflict", message: "you cannot delete yourself") }
        try await store.deleteUser(id: id)
        return JSONResponse.noContent()
    }

    /// `GET /api/v1/tokens`: the caller's API tokens (never their secrets).
    func listTokens(_ input: RouteInput) async throws -> Response {
        let tokens = try await store.tokens(userId: try input.user.id)
        return JSONResponse.make(["tokens": .array(tokens.map(UserJSON.token))])
    }

    /// `POST /api/v1/tokens {"name", "expiresInDays"?}`: 201 with the token and its secret, shown only here.
    func createToken(_ input: RouteInput) async throws -> Response {
        let user = try input.user
        let body = try await JSONBody.read(input.request, limit: configuration.maxBodyBytes)
        try body.allowOnly(["name", "expiresInDays"])
        let name = try body.requiredString("name")
        var expiresAt: Date?
        if let days = body.object["expiresInDays"], !days.isNull {
            guard let count = days.intValue, count > 0, count <= 3650 else {
                throw APIError.invalidRequest("'expiresInDays' must be a whole number from 1 to 3650")
            }
            expiresAt = Date().addingTimeInterval(Double(count) * 86_400)
        }
        let secret = Credentials.newSecret(prefix: "wft_")
        let token = APITokenRecord(
            id: Credentials.newId("tok"), userId: user.id, name: name, tokenHash: Credentials.hash(secret),
            createdAt: Date(), expiresAt: expiresAt)
        try await store.createToken(token)
        return JSONResponse.make(["token": UserJSON.token(token), "secret": .string(secret)], status: .created)
    }

    /// `DELETE /api/v1/tokens/{id}`: 204; a user deletes their own tokens, a Manager anyone's.
    func deleteToken(_ input: RouteInput) async throws -> Response {
        let user = try input.user
        let id = try input.parameter("id")
        if !AccessPolicy.managesUsers(user) {
            guard try await store.tokens(userId: user.id).contains(where: { $0.id == id }) else {
                throw APIError.notFound("token '\(id)' not found")
            }
        }
        try await store.deleteToken(id: id)
        return JSONResponse.noContent()
    }

    private static func checkPassword(_ password: String) throws {
        guard password.count >= 8 else { throw APIError.invalidRequest("'password' must have at least 8 characters") }
    }

    private static func checkedGrants(_ grants: [String]) throws -> [String] {
        let unknown = grants.filter { !["export", "import", "clone"].contains($0) }
        guard unknown.isEmpty else {
            throw APIError.invalidRequest("unknown grant(s): \(unknown.joined(separator: ", "))")
        }
        return grants
    }
}
