import Hummingbird
import WeftModel

extension APIRoutes {
    /// Deployment of flows and the cloud events that fire deployed flows.
    static let deployRoutes: [APIRoute] = [
        APIRoute(method: .post, path: "/api/v1/flows/{id}/deploy", access: .authenticated) { try await $0.deployFlow($1) },
        APIRoute(method: .post, path: "/api/v1/flows/{id}/undeploy", access: .authenticated) { try await $0.undeployFlow($1) },
        APIRoute(method: .post, path: "/api/v1/events", access: .authenticated) { try await $0.ingestEvents($1) },
    ]
}
