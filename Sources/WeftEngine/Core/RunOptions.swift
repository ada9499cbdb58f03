import Foundation
import WeftModel

/// One place an execution runs: a connector and one of its regions.
public struct ExecutionTarget: Sendable, Hashable {
    public var connector: String
    public var accountId: String?
    public var region: String
    public var provider: String?

    public init(connector: String, accountId: String? = nil, region: String, provider: String? = nil) {
        self.connector = connector; self.accountId = accountId; self.region = region; self.provider = provider
    }

    /// Where a flow without targets runs: connector `local`, region `none`.
    public static let local = ExecutionTarget(connector: "local", region: "none")
}

/// The outputs one execution recorded, by node id and output name.
public struct RecordedOutputs: Sendable {
    public var executionId: String
    public var outputs: [String: [String: Items]]

    public init(executionId: String, outputs: [String: [String: Items]]) {
        self.executionId = executionId; self.outputs = outputs
    }
}

/// How one run is started.
public struct RunOptions: Sendable {
    /// Values that replace the flow's variable values for this run.
    public var variables: [String: JSON]
    /// Where to run; empty means once, as `ExecutionTarget.local`.
    public var targets: [ExecutionTarget]
    /// Run only this node and its ancestors (a dry run).
    public var runTill: String?
    public var dryRun: Bool
    /// In a dry run, let action nodes mutate.
    public var allowActions: Bool
    /// `manual`, `schedule`, `event`, `scan`, `retry`.
    public var trigger: String
    public var flowId: String?
    public var flowVersion: Int?
    /// The directory of the flow file, for relative paths in nodes.
    public var flowDirectory: String?
    /// Further values to mask wherever they would be recorded (connector credentials, HTTP credentials).
    public var secrets: [JSON] = []
    /// Recorded items that stand in for these nodes' execution (keys are node ids or names), so a flow
    /// can be tested without reaching its sources. A pinned node's step succeeds with these items on
    /// its `main` output and a log line saying they were pinned; its parameters are still resolved.
    public var pinned: [String: Items] = [:]
    /// Per target, outputs an earlier execution recorded that stand in for those nodes (a retry from a
    /// node reuses everything that is not downstream of it). Keys of `outputs` are node ids.
    public var reused: [ExecutionTarget: RecordedOutputs] = [:]
    /// The run this one retries, recorded in the run's options.
    public var retryOf: String?
    /// The item the trigger node outputs instead of the manual firing, e.g. `{"type": "event", "event": …}`
    /// for a run started by a cloud event. The runner hands it to the nodes as the `TriggerFiring`
    /// service of their `NodeServices`.
    public var triggerItem: JSON?

    public init(variables: [String: JSON] = [:], targets: [ExecutionTarget] = [], runTill: String? = nil,
                dryRun: Bool = false, allowActions: Bool = false, trigger: String = "manual",
                flowId: String? = nil, flowVersion: Int? = nil, flowDirectory: String? = nil) {
        self.variables = variables; self.targets = targets; self.runTill = runTill; self.dryRun = dryRun
        self.allowActions = allowActions; self.trigger = trigger; self.flowId = flowId
        self.flowVersion = flowVersion; self.flowDirectory = flowDirectory
    }
}

/// The firing a trigger node outputs, handed to nodes through `NodeServices`.
public struct TriggerFiring: Sendable {
    public var item: JSON

    public init(item: JSON) { self.item = item }

    /// `services` with `options.triggerItem` registered as the `TriggerFiring` service; unchanged
    /// when the options have no trigger item.
    public static func register(_ options: RunOptions, in services: NodeServices) -> NodeServices {
        guard let item = options.triggerItem else { return services }
        var services = services
        services.register(TriggerFiring(item: item))
        return services
    }
}

/// Settings of a runner, fixed for its lifetime.
public struct RunnerConfiguration: Sendable {
    /// Identifies this process in step records.
    public var worker: String
    /// How many executions of one run proceed at once.
    public var maxConcurrentExecutions: Int
    /// Outputs with at most this many items and bytes are kept inline in the step record.
    public var inlineItemLimit: Int
    public var inlineByteLimit: Int
    /// Items per blob page for larger outputs.
    public var pageItemLimit: Int
    public var artifacts: (any ArtifactSink)?
    /// Facilities handed to every node (cloud clients, the JavaScript sandbox pool).
    public var services: NodeServices = NodeServices()
    /// The delay actually waited before a retry, given the policy's delay: by default a random delay
    /// between half the policy's delay and all of it.
    public var jitter: @Sendable (Int) -> Int

    public init(worker: String = RunnerConfiguration.defaultWorker, maxConcurrentExecutions: Int = 4,
                inlineItemLimit: Int = 100, inlineByteLimit: Int = 64 * 1024, pageItemLimit: Int = 5_000,
                artifacts: (any ArtifactSink)? = nil,
                jitter: @escaping @Sendable (Int) -> Int = { delay in delay <= 0 ? 0 : Int.random(in: (delay / 2)...delay) }) {
        self.worker = worker; self.maxConcurrentExecutions = maxConcurrentExecutions
        self.inlineItemLimit = inlineItemLimit; self.inlineByteLimit = inlineByteLimit
        self.pageItemLimit = pageItemLimit; self.artifacts = artifacts; self.jitter = jitter
    }

    public static var defaultWorker: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }
}

/// The outcome of a run, as `weft run --json` prints it.
public struct RunSummary: Sendable {
    public var run: RunRecord
    public var executions: [ExecutionSummary]

    public var json: JSON {
        [
            "runId": .string(run.id), "flow": .string(run.flowName), "status": .string(run.status.rawValue),
            "dryRun": .bool(run.dryRun),
            "executions": .array(executions.map(\.json)),
        ]
    }
}

public struct ExecutionSummary: Sendable {
    public var execution: ExecutionRecord
    /// The last journal entry of each node that took part, in document order.
    public var steps: [StepRecord]

    public var json: JSON {
        var object: JSONObject = [
            "id": .string(execution.id), "connector": .string(execution.connector),
            "accountId": execution.accountId.map(JSON.string) ?? .null, "region": .string(execution.region),
            "status": .string(execution.status.rawValue),
        ]
        if let error = execution.error { object["error"] = error }
        if !(execution.summary.objectValue?.isEmpty ?? true) { object["summary"] = execution.summary }
        object["steps"] = .array(steps.map { step in
            var s: JSONObject = ["node": .string(step.nodeId), "status": .string(step.status.rawValue),
                                 "attempt": .int(Int64(step.attempt))]
            if step.iteration > 0 { s["iteration"] = .int(Int64(step.iteration)) }
            s["items"] = .object(JSONObject(uniqueKeysWithValues: step.itemCounts.sorted { $0.key < $1.key }
                .map { ($0.key, JSON.int(Int64($0.value))) }))
            if let error = step.error { s["error"] = error.json }
            return .object(s)
        })
        return .object(object)
    }
}
