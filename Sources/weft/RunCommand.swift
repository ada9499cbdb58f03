import ArgumentParser
import Foundation
import WeftEngine
import WeftModel
import WeftCloudNodes
import WeftNodes
import WeftStore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a flow file locally, no server needed.",
        discussion: """
            Progress goes to stderr. Exit status: 0 the run succeeded, 1 it failed, 2 invalid input.
            A flow without targets runs once as connector 'local', region 'none'.
            """)

    @Argument(help: "The flow file (JSON or YAML).")
    var flow: String

    @Option(help: "A connectors file (YAML or JSON) with the connectors and credentials the flow uses.")
    var connectors: String?

    @Option(name: .customLong("target"), help: ArgumentHelp("Run on this connector, in these regions (all its regions when none given); repeatable.", valueName: "CONNECTOR[:REGION,…]"))
    var targets: [String] = []

    @Option(name: .customLong("var"), help: ArgumentHelp("Override a flow variable; repeatable. Arrays and objects are given as JSON; an auto variable whose value is text stays text.", valueName: "NAME=VALUE"))
    var variables: [String] = []

    @Option(help: ArgumentHelp("Run only this node and its ancestors (a dry run).", valueName: "NODE"))
    var until: String?

    @Option(name: .customLong("pin"), help: ArgumentHelp("Use the items recorded in FILE (a JSON array or NDJSON) as this node's output instead of running it; repeatable. For testing flows on recorded data.", valueName: "NODE=FILE"))
    var pins: [String] = []

    @Flag(help: "In a dry run, let action nodes make their changes.")
    var allowActions = false

    @Option(help: ArgumentHelp("Write each step's output and the report files under this directory.", valueName: "DIR"))
    var out: String?

    @Flag(help: "Print the run summary as JSON on stdout.")
    var json = false

    @Option(help: ArgumentHelp("Where the journal is kept.", valueName: "DIR"))
    var data: String = ".weft"

    func run() async throws {
        let registry = AllNodeTypes.registry
        let (loaded, issues) = FlowFile.load(path: flow, validator: registry.validator)
        guard let document = loaded, issues.isEmpty else {
            for issue in issues { printError(issue.description) }
            throw ExitStatus.invalidInput
        }
        var connectorsFile = ConnectorsFile()
        if let connectors {
            let (file, issues) = FlowFile.loadConnectors(path: connectors)
            guard let file, issues.isEmpty else {
                for issue in issues { printError(issue.description) }
                throw ExitStatus.invalidInput
            }
            connectorsFile = file
        }
        let requests = try TargetRequest.parseOptions(targets)
        let executionTargets: [ExecutionTarget]
        do {
            executionTargets = try ExecutionTarget.resolve(requested: requests, flowTargets: document.targets,
                                                           connectors: connectorsFile.connectors)
        } catch {
            printError(error.description)
            throw ExitStatus.invalidInput
        }
        var overrides: [String: JSON] = [:]
        for argument in variables {
            guard let (name, value) = parseVariable(argument, document: document) else { throw ExitStatus.invalidInput }
            overrides[name] = value
        }

        let dataDirectory = URL(fileURLWithPath: data).standardizedFileURL.path
        let store: SQLStore
        do {
            store = try await SQLStore.openSQLite(path: dataDirectory + "/weft.sqlite")
        } catch {
            printError("cannot open the journal in \(dataDirectory): \(error)")
            throw ExitStatus.invalidInput
        }
        let outDirectory = out.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let files = LocalRunFiles(dataDirectory: dataDirectory, outDirectory: outDirectory)
        let progress = ProgressPrinter(document: document)
        var configuration = RunnerConfiguration(artifacts: files)
        var serviceSecrets: [JSON] = []
        do {
            (configuration.services, serviceSecrets) = try NodeServicesSetup.services(connectors: connectorsFile)
        } catch {
            try? await store.close()
            printError("cannot set up the connectors: \(error)")
            throw ExitStatus.invalidInput
        }
        let runner = Runner(registry: registry, store: store, configuration: configuration)
        var options = RunOptions(variables: overrides, targets: executionTargets, runTill: until,
                                 allowActions: allowActions,
                                 flowDirectory: URL(fileURLWithPath: flow).deletingLastPathComponent().path)
        options.secrets = connectorsFile.secretValues + serviceSecrets
        options.pinned = try pinnedItems()
        let summary: RunSummary
        do {
            let task = Task { try await runner.run(document, options: options, observer: ObserverGroup([files, progress])) }
            let interrupt = Interrupt { task.cancel() }
            defer { interrupt.stop() }
            summary = try await task.value
        } catch {
            try? await store.close()
            switch error {
            case let error as FlowValidationError:
                for issue in error.issues { printError(issue.description) }
                throw ExitStatus.invalidInput
            case let error as RunError:
                printError(error.description)
                throw ExitStatus.invalidInput
            default:
                printError("the run could not be recorded: \(error)")
                throw ExitStatus.runFailed
            }
        }
        try? await store.close()
        progress.finish(summary)
        if json { print(summary.json.serialized(pretty: true)) }
        let failedFiles = files.failures
        if !failedFiles.isEmpty {
            printError("\(failedFiles.count) output file(s) could not be written; see above")
            throw ExitStatus.runFailed
        }
        if summary.run.status != .success { throw ExitStatus.runFailed }
    }

    /// The `--pin NODE=FILE` options read into items by node.
    private func pinnedItems() throws -> [String: Items] {
        var pinned: [String: Items] = [:]
        for argument in pins {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                printError("invalid --pin \"\(argument)\": expected NODE=FILE")
                throw ExitStatus.invalidInput
            }
            let node = String(argument[..<equals])
            let path = String(argument[argument.index(after: equals)...])
            do {
                pinned[node] = Items(try JSON.readItems(fromFile: path))
            } catch {
                printError("--pin \(node): cannot read \(path): \(error)")
                throw ExitStatus.invalidInput
            }
        }
        return pinned
    }

    /// `NAME=VALUE`, the value typed after the variable's declared type.
    private func parseVariable(_ argument: String, document: FlowDocument) -> (String, JSON)? {
        guard let equals = argument.firstIndex(of: "=") else {
            printError("invalid --var \"\(argument)\": expected NAME=VALUE")
            return nil
        }
        let name = String(argument[..<equals])
        let text = String(argument[argument.index(after: equals)...])
        guard let variable = document.variables.first(where: { $0.name == name }) else {
            printError("--var \(name): the flow declares no variable '\(name)' (declared: \(document.variables.map(\.name).joined(separator: ", ")))")
            return nil
        }
        switch variable.type {
        case .string:
            return (name, .string(text))
        case .auto:
            if case .string = variable.value { return (name, .string(text)) }
            return (name, (try? JSON.parse(text)) ?? .string(text))
        case .array, .object:
            do {
                let value = try JSON.parse(text)
                guard value.typeName == variable.type.rawValue else {
                    printError("--var \(name): expected a JSON \(variable.type.rawValue), found \(value.typeName)")
                    return nil
                }
                return (name, value)
            } catch {
                printError("--var \(name): invalid JSON: \(error)")
                return nil
            }
        }
    }
}

/// Turns the first Ctrl-C into a cancellation (the run ends `cancelled`, its journal complete);
/// a second one exits at once.
final class Interrupt: @unchecked Sendable {
    private let source: any DispatchSourceSignal

    init(_ onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let count = LockedBox(0)
        source.setEventHandler {
            let n = count.withLock { value -> Int in
                value += 1
                return value
            }
            if n == 1 {
                printError("cancelling… (Ctrl-C again to quit at once)")
                onInterrupt()
            } else {
                exit(130)
            }
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
