import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import WeftModel
import WeftTesting

/// `weft serve --demo`, the README's first command: moto with a small estate, a connector, the
/// templates as flows — and running them through the API finds what the estate holds.
@Suite("weft serve --demo")
struct DemoTests {
    @Test func theDemoServesTemplatesThatFindTheSeededProblems() async throws {
        let data = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let process = Process()
        process.executableURL = WeftProcess.executable
        process.arguments = ["serve", "--demo", "--port", "0", "--data", data.path]
        var environment = ProcessInfo.processInfo.environment
        environment["WEFT_ADMIN_PASSWORD"] = "demo-password-1"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }

        let printed = try await offThePool { () throws -> String in
            var text = ""
            while !text.contains("listening on http://127.0.0.1:") || !text.hasSuffix("\n") {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            return text
        }
        #expect(printed.contains("connector 'demo-aws'"), "\(printed)")
        #expect(printed.contains("log in as 'admin'"))
        let portText = try #require(printed.components(separatedBy: "listening on http://127.0.0.1:").last?
            .prefix { $0.isNumber })
        let base = "http://127.0.0.1:\(portText)"

        let login = try await Self.call("POST", base + "/api/v1/login", body: ["username": "admin", "password": "demo-password-1"])
        let cookie = try #require(login.cookie)
        let csrf = try #require(login.json["csrfToken"]?.stringValue)
        let token = try #require(try await Self.call("POST", base + "/api/v1/tokens", body: ["name": "demo"],
                                                     headers: ["Cookie": cookie, "X-CSRF-Token": csrf]).json["secret"]?.stringValue)
        let auth = ["Authorization": "Bearer \(token)"]
        let flows = try await Self.call("GET", base + "/api/v1/flows", headers: auth).json["flows"]?.arrayValue ?? []
        let rds = try #require(flows.first { $0["name"] == "Publicly accessible RDS DB instances" }?["id"]?.stringValue)
        let started = try await Self.call("POST", base + "/api/v1/flows/\(rds)/runs", body: [:], headers: auth)
        let runId = try #require(started.json["run"]?["id"]?.stringValue, "\(started.json.serialized())")
        var run = JSON.null
        for _ in 0..<600 {
            run = try await Self.call("GET", base + "/api/v1/runs/\(runId)", headers: auth).json
            if run["run"]?["status"] != "running", run["run"]?["status"] != "queued" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(run["run"]?["status"] == "success", "\(run.serialized())")
        let summaries = (run["executions"]?.arrayValue ?? []).map { [$0["region"], $0["summary"]?["failed"], $0["summary"]?["passed"]] }
        #expect(Set(summaries.map { $0.map { $0?.serialized() ?? "-" } }) == [
            ["\"us-east-1\"", "2", "1"], ["\"eu-west-2\"", "2", "1"],
        ])
    }

    struct Answer {
        var status: Int
        var json: JSON
        var cookie: String?
    }

    static func call(_ method: String, _ url: String, body: JSON? = nil, headers: [String: String] = [:]) async throws -> Answer {
        var request = URLRequest(url: try #require(URL(string: url)))
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
