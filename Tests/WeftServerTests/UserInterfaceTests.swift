import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WeftModel
import WeftTesting

@testable import WeftServer

/// The web UI's static files: where they are served, with which headers, and what stays out of reach.
@Suite struct UserInterfaceTests {
    @Test func theRootRedirectsToTheUIAndPagesAreConfinedToTheirOrigin() async throws {
        try await ServerHarness.run(backend: .sqlite) { _, client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .found)
                #expect(response.headers[.location] == "/ui/")
            }
            try await client.execute(uri: "/ui/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(String(buffer: response.body).contains("<title>Weft</title>"))
            }
            for escape in ["/ui/../openapi.json", "/ui/%2e%2e/openapi.json", "/ui/missing.js"] {
                try await client.execute(uri: escape, method: .get) { response in
                    #expect([.notFound, .badRequest].contains(response.status), "\(escape)")
                }
            }
            let api = try await client.call(.get, "/api/v1/me")
            #expect(api.status == 401 && api.headers[.contentSecurityPolicy] != nil)
        }
    }

    @Test func aSessionLearnsItsCSRFTokenAgainFromMeAndAnAPITokenDoesNot() async throws {
        try await ServerHarness.run(backend: .sqlite) { harness, client in
            let (cookie, csrf) = try await client.login("admin", ServerHarness.adminPassword)
            #expect(try await client.call(.get, "/api/v1/me", cookie: cookie).json["csrfToken"]?.stringValue == csrf)
            let (_, token) = try await harness.user("dana", .reader)
            let me = try await client.call(.get, "/api/v1/me", token: token)
            #expect(me.json["user"]?["name"] == "dana" && me.json["csrfToken"] == nil)
        }
    }
}
