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
    /// Every route, by area; each area's table lives beside its handlers.
    static let all: [APIRoute] = systemRoutes + accountRoutes + flowRoutes + runRoutes + connectorRoutes + exchangeRoutes + catalogRoutes + operationRoutes + deployRoutes

    /// Every route as `(method, path)`, e.g. `("GET", "/api/v1/flows/{id}")`, in table order.
    public static var endpoints: [(method: String, path: String)] {
        all.map { ($0.method.rawValue, $0.path) }
    }

    /// The routes that need no authentication, as `METHOD path`.
    public static var publicEndpoints: Set<String> {
        Set(all.filter { $0.access == .public }.map { "\($0.method.rawValue) \($0.path)" })
    }
}
