import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WeftCloudNodes
import WeftEngine
import WeftModel
import WeftServer
import WeftTesting

/// Export, import and clone through the API (SPEC 8, 9, 4.6).
@Suite("Export, import, clone")
struct ExchangeAPITests {
    /// A flow carrying a connector binding, a secret variable and HTTP credentials.
    static func flowWithSecrets(name: String) -> JSON {
        [
            "weft": 1, "name": .string(name), "tags": ["team-a"],
            "variables": [["name": "token", "type": "string", "value": "SECRET-VARIABLE-VALUE", "secret": true]],
            "targets": [["connector": "prod-aws-connector", "regions": ["eu-west-2"]]],
            "nodes": [
                ["id": "trigger", "type": "trigger", "params": ["manual": true]],
                [
                    "id": "call", "type": "http",
                    "params": [
                        "url": "https://tickets.example.com/api",
                        "headers": ["Authorization": "Bearer SECRET-HEADER-VALUE"],
                        "auth": ["type": "bearer", "credential": "ticketing-credential"],
                    ],
                ],
            ],
            "edges": [["from": "trigger", "to": "call"]],
        ]
    }

    /// Gives `user` these grants through `PATCH /api/v1/users/{id}` as a Manager.
    func grant(_ grants: [String], to user: String, client: some TestClientProtocol, manager: String) async throws {
        let reply = try await client.call(
            .patch, "/api/v1/users/\(user)", token: manager, json: ["grants": .array(grants.map(JSON.string))])
        try #require(reply.status == 200, "\(reply.json.serialized())")
    }

    func flowCount(_ harness: ServerHarness) async throws -> Int { try await harness.store.flows().count }

    @Test(arguments: StoreBackend.allCases)

