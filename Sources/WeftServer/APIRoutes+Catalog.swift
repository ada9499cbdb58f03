import Hummingbird
import WeftModel

extension APIRoutes {
    /// The AWS catalog (services, operations, input shapes, addons) and the flow templates; every
    /// role may read them, creating a flow from a template needs the right to create flows.
    static let catalogRoutes: [APIRoute] = [
        APIRoute(method: .get, path: "/api/v1/node-types/aws/services", access: .authenticated) {
            try await $0.listAWSServices($1)
        },
        APIRoute(method: .get, path: "/api/v1/node-types/aws/services/{service}", access: .authenticated) {
            try await $0.readAWSService($1)
        },
        APIRoute(
            method: .get, path: "/api/v1/node-types/aws/services/{service}/operations/{operation}",
            access: .authenticated
        ) { try await $0.readAWSOperation($1) },
        APIRoute(method: .get, path: "/api/v1/templates", access: .authenticated) { try await $0.listTemplates($1) },
        APIRoute(method: .get, path: "/api/v1/templates/{name}", access: .authenticated) {
            try await $0.readTemplate($1)
        },
        APIRoute(method: .post, path: "/api/v1/templates/{name}/instantiate", access: .authenticated) {
            try await $0.instantiateTemplate($1)
        },
    ]
}
