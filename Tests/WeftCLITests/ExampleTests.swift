import Foundation
import Testing
import WeftTesting

/// Runs every flow in `Examples/` with `weft run --out` and compares the files it writes with the
/// golden files in the example's `expected/` directory (a chosen subset of what the run writes: large
/// intermediate outputs are left out). `WEFT_UPDATE_GOLDEN=1` rewrites the golden files that exist.
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
    func exampleMatchesGoldenFiles(_ name: String) async throws {
        let directory = Self.examples.appendingPathComponent(name)
        let flow = ["flow.json", "flow.yaml"].map { directory.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
        let flowFile = try #require(flow)
        let work = try WeftProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let out = work.appendingPathComponent("out")
        let result = try await WeftProcess.run(["run", flowFile.path, "--out", out.path, "--data", work.appendingPathComponent("data").path])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = directory.appendingPathComponent("expected")
        let produced = out.appendingPathComponent("local/none")
        let goldenFiles = try FileManager.default.contentsOfDirectory(atPath: expected.path).sorted()
        #expect(!goldenFiles.isEmpty)
        if ProcessInfo.processInfo.environment["WEFT_UPDATE_GOLDEN"] == "1" {
            for file in goldenFiles {
                try Data(contentsOf: produced.appendingPathComponent(file)).write(to: expected.appendingPathComponent(file))
            }
            return
        }
        for file in goldenFiles {
            let want = try Data(contentsOf: expected.appendingPathComponent(file))
            let got = try? Data(contentsOf: produced.appendingPathComponent(file))
            #expect(got == want, "\(name)/\(file) differs from its golden file")
        }
    }
}
