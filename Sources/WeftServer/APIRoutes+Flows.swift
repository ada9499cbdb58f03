import Hummingbird
import WeftModel

extension APIRoutes {
    /// Flows and their versions.
    static let flowRoutes: [APIRoute] = [
        APIRoute(method: .get, path: "/api/v1/flows", access: .authenticated) { try await $0.listFlows($1) },
        APIRoute(method: .get, path: "/api/v1/flows/categories", access: .authenticated) {
            try await $0.listFlowLabels($1, \.categories, key: "categories")
        },
        APIRoute(method: .get, path: "/api/v1/flows/tags", access: .authenticated) {
            try await $0.listFlowLabels($1, \.tags, key: "tags")
        },
        APIRoute(method: .get, path: "/api/v1/flows/{id}/diff", access: .authenticated) { try await $0.diffVersions($1) },
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
    ]
}
