import Hummingbird
import WeftModel

extension APIRoutes {
    /// Login, logout, the caller, users and API tokens.
    static let accountRoutes: [APIRoute] = [
        APIRoute(method: .post, path: "/api/v1/login", access: .public) { try await $0.login($1) },
        APIRoute(method: .post, path: "/api/v1/logout", access: .public) { try await $0.logout($1) },
        APIRoute(method: .get, path: "/api/v1/me", access: .authenticated) { _, input in
            var body: JSONObject = ["user": UserJSON.user(try input.user)]
            if let csrf = input.caller?.csrfToken { body["csrfToken"] = .string(csrf) }
            return JSONResponse.make(.object(body))
        },
        APIRoute(method: .get, path: "/api/v1/users", access: .authenticated) { try await $0.listUsers($1) },
        APIRoute(method: .post, path: "/api/v1/users", access: .authenticated) { try await $0.createUser($1) },
        APIRoute(method: .patch, path: "/api/v1/users/{id}", access: .authenticated) { try await $0.updateUser($1) },
        APIRoute(method: .delete, path: "/api/v1/users/{id}", access: .authenticated) { try await $0.deleteUser($1) },
        APIRoute(method: .get, path: "/api/v1/tokens", access: .authenticated) { try await $0.listTokens($1) },
        APIRoute(method: .post, path: "/api/v1/tokens", access: .authenticated) { try await $0.createToken($1) },
        APIRoute(method: .delete, path: "/api/v1/tokens/{id}", access: .authenticated) { try await $0.deleteToken($1) },
    ]
}
