import Foundation
import Testing
import WeftTesting

/// Runs every flow in `Examples/` with `weft run --out` and compares the files it writes with the
/// golden files in the example's `expected/` directory. `WEFT_UPDATE_GOLDEN=1` rewrites them.
struct ExampleTests {
    static let examples = WeftProcess.packageRoot.appendingPathComponent("Examples")

    static var flows: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
        return names.sorted().filter {
            FileManager.default.fileExists(atPath: examples.appendingPathComponent("\($0)/expected").path)
        }
    }

    @Test func everyExampleHasGoldenFiles() {
        #expect(Self.flows.count >= 3, "examples with expected/: \(Self.flows)")
    }

    @Test(arguments: flows)
    func exampleMatchesGoldenFiles(_ name: String) throws {
        let directory = Self.examples.appendingPathComponent(name)
        let flow = ["flow.json", "flow.yaml"].map { directory.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
        let flowFile = try #require(flow)
        let work = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let out = work.appendingPathComponent("out")
        let result = try WeftProcess.run(["run", flowFile.path, "--out", out.path, "--data", work.appendingPathComponent("data").path])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = directory.appendingPathComponent("expected")
        let produced = out.appendingPathComponent("local/none")
        if ProcessInfo.processInfo.environment["WEFT_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(at: expected)
            try FileManager.default.copyItem(at: produced, to: expected)
            return
        }
        let goldenFiles = try FileManager.default.contentsOfDirectory(atPath: expected.path).sorted()
        let producedFiles = try FileManager.default.contentsOfDirectory(atPath: produced.path).sorted()
        #expect(goldenFiles == producedFiles)
        for file in goldenFiles {
            let want = try Data(contentsOf: expected.appendingPathComponent(file))
            let got = try? Data(contentsOf: produced.appendingPathComponent(file))
            #expect(got == want, "\(name)/\(file) differs from its golden file")
        }
    }
}
