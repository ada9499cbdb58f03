import Foundation
import Hummingbird
import Testing
import WeftEngine
import WeftModel
import WeftServer
import WeftTesting

@Suite("API")
struct APITests {
    @Test(arguments: StoreBackend.allCases)
    func errorsAreJSONWithTheRightStatus(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let token = try await harness.user("ann", .developer).1
            let cases: [(HTTPRequest.Method, String, String?, Int, String)] = [
                (.post, "/api/v1/flows", "{not json", 400, "invalid_json"),
                (.post, "/api/v1/flows", "[1, 2]", 400, "invalid_json"),
                (.post, "/api/v1/flows", "", 400, "invalid_json"),
                (.post, "/api/v1/tokens", #"{"name": "x", "colour": "red"}"#, 400, "invalid_request"),
                (.post, "/api/v1/login", #"{"username": "a", "password": "b", "extra": 1}"#, 400, "invalid_request"),
                (.post, "/api/v1/flows", #"{"weft": 1, "name": "x", "nodes": [], "colour": "red"}"#, 422, "validation_failed"),
                (.post, "/api/v1/flows", String(repeating: " ", count: 70 * 1024) + "{}", 413, "payload_too_large"),
                (.get, "/api/v1/flows/flw_missing", nil, 404, "not_found"),
                (.get, "/api/v1/no-such-route", nil, 404, "not_found"),
                (.get, "/api/v1/flows/flw_missing/versions/abc", nil, 404, "not_found"),
                (.get, "/api/v1/executions/missing", nil, 404, "not_found"),
            ]
            for (method, path, raw, status, code) in cases {
                let reply = try await client.call(method, path, token: token, raw: raw)
                #expect(reply.status == status, "\(method) \(path) \(raw?.prefix(40) ?? ""): \(reply.json.serialized())")
                #expect(reply.errorCode == code, "\(method) \(path): \(reply.json.serialized())")
                #expect(reply.json["error"]?["message"]?.stringValue?.isEmpty == false)
                #expect(reply.json["error"]?.objectValue?.keys.contains("details") == true)
            }
            let unauthenticated = try await client.call(.get, "/api/v1/flows")
            #expect(unauthenticated.status == 401 && unauthenticated.errorCode == "unauthenticated")

            let invalid = sampleFlow().objectValue.map { object -> JSON in
                var object = object
                object["nodes"] = [["id": "data", "type": "no.such.type", "params": [:]]]
                object["edges"] = []
                return .object(object)
            }
            let reply = try await client.call(.post, "/api/v1/flows", token: token, json: invalid)
            #expect(reply.status == 422 && reply.errorCode == "validation_failed")
            let issues = try #require(reply.json["error"]?["details"]?["issues"]?.arrayValue)
            #expect(!issues.isEmpty && issues.allSatisfy { $0["pointer"] != nil && $0["message"] != nil })
            #expect(try await harness.store.flows().isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func flowsAreSavedAsVersions(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let token = try await harness.user("ann", .developer).1
            let created = try await client.call(.post, "/api/v1/flows", token: token, json: sampleFlow(name: "First"))
            #expect(created.status == 201)
            let id = try #require(created.json["flow"]?["id"]?.stringValue)
            #expect(created.headers[.location] == "/api/v1/flows/\(id)")
            let updated = try await client.call(.put, "/api/v1/flows/\(id)", token: token, json: sampleFlow(name: "Second"))
            #expect(updated.status == 200 && updated.json["version"]?["version"] == 2)

            let read = try await client.call(.get, "/api/v1/flows/\(id)", token: token)
            #expect(read.json["flow"]?["name"] == "Second" && read.json["flow"]?["latestVersion"] == 2)
            #expect(read.json["document"] == sampleFlow(name: "Second"))
            let versions = try await client.call(.get, "/api/v1/flows/\(id)/versions", token: token)
            #expect(versions.json["versions"]?.arrayValue?.compactMap { $0["version"]?.intValue } == [1, 2])
            let first = try await client.call(.get, "/api/v1/flows/\(id)/versions/1", token: token)
            #expect(first.json["version"]?["document"] == sampleFlow(name: "First"))
            #expect(try await client.call(.get, "/api/v1/flows/\(id)/versions/9", token: token).status == 404)
            let listed = try await client.call(.get, "/api/v1/flows", token: token)
            #expect(listed.json["flows"]?.arrayValue?.count == 1)
            #expect(try await client.call(.delete, "/api/v1/flows/\(id)", token: token).status == 204)
            #expect(try await harness.store.flows().isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func aRunStartedThroughTheAPIFinishesWithItsSteps(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let token = try await harness.user("ann", .developer).1
            let created = try await client.call(.post, "/api/v1/flows", token: token, json: sampleFlow())
            let id = try #require(created.json["flow"]?["id"]?.stringValue)

            let badVariable = try await client.call(
                .post, "/api/v1/flows/\(id)/runs", token: token, json: ["variables": ["nope": "x"]])
            #expect(badVariable.status == 422 && badVariable.errorCode == "validation_failed")
            let badTarget = try await client.call(
                .post, "/api/v1/flows/\(id)/runs", token: token, json: ["targets": [["connector": "aws-prod"]]])
            #expect(badTarget.status == 422)

            let started = try await client.call(
                .post, "/api/v1/flows/\(id)/runs", token: token, json: ["variables": ["pattern": "^db"]])
            #expect(started.status == 202, "\(started.json.serialized())")
            let runId = try #require(started.json["run"]?["id"]?.stringValue)
            #expect(started.json["run"]?["flowId"] == .string(id) && started.json["run"]?["flowVersion"] == 1)
            let executionId = try #require(started.json["executions"]?[0]?["id"]?.stringValue)

            var run = JSON.null
            for _ in 0..<200 {
                run = try await client.call(.get, "/api/v1/runs/\(runId)", token: token).json
                if let status = run["run"]?["status"]?.stringValue, status != "running", status != "queued" { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(run["run"]?["status"] == "success", "\(run.serialized())")
            #expect(run["executions"]?[0]?["connector"] == "local")

            let runs = try await client.call(.get, "/api/v1/flows/\(id)/runs?limit=10", token: token)
            #expect(runs.json["runs"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [runId])
            #expect(try await client.call(.get, "/api/v1/flows/\(id)/runs?limit=0", token: token).status == 400)

            let execution = try await client.call(.get, "/api/v1/executions/\(executionId)", token: token)
            #expect(execution.json["execution"]?["status"] == "success")
            let steps = try await client.call(.get, "/api/v1/executions/\(executionId)/steps", token: token)
            let entries = try #require(steps.json["steps"]?.arrayValue)
            let finished = entries.filter { $0["status"] == "success" }
            #expect(Set(finished.compactMap { $0["nodeId"]?.stringValue }) == ["trigger", "data", "match"])
            let match = try #require(finished.first { $0["nodeId"] == "match" })
            #expect(match["outputs"]?["main"]?["items"] == [["host": "db-1"]])
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func theOpenAPIDocumentDescribesExactlyTheRouter(_ backend: StoreBackend) async throws {
        let document = try JSON.parse(OpenAPIDocument.text)
        #expect(document["openapi"] == "3.1.0")
        let paths = try #require(document["paths"]?.objectValue)
        var documented: Set<String> = []
        for (path, item) in paths {
            for method in item.objectValue?.keys ?? [] { documented.insert("\(method.uppercased()) \(path)") }
        }
        let routed = Set(APIRoutes.endpoints.map { "\($0.method) \($0.path)" })
        #expect(routed.count == APIRoutes.endpoints.count, "a route is registered twice")
        #expect(documented == routed)
        for (path, item) in paths {
            for (_, operation) in item.objectValue ?? [:] {
                let isPublic = operation["security"]?.arrayValue?.isEmpty == true
                let method = item.objectValue!.first { $0.value == operation }!.key.uppercased()
                #expect(isPublic == APIRoutes.publicEndpoints.contains("\(method) \(path)"), "\(method) \(path)")
            }
        }
        try await ServerHarness.run(backend: backend) { _, client in
            let served = try await client.call(.get, "/api/v1/openapi.json")
            #expect(served.status == 200 && served.json == document)
            #expect(try await client.call(.get, "/healthz").json == ["status": "ok"])
        }
    }
}

/// The first start of a server on an empty store.
@Suite("Server bootstrap")
struct ServerBootstrapTests {
    @Test func firstStartGeneratesAPasswordWhenNoneIsGiven() async throws {
        try await StoreBackend.sqlite.withFreshStore { store in
            let password = try #require(try await ServerBootstrap.ensureAdmin(store: store, environment: [:], bcryptCost: 4))
            let admin = try await store.user(named: "admin")
            #expect(admin.role == .manager && Credentials.verifyPassword(password, hash: admin.passwordHash))
            #expect(try await ServerBootstrap.ensureAdmin(store: store, environment: [:], bcryptCost: 4) == nil)
        }
    }
}
