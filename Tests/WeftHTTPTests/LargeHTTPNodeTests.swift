import Foundation
import Testing
import WeftEngine
import WeftHTTP
import WeftModel
@testable import WeftNodes

struct LargeHTTPNodeTests {
    let credentials = HTTPCredentials(credentials: HTTPNodeTests.credentials)

    @Test func aTopLevelArrayBecomesLazyItems() async throws {
        let server = try TestServer()
        let params: JSON = ["url": .string(server.url("/large?count=1234"))]
        let result = try await executeNode(LargeHTTPNode.self, params, httpContext(credentials: credentials))
        let items = try #require(result.outputs["main"])
        #expect(items.isSpilled)
        #expect(items.count == 1234)
        let all = try items.collect()
        #expect(all.first?["name"] == "item-0")
        #expect(all.last?["id"] == 1233)
    }

    @Test func theArrayAtAPathAndNDJSONBodies() async throws {
        let server = try TestServer()
        let wrapped = try await runNode(LargeHTTPNode.self, ["url": .string(server.url("/large?count=50&wrap=rows")), "response": ["path": "$.rows"]],
                                        httpContext(credentials: credentials))
        #expect(wrapped.map { $0["id"] } == (0..<50).map { JSON.int(Int64($0)) })
        let lines = try await runNode(LargeHTTPNode.self, ["url": .string(server.url("/ndjson?count=40"))], httpContext(credentials: credentials))
        #expect(lines.count == 40)
        let explicit = try await runNode(LargeHTTPNode.self, ["url": .string(server.url("/ndjson?count=3")), "response": ["format": "ndjson"]],
                                         httpContext(credentials: credentials))
        #expect(explicit.map { $0["id"] } == [0, 1, 2])
    }

    @Test func forEachConcatenatesTheBodies() async throws {
        let server = try TestServer()
        let items = try await runNode(LargeHTTPNode.self, ["url": .string(server.url("/large?count={{ $.n }}")), "forEach": true],
                                      httpContext(input: [["n": 2], ["n": 0], ["n": 3]], credentials: credentials))
        #expect(items.map { $0["id"] } == [0, 1, 0, 1, 2])
    }

    @Test func aBodyOverMaxBytesFailsTheNode() async throws {
        let server = try TestServer()
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(LargeHTTPNode.self, ["url": .string(server.url("/large?count=5000")), "maxBytes": 10_000],
                                  httpContext(credentials: credentials))
        }
        #expect(error?.code == "tooLarge")
        #expect(error?.message.contains("maxBytes (10000)") == true)
    }

    @Test func aBodyWithoutTheArrayFailsTheNode() async throws {
        let server = try TestServer()
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(LargeHTTPNode.self, ["url": .string(server.url("/large?count=5&wrap=rows")), "response": ["path": "$.other"]],
                                  httpContext(credentials: credentials))
        }
        #expect(error?.code == "invalidBody")
        #expect(error?.message.contains("$.other") == true)
    }

    @Test func anErrorStatusFailsWithTheStartOfTheBody() async throws {
        let server = try TestServer()
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(LargeHTTPNode.self, ["url": .string(server.url("/status?code=500")), "maxRetries": 0],
                                  httpContext(credentials: credentials))
        }
        #expect(error?.code == "status")
        #expect(error?.message.contains("as asked") == true)
    }
}

struct HTTPSessionTests {
    @Test func retryAfterTakesSecondsOrAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(HTTPSession.retryAfterDelay("7", now: now) == .seconds(7))
        #expect(HTTPSession.retryAfterDelay("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == .seconds(10))
        #expect(HTTPSession.retryAfterDelay("soon", now: now) == nil)
        #expect(HTTPSession.retryAfterDelay(nil, now: now) == nil)
    }

    @Test func theNextLinkIsFoundAmongOthers() {
        #expect(Paginator.nextLink(#"<https://a.test/p?page=3>; rel="last", <https://a.test/p?page=2>; rel="next""#) == "https://a.test/p?page=2")
        #expect(Paginator.nextLink(#"<https://a.test/x,y>; rel="prev next""#) == "https://a.test/x,y")
        #expect(Paginator.nextLink(#"<https://a.test/p?page=1>; rel="prev""#) == nil)
    }

    @Test func queryParametersAreEncodedAndReplaced() {
        #expect(URLQuery.appending([("q", "a b&c+d"), ("x", "é")], to: "https://a.test/p#frag") == "https://a.test/p?q=a%20b%26c%2Bd&x=%C3%A9#frag")
        #expect(URLQuery.setting("page", to: "2", in: "https://a.test/p?page=1&size=5") == "https://a.test/p?size=5&page=2")
    }

    @Test func anIPv6LoopbackServerIsReached() async throws {
        let server = try TestServer(host: "::1")
        let response = try await HTTPSession.withSession(policy: EgressPolicy()) { session in
            try await session.send(HTTPRequestSpec(url: server.url("/echo")))
        }
        #expect(response.head.status == 200)
        #expect(try JSON.parse(response.body)["method"] == "GET")
    }
}
