import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeftEngine
import WeftModel
@testable import WeftServer
import WeftTesting

/// Schedules, scans, webhooks and connector events firing deployed flows.
@Suite("Schedules, scans and webhooks")
struct TriggerTests {
    /// A flow whose trigger has `trigger` parameters (manual runs allowed), then a data node.
    static func flow(_ name: String, trigger: JSONObject) -> JSON {
        var params = trigger
        params["manual"] = true
        return [
            "weft": 1, "name": .string(name),
            "nodes": [
                ["id": "trigger", "type": "trigger", "params": .object(params)],
                ["id": "data", "type": "data", "params": ["items": [["ok": true]]]],
            ],
            "edges": [["from": "trigger", "to": "data"]],
        ]
    }

    static func deploy(_ client: any TestClientProtocol, _ token: String, _ flowId: String, targets: JSON? = nil) async throws {
        let reply = try await client.call(
            .post, "/api/v1/flows/\(flowId)/deploy", token: token, json: targets.map { ["targets": $0] } ?? [:])
        try #require(reply.status == 200, "\(reply.json.serialized())")
    }

    /// The item the trigger node of `runId`'s first execution output.
    static func triggerItem(_ harness: ServerHarness, runId: String) async throws -> JSON {
        let execution = try #require(try await harness.store.executions(runId: runId).first)
        let step = try #require(try await harness.store.steps(executionId: execution.id).last { $0.nodeId == "trigger" })
        let output = try #require(step.outputs["main"])
        return try #require(try await JournalReader(journal: harness.store).items(of: output, offset: 0, limit: 1).first)
    }

