import Foundation
import Hummingbird
import Testing
import WeftEngine
import WeftModel
import WeftServer
import WeftTesting

@Suite("Access by role")
struct AccessTests {
    @Test(
        "the role table as decisions",
        arguments: [
            // role, action, owns, tagged, allowed
            (Role.manager, FlowAction.deploy, false, false, true),
            (.admin, .delete, false, false, true),
            (.powerDeveloper, .deploy, true, false, true),
            (.powerDeveloper, .read, false, true, false),
            (.developer, .edit, true, false, true),
            (.developer, .deploy, true, false, false),
            (.developer, .read, false, true, false),
            (.deployer, .run, false, true, true),
            (.deployer, .deploy, false, true, true),
            (.deployer, .edit, false, true, false),
            (.deployer, .read, false, false, false),
            (.reader, .read, false, true, true),
            (.reader, .run, false, true, false),
            (.reader, .read, true, false, false),
        ])
    func policy(_ role: Role, _ action: FlowAction, _ owns: Bool, _ tagged: Bool, _ allowed: Bool) {
        let user = UserRecord(id: "u", name: "u", role: role, tags: ["team-a"], createdAt: Date())
        let decision = AccessPolicy.allows(
            user, action, owner: owns ? "u" : "someone", tags: tagged ? ["team-a", "x"] : ["team-b"])
        #expect(decision == allowed)
    }

    /// Every flow route × every role, against a live server; denied calls are 403 and change nothing.
    @Test(arguments: StoreBackend.allCases)
    func routesEnforceTheRoleTable(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let (cookie, csrf) = try await client.login("admin", ServerHarness.adminPassword)
            let managerToken = try #require(
                try await client.call(.post, "/api/v1/tokens", cookie: cookie, csrf: csrf, json: ["name": "t"])
                    .json["secret"]?.stringValue)
            var issued: [String: String] = ["manager": managerToken]
            for (name, role, tags) in [
                ("admin2", Role.admin, [String]()), ("pdev", .powerDeveloper, []), ("dev", .developer, []),
                ("dev2", .developer, []), ("deployerA", .deployer, ["team-a"]), ("deployerB", .deployer, ["team-b"]),
                ("readerA", .reader, ["team-a"]), ("readerB", .reader, ["team-b"]),
            ] {
                issued[name] = try await harness.user(name, role, tags: tags).1
            }
            let tokens = issued
            let created = try await client.call(
                .post, "/api/v1/flows", token: tokens["dev"], json: sampleFlow(name: "Dev's", tags: ["team-a"]))
            #expect(created.status == 201)
            let flowId = try #require(created.json["flow"]?["id"]?.stringValue)
            #expect(created.json["flow"]?["owner"] == "usr_dev")

            let everyone = ["manager", "admin2", "pdev", "dev", "dev2", "deployerA", "deployerB", "readerA", "readerB"]
            func expectStatuses(
                _ method: HTTPRequest.Method, _ path: String, body: JSON? = nil, allowed: Set<String>, status: Int,
                sourceLocation: SourceLocation = #_sourceLocation
            ) async throws {
                for who in everyone {
                    let reply = try await client.call(method, path, token: tokens[who], json: body)
                    let expected = allowed.contains(who) ? status : 403
                    #expect(
                        reply.status == expected, "\(who) \(method) \(path): \(reply.status) \(reply.json.serialized())",
                        sourceLocation: sourceLocation)
                    if reply.status == 403 { #expect(reply.errorCode == "forbidden", sourceLocation: sourceLocation) }
                }
            }
            let readers: Set = ["manager", "admin2", "dev", "deployerA", "readerA"]
            try await expectStatuses(.get, "/api/v1/flows/\(flowId)", allowed: readers, status: 200)
            try await expectStatuses(.get, "/api/v1/flows/\(flowId)/versions", allowed: readers, status: 200)
            try await expectStatuses(.get, "/api/v1/flows/\(flowId)/versions/1", allowed: readers, status: 200)
            try await expectStatuses(
                .put, "/api/v1/flows/\(flowId)", body: sampleFlow(name: "Dev's", tags: ["team-a"]),
                allowed: ["manager", "admin2", "dev"], status: 200)
            try await expectStatuses(
                .post, "/api/v1/flows/\(flowId)/runs", body: [:], allowed: ["manager", "admin2", "dev", "deployerA"],
                status: 202)
            try await expectStatuses(
                .post, "/api/v1/flows", body: sampleFlow(), allowed: ["manager", "admin2", "pdev", "dev", "dev2"],
                status: 201)
            try await expectStatuses(.get, "/api/v1/flows/\(flowId)/runs", allowed: readers, status: 200)
            try await expectStatuses(.get, "/api/v1/users", allowed: ["manager"], status: 200)
            try await expectStatuses(
                .patch, "/api/v1/users/usr_readerB", body: ["tags": ["team-b"]], allowed: ["manager"], status: 200)
            try await expectStatuses(.get, "/api/v1/node-types", allowed: Set(everyone), status: 200)
            let usersBefore = try await harness.store.users().count
            for who in everyone where who != "manager" {
                let reply = try await client.call(
                    .post, "/api/v1/users", token: tokens[who],
                    json: ["name": .string("x-\(who)"), "role": "manager", "password": "long-enough"])
                #expect(reply.status == 403)
            }
            #expect(try await harness.store.users().count == usersBefore)
            for who in ["pdev", "dev2", "deployerA", "deployerB", "readerA", "readerB"] {
                #expect(try await client.call(.delete, "/api/v1/flows/\(flowId)", token: tokens[who]).status == 403)
            }

            // Denied writes changed nothing: one version from the create plus one per allowed PUT.
            #expect(try await harness.store.flow(id: flowId).latestVersion == 4)
            let runs = try await harness.store.runs(flowId: flowId, limit: 100)
            #expect(runs.count == 4)

            let listedByB = try await client.call(.get, "/api/v1/flows", token: tokens["readerB"])
            #expect(listedByB.json["flows"]?.arrayValue?.count == 0)
            let listedByA = try await client.call(.get, "/api/v1/flows", token: tokens["readerA"])
            #expect(listedByA.json["flows"]?.arrayValue?.map { $0["id"] } == [.string(flowId)])

            let runId = try #require(runs.first?.id)
            #expect(try await client.call(.get, "/api/v1/runs/\(runId)", token: tokens["readerA"]).status == 200)
            #expect(try await client.call(.get, "/api/v1/runs/\(runId)", token: tokens["readerB"]).status == 403)
            #expect(try await client.call(.get, "/api/v1/runs/\(runId)", token: tokens["pdev"]).status == 403)

            await harness.server.waitForRuns()
            #expect(try await client.call(.delete, "/api/v1/flows/\(flowId)", token: tokens["dev"]).status == 204)
            #expect(try await client.call(.get, "/api/v1/flows/\(flowId)", token: tokens["dev"]).status == 404)
        }
    }
}
