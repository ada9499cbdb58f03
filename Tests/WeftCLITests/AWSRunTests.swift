import Foundation
import Testing
import WeftEngine
import WeftModel
import WeftStore
import WeftTesting

/// `weft run` against a real moto server on 127.0.0.1: the shipped templates on a seeded estate, a
/// fault-injecting proxy, wrong credentials, and validation of AWS node parameters.
@Suite("AWS runs against moto", .serialized)
struct AWSRunTests {
    static let fixtures = WeftProcess.packageRoot.appendingPathComponent("Tests/WeftCLITests/Fixtures/aws")

    struct Expected: Decodable {
        var outsideGroups: [String]
        var publicDbInstances: [String]
        var groups: Int
        var dbInstances: Int
    }

    /// Seeds moto at `endpoint` and returns what the templates must flag, by region.
    static func seed(_ endpoint: String, regions: [String], groups: Int, dbInstances: Int, seed: Int) async throws -> [String: Expected] {
        let data = try await offThePool { try seedBlocking(endpoint, regions: regions, groups: groups, dbInstances: dbInstances, seed: seed) }
        return try JSONDecoder().decode([String: Expected].self, from: data)
    }

    private static func seedBlocking(_ endpoint: String, regions: [String], groups: Int, dbInstances: Int, seed: Int) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", fixtures.appendingPathComponent("seed_estate.py").path, endpoint,
                             regions.joined(separator: ","), String(groups), String(dbInstances), String(seed)]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw LoopbackProcessError(description: "seeding failed: \(String(decoding: errors, as: UTF8.self))") }
        return data
    }

    static func connectorsFile(in directory: URL, endpoint: String, regions: [String], key: String = "testing",
                               secret: String = "testing") throws -> URL {
        let file = directory.appendingPathComponent("connectors.yaml")
        try Data("""
            connectors:
              - name: moto
                provider: aws
                accountId: "123456789012"
                regions: [\(regions.joined(separator: ", "))]
                endpoint: \(endpoint)
                credentials: {accessKeyId: \(key), secretAccessKey: \(secret)}
            """.utf8).write(to: file)
        return file
    }

    static func template(_ name: String, in directory: URL) async throws -> URL {
        let result = try await WeftProcess.run(["templates", name])
        try #require(result.status == 0)
        let file = directory.appendingPathComponent("\(name).yaml")
        try Data(result.stdout.utf8).write(to: file)
        return file
    }

    /// The resource ids a control's findings file lists as FAIL, sorted.
    static func failed(_ file: URL) throws -> [String] {
        let findings = try JSON.parse(String(contentsOf: file, encoding: .utf8)).arrayValue ?? []
        return findings.filter { $0["result"] == "FAIL" }.compactMap { $0["resourceId"]?.stringValue }.sorted()
    }

    /// Runs both templates and checks their findings against `expected`; returns the data directory.
    static func runTemplates(connectors: URL, regions: [String], expected: [String: Expected], work: URL,
                             environment: [String: String] = [:]) async throws -> URL {
        let data = work.appendingPathComponent("data")
        for (name, control, resource) in [("security-groups-outside-ips", "outside-ips", "security-groups"),
                                          ("public-rds-instances", "public-db-instances", "db-instances")] {
            let out = work.appendingPathComponent("out-\(name)")
            let result = try await WeftProcess.run(["run", try template(name, in: work).path, "--connectors", connectors.path,
                                              "--target", "moto", "--json", "--out", out.path, "--data", data.path],
                                             environment: environment)
            #expect(result.status == 0, "\(name): \(result.stderr)")
            let summary = try JSON.parse(result.stdout)
            let executions = summary["executions"]?.arrayValue ?? []
            #expect(executions.compactMap { $0["region"]?.stringValue }.sorted() == regions.sorted(), "one execution per connector × region")
            for execution in executions {
                let region = try #require(execution["region"]?.stringValue)
                let want = try #require(expected[region])
                #expect(execution["status"] == "success")
                let flagged = try failed(out.appendingPathComponent("moto/\(region)/\(control).json"))
                let resources = execution["steps"]?.arrayValue?.first { $0["node"] == .string(resource) }?["items"]?["main"]?.intValue
                if name == "public-rds-instances" {
                    #expect(flagged == want.publicDbInstances, "\(region)")
                    #expect(resources == Int64(want.dbInstances))
                } else {
                    #expect(flagged == want.outsideGroups, "\(region)")
                    #expect(resources == Int64(want.groups))
                }
            }
        }
        return data
    }

    @Test("both templates flag exactly the seeded resources in every region")
    func templatesOnASeededEstate() async throws {
        let moto = try await MotoServer.start()
        let regions = ["us-east-1", "eu-west-2"]
        let expected = try await Self.seed(moto.url, regions: regions, groups: 150, dbInstances: 105, seed: 7)
        #expect(expected.values.allSatisfy { !$0.outsideGroups.isEmpty && !$0.publicDbInstances.isEmpty })
        let work = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        _ = try await Self.runTemplates(connectors: try Self.connectorsFile(in: work, endpoint: moto.url, regions: regions),
                                  regions: regions, expected: expected, work: work)
    }

    @Test("throttling and 5xx from a proxy are retried: same findings, retries in the journal")
    func faultsAreRetried() async throws {
        let moto = try await MotoServer.start()
        let expected = try await Self.seed(moto.url, regions: ["eu-central-1"], groups: 40, dbInstances: 12, seed: 3)
        let proxy = try await LoopbackProcess.start(executable: "python3",
                                        arguments: [Self.fixtures.appendingPathComponent("fault_proxy.py").path, "{port}", moto.url, "0.5"],
                                        readyPath: "/__faults")
        let work = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let data = try await Self.runTemplates(connectors: try Self.connectorsFile(in: work, endpoint: proxy.url, regions: ["eu-central-1"]),
                                         regions: ["eu-central-1"], expected: expected, work: work,
                                         environment: ["AWS_MAX_ATTEMPTS": "10"])
        let faults = try JSON.parse(String(decoding: try LoopbackProcess.get(proxy.url + "/__faults"), as: UTF8.self))
        #expect((faults["count"]?.intValue ?? 0) > 0)

        let store = try await SQLStore.openSQLite(path: data.appendingPathComponent("weft.sqlite").path)
        var retries: [String] = []
        for run in try await store.runs(flowId: nil, limit: 10) {
            for execution in try await store.executions(runId: run.id) {
                for step in try await store.steps(executionId: execution.id) { retries += step.logs.filter { $0.hasPrefix("retry:") } }
            }
        }
        try await store.close()
        #expect(!retries.isEmpty, "the journal records the retries")
        #expect(retries.contains { $0.contains("throttled") || $0.contains("transient") })
    }

    @Test("wrong credentials fail the execution with AWS's error code, and the secret is printed nowhere")
    func wrongCredentials() async throws {
        let moto = try await MotoServer.start(environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "0"])
        let secret = "wJalrXUtnFEMI-weft-test-secret-93c1"
        let work = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let connectors = try Self.connectorsFile(in: work, endpoint: moto.url, regions: ["us-east-1"], key: "AKIAWEFTTESTWRONGKEY", secret: secret)
        let out = work.appendingPathComponent("out"), data = work.appendingPathComponent("data")
        let result = try await WeftProcess.run(["run", try Self.template("security-groups-outside-ips", in: work).path, "--connectors", connectors.path,
                                          "--target", "moto", "--json", "--out", out.path, "--data", data.path])
        #expect(result.status == 1)
        let execution = try JSON.parse(result.stdout)["executions"]?[0]
        #expect(execution?["status"] == "failed")
        let code = execution?["error"]?["code"]?.stringValue ?? ""
        #expect(["AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException"].contains(code), "error: \(String(describing: execution?["error"]))")
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
        var leaked: [String] = []
        for directory in [out, data] {
            guard let files = FileManager.default.enumerator(atPath: directory.path) else { continue }
            for case let file as String in files {
                let bytes = (try? Data(contentsOf: directory.appendingPathComponent(file))) ?? Data()
                if bytes.range(of: Data(secret.utf8)) != nil { leaked.append(file) }
            }
        }
        #expect(leaked.isEmpty, "the secret appears in \(leaked)")
    }

    @Test("bad AWS node parameters are validation errors naming node and field", arguments: [
        (["service": "ec3", "operation": "DescribeInstances"], "/params/service", "unknown AWS service 'ec3'"),
        (["service": "rds", "operation": "DescribeDBInstance"], "/params/operation", "rds has no operation 'DescribeDBInstance'"),
        (["service": "rds", "operation": "DescribeDBSnapshotAttributes"], "/params/parameters", "DBSnapshotIdentifier"),
        (["service": "rds", "operation": "DescribeDBInstances", "parameters": ["MaxRecords": "many"]], "/params/parameters/MaxRecords", "integer"),
        (["service": "ec2", "operation": "TerminateInstances"], "/params/operation", "not a read operation"),
        (["service": "rds", "operation": "DescribeDBInstances", "addons": ["Subnets"]], "/params/addons/0", "no addon 'Subnets'"),
    ] as [(JSON, String, String)])
    func badParameters(params: JSON, pointer: String, message: String) async throws {
        let work = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let flow: JSON = [
            "weft": 1, "name": "bad aws params",
            "nodes": [["id": "trigger", "type": "trigger", "params": [:]], ["id": "resources", "type": "aws.resource", "params": params]],
            "edges": [["from": "trigger", "to": "resources"]],
        ]
        let file = work.appendingPathComponent("flow.json")
        try Data(flow.serialized(pretty: true).utf8).write(to: file)
        let result = try await WeftProcess.run(["validate", file.path])
        #expect(result.status == 2)
        let output = result.stdout + result.stderr
        #expect(output.contains("resources") && output.contains(pointer) && output.contains(message), "\(output)")
    }
}
