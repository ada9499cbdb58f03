import Foundation
import HTTPTypes
import Hummingbird

extension WeftServer {
    /// The web UI's static files: `/ui/…` from `uiDirectory` (or the bundled copy), `/vendor/codemirror/…`
    /// from `codemirrorDirectory`, `GET /` redirecting to `/ui/`. API routes take precedence.
    func addUserInterface(to router: Router<WeftRequestContext>) {
        router.add(middleware: FileMiddleware(
            configuration.uiDirectory ?? WeftServer.bundledUIDirectory, urlBasePath: "/ui",
            cacheControl: .init([(MediaType(type: .any), [.noCache])]), searchForIndexHtml: true))
        router.add(middleware: FileMiddleware(
            configuration.codemirrorDirectory, urlBasePath: "/vendor/codemirror",
            cacheControl: .init([(MediaType(type: .any), [.maxAge(86400)])])))
        router.get("/") { _, _ in
            Response(status: .found, headers: [.location: "/ui/"])
        }
    }

    /// The UI files bundled with the server target.
    static var bundledUIDirectory: String {
        Bundle.module.resourceURL?.appendingPathComponent("UI").path ?? "UI"
    }
}

/// Headers that confine pages to their own origin (CSP `default-src 'self'`, no framing, no content
/// sniffing), on every response, errors included.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = WeftRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return response
    }
}
