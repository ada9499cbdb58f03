import Hummingbird
import WeftModel

extension APIRoutes {
    /// Deployment of flows and what fires deployed flows: cloud events (posted, or sent to a connector's
    /// webhook) and connector scans.
    static let deployRoutes: [APIRoute] = [
        APIRoute(method: .post, path: "/api/v1/flows/{id}/deploy", access: .authenticated) { try await $0.deployFlow($1) },
        APIRoute(method: .post, path: "/api/v1/flows/{id}/undeploy", access: .authenticated) { try await $0.undeployFlow($1) },
        APIRoute(method: .post, path: "/api/v1/events", access: .authenticated) { try await $0.ingestEvents($1) },
        APIRoute(method: .get, path: "/api/v1/events", access: .authenticated) { try await $0.listEvents($1) },
        APIRoute(method: .post, path: "/api/v1/webhooks/{id}", access: .public) { try await $0.receiveWebhook($1) },
        APIRoute(method: .post, path: "/api/v1/connectors/{id}/webhook", access: .authenticated) { try await $0.rotateWebhook($1) },
        APIRoute(method: .delete, path: "/api/v1/connectors/{id}/webhook", access: .authenticated) { try await $0.disableWebhook($1) },
        APIRoute(method: .post, path: "/api/v1/connectors/{id}/scan", access: .authenticated) { try await $0.scanConnector($1) },
    ]
}
