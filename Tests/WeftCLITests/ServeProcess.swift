import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import WeftModel
import WeftTesting

/// A `weft serve` child process on a free loopback port, and calls to its API.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    /// `http://127.0.0.1:<port>`.
    let base: String
    /// What the process printed on stderr until it listened.
    let banner: String

    /// Starts `weft serve --port 0` with `arguments` and waits until it listens.
    init(_ arguments: [String], environment extra: [String: String]) async throws {
        process.executableURL = WeftProcess.executable
        process.arguments = ["serve", "--port", "0"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { $1 }
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        banner = try await offThePool { () throws -> String in
            var text = ""
            while !text.contains("listening on http://127.0.0.1:") || !text.hasSuffix("\n") {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            return text
        }
        guard let port = banner.components(separatedBy: "listening on http://127.0.0.1:").dropFirst().last?.prefix(while: \.isNumber),
              !port.isEmpty
        else {
            process.terminate()
            process.waitUntilExit()
            throw LoopbackProcessError(description: "weft serve did not start: \(banner)")
        }
        base = "http://127.0.0.1:\(port)"
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Logs in as `user` and creates an API token; returns the header that sends it.
    func bearer(user: String, password: String) async throws -> [String: String] {
        let login = try await call("POST", "/api/v1/login", body: ["username": .string(user), "password": .string(password)])
        let cookie = try #require(login.cookie, "login failed: \(login.json.serialized())")
        let csrf = try #require(login.json["csrfToken"]?.stringValue)
        let created = try await call("POST", "/api/v1/tokens", body: ["name": "test"], headers: ["Cookie": cookie, "X-CSRF-Token": csrf])
        return ["Authorization": "Bearer \(try #require(created.json["secret"]?.stringValue))"]
    }

    struct Answer {
        var status: Int
        var json: JSON
        var cookie: String?
    }

    /// `method path` on this server with an optional JSON body.
    func call(_ method: String, _ path: String, body: JSON? = nil, headers: [String: String] = [:]) async throws -> Answer {
        var request = URLRequest(url: try #require(URL(string: base + path)))
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.serialized().utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        let cookie = (http.value(forHTTPHeaderField: "Set-Cookie")?.split(separator: ";").first).map(String.init)
        return Answer(status: http.statusCode, json: data.isEmpty ? .null : try JSON.parse([UInt8](data)), cookie: cookie)
    }
}
