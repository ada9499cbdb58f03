import Foundation
import WeftAWS
import WeftEngine
import WeftModel

/// The AWS connectors a process can run flows against, each with its client (credentials cached,
/// request rate bounded per connector). Registered as a `NodeServices` entry by `weft run` and `weft serve`.
public struct AWSAccess: Sendable {
    private let clients: [String: AWSClient]

    /// Clients for the `aws` connectors in `connectors`; `environment` supplies the standard
    /// credential chain, `AWS_ENDPOINT_URL` and the botocore location.
    public init(connectors: [Connector], environment: [String: String] = ProcessInfo.processInfo.environment,
                botocore: BotocoreData) throws {
        var clients: [String: AWSClient] = [:]
        for connector in connectors where connector.provider == "aws" {
            clients[connector.name] = try AWSClient(connector: connector, environment: environment, botocore: botocore)
        }
        self.clients = clients
    }

    public func client(connector: String) -> AWSClient? { clients[connector] }
}

/// The client and region an AWS node works with in its execution.
struct AWSNodeSession {
    var client: AWSClient
    var region: String

    init(context: NodeContext) throws {
        let execution = context.execution
        guard let access = context.services[AWSAccess.self], let client = access.client(connector: execution.connector) else {
            throw NodeError("AWS node '\(context.nodeName)' needs an AWS connector, but the execution runs on '\(execution.connector)'"
                            + (execution.connector == "local" ? ": give --connectors FILE and --target NAME, or targets in the flow" : ", which is not an AWS connector"),
                            code: "noConnector")
        }
        self.client = client
        self.region = execution.region
        self.log = { [context] line in context.log(line) }
    }

    private let log: @Sendable (String) -> Void

    /// Retries go to the step's log, so they show in the journal.
    private func retryLogger(_ service: String, _ operation: String) -> @Sendable (AWSRetryEvent) -> Void {
        { [log] event in
            log("retry: \(service) \(operation) attempt \(event.attempt) \(event.reason), waiting \(event.delay.components.seconds * 1000 + event.delay.components.attoseconds / 1_000_000_000_000_000) ms")
        }
    }

    func call(_ service: String, _ operation: String, parameters: JSON) async throws -> JSON {
        try await client.call(service, operation, parameters: parameters, region: region, onRetry: retryLogger(service, operation))
    }

    func forEachPage(_ service: String, _ operation: String, parameters: JSON, _ body: (JSON) async throws -> Bool) async throws {
        try await client.forEachPage(service, operation, parameters: parameters, region: region,
                                     onRetry: retryLogger(service, operation), body)
    }

    func resultItems(_ service: String, _ operation: String, page: JSON) throws -> [JSON] {
        try client.resultItems(service, operation, page: page)
    }
}
