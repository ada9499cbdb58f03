import Foundation
import Testing
import WeftModel
import WeftTesting

/// Named HTTP credentials never reach the journal, `--out` files or messages: a server on 127.0.0.1
/// echoes each request (headers and query, so the credentials too) back as its response body.
struct HTTPSecretsTests {
    static let echoServer = """
        import http.server, json, sys, urllib.parse
        class Echo(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args): pass
            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                status = 500 if url.path == "/fail" else 200
                body = json.dumps({"path": url.path, "query": dict(urllib.parse.parse_qsl(url.query)),
                                   "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Echo).serve_forever()
        """

    static let token = "tok-7f3c9a1e5b-weft-secret"
    static let apiKey = "key-24e8d0c6aa-weft-secret"

    func write(_ text: String, to url: URL) throws { try Data(text.utf8).write(to: url) }

    func flow(_ server: String, failing: Bool) -> String {
        """
        {"weft": 1, "name": "echo", "nodes": [
          {"id": "trigger", "type": "trigger", "params": {}},
          {"id": "bearer", "type": "http", "params": {"url": "\(server)/echo", "auth": {"type": "bearer", "credential": "api"}}},
          {"id": "key", "type": "http", "params": {"url": "\(server)/\(failing ? "fail" : "echo")",
             "auth": {"type": "apiKey", "credential": "vendor", "in": "query", "name": "api_key"}}},
          {"id": "report", "type": "report", "params": {"input": {"node": "bearer"}, "format": "csv", "fileName": "echo.csv"}}
         ],
         "edges": [{"from": "trigger", "to": "bearer"}, {"from": "bearer", "to": "key"}, {"from": "key", "to": "report"}]}
        """
    }

    @Test(arguments: [false, true])
    func credentialsAreMaskedEverywhere(failing: Bool) async throws {
        let server = try await LoopbackProcess.start(executable: "python3", arguments: ["-c", Self.echoServer, "{port}"], readyPath: "/echo")
        let work = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        try write("""
            credentials:
              - {name: api, type: bearer, token: \(Self.token)}
              - {name: vendor, type: apiKey, key: \(Self.apiKey)}
            """, to: work.appendingPathComponent("connectors.yaml"))
        try write(flow(server.url, failing: failing), to: work.appendingPathComponent("flow.json"))
        let out = work.appendingPathComponent("out"), data = work.appendingPathComponent("data")
        let result = try await WeftProcess.run(["run", "flow.json", "--connectors", "connectors.yaml", "--out", out.path,
                                          "--data", data.path, "--json"], in: work)
        #expect(result.status == (failing ? 1 : 0), "\(result.stderr)")
        let echoed = try String(contentsOf: out.appendingPathComponent("local/none/bearer.json"), encoding: .utf8)
        #expect(echoed.contains("Bearer *****"), "the server saw the token and the output masks it: \(echoed)")
        if !failing {
            let keyed = try String(contentsOf: out.appendingPathComponent("local/none/key.json"), encoding: .utf8)
            #expect(keyed.contains("\"api_key\": \"*****\"") || keyed.contains("\"api_key\":\"*****\""), "\(keyed)")
        }
        var leaks: [String] = []
        for secret in [Self.token, Self.apiKey] {
            if result.stdout.contains(secret) { leaks.append("stdout") }
            if result.stderr.contains(secret) { leaks.append("stderr") }
            for directory in [out, data] {
                guard let files = FileManager.default.enumerator(atPath: directory.path) else { continue }
                for case let file as String in files {
                    let bytes = (try? Data(contentsOf: directory.appendingPathComponent(file))) ?? Data()
                    if bytes.range(of: Data(secret.utf8)) != nil { leaks.append(directory.lastPathComponent + "/" + file) }
                }
            }
        }
        #expect(leaks.isEmpty, "credentials leaked into \(leaks)")
    }
}
