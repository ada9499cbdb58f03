import Foundation
import Testing
import WeftEngine
import WeftHTTP
import WeftModel
@testable import WeftNodes

struct HTTPNodeTests {
    static let credentials = [
        NamedCredential(name: "legacy", type: "basic", fields: ["username": "alice-admin", "password": "pa55word-xyz"]),
        NamedCredential(name: "ticketing", type: "bearer", fields: ["token": "bearer-token-7781"]),
        NamedCredential(name: "vendor", type: "apiKey", fields: ["key": "api-key-5566+/="]),
    ]

    func services(_ extra: [NamedCredential] = [], deny: String? = nil) throws -> HTTPCredentials {
        var environment: [String: String] = [:]
        if let deny { environment["WEFT_EGRESS_DENY"] = deny }
        return HTTPCredentials(credentials: Self.credentials + extra, egress: try EgressPolicy.fromEnvironment(environment))
    }

    // MARK: - Requests and auth

    @Test func aGetReturnsStatusHeadersAndParsedBody() async throws {
        let server = try TestServer()
        let items = try await runNode(HTTPNode.self, ["url": .string(server.url("/echo")), "query": ["q": "a b&c", "n": 2, "list": ["x", "y"]]],
                                      httpContext(credentials: try services()))
        #expect(items.count == 1)
        #expect(items[0]["status"] == 200)
        #expect(items[0]["headers"]?["content-type"] == "application/json")
        #expect(items[0]["body"]?["query"] == ["q": "a b&c", "n": "2", "list": "y"])
        #expect(items[0]["body"]?["path"]?.stringValue?.contains("list=x&list=y") == true)
    }

    @Test func basicAuthSendsTheCredentialAndMasksIt() async throws {
        let server = try TestServer()
        let items = try await runNode(HTTPNode.self, [
            "url": .string(server.url("/auth/basic?user=alice-admin&password=pa55word-xyz")),
            "auth": ["type": "basic", "credential": "legacy"],
        ], httpContext(credentials: try services()))
        #expect(items[0]["status"] == 200)
        #expect(items[0]["body"]?["authenticated"] == true)
        #expect(items[0]["body"]?["authorization"] == "Basic *****")
    }

    @Test func bearerAuth() async throws {
        let server = try TestServer()
        let items = try await runNode(HTTPNode.self, [
            "url": .string(server.url("/auth/bearer?token=bearer-token-7781")),
            "auth": ["type": "bearer", "credential": "ticketing"],
        ], httpContext(credentials: try services()))
        #expect(items[0]["body"]?["authenticated"] == true)
        #expect(items[0]["body"]?["authorization"] == "Bearer *****")
    }

    @Test(arguments: ["header", "query"])
    func apiKeyAuth(placement: String) async throws {
        let server = try TestServer()
        let encodedKey = URLQuery.encode("api-key-5566+/=")
        let items = try await runNode(HTTPNode.self, [
            "url": .string(server.url("/auth/key?key=\(encodedKey)&in=\(placement)&name=Vendor-Key")),
            "auth": ["type": "apiKey", "credential": "vendor", "in": .string(placement), "name": "Vendor-Key"],
        ], httpContext(credentials: try services()))
        #expect(items[0]["status"] == 200)
        #expect(items[0]["body"]?["authenticated"] == true)
        #expect(items[0]["body"]?["seen"] == "*****")
    }

    @Test func oauth2ClientCredentialsFetchesOneTokenAndCachesIt() async throws {
        let server = try TestServer()
        let idp = NamedCredential(name: "idp", type: "oauth2ClientCredentials", fields: [
            "tokenUrl": .string(server.url("/oauth/token")), "clientId": "weft-client", "clientSecret": "client-secret-0451", "scope": "read",
        ])
        let credentials = try services([idp])
        let params: JSON = ["url": .string(server.url("/oauth/api?i={{ $.i }}")), "auth": ["type": "oauth2ClientCredentials", "credential": "idp"],
                            "forEach": true, "concurrency": 3]
        let first = try await runNode(HTTPNode.self, params, httpContext(input: [["i": 1], ["i": 2], ["i": 3]], credentials: credentials))
        let second = try await runNode(HTTPNode.self, params, httpContext(input: [["i": 4]], credentials: credentials))
        for item in first + second {
            #expect(item["body"]?["authenticated"] == true)
            #expect(item["body"]?["authorization"] == "Bearer *****")
        }
        #expect(server.seen.filter { $0.hasPrefix("POST /oauth/token") }.count == 1)
    }

