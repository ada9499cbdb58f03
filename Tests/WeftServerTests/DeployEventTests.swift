import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeftEngine
import WeftModel
@testable import WeftServer
import WeftTesting

@Suite("Deployment and cloud events")
struct DeployEventTests {
    /// A flow whose trigger listens for events matching `pattern` (when `active`), then a data node.
    static func eventFlow(_ name: String, pattern: JSON, active: Bool = true, tags: [String] = []) -> JSON {
        [
            "weft": 1, "name": .string(name), "tags": .array(tags.map(JSON.string)),
            "nodes": [
                ["id": "trigger", "type": "trigger",
                 "params": ["manual": true, "event": ["active": .bool(active), "provider": "aws", "pattern": pattern]]],
                ["id": "data", "type": "data", "params": ["items": [["ok": true]]]],
            ],
            "edges": [["from": "trigger", "to": "data"]],
        ]
    }

    static let bucketEvent: JSON = [
        "version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": "Object Created",
        "source": "aws.s3", "account": "222222222222", "time": "2026-11-29T10:00:00Z", "region": "eu-west-3",
        "resources": ["arn:aws:s3:::reports"], "detail": ["bucket": ["name": "reports"], "object": ["key": "a.csv"]],
    ]

    static func connector(_ client: any TestClientProtocol, _ token: String, _ name: String, account: String,
                          regions: [String]) async throws {
        let created = try await client.call(.post, "/api/v1/connectors", token: token, json: [
            "name": .string(name), "provider": "aws", "accountId": .string(account), "regions": .array(regions.map(JSON.string)),
            "credentials": ["accessKeyId": "AKIAEXAMPLE", "secretAccessKey": "deploy-secret-value"],
        ])
        try #require(created.status == 201, "\(created.json.serialized())")
    }

    static func allRuns(_ harness: ServerHarness) async throws -> [RunRecord] {
        try await harness.store.runs(flowId: nil, limit: 1_000)
    }

