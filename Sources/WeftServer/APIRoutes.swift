import Hummingbird
import WeftModel

/// One route of the API: method, path (OpenAPI form, `{name}` for parameters), who may call it, handler.
struct APIRoute: Sendable {
    enum Access: Sendable {
        /// No authentication.
        case `public`
        /// A session cookie or an API token; each handler then checks the caller's role.
        case authenticated
    }

    var method: HTTPRequest.Method
    var path: String
    var access: Access
    var handler: @Sendable (WeftServer, RouteInput) async throws -> Response

    /// The path in Hummingbird's syntax: `{id}` becomes `:id`.
    var hummingbirdPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
        }.joined(separator: "/")
    }
}

/// The API's routes: the router is built from this table, and the OpenAPI document describes it.
public enum APIRoutes {
    static let all: [APIRoute] = [
        APIRoute(method: .get, path: "/healthz", access: .public) { _, _ in JSONResponse.make(["status": "ok"]) },
        APIRoute(method: .get, path: "/api/v1/healthz", access: .public) { _, _ in JSONResponse.make(["status": "ok"]) },
        APIRoute(method: .get, path: "/api/v1/openapi.json", access: .public) { _, _ in
            var response = Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
            response.headers[.cacheControl] = "no-cache"
            return response
        },
        APIRoute(method: .post, path: "/api/v1/login", access: .public) { try await $0.login($1) },
        APIRoute(method: .post, path: "/api/v1/logout", access: .public) { try await $0.logout($1) },
        APIRoute(method: .get, path: "/api/v1/me", access: .authenticated) { _, input in
            JSONResponse.make(["user": UserJSON.user(try input.user)])
        },
        APIRoute(method: .get, path: "/api/v1/users", access: .authenticated) { try await $0.listUsers($1) },
        APIRoute(method: .post, path: "/api/v1/users", access: .authenticated) { try await $0.createUser($1) },
        APIRoute(method: .patch, path: "/api/v1/users/{id}", access: .authenticated) { try await $0.updateUser($1) },
        APIRoute(method: .delete, path: "/api/v1/users/{id}", access: .authenticated) { try await $0.deleteUser($1) },
        APIRoute(method: .get, path: "/api/v1/tokens", access: .authenticated) { try await $0.listTokens($1) },
        APIRoute(method: .post, path: "/api/v1/tokens", access: .authenticated) { try await $0.createToken($1) },
        APIRoute(method: .delete, path: "/api/v1/tokens/{id}", access: .authenticated) { try await $0.deleteToken($1) },
        APIRoute(method: .get, path: "/api/v1/node-types", access: .authenticated) { server, _ in
            JSONResponse.make(["nodeTypes": .array(server.configuration.registry.descriptions.map(\.json))])
        },
        APIRoute(method: .get, path: "/api/v1/flows", access: .authenticated) { try await $0.listFlows($1) },
        APIRoute(method: .post, path: "/api/v1/flows", access: .authenticated) { try await $0.createFlow($1) },
        APIRoute(method: .get, path: "/api/v1/flows/{id}", access: .authenticated) { try await $0.readFlow($1) },
        APIRoute(method: .put, path: "/api/v1/flows/{id}", access: .authenticated) { try await $0.updateFlow($1) },
        APIRoute(method: .delete, path: "/api/v1/flows/{id}", access: .authenticated) { try await $0.deleteFlow($1) },
        APIRoute(method: .get, path: "/api/v1/flows/{id}/versions", access: .authenticated) {
            try await $0.listVersions($1)
        },
        APIRoute(method: .get, path: "/api/v1/flows/{id}/versions/{version}", access: .authenticated) {
            try await $0.readVersion($1)
        },
        APIRoute(method: .get, path: "/api/v1/flows/{id}/runs", access: .authenticated) { try await $0.listRuns($1) },
        APIRoute(method: .post, path: "/api/v1/flows/{id}/runs", access: .authenticated) { try await $0.startRun($1) },
        APIRoute(method: .get, path: "/api/v1/runs/{id}", access: .authenticated) { try await $0.readRun($1) },
        APIRoute(method: .get, path: "/api/v1/executions/{id}", access: .authenticated) {
            try await $0.readExecution($1)
        },
        APIRoute(method: .get, path: "/api/v1/executions/{id}/steps", access: .authenticated) {
            try await $0.readSteps($1)
        },
    ]

    /// Every route as `(method, path)`, e.g. `("GET", "/api/v1/flows/{id}")`, in table order.
    public static var endpoints: [(method: String, path: String)] {
        all.map { ($0.method.rawValue, $0.path) }
    }

    /// The routes that need no authentication, as `METHOD path`.
    public static var publicEndpoints: Set<String> {
        Set(all.filter { $0.access == .public }.map { "\($0.method.rawValue) \($0.path)" })
    }
}
