import Hummingbird
import WeftModel

extension APIRoutes {
    /// Export, import and clone of flows (SPEC 9), each behind its grant.
    static let exchangeRoutes: [APIRoute] = [
        APIRoute(method: .post, path: "/api/v1/flows/export", access: .authenticated) { try await $0.exportFlows($1) },
        APIRoute(method: .post, path: "/api/v1/flows/import", access: .authenticated) { try await $0.importFlows($1) },
        APIRoute(method: .post, path: "/api/v1/flows/{id}/clone", access: .authenticated) { try await $0.cloneFlow($1) },
    ]
}
