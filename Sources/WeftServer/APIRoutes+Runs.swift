import Hummingbird
import WeftModel

extension APIRoutes {
    /// Runs, executions and their steps.
    static let runRoutes: [APIRoute] = [
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
}
