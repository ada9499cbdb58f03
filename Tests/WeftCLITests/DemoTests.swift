import Foundation
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
        let server = try await ServeProcess(["--demo", "--data", data.path], environment: ["WEFT_ADMIN_PASSWORD": "demo-password-1"])
        defer { server.stop() }
        #expect(server.banner.contains("connector 'demo-aws'"), "\(server.banner)")
        #expect(server.banner.contains("log in as 'admin'"))

        let auth = try await server.bearer(user: "admin", password: "demo-password-1")
        let flows = try await server.call("GET", "/api/v1/flows", headers: auth).json["flows"]?.arrayValue ?? []
        let rds = try #require(flows.first { $0["name"] == "Publicly accessible RDS DB instances" }?["id"]?.stringValue)
        let started = try await server.call("POST", "/api/v1/flows/\(rds)/runs", body: [:], headers: auth)
        let runId = try #require(started.json["run"]?["id"]?.stringValue, "\(started.json.serialized())")
        var run = JSON.null
        for _ in 0..<600 {
            run = try await server.call("GET", "/api/v1/runs/\(runId)", headers: auth).json
            if run["run"]?["status"] != "running", run["run"]?["status"] != "queued" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(run["run"]?["status"] == "success", "\(run.serialized())")
        let summaries = (run["executions"]?.arrayValue ?? []).map { [$0["region"], $0["summary"]?["failed"], $0["summary"]?["passed"]] }
        #expect(Set(summaries.map { $0.map { $0?.serialized() ?? "-" } }) == [
            ["\"us-east-1\"", "2", "1"], ["\"eu-west-2\"", "2", "1"],
        ])
    }
}
