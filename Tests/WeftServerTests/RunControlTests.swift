import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import WeftEngine
import WeftModel
@testable import WeftServer
import WeftTesting

/// Process-wide test state for the test node types, keyed so that tests running at once do not meet.
enum TestNodeState {
    static let calls = Mutex<[String: Int]>([:])
    static let open = Mutex<Set<String>>([])

    static func call(_ key: String) -> Int { calls.withLock { $0[key, default: 0] += 1; return $0[key]! } }
    static func count(_ key: String) -> Int { calls.withLock { $0[key, default: 0] } }
    static func openGate(_ key: String) { _ = open.withLock { $0.insert(key) } }
    static func isOpen(_ key: String) -> Bool { open.withLock { $0.contains(key) } }
}

struct KeyParameters: Decodable, Sendable { var key: String }

/// `test.gate`: holds until the test opens its gate, then passes its input on.
enum GateNode: NodeType {
    static let description = NodeDescription(
        type: "test.gate", displayName: "Gate", group: .general, summary: "Waits for the test.",
        parameters: [Parameter("key", .string, required: true, help: "the gate")], example: ["key": "k"])

    static func execute(_ parameters: KeyParameters, context: NodeContext) async throws -> NodeResult {
        while !TestNodeState.isOpen(parameters.key) { try await Task.sleep(for: .milliseconds(20)) }
        return NodeResult(main: context.input)
    }
}

/// `test.count`: outputs three items and counts its calls.
enum CountNode: NodeType {
    static let description = NodeDescription(
        type: "test.count", displayName: "Count", group: .general, summary: "Counts its calls.",
        parameters: [Parameter("key", .string, required: true, help: "the counter")], example: ["key": "k"])

    static func execute(_ parameters: KeyParameters, context: NodeContext) async throws -> NodeResult {
        let call = TestNodeState.call(parameters.key)
        return NodeResult(main: Items([["n": 1, "call": .int(Int64(call))], ["n": 2], ["n": 3]]))
    }
}

/// `test.flaky`: fails its first call per key, passes its input on afterwards.
enum FlakyNode: NodeType {
    static let description = NodeDescription(
        type: "test.flaky", displayName: "Flaky", group: .general, summary: "Fails once.",
        parameters: [Parameter("key", .string, required: true, help: "the counter")], example: ["key": "k"])

    static func execute(_ parameters: KeyParameters, context: NodeContext) async throws -> NodeResult {
        if TestNodeState.call(parameters.key) == 1 { throw NodeError("the first call fails", code: "flaky") }
        return NodeResult(main: context.input)
    }
}

/// `test.failIn`: fails its first call in each of `regions`, passes its input on otherwise.
enum FailInRegionNode: NodeType {
    struct Parameters: Decodable, Sendable { var key: String; var regions: [String] }
    static let description = NodeDescription(
        type: "test.failIn", displayName: "Fail in", group: .general, summary: "Fails once per listed region.",
        parameters: [Parameter("key", .string, required: true, help: "the counter"),
                     Parameter("regions", .array(of: .string, maxItems: nil), required: true, help: "where to fail")],
        example: ["key": "k", "regions": ["eu-west-2"]])

    static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        let region = context.execution.region
        if parameters.regions.contains(region), TestNodeState.call(parameters.key + region) == 1 {
            throw NodeError("the first call in \(region) fails", code: "flaky")
        }
        return NodeResult(main: context.input)
    }
}

@Suite("Run control: cancel, retry, events, executions, output pages")
struct RunControlTests {
    static let types: [any NodeType.Type] = [GateNode.self, CountNode.self, FlakyNode.self, FailInRegionNode.self]

    static func flow(_ name: String, _ nodes: [JSON]) -> JSON {
        var all: [JSON] = [["id": "trigger", "type": "trigger", "params": ["manual": true]]]
        all += nodes
        var edges: [JSON] = []
        var previous = "trigger"
        for node in nodes {
            let id = node["id"]!.stringValue!
            edges.append(["from": .string(previous), "to": .string(id)])
            previous = id
        }
        return ["weft": 1, "name": .string(name), "nodes": .array(all), "edges": .array(edges)]
    }

