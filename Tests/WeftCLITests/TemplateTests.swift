import Foundation
import Testing
import WeftModel
import WeftTesting

/// `weft templates`, and every shipped template run on recorded API output: each folder under
/// `Fixtures/templates/NAME/` holds `pins/NODE.json` (recorded items standing in for the template's
/// cloud nodes) and `expected/` golden files. `WEFT_UPDATE_GOLDEN=1` rewrites the golden files.
struct TemplateTests {
    static let fixtures = WeftProcess.packageRoot.appendingPathComponent("Tests/WeftCLITests/Fixtures/templates")
    static let names = ["public-rds-instances", "security-groups-outside-ips"]

    @Test func listsTheShippedTemplates() async throws {
        let result = try await WeftProcess.run(["templates"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("public-rds-instances") && result.stdout.contains("Publicly accessible RDS DB instances"))
        #expect(result.stdout.contains("security-groups-outside-ips") && result.stdout.contains("Security Groups allowing outside IPs"))
        let json = try JSON.parse(try await WeftProcess.run(["templates", "--json"]).stdout)
        #expect(json.arrayValue?.compactMap { $0["name"]?.stringValue } == Self.names)
    }

    @Test func unknownTemplateIsAnInputError() async throws {
        let result = try await WeftProcess.run(["templates", "no-such-template"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown template 'no-such-template'") && result.stderr.contains("public-rds-instances"))
    }

    @Test(arguments: names)
    func templateValidates(_ name: String) async throws {
        let work = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let file = try await save(name, in: work)
        let result = try await WeftProcess.run(["validate", file.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test(arguments: names)
    func templateGivesTheExpectedFindingsOnRecordedData(_ name: String) async throws {
        let work = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let file = try await save(name, in: work)
        let directory = Self.fixtures.appendingPathComponent(name)
        let pins = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("pins").path).sorted()
        #expect(!pins.isEmpty)
        let out = work.appendingPathComponent("out")
        var arguments = ["run", file.path, "--out", out.path, "--data", work.appendingPathComponent("data").path, "--json"]
        for pin in pins {
            arguments += ["--pin", "\(pin.replacingOccurrences(of: ".json", with: ""))=\(directory.appendingPathComponent("pins/\(pin)").path)"]
        }
        let result = try await WeftProcess.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let expected = directory.appendingPathComponent("expected")
        let produced = out.appendingPathComponent("local/none")
        if ProcessInfo.processInfo.environment["WEFT_UPDATE_GOLDEN"] == "1" {
            for file in try FileManager.default.contentsOfDirectory(atPath: expected.path) {
                try Data(contentsOf: produced.appendingPathComponent(file)).write(to: expected.appendingPathComponent(file))
            }
            return
        }
        let golden = try FileManager.default.contentsOfDirectory(atPath: expected.path).sorted()
        #expect(!golden.isEmpty)
        for file in golden {
            let want = try Data(contentsOf: expected.appendingPathComponent(file))
            let got = try? Data(contentsOf: produced.appendingPathComponent(file))
            #expect(got == want, "\(name)/\(file) differs from its golden file")
        }
    }

    /// Writes `weft templates NAME` to a file in `directory`.
    private func save(_ name: String, in directory: URL) async throws -> URL {
        let result = try await WeftProcess.run(["templates", name])
        try #require(result.status == 0, "\(result.stderr)")
        let file = directory.appendingPathComponent("\(name).yaml")
        try Data(result.stdout.utf8).write(to: file)
        return file
    }
}