    @Test(arguments: StoreBackend.allCases)
    func twoServersOnOneDatabaseFireAPerMinuteScheduleOncePerDueTime(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let admin = try await harness.user("ada", .admin).1
            let minutely = try await RunControlTests.createFlow(
                client, admin, Self.flow("Every minute", trigger: ["schedule": ["active": true, "expression": "* * * * *"]]))
            let inactive = try await RunControlTests.createFlow(
                client, admin, Self.flow("Inactive", trigger: ["schedule": ["active": false, "expression": "* * * * *"]]))
            _ = try await RunControlTests.createFlow(
                client, admin, Self.flow("Not deployed", trigger: ["schedule": ["active": true, "expression": "* * * * *"]]))
            try await Self.deploy(client, admin, minutely)
            try await Self.deploy(client, admin, inactive)
            let deployedAt = try #require(try await harness.store.deployment(flowId: minutely)?.deployedAt)

            var configuration = harness.server.configuration
            configuration.instanceId = "second"
            let second = WeftServer(store: harness.store, configuration: configuration)
            var fired: [WeftServer.TriggeredRun] = []
            for step in 1...30 {
                let now = deployedAt.addingTimeInterval(Double(step) * 10)
                async let first = harness.server.fireDueTriggers(now: now)
                async let other = second.fireDueTriggers(now: now)
                fired += await first + other
            }
            await harness.server.waitForRuns()
            await second.waitForRuns()

            #expect(fired.count == 5)
            #expect(Set(fired.map(\.dueAt)).count == 5)
            #expect(fired.allSatisfy { $0.source == "flow:\(minutely)" && $0.dueAt.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0 })
            let runs = try await DeployEventTests.allRuns(harness)
            #expect(runs.count == 5 && runs.allSatisfy { $0.flowId == minutely && $0.trigger == "schedule" && $0.status == .success })
            let firstRun = try #require(fired.first?.runId)
            let item = try await Self.triggerItem(harness, runId: firstRun)
            #expect(item["type"] == "schedule")
            let firstDue = try #require(fired.first?.dueAt)
            #expect(item["scheduledFor"] == .string(ISODate.format(firstDue)))

            // Nothing is due again for the same minutes, whoever asks.
            #expect(await second.fireDueTriggers(now: deployedAt.addingTimeInterval(300)).isEmpty)
        }
    }

    @Test func aServerThatWasDownCatchesUpOneMissedFiringUnlessToldNotTo() async throws {
        try await ServerHarness.run { harness, client in
            let admin = try await harness.user("ada", .admin).1
            let one = try await RunControlTests.createFlow(
                client, admin, Self.flow("Catch up", trigger: ["schedule": ["active": true, "expression": "rate(1 hour)"]]))
            let none = try await RunControlTests.createFlow(client, admin, Self.flow(
                "No catch up", trigger: ["schedule": ["active": true, "expression": "rate(1 hour)", "catchUp": "none"]]))
            try await Self.deploy(client, admin, one)
            try await Self.deploy(client, admin, none)
            let deployedAt = try #require(try await harness.store.deployment(flowId: one)?.deployedAt)
            // Down for five hours and a half: one run for the latest missed hour, for the flow that catches up.
            let fired = await harness.server.fireDueTriggers(now: deployedAt.addingTimeInterval(5.5 * 3600))
            #expect(fired.map(\.source) == ["flow:\(one)"])
            #expect(fired.first?.dueAt == deployedAt.addingTimeInterval(5 * 3600))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aScheduledScanRunsTheFlowsWithAScanTriggerOnThatConnector(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let admin = try await harness.user("ada", .admin).1
            let created = try await client.call(.post, "/api/v1/connectors", token: admin, json: [
                "name": "scanned", "provider": "aws", "accountId": "111111111111", "regions": ["us-east-1", "eu-west-1"],
                "scan": ["expression": "cron(0 3 * * ? *)", "timezone": "Europe/Paris"],
            ])
            try #require(created.status == 201, "\(created.json.serialized())")
            #expect(created.json["connector"]?["scan"] == ["expression": "cron(0 3 * * ? *)", "timezone": "Europe/Paris", "active": true])
            try await DeployEventTests.connector(client, admin, "other", account: "222222222222", regions: ["us-east-1"])
            let scanFlow = try await RunControlTests.createFlow(client, admin, Self.flow("After scan", trigger: ["scan": ["active": true]]))
            let elsewhere = try await RunControlTests.createFlow(
                client, admin, Self.flow("Scan elsewhere", trigger: ["scan": ["active": true]]))
            let noScan = try await RunControlTests.createFlow(client, admin, Self.flow("No scan trigger", trigger: [:]))
            try await Self.deploy(client, admin, scanFlow, targets: [["connector": "scanned", "regions": ["eu-west-1"]]])
            try await Self.deploy(client, admin, elsewhere, targets: [["connector": "other"]])
            try await Self.deploy(client, admin, noScan)

            let connector = try await harness.store.connector(named: "scanned")
            // 03:00 in Paris on the day after the connector was created is 01:00 or 02:00 UTC.
            let paris = try #require(TimeZone(identifier: "Europe/Paris"))
            let nextThreeAM = try #require(try ScheduleExpression("cron(0 3 * * ? *)").next(after: connector.createdAt, in: paris))
            #expect(await harness.server.fireDueTriggers(now: nextThreeAM.addingTimeInterval(-1)).isEmpty)
            let fired = await harness.server.fireDueTriggers(now: nextThreeAM.addingTimeInterval(5))
            #expect(fired.map(\.source) == ["scan:\(connector.id)"])
            await harness.server.waitForRuns()
            let runs = try await DeployEventTests.allRuns(harness)
            #expect(runs.map(\.flowId) == [scanFlow] && runs.first?.trigger == "scan")
            let runId = try #require(runs.first?.id)
            let executions = try await harness.store.executions(runId: runId)
            #expect(executions.map { "\($0.connector)/\($0.region)" } == ["scanned/eu-west-1"])
            let item = try await Self.triggerItem(harness, runId: runId)
            #expect(item["type"] == "scan" && item["scan"]?["connector"] == "scanned")

            let events = try await client.call(.get, "/api/v1/events", token: admin).json["events"]?.arrayValue ?? []
            let scanEvent = try #require(events.first { $0["event"]?["source"] == "weft.scan" })
            #expect(scanEvent["runIds"] == [.string(runId)])

            let manual = try await client.call(.post, "/api/v1/connectors/\(connector.id)/scan", token: admin, json: [:])
            #expect(manual.status == 202 && manual.json["runs"]?.arrayValue?.count == 1)
        }
    }

    @Test func aBadScanScheduleIsRefusedNamingTheField() async throws {
        try await ServerHarness.run { harness, client in
            let admin = try await harness.user("ada", .admin).1
            for (scan, pointer) in [
                (["expression": "cron(0 3 * * * *)"] as JSON, "/scan/expression"),
                (["expression": "rate(1 hour)", "timezone": "Mars/Olympus"], "/scan/timezone"),
                (["timezone": "UTC"], "/scan/expression"),
            ] {
                let reply = try await client.call(.post, "/api/v1/connectors", token: admin, json: [
                    "name": "bad", "provider": "aws", "scan": scan,
                ])
                #expect(reply.status == 422 && reply.json["error"]?["details"]?["pointer"] == .string(pointer), "\(reply.json.serialized())")
            }
            #expect(try await harness.store.connectors().isEmpty)
        }
    }
}
