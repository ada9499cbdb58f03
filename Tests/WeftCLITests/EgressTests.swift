import Foundation
import Testing
import WeftModel
import WeftTesting

/// The egress deny list enforced end to end, on loopback only: with 127.0.0.2 on the list, an `http`
/// node is refused before connecting — by address, and by a host name that resolves to 127.0.0.2
/// (mapped in a private /etc/hosts inside a mount namespace, so the machine's own file is untouched).
/// The server listening on 127.0.0.2 sees nothing.
@Suite(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare"),
                "needs root and unshare for a private /etc/hosts"))
struct EgressTests {
    /// Listens on 127.0.0.1 (readiness) and 127.0.0.2 (the denied target) at the same port; writes
    /// each request that reaches 127.0.0.2 to the log file.
    static let server = """
        import http.server, sys, threading
        port, log = int(sys.argv[1]), sys.argv[2]
        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args): pass
            def do_GET(self):
                if self.server.server_address[0] == "127.0.0.2":
                    with open(log, "a") as f: f.write(self.path + "\\n")
                self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"{}")
        denied = http.server.ThreadingHTTPServer(("127.0.0.2", port), Handler)
        threading.Thread(target=denied.serve_forever, daemon=True).start()
        http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """

    @Test(arguments: ["127.0.0.2", "denied.weft.test"])
    func aDeniedAddressIsRefusedBeforeConnecting(host: String) async throws {
        let work = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let log = work.appendingPathComponent("requests.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let server = try await LoopbackProcess.start(executable: "python3", arguments: ["-c", Self.server, "{port}", log.path], readyPath: "/ready")
        let hosts = work.appendingPathComponent("hosts")
        let system = (try? String(contentsOfFile: "/etc/hosts", encoding: .utf8)) ?? "127.0.0.1 localhost\n"
        try Data((system + "\n127.0.0.2 denied.weft.test\n").utf8).write(to: hosts)
        let flow = work.appendingPathComponent("flow.json")
        try Data("""
            {"weft": 1, "name": "egress", "nodes": [
              {"id": "trigger", "type": "trigger", "params": {}},
              {"id": "fetch", "type": "http", "params": {"url": "http://\(host):\(server.port)/secret-path"}}
             ], "edges": [{"from": "trigger", "to": "fetch"}]}
            """.utf8).write(to: flow)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--mount", "/bin/sh", "-c", "mount --bind \"$1\" /etc/hosts && shift && exec \"$@\"", "sh", hosts.path,
                             WeftProcess.executable.path, "run", flow.path, "--json", "--data", work.appendingPathComponent("data").path]
        var environment = ProcessInfo.processInfo.environment
        environment["WEFT_EGRESS_DENY"] = "127.0.0.2/32"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 1, "\(stderr)")
        let error = try JSON.parse(stdout)["executions"]?[0]?["error"]
        let message = error?["message"]?.stringValue ?? ""
        #expect(error?["nodeId"] == "fetch")
        #expect(message.contains("127.0.0.2") && message.lowercased().contains("egress"), "\(message)")
        #expect(try String(contentsOf: log, encoding: .utf8).isEmpty, "the denied server received a request")
        _ = server
    }
}
