import Hummingbird
import WeftModel

extension APIRoutes {
    /// Liveness, the API document, and the node types.
    static let systemRoutes: [APIRoute] = [
        APIRoute(method: .get, path: "/healthz", access: .public) { _, _ in JSONResponse.make(["status": "ok"]) },
        APIRoute(method: .get, path: "/api/v1/healthz", access: .public) { _, _ in JSONResponse.make(["status": "ok"]) },
        APIRoute(method: .get, path: "/api/v1/openapi.json", access: .public) { _, _ in
            var response = Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
            response.headers[.cacheControl] = "no-cache"
            return response
        },
        APIRoute(method: .get, path: "/api/v1/node-types", access: .authenticated) { server, _ in
            JSONResponse.make([
                "nodeTypes": .array(server.configuration.registry.descriptions.map(\.json)),
                "conditionTypes": ConditionTypes.json(),
            ])
        },
    ]
}
