import Foundation
import WeftModel

/// Where and how an execution runs: the `$execution` template root.
public struct ExecutionInfo: Sendable, Equatable {
    public var id: String
    public var runId: String
    public var flowId: String?
    public var connector: String
    public var accountId: String?
    public var region: String
    public var provider: String?
    public var dryRun: Bool
    /// In a dry run, action nodes mutate only when this is set.
    public var allowActions: Bool
    public var startedAt: Date

    public init(id: String, runId: String, flowId: String? = nil, connector: String, accountId: String? = nil,
                region: String, provider: String? = nil, dryRun: Bool = false, allowActions: Bool = false,
                startedAt: Date) {
        self.id = id; self.runId = runId; self.flowId = flowId; self.connector = connector; self.accountId = accountId
        self.region = region; self.provider = provider; self.dryRun = dryRun; self.allowActions = allowActions
        self.startedAt = startedAt
    }

    public var json: JSON {
        [
            "id": .string(id), "runId": .string(runId), "flowId": flowId.map(JSON.string) ?? .null,
            "connector": .string(connector), "accountId": accountId.map(JSON.string) ?? .null,
            "region": .string(region), "provider": provider.map(JSON.string) ?? .null, "dryRun": .bool(dryRun),
            "startedAt": .string(ISODate.format(startedAt)),
        ]
    }
}

/// Receives the files a node produces (reports), kept with the execution.
public protocol ArtifactSink: Sendable {
    /// Stores `bytes` as `fileName` for the execution and returns where it was kept.
    func write(fileName: String, bytes: [UInt8], executionId: String) throws -> String
}

/// Everything a node attempt may use: its input, other nodes' outputs, the execution, variables.
public final class NodeContext: Sendable {
    public let nodeId: String
    public let nodeName: String
    public let attempt: Int
    /// The loop iteration (1-based) for nodes in a loop body; 0 elsewhere.
    public let iteration: Int
    public let execution: ExecutionInfo
    /// Flow variables after run-time overrides, unmasked.
    public let variables: [String: JSON]
    /// The node's implicit input: its upstream nodes' outputs along its incoming edges, concatenated.
    public let input: Items
    /// `main` outputs of the nodes that finished before this one, by node id.
    public let nodeOutputs: [String: Items]
    /// Node ids by name, to resolve references written with names.
    public let nodeIdsByName: [String: String]
    /// The directory of the flow file, for relative paths; `nil` for flows not read from a file.
    public let flowDirectory: String?
    public let artifacts: (any ArtifactSink)?
    /// Masks the run's secrets; nodes that write files or messages of their own use it on what they write.
    public let secrets: SecretMasker
    /// The time conditions measure ages against, fixed for the attempt.
    public let now: Date
    /// The run's long-lived facilities (cloud clients, the JavaScript sandbox pool).
    public let services: NodeServices
    private let progressHandler: @Sendable (Int, Int?) -> Void
    private let logLines = LockedBox<[String]>([])

    public init(nodeId: String, nodeName: String, attempt: Int = 1, iteration: Int = 0, execution: ExecutionInfo,
                variables: [String: JSON] = [:], input: Items = .empty, nodeOutputs: [String: Items] = [:],
                nodeIdsByName: [String: String] = [:], flowDirectory: String? = nil,
                artifacts: (any ArtifactSink)? = nil, secrets: SecretMasker = SecretMasker(secretValues: []),
                now: Date = Date(), services: NodeServices = NodeServices(),
                progress: @escaping @Sendable (Int, Int?) -> Void = { _, _ in }) {
        self.nodeId = nodeId; self.nodeName = nodeName; self.attempt = attempt; self.iteration = iteration
        self.execution = execution; self.variables = variables; self.input = input; self.nodeOutputs = nodeOutputs
        self.nodeIdsByName = nodeIdsByName; self.flowDirectory = flowDirectory; self.artifacts = artifacts
        self.secrets = secrets; self.now = now; self.services = services; self.progressHandler = progress
    }

    /// The items `reference` designates: the node's `main` output, with `path` applied to each item.
    /// Throws `NodeError` when the node is unknown or has not run before this one.
    public func items(_ reference: InputReference?) throws -> Items {
        guard let reference else { return input }
        let id = nodeOutputs[reference.node] != nil ? reference.node : (nodeIdsByName[reference.node] ?? reference.node)
        guard let output = nodeOutputs[id] else {
            throw NodeError("input node '\(reference.node)' has no output here: it is unknown, did not run, or is not upstream of '\(nodeId)'",
                            code: "invalidParameter")
        }
        guard let pathText = reference.path, !pathText.isEmpty, pathText != "$" else { return output }
        let path: JSONPath
        do { path = try JSONPath(key: pathText) } catch {
            throw NodeError("invalid input path \"\(pathText)\": \(error.message)", code: "invalidParameter")
        }
        var builder = ItemsBuilder()
        try output.forEach { item in builder.append(contentsOf: path.query(item)) }
        return builder.finish()
    }

    /// The registered service of this type; throws a `NodeError` naming it when there is none.
    public func service<Service: Sendable>(_ type: Service.Type) throws -> Service {
        guard let service = services[type] else {
            throw NodeError("this process offers no \(Service.self) to node '\(nodeName)'", code: "unavailable")
        }
        return service
    }

    /// Adds a line to the step's log (shown in step details).
    public func log(_ line: String) {
        logLines.withLock { $0.append(line) }
    }

    public var logs: [String] { logLines.withLock { $0 } }

    /// Reports progress through a long step: `done` items of `total` (when known).
    public func progress(done: Int, total: Int?) { progressHandler(done, total) }

    /// Throws `CancellationError` when the execution was cancelled or the attempt timed out.
    public func checkCancellation() throws { try Task.checkCancellation() }

    /// The `$execution`, `$nodes`, `$loop` and variables roots for templates rendered against `item`.
    /// A node's output is read once per attempt, when a template first names it; an output that
    /// cannot be read renders as an unknown node.
    public func templateContext(item: JSON) -> TemplateContext {
        TemplateContext(
            item: item, execution: execution.json,
            nodes: { [self] id in collectedOutput(id) },
            loop: iteration > 0 ? ["iteration": .int(Int64(iteration))] : nil,
            variables: variables)
    }

    private let collected = LockedBox<[String: [JSON]]>([:])

    private func collectedOutput(_ reference: String) -> [JSON]? {
        let id = nodeOutputs[reference] != nil ? reference : (nodeIdsByName[reference] ?? reference)
        if let cached = collected.withLock({ $0[id] }) { return cached }
        guard let output = nodeOutputs[id], let items = try? output.collect() else { return nil }
        collected.withLock { $0[id] = items }
        return items
    }
}

/// A value guarded by a lock, for small shared state.
public final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    public init(_ value: Value) { self.value = value }
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