    @Test(arguments: StoreBackend.allCases)
    func anEventStartsExactlyTheDeployedFlowsItMatches(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let admin = try await harness.user("ada", .admin).1
            let (_, reader) = try await harness.user("rita", .reader, tags: ["ops"])
            try await Self.connector(client, admin, "prod", account: "111111111111", regions: ["us-east-1"])
            try await Self.connector(client, admin, "dev", account: "222222222222", regions: ["eu-west-1"])
            let s3Pattern: JSON = ["source": ["aws.s3"], "detail-type": ["Object Created"]]
            let matching = try await RunControlTests.createFlow(client, admin, Self.eventFlow("Matching", pattern: s3Pattern))
            let other = try await RunControlTests.createFlow(client, admin, Self.eventFlow("Other", pattern: ["source": ["aws.ec2"]]))
            let undeployed = try await RunControlTests.createFlow(client, admin, Self.eventFlow("Undeployed", pattern: s3Pattern))
            let inactive = try await RunControlTests.createFlow(
                client, admin, Self.eventFlow("Inactive", pattern: s3Pattern, active: false))
            for flowId in [matching, other, inactive] {
                let deployed = try await client.call(.post, "/api/v1/flows/\(flowId)/deploy", token: admin, json: [:])
                #expect(deployed.status == 200, "\(deployed.json.serialized())")
            }
            #expect(try await client.call(.get, "/api/v1/flows/\(undeployed)", token: admin).json["deployment"] == .null)
            let listed = try await client.call(.get, "/api/v1/flows", token: admin).json["flows"]?.arrayValue ?? []
            #expect(Dictionary(uniqueKeysWithValues: listed.map { ($0["id"]?.stringValue ?? "", $0["deployed"]) }) == [
                matching: true, other: true, inactive: true, undeployed: false,
            ])

            let denied = try await client.call(.post, "/api/v1/events", token: reader, json: Self.bucketEvent)
            #expect(denied.status == 403 && denied.errorCode == "forbidden")
            #expect(try await Self.allRuns(harness).isEmpty)

            let posted = try await client.call(.post, "/api/v1/events", token: admin, json: Self.bucketEvent)
            #expect(posted.status == 202, "\(posted.json.serialized())")
            let runs = posted.json["runs"]?.arrayValue ?? []
            #expect(runs.map { $0["flowId"] } == [.string(matching)])
            let executions = runs.first?["executions"]?.arrayValue ?? []
            #expect(executions.count == 1)
            #expect(executions.first?["connector"] == "dev")
            #expect(executions.first?["accountId"] == "222222222222")
            #expect(executions.first?["region"] == "eu-west-3")
            #expect(runs.first?["run"]?["trigger"] == "event")

            await harness.server.waitForRuns()
            let stored = try await Self.allRuns(harness)
            #expect(stored.map(\.flowId) == [matching])
            #expect(stored.first?.status == .success)
            let runId = try #require(stored.first?.id)
            let execution = try #require(try await harness.store.executions(runId: runId).first)
            let triggerStep = try #require(try await harness.store.steps(executionId: execution.id).last { $0.nodeId == "trigger" })
            let output = try #require(triggerStep.outputs["main"])
            let items = try await JournalReader(journal: harness.store).items(of: output, offset: 0, limit: 10)
            #expect(items.count == 1)
            #expect(items.first?["type"] == "event")
            #expect(items.first?["event"] == Self.bucketEvent)
            #expect(items.first?["firedAt"]?.stringValue != nil)

            var unmatched = Self.bucketEvent.objectValue ?? [:]
            unmatched["source"] = "aws.iam"
            let nothing = try await client.call(.post, "/api/v1/events", token: admin, json: ["events": [.object(unmatched)]])
            #expect(nothing.status == 202 && nothing.json["runs"] == [] && nothing.json["accepted"] == 1)

            let undeploy = try await client.call(.post, "/api/v1/flows/\(matching)/undeploy", token: admin, json: [:])
            #expect(undeploy.status == 200 && undeploy.json["wasDeployed"] == true)
            let afterUndeploy = try await client.call(.post, "/api/v1/events", token: admin, json: Self.bucketEvent)
            #expect(afterUndeploy.status == 202 && afterUndeploy.json["runs"] == [])
            await harness.server.waitForRuns()
            #expect(try await Self.allRuns(harness).count == 1)

            let malformed = try await client.call(.post, "/api/v1/events", token: admin, json: ["source": "aws.s3"])
            #expect(malformed.status == 400)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func deployTargetsDecideWhichConnectorsAndRegionsFire(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let admin = try await harness.user("ada", .admin).1
            try await Self.connector(client, admin, "dev-a", account: "222222222222", regions: ["eu-west-1"])
            try await Self.connector(client, admin, "dev-b", account: "222222222222", regions: ["eu-west-1"])
            let flowId = try await RunControlTests.createFlow(client, admin, Self.eventFlow("Targeted", pattern: ["source": ["aws.s3"]]))
            let unknown = try await client.call(.post, "/api/v1/flows/\(flowId)/deploy", token: admin,
                                                json: ["targets": [["connector": "nope"]]])
            #expect(unknown.status == 422)
            let deployed = try await client.call(.post, "/api/v1/flows/\(flowId)/deploy", token: admin,
                                                 json: ["targets": [["connector": "dev-b", "regions": ["eu-west-3"]]]])
            #expect(deployed.status == 200, "\(deployed.json.serialized())")
            #expect(deployed.json["deployment"]?["targets"] == [["connector": "dev-b", "regions": ["eu-west-3"]]])
            let read = try await client.call(.get, "/api/v1/flows/\(flowId)", token: admin)
            #expect(read.json["deployment"]?["flowId"] == .string(flowId))
            #expect(read.json["deployment"]?["version"] == 1)

            let posted = try await client.call(.post, "/api/v1/events", token: admin, json: Self.bucketEvent)
            let executions = posted.json["runs"]?[0]?["executions"]?.arrayValue ?? []
            #expect(executions.compactMap { $0["connector"]?.stringValue } == ["dev-b"])
            var elsewhere = Self.bucketEvent.objectValue ?? [:]
            elsewhere["region"] = "us-west-2"
            let none = try await client.call(.post, "/api/v1/events", token: admin, json: .object(elsewhere))
            #expect(none.status == 202 && none.json["runs"] == [])
            await harness.server.waitForRuns()
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func deployAndUndeployFollowTheRoles(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let admin = try await harness.user("ada", .admin).1
            let (_, power) = try await harness.user("pat", .powerDeveloper)
            let (_, developer) = try await harness.user("dev", .developer)
            let (_, deployer) = try await harness.user("dee", .deployer, tags: ["ops"])
            let (_, outsider) = try await harness.user("dan", .deployer, tags: ["other"])
            let (_, reader) = try await harness.user("rita", .reader, tags: ["ops"])
            let pattern: JSON = ["source": ["aws.s3"]]
            let powerFlow = try await RunControlTests.createFlow(client, power, Self.eventFlow("Power", pattern: pattern))
            let devFlow = try await RunControlTests.createFlow(client, developer, Self.eventFlow("Dev", pattern: pattern))
            let tagged = try await RunControlTests.createFlow(client, admin, Self.eventFlow("Tagged", pattern: pattern, tags: ["ops"]))

            func deploy(_ flowId: String, _ token: String, _ action: String = "deploy") async throws -> Int {
                try await client.call(.post, "/api/v1/flows/\(flowId)/\(action)", token: token, json: [:]).status
            }
            func isDeployed(_ flowId: String) async throws -> Bool {
                try await client.call(.get, "/api/v1/flows/\(flowId)", token: admin).json["deployment"] != .null
            }
            #expect(try await deploy(powerFlow, power) == 200)
            #expect(try await isDeployed(powerFlow))
            #expect(try await deploy(powerFlow, developer) == 403)
            #expect(try await deploy(devFlow, developer) == 403)
            #expect(try await !isDeployed(devFlow))
            for token in [outsider, reader, developer, power] {
                #expect(try await deploy(tagged, token) == 403)
                #expect(try await !isDeployed(tagged))
            }
            #expect(try await deploy(tagged, deployer) == 200)
            #expect(try await isDeployed(tagged))
            for token in [outsider, reader] {
                #expect(try await deploy(tagged, token, "undeploy") == 403)
                #expect(try await isDeployed(tagged))
            }
            #expect(try await deploy(tagged, deployer, "undeploy") == 200)
            #expect(try await !isDeployed(tagged))
            #expect(try await deploy(powerFlow, power, "undeploy") == 200)
            #expect(try await deploy(devFlow, admin) == 200)
        }
    }
}
