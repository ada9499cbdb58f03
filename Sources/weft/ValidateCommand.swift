import ArgumentParser
import WeftModel
import WeftNodes

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check flow files; print every problem with file, node id and JSON pointer.",
        discussion: "Exits 2 when any file has problems.")

    @Argument(help: "Flow files (JSON or YAML).")
    var flows: [String]

    func run() throws {
        let validator = AllNodeTypes.registry.validator
        var all: [FlowIssue] = []
        for path in flows {
            let (_, issues) = FlowFile.load(path: path, validator: validator)
            all += issues
            if issues.isEmpty {
                print("\(path): ok")
            } else {
                for issue in issues { print(issue.description) }
            }
        }
        if !all.isEmpty { throw ExitStatus.invalidInput }
    }
}
