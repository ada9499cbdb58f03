import Foundation
import WeftModel

// Every store operation completes even when the calling task is cancelled: a cancelled run still
// records how it ended. (Checked by the contract suite.)

/// Errors every store reports the same way.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case notFound(kind: String, id: String)
    case conflict(String)
    case backend(String)

    public var description: String {
        switch self {
        case .notFound(let kind, let id): return "\(kind) '\(id)' not found"
        case .conflict(let message): return "conflict: \(message)"
        case .backend(let message): return "storage error: \(message)"
        }
    }
}

/// Saved flows and their immutable versions.
public protocol FlowStore: Sendable {
    /// Saves `document` as a new version of flow `flowId`, creating the flow when it does not exist.
    /// Returns the new version; versions of one flow are numbered 1, 2, 3, … without gaps.
    func saveFlow(id flowId: String, name: String, owner: String?, categories: [String], tags: [String],
                  document: JSON, author: String?) async throws -> FlowVersion
    /// Throws `StoreError.notFound` when there is no such flow.
    func flow(id: String) async throws -> FlowRecord
    /// Flows ordered by name.
    func flows() async throws -> [FlowRecord]
    /// Throws `StoreError.notFound` when there is no such flow or version.
    func flowVersion(flowId: String, version: Int) async throws -> FlowVersion
    /// All versions of a flow, oldest first.
    func flowVersions(flowId: String) async throws -> [FlowVersion]
    /// Deletes a flow and its versions; its runs stay in history.
    func deleteFlow(id: String) async throws
}

/// Runs, their executions and the step journal.
public protocol RunStore: Sendable {
    func createRun(_ run: RunRecord) async throws
    /// Sets a run's status and end time. Throws `StoreError.notFound` for an unknown run.
    func updateRun(id: String, status: RunStatus, endedAt: Date?) async throws
    func run(id: String) async throws -> RunRecord
    /// Runs newest first, of one flow when `flowId` is given.
    func runs(flowId: String?, limit: Int) async throws -> [RunRecord]

    func createExecution(_ execution: ExecutionRecord) async throws
    /// Replaces an execution's mutable fields (status, error, summary, worker, times).
    func updateExecution(_ execution: ExecutionRecord) async throws
    func execution(id: String) async throws -> ExecutionRecord
    /// Executions of a run in creation order.
    func executions(runId: String) async throws -> [ExecutionRecord]
    /// Per flow, the executions of its newest runs that are not dry runs, newest run first (in
    /// creation order within a run), at most `limit` per flow. Flows without such runs are absent.
    func recentExecutions(limit: Int) async throws -> [String: [ExecutionRecord]]
}

/// The append-only step journal, and the blobs that hold large step outputs.
public protocol StepJournal: Sendable {
    /// Appends `record`, assigning it the next sequence number of its execution, which it returns.
    func append(_ record: StepRecord) async throws -> Int
    /// All journal entries of an execution in sequence order.
    func steps(executionId: String) async throws -> [StepRecord]
    /// Stores bytes (already compressed by the caller) and returns the new blob's id.
    func putBlob(_ bytes: [UInt8], executionId: String?) async throws -> String
    /// Throws `StoreError.notFound` when there is no such blob.
    func blob(id: String) async throws -> [UInt8]
}

/// Everything the engine and the server persist.
public typealias Store = FlowStore & RunStore & StepJournal
