import Foundation
import Testing
import WeftModel
import WeftTesting

/// `weft user`, `weft token`, `weft export`, `weft import` against a data directory (SPEC 10.1).
struct AdminCLITests {
    static let environment = ["WEFT_BCRYPT_COST": "4"]

    func weft(_ arguments: [String], in directory: URL) async throws -> WeftProcess.Result {
        try await WeftProcess.run(arguments + ["--data", directory.appendingPathComponent("data").path], in: directory,
                                  environment: Self.environment)
    }

    func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func flow(_ name: String, secrets: Bool = false) -> JSON {
        var nodes: [JSON] = [
            ["id": "trigger", "type": "trigger", "params": ["manual": true]],
            ["id": "items", "type": "data", "params": ["items": [["host": "web-1"]]]],
        ]
        var edges: [JSON] = [["from": "trigger", "to": "items"]]
        if secrets {
            nodes.append([
                "id": "call", "type": "http",
                "params": [
                    "url": "https://tickets.example.com/api", "headers": ["X-Api-Key": "CLI-SECRET-KEY"],
                    "auth": ["type": "bearer", "credential": "cli-ticketing"],
                ],
            ])
            edges.append(["from": "items", "to": "call"])
        }
        var flow: JSONObject = ["weft": 1, "name": .string(name), "nodes": .array(nodes), "edges": .array(edges)]
        if secrets { flow["targets"] = [["connector": "cli-prod-connector"]] }
        return .object(flow)
    }

    @Test func usersAndTokensAreManagedInTheDataDirectory() async throws {
        let dir = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let added = try await weft(["user", "add", "alice", "--role", "developer", "--tags", "a,b", "--grants", "export,clone"], in: dir)
        #expect(added.status == 0, "\(added.stderr)")
        let password = try #require(added.stdout.split(separator: "\n").first { $0.hasPrefix("password: ") })
        #expect(password.count == "password: ".count + 24)
        #expect(try await weft(["user", "add", "alice", "--role", "admin"], in: dir).status == 2)
        let badRole = try await weft(["user", "add", "bob", "--role", "boss"], in: dir)
        #expect(badRole.status == 2)
        #expect(badRole.stderr.contains("unknown role 'boss'"))
        #expect(try await weft(["user", "add", "carol", "--role", "reader"], in: dir).status == 0)

        let listed = try await weft(["user", "list", "--json"], in: dir)
        #expect(listed.status == 0)
        let users = try #require(try JSON.parse(listed.stdout).arrayValue)
        #expect(users.map { $0["name"] } == ["alice", "carol"])
        #expect(users[0]["role"] == "developer")
        #expect(users[0]["tags"] == ["a", "b"])
        #expect(users[0]["grants"] == ["export", "clone"])
        #expect(!listed.stdout.contains("$2"), "no password hash in the list")
        let plain = try await weft(["user", "list"], in: dir)
        #expect(plain.stdout.contains("alice\tdeveloper\ttags: a,b\tgrants: export,clone"))

        let changed = try await weft(["user", "passwd", "alice"], in: dir)
        #expect(changed.status == 0)
        #expect(changed.stdout.contains("password: ") && !changed.stdout.contains(password))
        #expect(try await weft(["user", "passwd", "nobody"], in: dir).status == 2)

        let token = try await weft(["token", "create", "alice", "--name", "ci"], in: dir)
        #expect(token.status == 0, "\(token.stderr)")
        #expect(token.stdout.wholeMatch(of: /wft_[0-9a-f]{64}\n/) != nil, "\(token.stdout)")
        #expect(try await weft(["token", "create", "nobody"], in: dir).status == 2)
    }

    @Test func importReportsEachFlowAndExportWritesAFileWithoutSecrets() async throws {
        let dir = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken: JSON = ["weft": 1, "name": "broken", "nodes": [["id": "trigger", "type": "nope"]], "edges": []]
        let file: JSON = ["weft": 1, "flows": [Self.flow("one"), broken, Self.flow("two", secrets: true)]]
        let path = try write(file.serialized(), "in.json", in: dir)
        let imported = try await weft(["import", path, "--json"], in: dir)
        #expect(imported.status == 1, "\(imported.stderr)")
        let results = try #require(try JSON.parse(imported.stdout).arrayValue)
        #expect(results.map { $0["status"] } == ["imported", "rejected", "imported"])
        #expect(results[1]["issues"]?.arrayValue?.contains { $0["pointer"] == "/nodes/0/type" } == true)
        let ids = results.compactMap { $0["flowId"]?.stringValue }
        #expect(ids.count == 2)

        let out = dir.appendingPathComponent("out.json").path
        let exported = try await weft(["export"] + ids + ["--out", out], in: dir)
        #expect(exported.status == 0, "\(exported.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        for secret in ["CLI-SECRET-KEY", "cli-ticketing", "cli-prod-connector"] { #expect(!text.contains(secret)) }
        let export = try JSON.parse(text)
        #expect(export["flows"]?.arrayValue?.map { $0["name"] } == ["one", "two"])

        let again = try await weft(["import", out], in: dir)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("imported 'one' as flw_"))