    static func createFlow(_ client: any TestClientProtocol, _ token: String, _ document: JSON) async throws -> String {
        let created = try await client.call(.post, "/api/v1/flows", token: token, json: document)
        try #require(created.status == 201, "\(created.json.serialized())")
        return try #require(created.json["flow"]?["id"]?.stringValue)
    }

    static func startRun(_ client: any TestClientProtocol, _ token: String, flowId: String) async throws -> String {
        let started = try await client.call(.post, "/api/v1/flows/\(flowId)/runs", token: token, json: [:])
        try #require(started.status == 202, "\(started.json.serialized())")
        return try #require(started.json["run"]?["id"]?.stringValue)
    }

    /// Polls the run until it has ended (at most 30 s) and returns it with its executions.
    static func ended(_ client: any TestClientProtocol, _ token: String, runId: String) async throws -> Reply {
        for _ in 0..<1_500 {
            let reply = try await client.call(.get, "/api/v1/runs/\(runId)", token: token)
            if let status = reply.json["run"]?["status"]?.stringValue, status != "running", status != "queued" { return reply }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("run \(runId) did not end")
        return try await client.call(.get, "/api/v1/runs/\(runId)", token: token)
    }

    static func steps(_ client: any TestClientProtocol, _ token: String, executionId: String) async throws -> [JSON] {
        try await client.call(.get, "/api/v1/executions/\(executionId)/steps", token: token).json["steps"]?.arrayValue ?? []
    }

    @Test(arguments: StoreBackend.allCases)

    func cancelStopsARunInProgress(_ backend: StoreBackend) async throws {
        let key = "cancel-\(UUID().uuidString)"
        try await ServerHarness.run(backend: backend, extraTypes: Self.types) { harness, client in
            let (_, token) = try await harness.user("dev", .developer)
            let (_, reader) = try await harness.user("reader", .reader, tags: ["x"])
            let flowId = try await Self.createFlow(client, token, Self.flow("Held", [
                ["id": "gate", "type": "test.gate", "params": ["key": .string(key)]],
            ]))
            let runId = try await Self.startRun(client, token, flowId: flowId)
            #expect(try await client.call(.post, "/api/v1/runs/\(runId)/cancel", token: reader).status == 403)
            let cancelled = try await client.call(.post, "/api/v1/runs/\(runId)/cancel", token: token)
            #expect(cancelled.status == 202, "\(cancelled.json.serialized())")
            let run = try await Self.ended(client, token, runId: runId)
            #expect(run.json["run"]?["status"] == "cancelled")
            #expect(run.json["executions"]?[0]?["status"] == "cancelled")
            let again = try await client.call(.post, "/api/v1/runs/\(runId)/cancel", token: token)
            #expect(again.status == 409)
            #expect(again.errorCode == "not_running")
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func retryFromANodeReusesWhatRanBeforeIt(_ backend: StoreBackend) async throws {
        let key = "retry-\(UUID().uuidString)"
        try await ServerHarness.run(backend: backend, extraTypes: Self.types) { harness, client in
            let (_, token) = try await harness.user("dev", .developer)
            let flowId = try await Self.createFlow(client, token, Self.flow("Flaky", [
                ["id": "source", "type": "test.count", "params": ["key": .string(key + "-source")]],
                ["id": "sink", "type": "test.flaky", "params": ["key": .string(key + "-sink")]],
            ]))
            let first = try await Self.ended(client, token, runId: try await Self.startRun(client, token, flowId: flowId))
            #expect(first.json["run"]?["status"] == "failed")
            let firstId = try #require(first.json["run"]?["id"]?.stringValue)

            let nothing = try await client.call(.post, "/api/v1/runs/\(firstId)/retry", token: token,
                                                json: ["mode": "fromNode", "nodeId": "nope"])
            #expect(nothing.status == 422)

            let retried = try await client.call(.post, "/api/v1/runs/\(firstId)/retry", token: token,
                                                json: ["mode": "fromNode", "nodeId": "sink"])
            #expect(retried.status == 202, "\(retried.json.serialized())")
            let retryId = try #require(retried.json["run"]?["id"]?.stringValue)
            let second = try await Self.ended(client, token, runId: retryId)
            #expect(second.json["run"]?["status"] == "success")
            #expect(second.json["run"]?["trigger"] == "retry")
            #expect(second.json["run"]?["options"]?["retryOf"] == .string(firstId))
            #expect(TestNodeState.count(key + "-source") == 1, "the source was reused, not run again")
            let steps = try await Self.steps(client, token, executionId: try #require(second.json["executions"]?[0]?["id"]?.stringValue))
            let source = try #require(steps.last { $0["nodeId"] == "source" })
            #expect(source["logs"]?[0]?.stringValue?.hasPrefix("reused:") == true)
            let sink = try #require(steps.last { $0["nodeId"] == "sink" })
            #expect(sink["status"] == "success")
            #expect(sink["itemCounts"]?["main"] == 3)

            let wholeAgain = try await client.call(.post, "/api/v1/runs/\(retryId)/retry", token: token, json: ["mode": "all"])
            #expect(wholeAgain.status == 202)
            _ = try await Self.ended(client, token, runId: try #require(wholeAgain.json["run"]?["id"]?.stringValue))
            #expect(TestNodeState.count(key + "-source") == 2)

            let noFailures = try await client.call(.post, "/api/v1/runs/\(retryId)/retry", token: token, json: ["mode": "failedTargets"])
            #expect(noFailures.status == 409)
            #expect(noFailures.errorCode == "nothing_to_retry")
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func retryOfTheFailedTargetsRunsOnlyThem(_ backend: StoreBackend) async throws {
        let key = "targets-\(UUID().uuidString)"
        try await ServerHarness.run(backend: backend, extraTypes: Self.types) { harness, client in
            let admin = try await harness.user("ada", .admin).1
            let connector = try await client.call(.post, "/api/v1/connectors", token: admin, json: [
                "name": "acme", "provider": "aws", "accountId": "123456789012", "regions": ["us-east-1", "eu-west-2", "ap-south-1"],
                "credentials": ["accessKeyId": "AKIAEXAMPLE", "secretAccessKey": "retry-secret-value"],
            ])
            try #require(connector.status == 201, "\(connector.json.serialized())")
            var document = Self.flow("Regional", [
                ["id": "check", "type": "test.failIn", "params": ["key": .string(key), "regions": ["eu-west-2", "ap-south-1"]]],
            ]).objectValue ?? [:]
            document["targets"] = [["connector": "acme"]]
            let flowId = try await Self.createFlow(client, admin, .object(document))
            let first = try await Self.ended(client, admin, runId: try await Self.startRun(client, admin, flowId: flowId))
            let statuses = Dictionary(uniqueKeysWithValues: (first.json["executions"]?.arrayValue ?? []).map {
                ($0["region"]!.stringValue!, $0["status"]!.stringValue!)
            })
            #expect(statuses == ["us-east-1": "success", "eu-west-2": "failed", "ap-south-1": "failed"])
            let runId = try #require(first.json["run"]?["id"]?.stringValue)

            let retried = try await client.call(.post, "/api/v1/runs/\(runId)/retry", token: admin, json: ["mode": "failedTargets"])
            #expect(retried.status == 202, "\(retried.json.serialized())")
            let second = try await Self.ended(client, admin, runId: try #require(retried.json["run"]?["id"]?.stringValue))
            #expect(second.json["run"]?["status"] == "success")
            let regions = (second.json["executions"]?.arrayValue ?? []).compactMap { $0["region"]?.stringValue }
            #expect(Set(regions) == ["eu-west-2", "ap-south-1"])
            #expect(second.json["executions"]?[0]?["accountId"] == "123456789012")
        }
    }

    @Test func anUnsavedDraftRunsAsADryRunForThoseWhoMayEditTheFlow() async throws {
        try await ServerHarness.run { harness, client in
            let (_, owner) = try await harness.user("dev", .developer, tags: ["ops"])
            let (_, deployer) = try await harness.user("dee", .deployer, tags: ["ops"])
            let saved = sampleFlow(name: "Drafted", tags: ["ops"])
            let flowId = try await Self.createFlow(client, owner, saved)
            var draft = saved.objectValue ?? [:]
            var nodes = draft["nodes"]?.arrayValue ?? []
            nodes.append(["id": "more", "type": "data", "params": ["items": [["extra": true]]]])
            draft["nodes"] = .array(nodes)
            draft["edges"] = .array((draft["edges"]?.arrayValue ?? []) + [["from": "trigger", "to": "more"]])

            let refused = try await client.call(.post, "/api/v1/flows/\(flowId)/runs", token: deployer, json: ["document": .object(draft)])
            #expect(refused.status == 403)
            #expect(try await client.call(.post, "/api/v1/flows/\(flowId)/runs", token: deployer, json: [:]).status == 202)

            var broken = draft
            broken["nodes"] = .array(nodes + [["id": "bad", "type": "no.such.type"]])
            let invalid = try await client.call(.post, "/api/v1/flows/\(flowId)/runs", token: owner, json: ["document": .object(broken)])
            #expect(invalid.status == 422)
            #expect(invalid.json["error"]?["details"]?["issues"]?.arrayValue?.contains { $0["pointer"]?.stringValue?.hasPrefix("/document/nodes/") == true } == true,
                    "\(invalid.json.serialized())")

            let started = try await client.call(.post, "/api/v1/flows/\(flowId)/runs", token: owner, json: ["document": .object(draft), "runTill": "more"])
            #expect(started.status == 202, "\(started.json.serialized())")
            let run = try await Self.ended(client, owner, runId: try #require(started.json["run"]?["id"]?.stringValue))
            #expect(run.json["run"]?["status"] == "success" && run.json["run"]?["dryRun"] == true)
            #expect(run.json["run"]?["flowName"] == "_dry_run_Drafted" && run.json["run"]?["flowVersion"] == .null)
            #expect(try await client.call(.get, "/api/v1/flows/\(flowId)", token: owner).json["flow"]?["latestVersion"] == 1)
        }
    }

    @Test func toleratedFailuresDecideTheRunsStatus() async throws {
        try await ServerHarness.run(extraTypes: Self.types) { harness, client in
            let admin = try await harness.user("ada", .admin).1
            let connector = try await client.call(.post, "/api/v1/connectors", token: admin, json: [
                "name": "acme", "provider": "aws", "accountId": "123456789012", "regions": ["us-east-1", "eu-west-2", "ap-south-1"],
            ])
            try #require(connector.status == 201, "\(connector.json.serialized())")
            for (tolerated, expected) in [(JSON.int(2), "success"), ("66%", "failed"), ("67%", "success"), (.int(1), "failed")] {
                let key = "tolerated-\(UUID().uuidString)"
                var document = Self.flow("Tolerant \(tolerated.serialized())", [
                    ["id": "check", "type": "test.failIn", "params": ["key": .string(key), "regions": ["eu-west-2", "ap-south-1"]]],
                ]).objectValue ?? [:]
                document["targets"] = [["connector": "acme"]]
                document["toleratedFailures"] = tolerated
                let flowId = try await Self.createFlow(client, admin, .object(document))
                let run = try await Self.ended(client, admin, runId: try await Self.startRun(client, admin, flowId: flowId))
                let failed = (run.json["executions"]?.arrayValue ?? []).filter { $0["status"] == "failed" }.count
                #expect(failed == 2)
                #expect(run.json["run"]?["status"] == .string(expected), "toleratedFailures \(tolerated.serialized())")
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func eventsFollowTheRunLiveAndEndWithIt(_ backend: StoreBackend) async throws {
        let key = "events-\(UUID().uuidString)"
        try await ServerHarness.run(backend: backend, extraTypes: Self.types) { harness, client in
            let (_, token) = try await harness.user("dev", .developer)
            let flowId = try await Self.createFlow(client, token, Self.flow("Watched", [
                ["id": "gate", "type": "test.gate", "params": ["key": .string(key)]],
                ["id": "items", "type": "data", "params": ["items": [["a": 1], ["a": 2]]]],
            ]))
            let runId = try await Self.startRun(client, token, flowId: flowId)
            async let stream = client.execute(uri: "/api/v1/runs/\(runId)/events", method: .get,
                                              headers: [.authorization: "Bearer \(token)"]) { response in
                (Int(response.status.code), response.headers[.contentType], String(buffer: response.body))
            }
            for _ in 0..<1_500 where harness.server.events.subscriberCount(runId: runId) == 0 {
                try await Task.sleep(for: .milliseconds(10))
            }
            TestNodeState.openGate(key)
            let (status, type, text) = try await stream
            #expect(status == 200)
            #expect(type?.hasPrefix("text/event-stream") == true)
            let names = text.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
            #expect(names.first == "snapshot")
            #expect(names.last == "run.finished")
            let finishedSteps = text.components(separatedBy: "event: step.finished\ndata: ").dropFirst()
                .compactMap { $0.split(separator: "\n").first.flatMap { try? JSON.parse(String($0)) } }
            #expect(finishedSteps.map { $0["nodeId"] }.suffix(2) == ["gate", "items"], "\(names)")
            #expect(finishedSteps.last?["itemCounts"]?["main"] == 2)
            #expect(names.contains("execution.finished"))
            let finished = try #require(text.components(separatedBy: "event: run.finished\ndata: ").last?.split(separator: "\n").first)
            #expect(try JSON.parse(String(finished))["run"]?["status"] == "success")

            let replay = try await client.execute(uri: "/api/v1/runs/\(runId)/events", method: .get,
                                                  headers: [.authorization: "Bearer \(token)"]) { String(buffer: $0.body) }
            #expect(replay.contains("event: snapshot") && replay.hasSuffix("\n\n") && replay.contains("event: run.finished"))
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func executionsOfAFlowWithCountsAndOutputPages(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let (_, token) = try await harness.user("dev", .developer)
            let (_, stranger) = try await harness.user("dev2", .developer)
            let items = JSON.array((0..<250).map { ["id": .int(Int64($0))] })
            let flowId = try await Self.createFlow(client, token, Self.flow("Many", [
                ["id": "items", "type": "data", "params": ["items": items]],
            ]))
            for _ in 0..<2 { _ = try await Self.ended(client, token, runId: try await Self.startRun(client, token, flowId: flowId)) }

            let listed = try await client.call(.get, "/api/v1/flows/\(flowId)/executions", token: token)
            #expect(listed.status == 200)
            #expect(listed.json["counts"]?["total"] == 2)
            #expect(listed.json["counts"]?["success"] == 2)
            #expect(listed.json["counts"]?["failed"] == 0)
            #expect(listed.json["executions"]?.arrayValue?.count == 2)
            #expect(listed.json["executions"]?[0]?["run"]?["trigger"] == "manual")
            #expect(try await client.call(.get, "/api/v1/flows/\(flowId)/executions?status=failed", token: token)
                .json["executions"]?.arrayValue?.isEmpty == true)
            #expect(try await client.call(.get, "/api/v1/flows/\(flowId)/executions?status=bogus", token: token).status == 400)
            #expect(try await client.call(.get, "/api/v1/flows/\(flowId)/executions", token: stranger).status == 403)

            let executionId = try #require(listed.json["executions"]?[0]?["id"]?.stringValue)
            let steps = try await Self.steps(client, token, executionId: executionId)
            let step = try #require(steps.last { $0["nodeId"] == "items" })
            let sequence = try #require(step["sequence"]?.intValue)
            let page = try await client.call(
                .get, "/api/v1/executions/\(executionId)/steps/\(sequence)/outputs/main?offset=240&limit=20", token: token)
            #expect(page.status == 200, "\(page.json.serialized())")
            #expect(page.json["total"] == 250)
            #expect(page.json["items"]?.arrayValue?.map { $0["id"] } == (240..<250).map { JSON.int(Int64($0)) })
            let middle = try await client.call(
                .get, "/api/v1/executions/\(executionId)/steps/\(sequence)/outputs/main?offset=95&limit=10", token: token)
            #expect(middle.json["items"]?.arrayValue?.map { $0["id"] } == (95..<105).map { JSON.int(Int64($0)) })
            #expect(try await client.call(.get, "/api/v1/executions/\(executionId)/steps/\(sequence)/outputs/nope", token: token).status == 404)
            #expect(try await client.call(.get, "/api/v1/executions/\(executionId)/steps/\(sequence)/outputs/main?limit=0", token: token).status == 400)
            #expect(try await client.call(.get, "/api/v1/executions/\(executionId)/steps/\(sequence)/outputs/main", token: stranger).status == 403)
        }
    }

    @Test func reportFilesOfARunAreListedAndDownloaded() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weft-artifacts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await ServerHarness.run(configure: { $0.artifactsDirectory = directory }) { harness, client in
            let (_, token) = try await harness.user("dev", .developer)
            let (_, stranger) = try await harness.user("dev2", .developer)
            let flowId = try await Self.createFlow(client, token, Self.flow("Reported", [
                ["id": "items", "type": "data", "params": ["items": [["host": "web-1", "open": true], ["host": "db-1", "open": false]]]],
                ["id": "report", "type": "report", "params": ["format": "csv", "fileName": "hosts.csv",
                                                               "columns": [["header": "Host", "value": "$.host"]]]],
            ]))
            let run = try await Self.ended(client, token, runId: try await Self.startRun(client, token, flowId: flowId))
            #expect(run.json["run"]?["status"] == "success", "\(run.json.serialized())")
            let executionId = try #require(run.json["executions"]?[0]?["id"]?.stringValue)
            let listed = try await client.call(.get, "/api/v1/executions/\(executionId)/artifacts", token: token)
            #expect(listed.json["artifacts"] == [["name": "hosts.csv", "bytes": 19]], "\(listed.json.serialized())")
            let file = try await client.execute(uri: "/api/v1/executions/\(executionId)/artifacts/hosts.csv", method: .get,
                                                headers: [.authorization: "Bearer \(token)"]) {
                ($0.status.code, $0.headers[.contentDisposition], String(buffer: $0.body))
            }
            #expect(file.0 == 200)
            #expect(file.1 == "attachment; filename=\"hosts.csv\"")
            #expect(file.2 == "Host\r\nweb-1\r\ndb-1\r\n")
            #expect(try await client.call(.get, "/api/v1/executions/\(executionId)/artifacts/other.csv", token: token).status == 404)
            #expect(try await client.call(.get, "/api/v1/executions/\(executionId)/artifacts/..", token: token).status == 404)
            #expect(try await client.call(.get, "/api/v1/executions/\(executionId)/artifacts/hosts.csv", token: stranger).status == 403)
        }
    }

    @Test func aDryRunIsNamedSoAndItsRetryStaysDry() async throws {
        try await ServerHarness.run { harness, client in
            let (_, token) = try await harness.user("dev", .developer)
            let flowId = try await Self.createFlow(client, token, Self.flow("Checked", [
                ["id": "items", "type": "data", "params": ["items": [["a": 1]]]],
            ]))
            let started = try await client.call(.post, "/api/v1/flows/\(flowId)/runs", token: token, json: ["dryRun": true])
            #expect(started.status == 202)
            #expect(started.json["run"]?["flowName"] == "_dry_run_Checked")
            #expect(started.json["run"]?["dryRun"] == true)
            let runId = try #require(started.json["run"]?["id"]?.stringValue)
            _ = try await Self.ended(client, token, runId: runId)
            let retried = try await client.call(.post, "/api/v1/runs/\(runId)/retry", token: token, json: [:])
            #expect(retried.json["run"]?["dryRun"] == true)
            _ = try await Self.ended(client, token, runId: try #require(retried.json["run"]?["id"]?.stringValue))
            let listed = try await client.call(.get, "/api/v1/flows", token: token)
            #expect(listed.json["flows"]?[0]?["lastExecutions"] == [], "dry runs are not the flow's executions")
        }
    }
}
