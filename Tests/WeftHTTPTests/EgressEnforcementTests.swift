import Foundation
import Testing
import WeftEngine
import WeftHTTP
import WeftModel
@testable import WeftNodes

/// The egress policy end to end, on loopback only: denied addresses are refused before connecting.
struct EgressEnforcementTests {
    func credentials(deny: String, resolver: any HostResolving = SystemResolver()) throws -> HTTPCredentials {
        HTTPCredentials(egress: try EgressPolicy.fromEnvironment(["WEFT_EGRESS_DENY": deny]), resolver: resolver)
    }

    @Test func aDeniedAddressIsRefusedBeforeConnecting() async throws {
        let server = try TestServer(host: "127.0.0.2")
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(HTTPNode.self, ["url": .string(server.url("/echo"))],
                                  httpContext(credentials: try credentials(deny: "127.0.0.2/32")))
        }
        #expect(error?.code == "egressDenied")
        #expect(error?.message.contains("refused before connecting") == true)
        #expect(error?.message.contains("127.0.0.2") == true)
        #expect(server.seen.isEmpty)
        let allowed = try await runNode(HTTPNode.self, ["url": .string(server.url("/echo"))], httpContext(credentials: try credentials(deny: "")))
        #expect(allowed[0]["status"] == 200)
        #expect(server.seen.contains("GET /echo"))
    }

    @Test func aHostNameThatResolvesToADeniedAddressIsRefused() async throws {
        let server = try TestServer(host: "127.0.0.1")
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(HTTPNode.self, ["url": .string("http://localhost:\(server.port)/echo")],
                                  httpContext(credentials: try credentials(deny: "127.0.0.1/32,::1/128")))
        }
        #expect(error?.code == "egressDenied")
        #expect(error?.message.contains("localhost resolves to") == true)
        #expect(server.seen.isEmpty)
    }

    @Test func everyResolvedAddressIsChecked() async throws {
        let server = try TestServer(host: "127.0.0.1")
        let resolver = StaticResolver(["rebind.test": ["127.0.0.1", "127.0.0.2"]])
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(HTTPNode.self, ["url": .string("http://rebind.test:\(server.port)/echo")],
                                  httpContext(credentials: try credentials(deny: "127.0.0.2/32", resolver: resolver)))
        }
        #expect(error?.code == "egressDenied")
        #expect(server.seen.isEmpty)
    }

    @Test func theConnectionGoesToTheCheckedAddressWithTheHostNameKept() async throws {
        let server = try TestServer(host: "127.0.0.2")
        let resolver = StaticResolver(["api.test": ["127.0.0.2"]], fallback: nil)
        let items = try await runNode(HTTPNode.self, ["url": .string("http://api.test:\(server.port)/echo")],
                                      httpContext(credentials: try credentials(deny: "", resolver: resolver)))
        #expect(items[0]["body"]?["headers"]?["host"] == .string("api.test:\(server.port)"))
    }

    @Test func aRedirectToADeniedAddressIsRefused() async throws {
        let front = try TestServer(host: "127.0.0.1")
        let hidden = try TestServer(host: "127.0.0.2")
        let target = URLQuery.encode(hidden.url("/echo"))
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(HTTPNode.self, ["url": .string(front.url("/redirect-to?url=\(target)"))],
                                  httpContext(credentials: try credentials(deny: "127.0.0.2/32")))
        }
        #expect(error?.code == "egressDenied")
        #expect(front.seen.contains { $0.hasPrefix("GET /redirect-to") })
        #expect(hidden.seen.isEmpty)
    }

    @Test func largeHttpIsUnderThePolicyToo() async throws {
        let server = try TestServer(host: "127.0.0.2")
        let error = await #expect(throws: NodeError.self) {
            _ = try await runNode(LargeHTTPNode.self, ["url": .string(server.url("/large?count=10"))],
                                  httpContext(credentials: try credentials(deny: "127.0.0.0/30")))
        }
        #expect(error?.code == "egressDenied")
        #expect(server.seen.isEmpty)
    }
}
