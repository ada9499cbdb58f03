import Foundation
import WeftModel

/// A store kept in memory, for tests and throwaway runs. It passes the same contract suite as the
/// SQL store.
public actor MemoryStore: FlowStore, RunStore, StepJournal {
    private var flowRecords: [String: FlowRecord] = [:]
    private var versions: [String: [FlowVersion]] = [:]
    private var runRecords: [String: RunRecord] = [:]
    private var runOrder: [String] = []
    private var executionRecords: [String: ExecutionRecord] = [:]
    private var executionOrder: [String: [String]] = [:]
    private var journal: [String: [StepRecord]] = [:]
    private var blobs: [String: [UInt8]] = [:]

    public init() {}

    public func saveFlow(id flowId: String, name: String, owner: String?, categories: [String], tags: [String],
                         document: JSON, author: String?) async throws -> FlowVersion {
        let now = Date()
        let number = (versions[flowId]?.count ?? 0) + 1
        let version = FlowVersion(flowId: flowId, version: number, document: document, author: author, createdAt: now)
        versions[flowId, default: []].append(version)
        var record = flowRecords[flowId] ?? FlowRecord(id: flowId, name: name, owner: owner, latestVersion: number,
                                                       createdAt: now, updatedAt: now)
        record.name = name
        record.categories = categories
        record.tags = tags
        record.latestVersion = number
        record.updatedAt = now
        if record.owner == nil { record.owner = owner }
        flowRecords[flowId] = record
        return version
    }

    public func flow(id: String) async throws -> FlowRecord {
        guard let record = flowRecords[id] else { throw StoreError.notFound(kind: "flow", id: id) }
        return record
    }

    public func flows() async throws -> [FlowRecord] {
        flowRecords.values.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    public func flowVersion(flowId: String, version: Int) async throws -> FlowVersion {
        guard let found = versions[flowId]?.first(where: { $0.version == version }) else {
            throw StoreError.notFound(kind: "flow version", id: "\(flowId)@\(version)")
        }
        return found
    }

    public func flowVersions(flowId: String) async throws -> [FlowVersion] {
        guard let list = versions[flowId] else { throw StoreError.notFound(kind: "flow", id: flowId) }
        return list
    }

    public func deleteFlow(id: String) async throws {
        guard flowRecords.removeValue(forKey: id) != nil else { throw StoreError.notFound(kind: "flow", id: id) }
        versions[id] = nil
    }

    public func createRun(_ run: RunRecord) async throws {
        guard runRecords[run.id] == nil else { throw StoreError.conflict("run '\(run.id)' exists") }
        runRecords[run.id] = run
        runOrder.append(run.id)
    }

    public func updateRun(id: String, status: RunStatus, endedAt: Date?) async throws {
        guard var run = runRecords[id] else { throw StoreError.notFound(kind: "run", id: id) }
        run.status = status
        run.endedAt = endedAt
        runRecords[id] = run
    }

    public func run(id: String) async throws -> RunRecord {
        guard let run = runRecords[id] else { throw StoreError.notFound(kind: "run", id: id) }
        return run
    }

    public func runs(flowId: String?, limit: Int) async throws -> [RunRecord] {
        Array(runOrder.reversed().compactMap { runRecords[$0] }.filter { flowId == nil || $0.flowId == flowId }.prefix(max(0, limit)))
    }

    public func recentExecutions(limit: Int) async throws -> [String: [ExecutionRecord]] {
        var result: [String: [ExecutionRecord]] = [:]
        for run in runOrder.reversed().compactMap({ runRecords[$0] }) where !run.dryRun {
            guard let flowId = run.flowId else { continue }
            for execution in try await executions(runId: run.id) where result[flowId, default: []].count < limit {
                result[flowId, default: []].append(execution)
            }
        }
        return result
    }

    public func createExecution(_ execution: ExecutionRecord) async throws {
        guard runRecords[execution.runId] != nil else { throw StoreError.notFound(kind: "run", id: execution.runId) }
        guard executionRecords[execution.id] == nil else { throw StoreError.conflict("execution '\(execution.id)' exists") }
        executionRecords[execution.id] = execution
        executionOrder[execution.runId, default: []].append(execution.id)
    }

    public func updateExecution(_ execution: ExecutionRecord) async throws {
        guard var stored = executionRecords[execution.id] else { throw StoreError.notFound(kind: "execution", id: execution.id) }
        stored.status = execution.status
        stored.error = execution.error
        stored.summary = execution.summary
        stored.worker = execution.worker
        stored.startedAt = execution.startedAt
        stored.endedAt = execution.endedAt
        executionRecords[execution.id] = stored
    }

    public func execution(id: String) async throws -> ExecutionRecord {
        guard let execution = executionRecords[id] else { throw StoreError.notFound(kind: "execution", id: id) }
        return execution
    }

    public func executions(runId: String) async throws -> [ExecutionRecord] {
        (executionOrder[runId] ?? []).compactMap { executionRecords[$0] }
    }

    public func append(_ record: StepRecord) async throws -> Int {
        var record = record
        record.sequence = (journal[record.executionId]?.count ?? 0) + 1
        journal[record.executionId, default: []].append(record)
        return record.sequence
    }

    public func steps(executionId: String) async throws -> [StepRecord] {
        journal[executionId] ?? []
    }

    public func putBlob(_ bytes: [UInt8], executionId: String?) async throws -> String {
        let id = UUID().uuidString.lowercased()
        blobs[id] = bytes
        return id
    }

    public func blob(id: String) async throws -> [UInt8] {
        guard let bytes = blobs[id] else { throw StoreError.notFound(kind: "blob", id: id) }
        return bytes
    }
}
