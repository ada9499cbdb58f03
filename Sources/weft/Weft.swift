import ArgumentParser

@main
struct Weft: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weft",
        abstract: "Open, self-hosted cloud-security automation: build flows, run them, read every step.",
        subcommands: [RunCommand.self, ValidateCommand.self, NodesCommand.self])
}

/// Exit codes shared by the commands: 0 success, 1 the run failed, 2 invalid input.
enum ExitStatus {
    static let runFailed = ExitCode(1)
    static let invalidInput = ExitCode(2)
}