    func tenFlowsRoundTripWithoutSecretsAndImportAsNewFlowsOwnedByTheCaller(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let manager = try await harness.user("boss", .manager).1
            let dev = try await harness.user("dev", .developer).1
            try await grant(["export", "import"], to: "usr_dev", client: client, manager: manager)
            var ids: [String] = []
            for index in 1...10 {
                let document = index == 10 ? Self.flowWithSecrets(name: "flow 10") : sampleFlow(name: "flow \(index)")
                let created = try await client.call(.post, "/api/v1/flows", token: dev, json: document)
                try #require(created.status == 201, "\(created.json.serialized())")
                ids.append(try #require(created.json["flow"]?["id"]?.stringValue))
            }
            let exported = try await client.call(
                .post, "/api/v1/flows/export", token: dev, json: ["flowIds": .array(ids.map(JSON.string))])
            #expect(exported.status == 200, "\(exported.json.serialized())")
            let disposition = try #require(exported.headers[.contentDisposition])
            #expect(disposition.wholeMatch(of: /attachment; filename="weft-export-\d{13}\.json"/) != nil, "\(disposition)")
            #expect(exported.json["weft"] == 1)
            #expect(exported.json["flows"]?.arrayValue?.count == 10)
            let text = exported.json.serialized()
            for secret in ["SECRET", "prod-aws-connector", "ticketing-credential"] {
                #expect(!text.contains(secret), "\(secret) in the export")
            }

            let imported = try await client.call(.post, "/api/v1/flows/import", token: dev, raw: text)
            #expect(imported.status == 200, "\(imported.json.serialized())")
            #expect(imported.json["imported"] == 10)
            #expect(imported.json["rejected"] == 0)
            let results = try #require(imported.json["results"]?.arrayValue)
            #expect(results.map { $0["name"]?.stringValue } == (1...10).map { "flow \($0)" })
            for result in results {
                let id = try #require(result["flowId"]?.stringValue)
                #expect(!ids.contains(id))
                let flow = try await harness.store.flow(id: id)
                #expect(flow.owner == "usr_dev")
                #expect(flow.latestVersion == 1)
            }
            #expect(try await flowCount(harness) == 20)
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func elevenFlowsOrTwoMegabytesAndOneByteAreRejectedWithAClearMessage(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let admin = try await harness.user("admin2", .admin).1
            let ids = (1...11).map { "flw_\($0)" }
            let export = try await client.call(.post, "/api/v1/flows/export", token: admin, json: ["flowIds": .array(ids.map(JSON.string))])
            #expect(export.status == 400)
            #expect(export.json["error"]?["message"] == "export 1 to 10 flows at a time; 11 given")

            let eleven: JSON = ["weft": 1, "flows": .array((1...11).map { sampleFlow(name: "f\($0)") })]
            let tooMany = try await client.call(.post, "/api/v1/flows/import", token: admin, json: eleven)
            #expect(tooMany.status == 400)
            #expect(tooMany.json["error"]?["message"] == "the file holds 11 flows; an import may hold at most 10")

            let one = JSON.object(["weft": 1, "flows": [sampleFlow(name: "padded")]]).serialized()
            let padded = one + String(repeating: " ", count: FlowImport.maxFileBytes - one.utf8.count)
            let tooLarge = try await client.call(.post, "/api/v1/flows/import", token: admin, raw: padded + " ")
            #expect(tooLarge.status == 413)
            #expect(tooLarge.errorCode == "payload_too_large")
            #expect(tooLarge.json["error"]?["message"] == "the import file is larger than 2 MB (2097152 bytes)")
            #expect(try await flowCount(harness) == 0)

            let atTheLimit = try await client.call(.post, "/api/v1/flows/import", token: admin, raw: padded)
            #expect(atTheLimit.status == 200)
            #expect(atTheLimit.json["imported"] == 1)

            let notJSON = try await client.call(.post, "/api/v1/flows/import", token: admin, raw: "{\"weft\": 1, \"flows\": [")
            #expect(notJSON.status == 400)
            #expect(notJSON.errorCode == "invalid_import_file")
            let version = try await client.call(.post, "/api/v1/flows/import", token: admin, json: ["weft": 7, "flows": []])
            #expect(version.json["error"]?["message"] == "format version 7 is not one this Weft reads (1)")
            #expect(try await flowCount(harness) == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func eachMalformedFlowIsRejectedWithItsReasonAndTheOthersImported(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let admin = try await harness.user("admin2", .admin).1
            var badOperator = sampleFlow(name: "bad operator")
            if case .object(var object) = badOperator, case .array(var nodes)? = object["nodes"] {
                nodes[2] = [
                    "id": "match", "type": "filter",
                    "params": ["conditions": [["id": "c1", "type": "param", "key": "$.host", "operator": "=~", "value": "x"]]],
                ]
                object["nodes"] = .array(nodes)
                badOperator = .object(object)
            }
            let file: JSON = [
                "weft": 1,
                "flows": [sampleFlow(name: "good 1"), badOperator, ["name": "no version", "nodes": []], sampleFlow(name: "good 2")],
            ]
            let reply = try await client.call(.post, "/api/v1/flows/import", token: admin, json: file)
            #expect(reply.status == 200, "\(reply.json.serialized())")
            #expect(reply.json["imported"] == 2)
            #expect(reply.json["rejected"] == 2)
            let results = try #require(reply.json["results"]?.arrayValue)
            #expect(results.map { $0["status"] } == ["imported", "rejected", "rejected", "imported"])
            let operatorIssue = try #require(results[1]["issues"]?[0])
            #expect(operatorIssue["nodeId"] == "match")
            #expect(operatorIssue["pointer"]?.stringValue?.hasPrefix("/nodes/2/params/conditions/0") == true)
            #expect(results[2]["issues"]?.arrayValue?.contains { $0["pointer"] == "/weft" } == true)
            #expect(results[1]["flowId"] == nil)
            #expect(Set(try await harness.store.flows().map(\.name)) == ["good 1", "good 2"])
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func exportImportAndCloneNeedTheirGrantAndReadAccess(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let manager = try await harness.user("boss", .manager).1
            let admin = try await harness.user("admin2", .admin).1
            let dev = try await harness.user("dev", .developer).1
            let other = try await harness.user("other", .developer).1
            let readerB = try await harness.user("readerB", .reader, tags: ["team-b"]).1
            let created = try await client.call(.post, "/api/v1/flows", token: dev, json: Self.flowWithSecrets(name: "Dev's"))
            let flowId = try #require(created.json["flow"]?["id"]?.stringValue)
            let file: JSON = ["weft": 1, "flows": [sampleFlow(name: "incoming")]]

            for token in [dev, other, readerB] {
                #expect(try await client.call(.post, "/api/v1/flows/export", token: token, json: ["flowIds": [.string(flowId)]]).status == 403)
                #expect(try await client.call(.post, "/api/v1/flows/import", token: token, json: file).status == 403)
                #expect(try await client.call(.post, "/api/v1/flows/\(flowId)/clone", token: token).status == 403)
            }
            #expect(try await flowCount(harness) == 1)

            try await grant(["export", "import", "clone"], to: "usr_other", client: client, manager: manager)
            try await grant(["export", "import", "clone"], to: "usr_readerB", client: client, manager: manager)
            let denied = try await client.call(.post, "/api/v1/flows/export", token: other, json: ["flowIds": [.string(flowId)]])
            #expect(denied.status == 403)
            #expect(denied.errorCode == "forbidden")
            #expect(try await client.call(.post, "/api/v1/flows/\(flowId)/clone", token: other).status == 403)
            #expect(try await client.call(.post, "/api/v1/flows/export", token: readerB, json: ["flowIds": [.string(flowId)]]).status == 403)
            #expect(try await client.call(.post, "/api/v1/flows/import", token: readerB, json: file).status == 403)
            #expect(try await flowCount(harness) == 1)

            #expect(try await client.call(.post, "/api/v1/flows/import", token: other, json: file).status == 200)
            #expect(try await client.call(.post, "/api/v1/flows/export", token: admin, json: ["flowIds": [.string(flowId)]]).status == 200)
            #expect(try await client.call(.post, "/api/v1/flows/export", token: admin, json: ["flowIds": ["flw_missing"]]).status == 404)

            try await grant(["clone"], to: "usr_dev", client: client, manager: manager)
            let before = Int64(Date().timeIntervalSince1970 * 1000)
            let clone = try await client.call(.post, "/api/v1/flows/\(flowId)/clone", token: dev)
            #expect(clone.status == 201, "\(clone.json.serialized())")
            let name = try #require(clone.json["flow"]?["name"]?.stringValue)
            let suffix = try #require(name.split(separator: "_").last)
            let stamp = try #require(Int64(suffix))
            #expect(name == "Dev's_cloned_\(stamp)")
            #expect(stamp >= before && stamp <= Int64(Date().timeIntervalSince1970 * 1000))
            #expect(clone.json["flow"]?["owner"] == "usr_dev")
            #expect(clone.json["version"]?["version"] == 1)
            let cloneId = try #require(clone.json["flow"]?["id"]?.stringValue)
            let copy = try await client.call(.get, "/api/v1/flows/\(cloneId)", token: dev)
            #expect(copy.json["document"]?["targets"] == nil)
            #expect(!copy.json.serialized().contains("ticketing-credential"))
            #expect(try await flowCount(harness) == 3)
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func aSeedFormatFlowImportsWithWhatCannotBeConvertedReportedPerNode(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend, extraTypes: CloudNodeCatalog.types) { harness, client in
            let admin = try await harness.user("admin2", .admin).1
            let reply = try await client.call(.post, "/api/v1/flows/import", token: admin, raw: Self.seedFlow)
            #expect(reply.status == 200, "\(reply.json.serialized())")
            let result = try #require(reply.json["results"]?[0])
            #expect(result["status"] == "imported", "\(result.serialized())")
            #expect(result["source"] == "seed")
            let notConverted = try #require(result["notConverted"]?.arrayValue)
            #expect(notConverted.count == 1)
            #expect(notConverted.first?["nodeId"] == "node-8c40c0ba-filter")
            #expect(notConverted.first?["pointer"] == "/nodes/2/data/conditionalSettings")
            let id = try #require(result["flowId"]?.stringValue)
            let flow = try await client.call(.get, "/api/v1/flows/\(id)", token: admin)
            let nodes = try #require(flow.json["document"]?["nodes"]?.arrayValue)
            #expect(nodes[1]["type"] == "aws.resource")
            #expect(nodes[1]["params"]?["service"] == "rds")
            #expect(nodes[1]["params"]?["operation"] == "DescribeDBInstances")
            #expect(nodes[1]["params"]?["addons"] == ["SecurityGroups"])
            #expect(nodes[2]["params"]?["input"] == ["node": "node-2f14d6bd-resource"])
            #expect(nodes[0]["params"]?["scan"] == ["active": true])
        }
    }

    /// One flow as the seed product exports it (the guide's RDS example with a filter node).
    static let seedFlow = #"""
        [{"name": "Publicly accessible RDS DB instances", "categories": ["Security"],
          "nodes": [
            {"id": "trigger", "type": "trigger",
             "data": {"selectedResource": null, "credentials": "*****", "nextAction": "RDS:describeDBInstances",
                      "schedule": {"active": false, "value": []}, "cloudview": {"active": true},
                      "conditionalSettings": {"expression": "", "conditions": []},
                      "event": {"active": false, "value": {"selectedEventsName": "", "selectedFilters": [{"values": [""], "key": ""}],
                                "selectedServiceName": "", "cloudProvider": ""}}}},
            {"id": "node-2f14d6bd-resource", "type": "resource",
             "data": {"label": "AWSResource", "nextAction": "RDS:describeDBInstances", "addons": ["Security Groups"]}},
            {"id": "node-8c40c0ba-filter", "type": "filter",
             "data": {"selectedResource": {"selectedResourceId": "node-2f14d6bd-resource", "path": "DBInstances",
                                           "content": {"outputPath": ""}, "label": "AWSResource.DBInstances"},
                      "expression": "{ (c1) }", "credentials": "*****", "region": "us-east-1",
                      "conditionalSettings": {"expression": "", "conditions": [{"id": "c1"}]},
                      "conditions": [{"id": "c1", "type": "param", "value": "", "key": "$.PubliclyAccessible", "operator": "exists"}]}}
          ],
          "edges": [{"source": "trigger", "target": "node-2f14d6bd-resource"},
                    {"source": "node-2f14d6bd-resource", "target": "node-8c40c0ba-filter"}]}]
        """#
}
