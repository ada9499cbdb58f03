import Foundation
import WeftModel

/// Status of a run, an execution or a step.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case queued, running, success, failed, cancelled, skipped, planned
    /// True when nothing will change it any more.
    public var isFinal: Bool { self != .queued && self != .running }
}

/// One saved flow: its identity and the metadata of its latest version.
public struct FlowRecord: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var owner: String?
    public var categories: [String]
    public var tags: [String]
    public var latestVersion: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, name: String, owner: String? = nil, categories: [String] = [], tags: [String] = [],
                latestVersion: Int, createdAt: Date, updatedAt: Date) {
        self.id = id; self.name = name; self.owner = owner; self.categories = categories; self.tags = tags
        self.latestVersion = latestVersion; self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

/// An immutable version of a flow: the flow document as saved.
public struct FlowVersion: Sendable, Equatable, Codable {
    public var flowId: String
    public var version: Int
    public var document: JSON
    public var author: String?
    public var createdAt: Date

    public init(flowId: String, version: Int, document: JSON, author: String? = nil, createdAt: Date) {
        self.flowId = flowId; self.version = version; self.document = document; self.author = author
        self.createdAt = createdAt
    }
}

/// One firing of a flow; fans out into one execution per connector × region.
public struct RunRecord: Sendable, Equatable, Codable {
    public var id: String
    /// The saved flow this run belongs to; `nil` for a flow file run by `weft run`.
    public var flowId: String?
    public var flowVersion: Int?
    /// The flow's name; dry runs are listed as `_dry_run_<name>`.
    public var flowName: String
    /// `manual`, `schedule`, `event`, `scan`, `retry`.
    public var trigger: String
    public var dryRun: Bool
    public var status: RunStatus
    /// Run options as given: variable overrides (secrets masked), run-till node, allowActions.
    public var options: JSON
    public var createdAt: Date
    public var endedAt: Date?

    public init(id: String, flowId: String? = nil, flowVersion: Int? = nil, flowName: String, trigger: String,
                dryRun: Bool, status: RunStatus, options: JSON = .object([:]), createdAt: Date, endedAt: Date? = nil) {
        self.id = id; self.flowId = flowId; self.flowVersion = flowVersion; self.flowName = flowName
        self.trigger = trigger; self.dryRun = dryRun; self.status = status; self.options = options
        self.createdAt = createdAt; self.endedAt = endedAt
    }
}

/// One pass of a flow for one connector and region.
public struct ExecutionRecord: Sendable, Equatable, Codable {
    public var id: String
    public var runId: String
    public var connector: String
    public var accountId: String?
    public var region: String
    public var provider: String?
    public var status: RunStatus
    /// Why the execution failed: `{message, nodeId, itemIndex?}`.
    public var error: JSON?
    /// Summary figures, e.g. control counts `{"passed": 3, "failed": 1}`.
    public var summary: JSON
    public var worker: String?
    public var startedAt: Date?
    public var endedAt: Date?

    public init(id: String, runId: String, connector: String, accountId: String? = nil, region: String,
                provider: String? = nil, status: RunStatus, error: JSON? = nil, summary: JSON = .object([:]),
                worker: String? = nil, startedAt: Date? = nil, endedAt: Date? = nil) {
        self.id = id; self.runId = runId; self.connector = connector; self.accountId = accountId
        self.region = region; self.provider = provider; self.status = status; self.error = error
        self.summary = summary; self.worker = worker; self.startedAt = startedAt; self.endedAt = endedAt
    }
}

/// Where one named output of a step is kept.
public enum StoredItems: Sendable, Equatable, Codable {
    /// Small outputs are kept inline in the step record.
    case inline([JSON])
    /// Larger outputs are cut into pages, each a compressed blob holding a JSON array.
    case pages([BlobPage])
}

/// One page of a step output stored as a blob.
public struct BlobPage: Sendable, Equatable, Codable {
    public var blobId: String
    /// Index of the page's first item in the whole output.
    public var firstItem: Int
    public var count: Int
    public init(blobId: String, firstItem: Int, count: Int) {
        self.blobId = blobId; self.firstItem = firstItem; self.count = count
    }
}

/// A step error: what went wrong, where.
public struct StepError: Sendable, Equatable, Codable, Error {
    public var message: String
    public var nodeId: String
    public var itemIndex: Int?
    /// A machine-readable code: `timeout`, `cancelled`, `invalidParameter`, a cloud error code, ….
    public var code: String?

    public init(message: String, nodeId: String, itemIndex: Int? = nil, code: String? = nil) {
        self.message = message; self.nodeId = nodeId; self.itemIndex = itemIndex; self.code = code
    }

    /// `{"message", "nodeId", "itemIndex"?, "code"?}`, as execution records and summaries show it.
    public var json: JSON {
        var object: JSONObject = ["message": .string(message), "nodeId": .string(nodeId)]
        if let itemIndex { object["itemIndex"] = .int(Int64(itemIndex)) }
        if let code { object["code"] = .string(code) }
        return .object(object)
    }
}

/// One entry of the append-only step journal: the state of one node attempt at one moment.
///
/// A node attempt is written when it starts (`running`) and again when it ends; the later entry of
/// the same `(executionId, nodeId, iteration, attempt)` supersedes the earlier one. Entries are never
/// updated or deleted except by retention.
public struct StepRecord: Sendable, Equatable, Codable {
    public var executionId: String
    /// Position in the execution's journal, assigned by the store on append (1, 2, 3, …).
    public var sequence: Int
    public var nodeId: String
    public var attempt: Int
    /// Loop iteration for nodes inside a loop body (1-based); 0 elsewhere.
    public var iteration: Int
    public var worker: String?
    public var status: RunStatus
    public var startedAt: Date
    public var endedAt: Date?
    /// Resolved parameters and context, secrets replaced by `"*****"`.
    public var input: JSON
    /// Outputs by name (`main`, `rejected`, `error`, …).
    public var outputs: [String: StoredItems]
    /// Item counts: `in` and one per output name.
    public var itemCounts: [String: Int]
    public var error: StepError?
    /// Console lines, explain traces and other notes for the step details view.
    public var logs: [String]
    public var trace: JSON?

    public init(executionId: String, sequence: Int = 0, nodeId: String, attempt: Int = 1, iteration: Int = 0,
                worker: String? = nil, status: RunStatus, startedAt: Date, endedAt: Date? = nil,
                input: JSON = .object([:]), outputs: [String: StoredItems] = [:], itemCounts: [String: Int] = [:],
                error: StepError? = nil, logs: [String] = [], trace: JSON? = nil) {
        self.executionId = executionId; self.sequence = sequence; self.nodeId = nodeId; self.attempt = attempt
        self.iteration = iteration; self.worker = worker; self.status = status; self.startedAt = startedAt
        self.endedAt = endedAt; self.input = input; self.outputs = outputs; self.itemCounts = itemCounts
        self.error = error; self.logs = logs; self.trace = trace
    }
}
