import Foundation
import Testing
import WeftModel
import WeftTesting

struct ScheduleCLITests {
    @Test func printsTheNextFiringsWithOffsetsInTheZone() async throws {
        // 2026-03-27 is a Friday; Europe/Berlin moves to CEST (+02:00) on Sunday 2026-03-29.
        let result = try await WeftProcess.run(["schedule", "0 3 * * 1-5", "--timezone", "Europe/Berlin",
                                                "--from", "2026-03-26T12:00:00Z", "--count", "3", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try JSON.parse(result.stdout) == ["2026-03-27T03:00:00+01:00", "2026-03-30T03:00:00+02:00", "2026-03-31T03:00:00+02:00"])
    }

    @Test func anInvalidExpressionExitsTwoWithTheReason() async throws {
        let result = try await WeftProcess.run(["schedule", "cron(0 3 * * * *)"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("invalid schedule expression"), "\(result.stderr)")
        #expect(try await WeftProcess.run(["schedule", "rate(5 minutes)", "--timezone", "Nowhere/Else"]).status == 2)
    }
}
