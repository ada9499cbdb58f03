import Foundation
import HTTPTypes
import Hummingbird

extension WeftServer {
    /// The web UI's static files: `/ui/…` from `uiDirectory` (or the bundled copy), `/vendor/codemirror/…`
    /// from `codemirrorDirectory`, `GET /` redirecting to `/ui/`. API routes take precedence.
    func addUserInterface(to router: Router<WeftRequestContext>) {
        router.add(middleware: StaticFiles(prefix: "/ui", files: FileMiddleware(
            configuration.uiDirectory ?? WeftServer.bundledUIDirectory, urlBasePath: "/ui",
            cacheControl: .init([(MediaType(type: .any), [.noCache])]), searchForIndexHtml: true)))
        router.add(middleware: StaticFiles(prefix: "/vendor/codemirror", files: FileMiddleware(
            configuration.codemirrorDirectory, urlBasePath: "/vendor/codemirror",
            cacheControl: .init([(MediaType(type: .any), [.maxAge(86400)])]))))
        router.get("/") { _, _ in
            Response(status: .found, headers: [.location: "/ui/"])
        }
    }

    /// The UI files bundled with the server target.
    static var bundledUIDirectory: String {
        Bundle.module.resourceURL?.appendingPathComponent("UI").path ?? "UI"
    }
}

/// Hummingbird's file middleware for the paths under `prefix` only; every other request — an API
/// route answering 404 included — passes by untouched.
struct StaticFiles: RouterMiddleware {
    typealias Context = WeftRequestContext
    let prefix: String
    let files: FileMiddleware<WeftRequestContext, LocalFileSystem>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path == prefix || path.hasPrefix(prefix + "/") else { return try await next(request, context) }
        return try await files.handle(request, context: context, next: next)
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
