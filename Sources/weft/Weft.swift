import Foundation
import ArgumentParser
#if canImport(CMalloc)
import CMalloc
#endif

@main
struct Weft: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weft",
        abstract: "Open, self-hosted cloud-security automation: build flows, run them, read every step.",
        subcommands: [RunCommand.self, ValidateCommand.self, NodesCommand.self, TemplatesCommand.self, AWSCommand.self, ServeCommand.self, ScheduleCommand.self, UserCommand.self, TokenCommand.self, ExportCommand.self, ImportCommand.self, DeployCommand.self,
                      UndeployCommand.self, DeploymentsCommand.self])

    /// As ArgumentParser's, except that usage errors exit 2 (invalid input), not 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if !(command is ServeCommand) { useOneMallocArena() }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code != .success, code != ExitStatus.runFailed, code != ExitStatus.invalidInput {
                let message = fullMessage(for: error)
                if !message.isEmpty { printError(message) }
                Foundation.exit(code == ExitCode(64) ? ExitStatus.invalidInput.rawValue : code.rawValue)
            }
            exit(withError: error)
        }
    }
}

/// Makes glibc's malloc serve every thread from one arena. A command's work is mostly waiting on
/// files and the network, on a few threads; glibc's default of up to eight arenas per core only
/// holds freed memory in more places (a four-region AWS run peaks about 5 MB higher with it).
/// `weft serve` keeps the default, for its many concurrent requests.
private func useOneMallocArena() {
    #if canImport(CMalloc)
    _ = mallopt(M_ARENA_MAX, 1)
    #endif
}

/// Exit codes shared by the commands: 0 success, 1 the run failed, 2 invalid input.
enum ExitStatus {
    static let runFailed = ExitCode(1)
    static let invalidInput = ExitCode(2)
}
