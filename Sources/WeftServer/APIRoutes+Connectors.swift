import Hummingbird
import WeftModel

extension APIRoutes {
    /// Connectors and named HTTP credentials; secrets are write-only.
    static let connectorRoutes: [APIRoute] = [
        APIRoute(method: .get, path: "/api/v1/connectors", access: .authenticated) { try await $0.listConnectors($1) },
        APIRoute(method: .post, path: "/api/v1/connectors", access: .authenticated) { try await $0.createConnector($1) },
        APIRoute(method: .get, path: "/api/v1/connectors/{id}", access: .authenticated) { try await $0.readConnector($1) },
        APIRoute(method: .put, path: "/api/v1/connectors/{id}", access: .authenticated) {
            try await $0.updateConnector($1)
        },
        APIRoute(method: .delete, path: "/api/v1/connectors/{id}", access: .authenticated) {
            try await $0.deleteConnector($1)
        },
        APIRoute(method: .get, path: "/api/v1/credentials", access: .authenticated) {
            try await $0.listHTTPCredentials($1)
        },
        APIRoute(method: .post, path: "/api/v1/credentials", access: .authenticated) {
            try await $0.createHTTPCredential($1)
        },
        APIRoute(method: .get, path: "/api/v1/credentials/{id}", access: .authenticated) {
            try await $0.readHTTPCredential($1)
        },
        APIRoute(method: .put, path: "/api/v1/credentials/{id}", access: .authenticated) {
            try await $0.updateHTTPCredential($1)
        },
        APIRoute(method: .delete, path: "/api/v1/credentials/{id}", access: .authenticated) {
            try await $0.deleteHTTPCredential($1)
        },
    ]
}
