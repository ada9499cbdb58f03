import Hummingbird
import WeftModel

extension APIRoutes {
    /// Runs, executions and their steps.
    static let runRoutes: [APIRoute] = [
        APIRoute(method: .get, path: "/api/v1/flows/{id}/runs", access: .authenticated) { try await $0.listRuns($1) },
        APIRoute(method: .post, path: "/api/v1/flows/{id}/runs", access: .authenticated) { try await $0.startRun($1) },
        APIRoute(method: .get, path: "/api/v1/flows/{id}/executions", access: .authenticated) {
            try await $0.flowExecutions($1)
        },
        APIRoute(method: .get, path: "/api/v1/runs/{id}", access: .authenticated) { try await $0.readRun($1) },
        APIRoute(method: .post, path: "/api/v1/runs/{id}/cancel", access: .authenticated) { try await $0.cancelRun($1) },
        APIRoute(method: .post, path: "/api/v1/runs/{id}/retry", access: .authenticated) { try await $0.retryRun($1) },
        APIRoute(method: .get, path: "/api/v1/runs/{id}/events", access: .authenticated) { try await $0.runEvents($1) },
        APIRoute(method: .get, path: "/api/v1/executions/{id}", access: .authenticated) {
            try await $0.readExecution($1)
        },
        APIRoute(method: .get, path: "/api/v1/executions/{id}/steps", access: .authenticated) {
            try await $0.readSteps($1)
        },
        APIRoute(method: .get, path: "/api/v1/executions/{id}/steps/{sequence}/outputs/{output}", access: .authenticated) {
            try await $0.stepOutputPage($1)
        },
        APIRoute(method: .get, path: "/api/v1/executions/{id}/artifacts", access: .authenticated) {
            try await $0.listArtifacts($1)
        },
        APIRoute(method: .get, path: "/api/v1/executions/{id}/artifacts/{name}", access: .authenticated) {
            try await $0.downloadArtifact($1)
        },
    ]
}
