import Foundation
import Testing
import WeftModel
import WeftStore
import WeftTesting

/// Two `weft serve` processes on one PostgreSQL database, both running their scheduler against a clock
/// the test moves: each due time of a schedule fires once.
@Suite("weft serve: schedules across processes")
struct SchedulerProcessTests {
    @Test(.enabled(if: !StoreBackend.skipsPostgres, "WEFT_SKIP_POSTGRES=1"))
    func twoProcessesFireAPerMinuteScheduleExactlyFiveTimesInFiveMinutes() async throws {
        let serverURL = try StoreBackend.postgresServerURL()
        let name = "weft_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let database = try await SQLStore.createPostgresDatabase(serverURL: serverURL, name: name)
        let directory = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clockFile = directory.appendingPathComponent("clock")
        let environment = [
            "WEFT_ADMIN_PASSWORD": "scheduler-password-1",
            "WEFT_DATA_KEY": Data((0..<32).map { UInt8($0) }).base64EncodedString(),
        ]
        var servers: [ServeProcess] = []
        do {
            for index in 0..<2 {
                servers.append(try await ServeProcess([
                    "--database", database, "--data", directory.appendingPathComponent("data-\(index)").path,
                    "--scheduler-interval", "0.1", "--scheduler-clock", clockFile.path,
                ], environment: environment))
            }
            let server = servers[0]
            let auth = try await server.bearer(user: "admin", password: "scheduler-password-1")
            let flow: JSON = [
                "weft": 1, "name": "Every minute",
                "nodes": [
                    ["id": "trigger", "type": "trigger", "params": ["schedule": ["active": true, "expression": "* * * * *"]]],
                    ["id": "data", "type": "data", "params": ["items": [["ok": true]]]],
                ],
                "edges": [["from": "trigger", "to": "data"]],
            ]
            let created = try await server.call("POST", "/api/v1/flows", body: flow, headers: auth)
            let flowId = try #require(created.json["flow"]?["id"]?.stringValue, "\(created.json.serialized())")
            let deployed = try await server.call("POST", "/api/v1/flows/\(flowId)/deploy", body: [:], headers: auth)
            let deployedAt = try #require(deployed.json["deployment"]?["deployedAt"]?.stringValue.flatMap(ISODate.parse),
                                          "\(deployed.json.serialized())")

            // Five minutes of the schedulers' time in steps of ten seconds, each step long enough for
            // both processes to look at least twice.
            for step in 0...30 {
                try ISODate.format(deployedAt.addingTimeInterval(Double(step) * 10)).write(
                    to: clockFile, atomically: true, encoding: .utf8)
                try await Task.sleep(for: .milliseconds(400))
            }
            try await Task.sleep(for: .seconds(1))
            var runs: [JSON] = []
            for _ in 0..<100 {
                runs = try await server.call("GET", "/api/v1/flows/\(flowId)/runs", headers: auth).json["runs"]?.arrayValue ?? []
                if runs.allSatisfy({ $0["status"] == "success" }) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(runs.count == 5, "\(runs.map { $0.serialized() })")
            #expect(runs.allSatisfy { $0["trigger"] == "schedule" && $0["status"] == "success" })
        } catch {
            servers.forEach { $0.stop() }
            try? await SQLStore.dropPostgresDatabase(serverURL: serverURL, name: name)
            throw error
        }
        servers.forEach { $0.stop() }
        try await SQLStore.dropPostgresDatabase(serverURL: serverURL, name: name)
    }
}