        let defaultName = try await weft(["export", ids[0]], in: dir)
        #expect(defaultName.status == 0)
        let name = defaultName.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(name.wholeMatch(of: /weft-export-\d{13}\.json/) != nil, "\(name)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path))
        #expect(try await weft(["export", "flw_missing"], in: dir).status == 2)
    }

    @Test func flowsAreDeployedAndUndeployedFromTheCommandLine() async throws {
        let dir = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file: JSON = ["weft": 1, "flows": [Self.flow("scheduled")]]
        let imported = try await weft(["import", try write(file.serialized(), "in.json", in: dir), "--json"], in: dir)
        let flowId = try #require(try JSON.parse(imported.stdout).arrayValue?.first?["flowId"]?.stringValue, "\(imported.stderr)")

        let unknownTarget = try await weft(["deploy", flowId, "--target", "nowhere:eu-west-1"], in: dir)
        #expect(unknownTarget.status == 2 && unknownTarget.stderr.contains("nowhere"), "\(unknownTarget.stderr)")
        #expect(try await weft(["deploy", "flw_missing"], in: dir).status == 2)
        let deployed = try await weft(["deploy", flowId], in: dir)
        #expect(deployed.status == 0 && deployed.stderr.contains("deployed \(flowId) version 1"), "\(deployed.stderr)")
        let listed = try await weft(["deployments", "--json"], in: dir)
        #expect(try JSON.parse(listed.stdout).arrayValue?.map { $0["flowId"] } == [.string(flowId)])

        #expect(try await weft(["undeploy", flowId], in: dir).stderr.contains("undeployed \(flowId)"))
        #expect(try await weft(["undeploy", flowId], in: dir).stderr.contains("was not deployed"))
        #expect(try JSON.parse(try await weft(["deployments", "--json"], in: dir).stdout) == [])
    }

    @Test func anInvalidFileExitsTwo() async throws {
        let dir = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let notJSON = try await weft(["import", try write("{\"weft\": 1, ", "bad.json", in: dir)], in: dir)
        #expect(notJSON.status == 2)
        #expect(notJSON.stderr.contains("the file is not JSON"))
        let eleven: JSON = ["weft": 1, "flows": .array((1...11).map { Self.flow("f\($0)") })]
        let tooMany = try await weft(["import", try write(eleven.serialized(), "eleven.json", in: dir)], in: dir)
        #expect(tooMany.status == 2)
        #expect(tooMany.stderr.contains("the file holds 11 flows; an import may hold at most 10"))
        let one = JSON.object(["weft": 1, "flows": [Self.flow("big")]]).serialized()
        let big = one + String(repeating: " ", count: 2 * 1024 * 1024 + 1 - one.utf8.count)
        let tooLarge = try await weft(["import", try write(big, "big.json", in: dir)], in: dir)
        #expect(tooLarge.status == 2)
        #expect(tooLarge.stderr.contains("2097153 bytes; an import file may be at most 2 MB"))
    }

    @Test func aSeedExportImportsWithUnconvertedPartsReported() async throws {
        let dir = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let seed = """
            [{"name": "Publicly accessible RDS DB instances",
              "nodes": [
                {"id": "trigger", "type": "trigger", "data": {"cloudview": {"active": true}, "nextAction": "RDS:describeDBInstances"}},
                {"id": "node-2f14d6bd-resource", "type": "resource",
                 "data": {"label": "AWSResource", "nextAction": "RDS:describeDBInstances", "addons": ["Security Groups"]}},
                {"id": "node-d6694548-cloudview-control", "type": "totalcloud",
                 "data": {"selectedResource": {"selectedResourceId": "node-2f14d6bd-resource", "path": "DBInstances",
                                               "label": "AWSResource.DBInstances"},
                          "conditions": [{"id": "c1", "type": "param", "key": "$.PubliclyAccessible", "operator": "==", "value": true}],
                          "expression": "{ (c1) }", "resourceId": "DBInstanceIdentifier", "displayName": "DBName",
                          "qualysApp": "TC"}}
              ],
              "edges": [{"source": "trigger", "target": "node-2f14d6bd-resource"},
                        {"source": "node-2f14d6bd-resource", "target": "node-d6694548-cloudview-control"}]}]
            """
        let result = try await weft(["import", try write(seed, "qflows-export-1696589891052.json", in: dir)], in: dir)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("imported 'Publicly accessible RDS DB instances' as flw_"))
        #expect(result.stdout.contains("(converted from the seed format)"))
        #expect(result.stdout.contains("not converted: node 'node-d6694548-cloudview-control' at /nodes/2/data/qualysApp"))
    }
}
