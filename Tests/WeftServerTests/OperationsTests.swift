import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeftEngine
import WeftModel
import WeftServer

@Suite("Audit log, metrics, the flows list")
struct OperationsTests {
    @Test func changesAndRefusalsAreAuditedButReadsAreNot() async throws {
        try await ServerHarness.run { harness, client in
            let (dev, token) = try await harness.user("dev", .developer)
            let (_, reader) = try await harness.user("reader", .reader)
            let (_, manager) = try await harness.user("boss", .manager)
            #expect(try await client.call(.post, "/api/v1/login", json: ["username": "dev", "password": "wrong"]).status == 401)
            _ = try await client.login("dev", "password-dev")
            let created = try await client.call(.post, "/api/v1/flows", token: token, json: sampleFlow())
            let flowId = try #require(created.json["flow"]?["id"]?.stringValue)
            _ = try await client.call(.get, "/api/v1/flows/\(flowId)", token: token)
            #expect(try await client.call(.delete, "/api/v1/flows/\(flowId)", token: reader).status == 403)
            #expect(try await client.call(.get, "/api/v1/audit", token: reader).status == 403)

            let audit = try await client.call(.get, "/api/v1/audit", token: manager)
            #expect(audit.status == 200)
            let entries = try #require(audit.json["entries"]?.arrayValue)
            let lines = entries.reversed().map {
                "\($0["actorName"]?.stringValue ?? "-") \($0["action"]?.stringValue ?? "") \($0["status"]?.intValue ?? 0)"
            }
            #expect(lines == [
                "dev login 401", "dev login 200", "dev POST /api/v1/flows 201",
                "reader DELETE /api/v1/flows/{id} 403",
            ])
            let save = try #require(entries.first { $0["action"] == "POST /api/v1/flows" })
            #expect(save["actorId"] == .string(dev.id))
            #expect(entries.contains { $0["target"] == .string("/api/v1/flows/\(flowId)") })
            #expect(!audit.json.serialized().contains("password"))
            let page = try await client.call(.get, "/api/v1/audit?limit=2&before=3", token: manager)
            #expect(page.json["entries"]?.arrayValue?.compactMap { $0["sequence"]?.intValue } == [2, 1])
        }
    }

    @Test func metricsCountRequestsRunsAndSteps() async throws {
        try await ServerHarness.run { harness, client in
            let (_, token) = try await harness.user("dev", .developer)
            let (_, admin) = try await harness.user("ada", .admin)
            let created = try await client.call(.post, "/api/v1/flows", token: token, json: sampleFlow())
            let flowId = try #require(created.json["flow"]?["id"]?.stringValue)
            _ = try await client.call(.post, "/api/v1/flows/\(flowId)/runs", token: token, json: [:])
            await harness.server.waitForRuns()
            #expect(try await client.call(.get, "/metrics", token: token).status == 403)
            let text = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(admin)"]) {
                ($0.headers[.contentType], String(buffer: $0.body))
            }
            #expect(text.0?.hasPrefix("text/plain; version=0.0.4") == true)
            let body = text.1
            #expect(body.contains("weft_http_requests_total{method=\"POST\",route=\"/api/v1/flows\",status=\"201\"} 1"))
            #expect(body.contains("weft_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"403\"} 1"))
            #expect(body.contains("weft_runs_started_total{trigger=\"manual\"} 1"))
            #expect(body.contains("weft_executions_finished_total{status=\"success\"} 1"))
            #expect(body.contains("weft_step_duration_seconds_count{node_type=\"filter\",status=\"success\"} 1"))
            #expect(body.contains("weft_step_duration_seconds_bucket{node_type=\"filter\",status=\"success\",le=\"+Inf\"} 1"))
            #expect(body.contains("# TYPE weft_runs_in_progress gauge\nweft_runs_in_progress 0"))
        }
    }

    @Test func theFlowsListShowsRecentExecutionsAndFilters() async throws {
        try await ServerHarness.run { harness, client in
            let (_, token) = try await harness.user("dev", .developer)
            var flowIds: [String] = []
            for (name, category) in [("Public RDS", "database"), ("Open SGs", "network"), ("RDS snapshots", "database")] {
                var document = sampleFlow(name: name, tags: ["team-a"]).objectValue ?? [:]
                document["categories"] = [.string(category)]
                let created = try await client.call(.post, "/api/v1/flows", token: token, json: .object(document))
                flowIds.append(try #require(created.json["flow"]?["id"]?.stringValue))
            }
            for _ in 0..<4 { _ = try await client.call(.post, "/api/v1/flows/\(flowIds[0])/runs", token: token, json: [:]) }
            await harness.server.waitForRuns()

            let all = try await client.call(.get, "/api/v1/flows", token: token)
            #expect(all.json["total"] == 3)
            let first = try #require(all.json["flows"]?.arrayValue?.first { $0["id"] == .string(flowIds[0]) })
            #expect(first["lastExecutions"]?.arrayValue?.count == 3)
            #expect(first["lastStatus"] == "success")
            #expect(first["lastExecutedAt"]?.stringValue != nil)
            #expect(first["deployed"] == false && first["controls"] == [])
            let idle = try #require(all.json["flows"]?.arrayValue?.first { $0["id"] == .string(flowIds[1]) })
            #expect(idle["lastExecutions"] == [] && idle["lastExecutedAt"] == .null)

            let names = { (reply: Reply) in reply.json["flows"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [] }
            #expect(names(try await client.call(.get, "/api/v1/flows?q=rds", token: token)) == ["Public RDS", "RDS snapshots"])
            #expect(names(try await client.call(.get, "/api/v1/flows?category=network", token: token)) == ["Open SGs"])
            #expect(names(try await client.call(.get, "/api/v1/flows?tag=none", token: token)).isEmpty)
            let categories = try await client.call(.get, "/api/v1/flows/categories", token: token)
            #expect(categories.json["categories"] == [["name": "database", "flows": 2], ["name": "network", "flows": 1]])
            let tags = try await client.call(.get, "/api/v1/flows/tags", token: token)
            #expect(tags.json["tags"] == [["name": "team-a", "flows": 3]])
        }
    }

    @Test func theDiffOfTwoVersionsNamesWhatChanged() async throws {
        try await ServerHarness.run { harness, client in
            let (_, token) = try await harness.user("dev", .developer)
            let (_, stranger) = try await harness.user("dev2", .developer)
            let created = try await client.call(.post, "/api/v1/flows", token: token, json: sampleFlow())
            let flowId = try #require(created.json["flow"]?["id"]?.stringValue)
            var changed = sampleFlow(name: "Hosts, renamed").objectValue ?? [:]
            changed["variables"] = [["name": "pattern", "type": "string", "value": "^db"]]
            #expect(try await client.call(.put, "/api/v1/flows/\(flowId)", token: token, json: .object(changed)).status == 200)

            let diff = try await client.call(.get, "/api/v1/flows/\(flowId)/diff", token: token)
            #expect(diff.status == 200)
            #expect(diff.json["from"] == 1 && diff.json["to"] == 2)
            #expect(diff.json["changes"] == [
                ["change": "replaced", "path": "/name", "before": "Hosts", "after": "Hosts, renamed"],
                ["change": "replaced", "path": "/variables/pattern/value", "before": "^web", "after": "^db"],
            ])
            #expect(try await client.call(.get, "/api/v1/flows/\(flowId)/diff?from=2&to=2", token: token).json["changes"] == [])
            #expect(try await client.call(.get, "/api/v1/flows/\(flowId)/diff?from=3", token: token).status == 400)
            #expect(try await client.call(.get, "/api/v1/flows/\(flowId)/diff", token: stranger).status == 403)
        }
    }

    @Test func failedLoginsFromOneAddressAreThrottledWhateverTheNames() async throws {
        try await ServerHarness.run(configure: { $0.maxLoginFailuresPerAddress = 3 }) { harness, client in
            let (_, manager) = try await harness.user("boss", .manager)
            for name in ["ann", "bob", "cy"] {
                #expect(try await client.call(.post, "/api/v1/login", json: ["username": .string(name), "password": "x"]).status == 401)
            }
            let refused = try await client.call(.post, "/api/v1/login", json: ["username": "boss", "password": "password-boss"])
            #expect(refused.status == 429)
            #expect(refused.headers[.retryAfter] != nil)
            let entries = try await client.call(.get, "/api/v1/audit", token: manager).json["entries"]?.arrayValue ?? []
            #expect(entries.first?["details"]?["reason"] == "throttled")
            #expect(entries.first?["details"]?["remote"] == "127.0.0.1")
        }
    }

    @Test func rolesDescribeTheRoleTable() async throws {
        try await ServerHarness.run { harness, client in
            let (_, token) = try await harness.user("reader", .reader)
            let roles = try await client.call(.get, "/api/v1/roles", token: token).json["roles"]?.arrayValue ?? []
            let byName = Dictionary(uniqueKeysWithValues: roles.compactMap { role in role["role"]?.stringValue.map { ($0, role) } })
            #expect(byName.keys.sorted() == Role.allCases.map(\.rawValue).sorted())
            #expect(byName["developer"]?["onOwnFlows"] == ["read", "edit", "delete", "run"])
            #expect(byName["developer"]?["onOtherFlows"] == [])
            #expect(byName["powerDeveloper"]?["onOwnFlows"] == ["read", "edit", "delete", "run", "deploy"])
            #expect(byName["deployer"]?["onFlowsWithTheirTags"] == ["read", "run", "deploy"])
            #expect(byName["reader"]?["onFlowsWithTheirTags"] == ["read"])
            #expect(byName["reader"]?["createsFlows"] == false)
            #expect(byName["admin"]?["grantsByRole"] == ["export", "import", "clone"])
            #expect(byName["admin"]?["managesUsers"] == false && byName["manager"]?["managesUsers"] == true)
        }
    }
}
