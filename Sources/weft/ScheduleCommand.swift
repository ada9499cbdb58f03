import ArgumentParser
import Foundation
import WeftModel

/// `weft schedule`: the next firing times of a schedule expression, to check one before deploying it.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Print the next firing times of a schedule expression (5-field cron, AWS cron(...), rate(...)).",
        discussion: """
            weft schedule '0 3 * * 1-5' --timezone Europe/Berlin
            weft schedule 'cron(0 12 ? * MON#1 *)' --count 3 --json
            weft schedule 'rate(6 hours)' --from 2026-01-01T00:00:00Z
            A time that does not exist on a spring-forward day fires once, at the first instant after the
            gap; a time that occurs twice on a fall-back day fires once, at its first occurrence.
            rate(...) counts from --from.
            """)

    @Argument(help: "The expression, e.g. '0 3 * * *', 'cron(0 3 * * ? *)' or 'rate(6 hours)'.")
    var expression: String

    @Option(help: ArgumentHelp("An IANA time zone.", valueName: "TZ"))
    var timezone = "UTC"

    @Option(help: ArgumentHelp("Firings after this instant (ISO 8601; default now).", valueName: "ISO8601"))
    var from: String?

    @Option(help: "How many firing times.")
    var count = 5

    @Flag(help: "Print a JSON array of ISO 8601 instants with offsets.")
    var json = false

    func run() throws {
        let schedule: ScheduleExpression
        do { schedule = try ScheduleExpression(expression) } catch {
            printError("invalid schedule expression '\(expression)': \(error)")
            throw ExitStatus.invalidInput
        }
        guard let zone = TimeZone(identifier: timezone) else {
            printError("unknown time zone '\(timezone)' (an IANA name such as Europe/Berlin)")
            throw ExitStatus.invalidInput
        }
        guard (1...1_000).contains(count) else {
            printError("--count must be 1…1000")
            throw ExitStatus.invalidInput
        }
        var start = Date()
        if let from {
            guard let parsed = ISODate.parse(from) else {
                printError("--from must be an ISO 8601 instant such as 2026-01-01T00:00:00Z, not '\(from)'")
                throw ExitStatus.invalidInput
            }
            start = parsed
        }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        let times = schedule.next(count, after: start, in: zone, anchor: start).map { formatter.string(from: $0) }
        print(json ? JSON.array(times.map(JSON.string)).serialized(pretty: true) : times.joined(separator: "\n"))
    }
}
