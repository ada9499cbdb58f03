import Foundation
import SQLKit
import WeftEngine
import WeftModel

extension SQLStore: UserStore {
    public func createUser(_ user: UserRecord) async throws {
        let now = StoreDate.rounded(user.createdAt)
        try await withDatabase { db in
            try await db.raw(
                """
                INSERT INTO users (id, name, role, tags, grants, password_hash, disabled, created_at)
                VALUES (\(bind: user.id), \(bind: user.name), \(bind: user.role.rawValue),
                        \(JSONParameter(StepColumns.strings(user.tags))), \(JSONParameter(StepColumns.strings(user.grants))),
                        \(bind: user.passwordHash), \(bind: user.disabled), \(bind: now))
                """
            ).run()
        }
    }

    public func updateUser(_ user: UserRecord) async throws {
        let updated = try await withDatabase { db in
            try await db.raw(
                """
                UPDATE users SET name = \(bind: user.name), role = \(bind: user.role.rawValue),
                    tags = \(JSONParameter(StepColumns.strings(user.tags))),
                    grants = \(JSONParameter(StepColumns.strings(user.grants))),
                    password_hash = \(bind: user.passwordHash), disabled = \(bind: user.disabled)
                WHERE id = \(bind: user.id) RETURNING id
                """
            ).first() != nil
        }
        guard updated else { throw StoreError.notFound(kind: "user", id: user.id) }
    }

    public func user(id: String) async throws -> UserRecord {
        let row = try await withDatabase { db in
            try await db.raw("SELECT * FROM users WHERE id = \(bind: id)").first()
        }
        guard let row else { throw StoreError.notFound(kind: "user", id: id) }
        return try decodeUser(row)
    }

    public func user(named name: String) async throws -> UserRecord {
        let row = try await withDatabase { db in
            try await db.raw("SELECT * FROM users WHERE name = \(bind: name)").first()
        }
        guard let row else { throw StoreError.notFound(kind: "user", id: name) }
        return try decodeUser(row)
    }

    public func users() async throws -> [UserRecord] {
        let rows = try await withDatabase { db in
            try await db.raw("SELECT * FROM users ORDER BY name, id").all()
        }
        return try rows.map { try decodeUser($0) }
    }

    public func deleteUser(id: String) async throws {
        let deleted = try await withDatabase { db in
            try await db.raw("DELETE FROM users WHERE id = \(bind: id) RETURNING id").first() != nil
        }
        guard deleted else { throw StoreError.notFound(kind: "user", id: id) }
    }

    public func createToken(_ token: APITokenRecord) async throws {
        try await withDatabase { db in
            do {
                try await db.raw(
                    """
                    INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at)
                    VALUES (\(bind: token.id), \(bind: token.userId), \(bind: token.name), \(bind: token.tokenHash),
                            \(bind: StoreDate.rounded(token.createdAt)), \(bind: StoreDate.rounded(token.expiresAt)))
                    """
                ).run()
            } catch  where SQLStore.isForeignKeyViolation(error) {
                throw StoreError.notFound(kind: "user", id: token.userId)
            }
        }
    }

    public func token(hash: String) async throws -> APITokenRecord {
        let row = try await withDatabase { db in
            try await db.raw("SELECT * FROM api_tokens WHERE token_hash = \(bind: hash)").first()
        }
        guard let row else { throw StoreError.notFound(kind: "token", id: hash) }
        return try decodeToken(row)
    }

    public func tokens(userId: String) async throws -> [APITokenRecord] {
        let rows = try await withDatabase { db in
            try await db.raw("SELECT * FROM api_tokens WHERE user_id = \(bind: userId) ORDER BY created_at, id").all()
        }
        return try rows.map { try decodeToken($0) }
    }

    public func deleteToken(id: String) async throws {
        let deleted = try await withDatabase { db in
            try await db.raw("DELETE FROM api_tokens WHERE id = \(bind: id) RETURNING id").first() != nil
        }
        guard deleted else { throw StoreError.notFound(kind: "token", id: id) }
    }

    public func createSession(_ session: SessionRecord) async throws {
        try await withDatabase { db in
            do {
                try await db.raw(
                    """
                    INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
                    VALUES (\(bind: session.tokenHash), \(bind: session.userId), \(bind: session.csrfToken),
                            \(bind: StoreDate.rounded(session.createdAt)), \(bind: StoreDate.rounded(session.expiresAt)))
                    """
                ).run()
            } catch  where SQLStore.isForeignKeyViolation(error) {
                throw StoreError.notFound(kind: "user", id: session.userId)
            }
        }
    }

    public func session(hash: String) async throws -> SessionRecord {
        let row = try await withDatabase { db in
            try await db.raw("SELECT * FROM sessions WHERE token_hash = \(bind: hash)").first()
        }
        guard let row else { throw StoreError.notFound(kind: "session", id: hash) }
        return try decoding {
            SessionRecord(
                tokenHash: try row.string("token_hash"), userId: try row.string("user_id"),
                csrfToken: try row.string("csrf_token"), createdAt: try row.date("created_at"),
                expiresAt: try row.date("expires_at"))
        }
    }

    public func deleteSession(hash: String) async throws {
        let deleted = try await withDatabase { db in
            try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: hash) RETURNING token_hash").first() != nil
        }
        guard deleted else { throw StoreError.notFound(kind: "session", id: hash) }
    }

    public func deleteSessions(expiredBy date: Date) async throws -> Int {
        let limit = StoreDate.rounded(date)
        return try await withDatabase { db in
            try await db.raw("DELETE FROM sessions WHERE expires_at <= \(bind: limit) RETURNING token_hash").all().count
        }
    }

    private func decodeUser(_ row: any SQLRow) throws -> UserRecord {
        try decoding {
            let raw = try row.string("role")
            guard let role = Role(rawValue: raw) else {
                throw StoreError.backend("column role holds an unknown role '\(raw)'")
            }
            return UserRecord(
                id: try row.string("id"), name: try row.string("name"), role: role,
                tags: try StepColumns.strings(try row.json("tags"), column: "tags"),
                grants: try StepColumns.strings(try row.json("grants"), column: "grants"),
                passwordHash: try row.optionalString("password_hash"), disabled: try row.bool("disabled"),
                createdAt: try row.date("created_at"))
        }
    }

    private func decodeToken(_ row: any SQLRow) throws -> APITokenRecord {
        try decoding {
            APITokenRecord(
                id: try row.string("id"), userId: try row.string("user_id"), name: try row.string("name"),
                tokenHash: try row.string("token_hash"), createdAt: try row.date("created_at"),
                expiresAt: try row.optionalDate("expires_at"))
        }
    }
}
