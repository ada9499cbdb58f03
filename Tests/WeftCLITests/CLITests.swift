import Foundation
import Testing
import WeftModel
import WeftTesting

struct CLITests {
    static let fixtures = WeftProcess.packageRoot.appendingPathComponent("Tests/WeftCLITests/Fixtures")

    @Test func validateReportsEveryMistakeWithNodeIdAndPointer() async throws {
        let result = try await WeftProcess.run(["validate", Self.fixtures.appendingPathComponent("five-mistakes.json").path])
        #expect(result.status == 2)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let expected: [(node: String, pointer: String, words: String)] = [
            ("node-aaaa0001-data", "/nodes/1/colour", "unknown key 'colour'"),
            ("node-aaaa0004-joiner", "/edges/4/to", "unknown node 'node-ghost'"),
            ("node-aaaa0002-filter", "/nodes/2/params/conditions/0/key", "JSONPath"),
            ("node-aaaa0003-formatter", "/nodes/3/params/fields/0/value", "missing"),
            ("node-aaaa0004-joiner", "/nodes/4/params/right/node", "node-nope-data"),
        ]
        #expect(lines.count == expected.count, "\(result.stdout)")
        for mistake in expected {
            #expect(lines.contains { $0.contains("five-mistakes.json") && $0.contains("node '\(mistake.node)'")
                && $0.contains(mistake.pointer) && $0.contains(mistake.words) },
                    "no line for \(mistake) in:\n\(result.stdout)")
        }
    }

    @Test func malformedJSONGivesLineAndColumn() async throws {
        let result = try await WeftProcess.run(["validate", Self.fixtures.appendingPathComponent("malformed.json").path])
        #expect(result.status == 2)
        #expect(result.stdout.contains("malformed.json:5:22"), "\(result.stdout)")
    }

    @Test func aFailingNodeEndsTheRunFailedWithTheNodeIdInTheJSONSummary() async throws {
        let dir = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await WeftProcess.run(["run", Self.fixtures.appendingPathComponent("secret.json").path,
                                          "--var", "pattern=(unclosed", "--json", "--data", dir.path])
        #expect(result.status == 1, "\(result.stderr)")
        let summary = try JSON.parse(result.stdout)
        #expect(summary["status"] == "failed")
        let execution = try #require(summary["executions"]?.arrayValue?.first)
        #expect(execution["error"]?["nodeId"] == "node-0000cccc-filter")
        #expect(execution["error"]?["message"]?.stringValue?.contains("c1") == true)
        let step = execution["steps"]?.arrayValue?.first { $0["node"] == "node-0000cccc-filter" }
        #expect(step?["status"] == "failed")
        #expect(step?["error"]?["nodeId"] == "node-0000cccc-filter")
    }

    @Test func secretsNeverReachTheJournalOrTheOutputFiles() async throws {
        let secret = "s3cr3t-t0ken-4f1d9c"
        let dir = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data"), out = dir.appendingPathComponent("out")
        let result = try await WeftProcess.run(["run", Self.fixtures.appendingPathComponent("secret.json").path,
                                          "--data", data.path, "--out", out.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
        var scanned = 0
        for root in [data, out] {
            let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
            for file in files where !file.hasDirectoryPath {
                let bytes = try Data(contentsOf: file)
                scanned += 1
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "the secret is in \(file.path)")
            }
        }
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("weft.sqlite").path))
        let formatted = try String(contentsOf: out.appendingPathComponent("local/none/node-0000bbbb-formatter.json"), encoding: .utf8)
        #expect(formatted.contains("Bearer *****"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("local/none/hosts.csv").path))
        #expect(scanned >= 5)
    }

    @Test func nodesPrintsTheCatalog() async throws {
        let result = try await WeftProcess.run(["nodes", "--json"])
        #expect(result.status == 0)
        let catalog = try JSON.parse(result.stdout).arrayValue ?? []
        let types = catalog.compactMap { $0["type"]?.stringValue }
        for type in ["trigger", "data", "filter", "formatter", "joiner", "loop", "report"] {
            #expect(types.contains(type))
        }
        let filter = try await WeftProcess.run(["nodes", "filter"])
        #expect(filter.status == 0)
        #expect(filter.stdout.contains("conditions"))
        #expect(try await WeftProcess.run(["nodes", "nope"]).status == 2)
    }

    @Test func invalidInputExitsTwo() async throws {
        let flow = Self.fixtures.appendingPathComponent("secret.json").path
        #expect(try await WeftProcess.run(["run", flow, "--var", "undeclared=1"]).status == 2)
        #expect(try await WeftProcess.run(["run", flow, "--target", "prod-aws"]).status == 2)
        #expect(try await WeftProcess.run(["run", Self.fixtures.appendingPathComponent("five-mistakes.json").path]).status == 2)
    }
}

struct CLITargetTests {
    @Test func aRunFansOutOverTheTargetsOfAConnectorsFile() async throws {
        let dir = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let flow = CLITests.fixtures.appendingPathComponent("secret.json").path
        let connectors = CLITests.fixtures.appendingPathComponent("connectors.yaml").path
        let out = dir.appendingPathComponent("out")
        let all = try await WeftProcess.run(["run", flow, "--connectors", connectors, "--target", "demo-aws", "--json",
                                       "--data", dir.appendingPathComponent("data").path, "--out", out.path])
        #expect(all.status == 0, "\(all.stderr)")
        let summary = try JSON.parse(all.stdout)
        let executions = summary["executions"]?.arrayValue ?? []
        #expect(executions.map { $0["region"] } == ["us-east-1", "eu-west-2"])
        #expect(executions.allSatisfy { $0["connector"] == "demo-aws" && $0["accountId"] == "123456789012" })
        for region in ["us-east-1", "eu-west-2"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("demo-aws/\(region)/hosts.csv").path))
        }
        for secret in ["s3cr3t-k3y-value", "b34r3r-t0k3n"] {
            #expect(!all.stdout.contains(secret) && !all.stderr.contains(secret))
        }

        let one = try await WeftProcess.run(["run", flow, "--connectors", connectors, "--target", "demo-aws:ap-south-1", "--json",
                                       "--data", dir.appendingPathComponent("data").path])
        #expect(one.status == 0, "\(one.stderr)")
        #expect((try JSON.parse(one.stdout))["executions"]?.arrayValue?.map { $0["region"] } == ["ap-south-1"])

        let unknown = try await WeftProcess.run(["run", flow, "--connectors", connectors, "--target", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown connector 'nope'"))
    }
}
