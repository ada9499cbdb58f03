import Foundation
import Testing
import WeftEngine
import WeftHTTP
import WeftModel
import WeftNodes

/// Keeps the files written to it in memory.
final class MemorySink: ArtifactSink {
    let files = LockedBox<[String: [UInt8]]>([:])

    func write(fileName: String, bytes: [UInt8], executionId: String) throws -> String {
        files.withLock { $0[fileName] = bytes }
        return "/artifacts/\(executionId)/\(fileName)"
    }
}

/// Flows that use the HTTP nodes, run by the runner against a loopback server.
struct PipelineTests {
    func flow(_ text: String) throws -> FlowDocument {
        let (document, issues) = FlowDocument.decode(try JSON.parse(text))
        #expect(issues.isEmpty, "\(issues)")
        return try #require(document)
    }

    func runner(_ store: MemoryStore, credentials: HTTPCredentials, sink: MemorySink) -> Runner {
        var configuration = RunnerConfiguration(artifacts: sink)
        configuration.services.register(credentials)
        return Runner(registry: NodeCatalog.registry, store: store, configuration: configuration)
    }

    @Test func fiftyMegabytesFlowThroughLargeHttpFilterAndReport() async throws {
        let server = try TestServer()
        let count = 150_000
        let document = try flow("""
            {"weft": 1, "name": "large array",
             "nodes": [
              {"id": "trigger", "type": "trigger", "params": {}},
              {"id": "download", "type": "largeHttp", "params": {
                 "url": "\(server.url("/large?count=\(count)&pad=200&wrap=results"))",
                 "response": {"path": "$.results"}, "maxBytes": 100000000,
                 "auth": {"type": "bearer", "credential": "ticketing"}}},
              {"id": "keep", "type": "filter", "params": {"conditions": [
                 {"id": "c1", "type": "param", "key": "$.active", "operator": "==", "value": true},
                 {"id": "c2", "type": "param", "key": "$.region", "operator": "==", "value": "eu-west-2"}],
                 "expression": "c1 && c2"}},
              {"id": "out", "type": "report", "params": {"format": "csv",
                 "columns": [{"header": "id", "value": "$.id"}, {"header": "owner", "value": "$.tags.Owner"}]}}
             ],
             "edges": [{"from": "trigger", "to": "download"}, {"from": "download", "to": "keep"}, {"from": "keep", "to": "out"}]}
            """)
        let credentials = HTTPCredentials(credentials: HTTPNodeTests.credentials, egress: EgressPolicy())
        var options = RunOptions()
        options.secrets = credentials.secretValues
        let sink = MemorySink()
        let summary = try await runner(MemoryStore(), credentials: credentials, sink: sink).run(document, options: options)
        #expect(summary.run.status == .success, "\(summary.json.serialized())")
        let steps = try #require(summary.executions.first?.steps)
        let kept = (0..<count).filter { $0 % 3 != 0 && $0 % 2 == 0 }
        #expect(steps.first { $0.nodeId == "download" }?.itemCounts["main"] == count)
        #expect(steps.first { $0.nodeId == "keep" }?.itemCounts["main"] == kept.count)
        let csv = String(decoding: try #require(sink.files.withLock { $0["report.csv"] }), as: UTF8.self)
        let lines = csv.split(separator: "\r\n")
        #expect(lines.count == kept.count + 1)
        #expect(lines.first == "id,owner")
        #expect(lines[1] == "2,team-2")
        #expect(lines.last == .init("\(kept.last!),team-\(kept.last! % 7)"))
        #expect(server.seen.filter { $0.hasPrefix("GET /large") }.count == 1)
    }

    @Test func credentialsNeverAppearInTheJournalOrErrors() async throws {
        let server = try TestServer()
        let idp = NamedCredential(name: "idp", type: "oauth2ClientCredentials", fields: [
            "tokenUrl": .string(server.url("/oauth/token")), "clientId": "weft-client", "clientSecret": "client-secret-0451",
        ])
        let credentials = HTTPCredentials(credentials: HTTPNodeTests.credentials + [idp], egress: EgressPolicy())
        let document = try flow("""
            {"weft": 1, "name": "secrets",
             "nodes": [
              {"id": "trigger", "type": "trigger", "params": {}},
              {"id": "bearer", "type": "http", "params": {"url": "\(server.url("/echo"))", "auth": {"type": "bearer", "credential": "ticketing"}}},
              {"id": "basic", "type": "http", "params": {"url": "\(server.url("/echo"))", "auth": {"type": "basic", "credential": "legacy"}}},
              {"id": "oauth", "type": "http", "params": {"url": "\(server.url("/oauth/api"))",
                 "auth": {"type": "oauth2ClientCredentials", "credential": "idp"}}},
              {"id": "key", "type": "http", "params": {"url": "\(server.url("/status?code=403"))",
                 "auth": {"type": "apiKey", "credential": "vendor", "in": "query", "name": "token"}}}
             ],
             "edges": [{"from": "trigger", "to": "bearer"}, {"from": "bearer", "to": "basic"}, {"from": "basic", "to": "oauth"},
                       {"from": "oauth", "to": "key"}]}
            """)
        var options = RunOptions()
        options.secrets = credentials.secretValues
        let store = MemoryStore()
        let summary = try await runner(store, credentials: credentials, sink: MemorySink()).run(document, options: options)
        #expect(summary.run.status == .failed)
        let execution = try #require(summary.executions.first)
        let message = execution.execution.error?["message"]?.stringValue ?? ""
        #expect(message.contains("returned 403"), "\(message)")
        var recorded = summary.json.serialized()
        for step in try await store.steps(executionId: execution.execution.id) {
            recorded += String(decoding: try JSONEncoder().encode(step), as: UTF8.self)
        }
        #expect(recorded.contains("Bearer *****"))
        #expect(recorded.contains("Basic *****"))
        let secrets = ["bearer-token-7781", "pa55word-xyz", "alice-admin", Data("alice-admin:pa55word-xyz".utf8).base64EncodedString(),
                       "api-key-5566", URLQuery.encode("api-key-5566+/="), "client-secret-0451", "oauth-token-"]
        for secret in secrets {
            #expect(!recorded.contains(secret), "\(secret) appears in the records")
        }
    }
}
