import ArgumentParser
import WeftModel
import WeftNodes

struct NodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nodes",
        abstract: "Print the node catalog, or one node type's declaration.")

    @Argument(help: "A node type, e.g. filter.")
    var type: String?

    @Flag(help: "Print the declarations as JSON (parameters as JSON Schema).")
    var json = false

    func run() throws {
        var descriptions = AllNodeTypes.registry.descriptions
        if let type {
            descriptions = descriptions.filter { $0.type == type }
            if descriptions.isEmpty {
                printError("unknown node type '\(type)'; known: \(AllNodeTypes.registry.descriptions.map(\.type).joined(separator: ", "))")
                throw ExitStatus.invalidInput
            }
        }
        if json {
            let value: JSON = type == nil ? .array(descriptions.map(\.json)) : descriptions[0].json
            print(value.serialized(pretty: true))
            return
        }
        if type == nil {
            for group in NodeGroup.allCases {
                let members = descriptions.filter { $0.group == group }
                guard !members.isEmpty else { continue }
                print("\(group.rawValue)")
                for d in members { print("  \(d.type.padding(18))\(d.summary)") }
            }
            return
        }
        let d = descriptions[0]
        print("\(d.displayName) (\(d.type)) — \(d.group.rawValue)")
        print(d.summary)
        print("\nOutputs: \(d.outputs.joined(separator: ", "))")
        print("\nParameters:")
        printParameters(d.parameters, indent: "  ")
        print("\nExample params:\n\(d.example.serialized(pretty: true))")
    }

    private func printParameters(_ parameters: [Parameter], indent: String) {
        for p in parameters {
            var line = "\(indent)\(p.name)\(p.required ? " (required)" : "")"
            if let d = p.defaultValue { line += " [default \(d.serialized())]" }
            print(line)
            print("\(indent)    \(p.help)")
            if case .object(let fields) = p.type { printParameters(fields, indent: indent + "    ") }
            if case .array(of: .object(let fields), _) = p.type { printParameters(fields, indent: indent + "    ") }
        }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
