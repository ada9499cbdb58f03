import Foundation
import WeftEngine
import WeftHTTP
import WeftModel

/// A loopback HTTP(S) server (`Support/server.py`) run as a child process for one test.
final class TestServer: @unchecked Sendable {
    let host: String
    let port: Int
    let scheme: String
    let logPath: String
    private let process: Process
    private let input: Pipe

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/server.py").path

    /// Starts a server listening on `host` (a loopback address), with TLS when `certificate` is given.
    init(host: String = "127.0.0.1", certificate: TestCertificate? = nil) throws {
        self.host = host
        scheme = certificate == nil ? "http" : "https"
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("weft-http-server-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", Self.script, "--host", host, "--log", logPath]
        if let certificate { arguments += ["--cert", certificate.certificatePath, "--key", certificate.keyPath] }
        process.arguments = arguments
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw TestServerError(message: "the test server did not start") }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else { throw TestServerError(message: "unexpected server output \(text)") }
        self.port = port
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// The URL of `path` on this server, by its address.
    func url(_ path: String) -> String {
        let authority = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(authority):\(port)\(path)"
    }

    /// What the server saw so far: "CONNECT" per connection and "METHOD /path?query" per request.
    var seen: [String] {
        ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A self-signed certificate for localhost and 127.0.0.1, made with the openssl CLI.
struct TestCertificate {
    let directory: String
    var certificatePath: String { directory + "/cert.pem" }
    var keyPath: String { directory + "/key.pem" }

    static func make() throws -> TestCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weft-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                             "-keyout", directory + "/key.pem", "-out", directory + "/cert.pem",
                             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestServerError(message: "openssl failed") }
        return TestCertificate(directory: directory)
    }
}

/// A node context for running an HTTP node directly, with `credentials` registered.
func httpContext(input: [JSON] = [], credentials: HTTPCredentials = HTTPCredentials(), flowDirectory: String? = nil) -> NodeContext {
    var services = NodeServices()
    services.register(credentials)
    return NodeContext(
        nodeId: "http-under-test", nodeName: "HTTP under test",
        execution: ExecutionInfo(id: "exec-1", runId: "run-1", connector: "local", region: "none", startedAt: Date()),
        input: Items(input), flowDirectory: flowDirectory, services: services)
}

/// Decodes `params` as the runner does (declared defaults filled in), then runs the node.
func runNode<N: NodeType>(_ type: N.Type, _ params: JSON, _ context: NodeContext) async throws -> [JSON] {
    try await executeNode(type, params, context).outputs["main"]?.collect() ?? []
}

/// Decodes `params` as the runner does (declared defaults filled in) and runs the node.
func executeNode<N: NodeType>(_ type: N.Type, _ params: JSON, _ context: NodeContext) async throws -> NodeResult {
    let complete = JSON.object(N.description.applyingDefaults(to: params.objectValue ?? [:]))
    return try await N.execute(try JSONValueDecoder().decode(N.Parameters.self, from: complete), context: context)
}
