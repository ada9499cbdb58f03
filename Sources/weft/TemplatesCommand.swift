import ArgumentParser
import WeftModel
import WeftTemplates

struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "List the flow templates shipped with Weft, or print one as a flow file.",
        discussion: "Save a template to a file and run it: weft templates NAME > flow.yaml && weft run flow.yaml --connectors …")

    @Argument(help: "A template name, as the list shows it.")
    var name: String?

    @Flag(help: "List the templates as JSON (name, title, description, categories).")
    var json = false

    func run() throws {
        let templates: [FlowTemplate]
        do {
            templates = try TemplateLibrary.all()
        } catch {
            printError("cannot read the templates: \(error)")
            throw ExitStatus.runFailed
        }
        if let name {
            guard let template = templates.first(where: { $0.name == name }) else {
                printError("unknown template '\(name)'; known: \(templates.map(\.name).joined(separator: ", "))")
                throw ExitStatus.invalidInput
            }
            print(template.text, terminator: template.text.hasSuffix("\n") ? "" : "\n")
            return
        }
        if json {
            let list: [JSON] = templates.map {
                ["name": .string($0.name), "title": .string($0.title), "description": .string($0.document.description),
                 "categories": .array($0.document.categories.map { .string($0) })]
            }
            print(JSON.array(list).serialized(pretty: true))
            return
        }
        let width = (templates.map(\.name.count).max() ?? 0) + 2
        for template in templates { print("\(template.name.padding(width))\(template.title)") }
    }
}
