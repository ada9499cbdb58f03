import ArgumentParser
import Foundation
import WeftEngine
import WeftModel
import WeftStore

struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Deploy a flow's latest version: its schedule, event and scan triggers fire while it is deployed.",
        discussion: """
            Targets default to the flow's own. Each --target names a stored connector, optionally with regions;
            deploying again replaces the deployment.
            """)

    @Argument(help: "The flow id (flw_…).") var flowId: String
    @Option(name: .customLong("target"),
            help: ArgumentHelp("A connector to deploy to, with some of its regions.", valueName: "CONNECTOR[:REGION,…]"))
    var targets: [String] = []
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let requests = try TargetRequest.parseOptions(targets)
        let deployment = try await store.withStore { store in
            let flow: FlowRecord
            do {
                flow = try await store.flow(id: flowId)
            } catch StoreError.notFound {
                printError("no flow '\(flowId)'")
                throw ExitStatus.invalidInput
            }
            let connectors = try await store.connectors().map {
                Connector(name: $0.name, provider: $0.provider, accountId: $0.accountId, regions: $0.regions, endpoint: $0.endpoint)
            }
            do {
                _ = try ExecutionTarget.resolve(requested: requests, flowTargets: [], connectors: connectors)
            } catch {
                printError("--target: \(error)")
                throw ExitStatus.invalidInput
            }
            let record = DeploymentRecord(flowId: flow.id, version: flow.latestVersion, requests: requests, deployedBy: nil,
                                          deployedAt: Date())
            try await store.deploy(record)
            return record
        }
        printError("deployed \(flowId) version \(deployment.version)"
                   + (requests.isEmpty ? " to its own targets" : " to \(targets.joined(separator: ", "))"))
    }
}

struct UndeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undeploy", abstract: "Stop a flow's schedule, event and scan triggers.")

    @Argument(help: "The flow id (flw_…).") var flowId: String
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let removed = try await store.withStore { try await $0.undeploy(flowId: flowId) }
        printError(removed ? "undeployed \(flowId)" : "\(flowId) was not deployed")
    }
}

struct DeploymentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployments", abstract: "List deployed flows: id, version, when, targets.")

    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let deployments = try await store.withStore { try await $0.deployments() }
        let entries: [JSON] = deployments.map {
            ["flowId": .string($0.flowId), "version": .int(Int64($0.version)),
             "deployedAt": .string(ISODate.format($0.deployedAt)), "targets": $0.targets]
        }
        if json {
            print(JSON.array(entries).serialized(pretty: true))
            return
        }
        for deployment in deployments {
            let targets = deployment.targetRequests.map(\.argument)
            print("\(deployment.flowId)\tv\(deployment.version)\t\(ISODate.format(deployment.deployedAt))\t"
                  + (targets.isEmpty ? "(the flow's targets)" : targets.joined(separator: " ")))
        }
    }
}

extension TargetRequest {
    /// The `--target` options of a command; an invalid one is printed and exits 2.
    static func parseOptions(_ arguments: [String]) throws -> [TargetRequest] {
        try arguments.map { argument in
            guard let request = TargetRequest(argument: argument) else {
                printError("invalid --target \"\(argument)\": expected CONNECTOR or CONNECTOR:REGION,REGION")
                throw ExitStatus.invalidInput
            }
            return request
        }
    }
}