    @Test func aRejectedClientSecretFailsWithoutShowingIt() async throws {
        let server = try TestServer()
        let idp = NamedCredential(name: "idp", type: "oauth2ClientCredentials", fields: [
            "tokenUrl": .string(server.url("/oauth/token")), "clientId": "weft-client", "clientSecret": "wrong-secret-9911",
        ])
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(HTTPNode.self, ["url": .string(server.url("/oauth/api")), "auth": ["type": "oauth2ClientCredentials", "credential": "idp"]],
                                  httpContext(credentials: try services([idp])))
        }
        #expect(error?.code == "credential")
        #expect(error?.message.contains("invalid_client") == true)
        #expect(error?.message.contains("wrong-secret-9911") == false)
    }

    @Test func aMissingCredentialIsNamed() async throws {
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(HTTPNode.self, ["url": "http://127.0.0.1:9/", "auth": ["type": "bearer", "credential": "nope"]],
                                  httpContext(credentials: try services()))
        }
        #expect(error?.message.contains("no credential named 'nope'") == true)
    }

    @Test func forEachSendsOneRequestPerItemInOrder() async throws {
        let server = try TestServer()
        let input: [JSON] = (0..<7).map { ["id": .int(Int64($0)), "name": .string("n\($0)")] }
        let items = try await runNode(HTTPNode.self, [
            "method": "POST", "url": .string(server.url("/echo?id={{ $.id }}")), "forEach": true, "concurrency": 3,
            "headers": ["X-Name": "{{ $.name }}"], "body": ["name": "{{ $.name }}", "fixed": true],
        ], httpContext(input: input, credentials: try services()))
        #expect(items.count == 7)
        for (index, item) in items.enumerated() {
            #expect(item["body"]?["query"]?["id"] == .string("\(index)"))
            #expect(item["body"]?["headers"]?["x-name"] == .string("n\(index)"))
            #expect(item["body"]?["headers"]?["content-type"] == "application/json")
            #expect(try JSON.parse(item["body"]?["body"]?.stringValue ?? "") == ["name": .string("n\(index)"), "fixed": true])
        }
    }

    // MARK: - Retries, timeouts, redirects, status

    @Test func a429IsRetriedAfterItsRetryAfter() async throws {
        let server = try TestServer()
        let context = httpContext(credentials: try services())
        let started = Date()
        let items = try await runNode(HTTPNode.self, ["url": .string(server.url("/retry?key=a&fail=1&status=429&after=1"))], context)
        #expect(Date().timeIntervalSince(started) >= 0.9)
        #expect(items[0]["status"] == 200)
        #expect(items[0]["body"]?["attempt"] == 2)
        #expect(context.logs.contains { $0.contains("429") && $0.contains("retry 1 of 3") })
    }

    @Test func a500IsRetriedWithBackoffUntilTheRetriesRunOut() async throws {
        let server = try TestServer()
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(HTTPNode.self, ["url": .string(server.url("/retry?key=b&fail=5&status=500")), "maxRetries": 2],
                                  httpContext(credentials: try services()))
        }
        #expect(error?.code == "status")
        #expect(error?.message.contains("returned 500") == true)
        #expect(server.seen.filter { $0.hasPrefix("GET /retry") }.count == 3)
    }

    @Test func aSlowServerTimesOut() async throws {
        let server = try TestServer()
        let started = Date()
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(HTTPNode.self, ["url": .string(server.url("/slow?seconds=300")), "timeoutSeconds": 0.5],
                                  httpContext(credentials: try services()))
        }
        #expect(error?.code == "timeout")
        #expect(Date().timeIntervalSince(started) < 120, "the node waited for the slow response")
    }

    @Test func redirectsAreFollowedUpToTheLimit() async throws {
        let server = try TestServer()
        let items = try await runNode(HTTPNode.self, ["url": .string(server.url("/redirect?n=3"))], httpContext(credentials: try services()))
        #expect(items[0]["body"]?["redirected"] == true)
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(HTTPNode.self, ["url": .string(server.url("/redirect?n=3")), "maxRedirects": 2],
                                  httpContext(credentials: try services()))
        }
        #expect(error?.code == "tooManyRedirects")
    }

    @Test func credentialsAreNotForwardedToAnotherOrigin() async throws {
        let first = try TestServer()
        let second = try TestServer()
        let target = URLQuery.encode(second.url("/echo"))
        let items = try await runNode(HTTPNode.self, [
            "url": .string(first.url("/redirect-to?url=\(target)")), "auth": ["type": "bearer", "credential": "ticketing"],
        ], httpContext(credentials: try services()))
        #expect(items[0]["status"] == 200)
        #expect(items[0]["body"]?["headers"]?["authorization"] == nil)
        let sameOrigin = try await runNode(HTTPNode.self, [
            "url": .string(first.url("/redirect?n=1")), "auth": ["type": "bearer", "credential": "ticketing"],
        ], httpContext(credentials: try services()))
        #expect(sameOrigin[0]["body"]?["authorization"] == "Bearer *****")
    }

    @Test func anErrorStatusFailsUnlessAllowed() async throws {
        let server = try TestServer()
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(HTTPNode.self, ["url": .string(server.url("/status?code=404"))], httpContext(credentials: try services()))
        }
        #expect(error?.code == "status")
        #expect(error?.message.contains("404") == true)
        let items = try await runNode(HTTPNode.self, ["url": .string(server.url("/status?code=404")), "failOnErrorStatus": false],
                                      httpContext(credentials: try services()))
        #expect(items[0]["status"] == 404)
        #expect(items[0]["body"]?["error"] == "as asked")
    }

    // MARK: - Response formats

    @Test func xmlBecomesJSON() async throws {
        let server = try TestServer()
        let items = try await runNode(HTTPNode.self, ["url": .string(server.url("/xml"))], httpContext(credentials: try services()))
        #expect(items[0]["body"] == json("""
            {"findings": {"@count": "2", "finding": [{"@id": "f1", "severity": "high"}, {"@id": "f2", "severity": "low"}]}}
            """))
        let text = try await runNode(HTTPNode.self, ["url": .string(server.url("/xml")), "response": ["format": "text"]],
                                     httpContext(credentials: try services()))
        #expect(text[0]["body"]?.stringValue?.hasPrefix("<?xml") == true)
    }

    // MARK: - Pagination

    @Test(arguments: [
        ("/pages/link", ["type": "linkHeader"] as JSON),
        ("/pages/next", ["type": "nextUrl", "path": "$.links.next"] as JSON),
        ("/pages/cursor", ["type": "cursor", "path": "next_cursor", "param": "cursor"] as JSON),
        ("/pages/number", ["type": "page", "path": "$.data.items", "param": "page", "start": 1] as JSON),
    ])
    func everyPaginationKindWalksThreePages(path: String, pagination: JSON) async throws {
        let server = try TestServer()
        let items = try await runNode(HTTPNode.self, ["url": .string(server.url(path)), "pagination": pagination],
                                      httpContext(credentials: try services()))
        #expect(items.count == 3)
        let pages = items.map { item -> JSON? in
            (item["body"]?["items"] ?? item["body"]?["data"]?["items"])?.arrayValue?.first?["page"]
        }
        #expect(pages == [1, 2, 3])
    }

    @Test func pagingStopsAtMaxPages() async throws {
        let server = try TestServer()
        let context = httpContext(credentials: try services())
        let items = try await runNode(HTTPNode.self, ["url": .string(server.url("/pages/endless")),
                                                      "pagination": ["type": "linkHeader", "maxPages": 4]], context)
        #expect(items.count == 4)
        #expect(context.logs.contains { $0.contains("maxPages (4)") })
    }

    @Test func paginationWithoutItsPathIsAParameterError() async throws {
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(HTTPNode.self, ["url": "http://127.0.0.1:9/", "pagination": ["type": "cursor", "param": "c"]],
                                  httpContext(credentials: try services()))
        }
        #expect(error?.code == "invalidParameter")
    }

    // MARK: - TLS

    @Test func aSelfSignedCertificateIsRejectedUnlessTheNodeTrustsItsCA() async throws {
        let certificate = try TestCertificate.make()
        defer { try? FileManager.default.removeItem(atPath: certificate.directory) }
        let server = try TestServer(certificate: certificate)
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(HTTPNode.self, ["url": .string(server.url("/echo")), "maxRetries": 0], httpContext(credentials: try services()))
        }
        #expect(error?.code == "connection")
        #expect(error?.message.contains("certificate") == true)
        let trusted = try await runNode(HTTPNode.self, ["url": .string(server.url("/echo")), "caFile": "cert.pem"],
                                        httpContext(credentials: try services(), flowDirectory: certificate.directory))
        #expect(trusted[0]["status"] == 200)
        let byName = try await runNode(HTTPNode.self, ["url": .string("https://localhost:\(server.port)/echo"), "caFile": .string(certificate.certificatePath)],
                                       httpContext(credentials: try services()))
        #expect(byName[0]["body"]?["headers"]?["host"] == .string("localhost:\(server.port)"))
    }
}

func json(_ text: String) -> JSON {
    do { return try JSON.parse(text) } catch { fatalError("invalid JSON in test: \(error)") }
}
