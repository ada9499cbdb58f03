import Hummingbird
import WeftModel

extension APIRoutes {
    /// The roles, the audit log and the Prometheus metrics.
    static let operationRoutes: [APIRoute] = [
        APIRoute(method: .get, path: "/api/v1/roles", access: .authenticated) { try await $0.listRoles($1) },
        APIRoute(method: .get, path: "/api/v1/audit", access: .authenticated) { try await $0.listAudit($1) },
        APIRoute(method: .get, path: "/metrics", access: .authenticated) { try await $0.renderMetrics($1) },
    ]
}
