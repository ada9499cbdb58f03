import Foundation
import HTTPTypes
import Hummingbird
import WeftEngine
import WeftModel

extension WeftServer {
    static let sessionCookie = "weft_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    /// The caller of `request`: an API token (`Authorization: Bearer …`) or a session cookie.
    ///
    /// Throws 401 when neither identifies an enabled user, and 403 `csrf_failed` for a
    /// cookie-authenticated write (any method but GET, HEAD, OPTIONS) without the session's CSRF token
    /// in `X-CSRF-Token`.
    func authenticate(_ request: Request) async throws -> Caller {
        let now = Date()
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIError.unauthenticated }
            let secret = String(parts[1]).trimmingCharacters(in: .whitespaces)
            let token: APITokenRecord
            do {
                token = try await store.token(hash: Credentials.hash(secret))
            } catch StoreError.notFound {
                throw APIError.unauthenticated
            }
            if let expires = token.expiresAt, expires <= now { throw APIError.unauthenticated }
            return Caller(user: try await enabledUser(id: token.userId))
        }
        guard let cookie = request.cookies[WeftServer.sessionCookie]?.value, !cookie.isEmpty else {
            throw APIError.unauthenticated
        }
        let session: SessionRecord
        do {
            session = try await store.session(hash: Credentials.hash(cookie))
        } catch StoreError.notFound {
            throw APIError.unauthenticated
        }
        guard session.expiresAt > now else { throw APIError.unauthenticated }
        if ![.get, .head, .options].contains(request.method) {
            let sent = request.headers[WeftServer.csrfHeader] ?? ""
            guard Credentials.constantTimeEquals(sent, session.csrfToken) else {
                throw APIError(
                    .forbidden, code: "csrf_failed",
                    message: "a write with a session cookie needs the session's CSRF token in X-CSRF-Token")
            }
        }
        return Caller(user: try await enabledUser(id: session.userId), csrfToken: session.csrfToken)
    }

    private func enabledUser(id: String) async throws -> UserRecord {
        let user: UserRecord
        do {
            user = try await store.user(id: id)
        } catch StoreError.notFound {
            throw APIError.unauthenticated
        }
        guard !user.disabled else { throw APIError.unauthenticated }
        return user
    }

    /// `POST /api/v1/login {"username", "password"}`: a session cookie (HttpOnly, SameSite=Strict) and
    /// `{"user", "csrfToken"}`. Wrong credentials are 401 `invalid_credentials`; past the failure limit,
    /// 429 with `Retry-After`.
    func login(_ input: RouteInput) async throws -> Response {
        let body = try await JSONBody.read(input.request, limit: configuration.maxBodyBytes)
        try body.allowOnly(["username", "password"])
        let name = try body.requiredString("username")
        let password = try body.requiredString("password")
        let address = input.context.remoteAddress ?? "unknown"
        var wait = await throttle.retryAfter(name)
        if let blocked = await addressThrottle.retryAfter(address) { wait = max(wait ?? .zero, blocked) }
        if let wait {
            await audit("login", target: "/api/v1/login", user: nil, status: 429,
                        details: ["reason": "throttled", "remote": .string(address)], actorName: name)
            let seconds = max(1, Int(wait.components.seconds))
            throw APIError(
                .tooManyRequests, code: "too_many_requests",
                message: "too many failed logins; try again in \(seconds) s", headers: [.retryAfter: "\(seconds)"])
        }
        let found = try? await store.user(named: name)
        let valid = Credentials.verifyPassword(password, hash: found?.passwordHash ?? decoyHash)
        guard let user = found, valid, user.passwordHash != nil, !user.disabled else {
            await throttle.recordFailure(name)
            await addressThrottle.recordFailure(address)
            await audit("login", target: "/api/v1/login", user: nil, status: 401, details: ["remote": .string(address)], actorName: name)
            throw APIError(.unauthorized, code: "invalid_credentials", message: "wrong user name or password")
        }
        await throttle.recordSuccess(name)
        await audit("login", target: "/api/v1/login", user: user, status: 200, details: ["remote": .string(address)])
        let secret = Credentials.newSecret(prefix: "wss_")
        let csrf = Credentials.newSecret()
        let now = Date()
        try await store.createSession(
            SessionRecord(
                tokenHash: Credentials.hash(secret), userId: user.id, csrfToken: csrf, createdAt: now,
                expiresAt: now.addingTimeInterval(configuration.sessionLifetime)))
        _ = try? await store.deleteSessions(expiredBy: now)
        var cookie =
            "\(WeftServer.sessionCookie)=\(secret); Path=/; Max-Age=\(Int(configuration.sessionLifetime)); HttpOnly; SameSite=Strict"
        if configuration.secureCookies { cookie += "; Secure" }
        return JSONResponse.make(
            ["user": UserJSON.user(user), "csrfToken": .string(csrf)], headers: [.setCookie: cookie])
    }

    /// `POST /api/v1/logout`: ends the caller's session, if any, and clears the cookie.
    func logout(_ input: RouteInput) async throws -> Response {
        if let cookie = input.request.cookies[WeftServer.sessionCookie]?.value, !cookie.isEmpty {
            try? await store.deleteSession(hash: Credentials.hash(cookie))
        }
        var response = JSONResponse.noContent()
        response.headers[.setCookie] = "\(WeftServer.sessionCookie)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
        return response
    }
}

/// The JSON shapes of users and tokens; password hashes and token hashes never leave the server.
enum UserJSON {
    static func user(_ user: UserRecord) -> JSON {
        [
            "id": .string(user.id), "name": .string(user.name), "role": .string(user.role.rawValue),
            "tags": .array(user.tags.map(JSON.string)), "grants": .array(user.grants.map(JSON.string)),
            "disabled": .bool(user.disabled), "createdAt": .string(DateJSON.string(user.createdAt)),
        ]
    }

    static func token(_ token: APITokenRecord) -> JSON {
        [
            "id": .string(token.id), "userId": .string(token.userId), "name": .string(token.name),
            "createdAt": .string(DateJSON.string(token.createdAt)),
            "expiresAt": token.expiresAt.map { .string(DateJSON.string($0)) } ?? .null,
        ]
    }
}

/// Dates in API bodies: ISO 8601 UTC with milliseconds.
enum DateJSON {
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func json(_ date: Date?) -> JSON {
        date.map { .string(string($0)) } ?? .null
    }
}
