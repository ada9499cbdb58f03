import Foundation
import SQLKit
import WeftEngine
import WeftModel

extension SQLStore: RunStore {
    /// Throws `StoreError.conflict` when a run with the same id exists.
    public func createRun(_ run: RunRecord) async throws {
        try await withDatabase { db in
            try await db.raw(
                """
                INSERT INTO runs (id, flow_id, flow_version, flow_name, trigger_kind, dry_run, status, options,
                                  created_at, ended_at)
                VALUES (\(bind: run.id), \(bind: run.flowId), \(bind: run.flowVersion), \(bind: run.flowName),
                        \(bind: run.trigger), \(bind: run.dryRun), \(bind: run.status.rawValue),
                        \(JSONParameter(run.options)), \(bind: StoreDate.rounded(run.createdAt)),
                        \(bind: StoreDate.rounded(run.endedAt)))
                """
            ).run()
        }
    }

    public func updateRun(id: String, status: RunStatus, endedAt: Date?) async throws {
        let updated = try await withDatabase { db in
            try await db.raw(
                """
                UPDATE runs SET status = \(bind: status.rawValue), ended_at = \(bind: StoreDate.rounded(endedAt))
                WHERE id = \(bind: id) RETURNING id
                """
            ).first() != nil
        }
        guard updated else { throw StoreError.notFound(kind: "run", id: id) }
    }

    public func run(id: String) async throws -> RunRecord {
        let row = try await withDatabase { db in
            try await db.raw("SELECT * FROM runs WHERE id = \(bind: id)").first()
        }
        guard let row else { throw StoreError.notFound(kind: "run", id: id) }
        return try decodeRun(row)
    }

    /// Runs newest first (by `createdAt`, then by creation order), at most `limit` of them.
    public func runs(flowId: String?, limit: Int) async throws -> [RunRecord] {
        let limit = max(0, limit)
        let rows = try await withDatabase { db in
            if let flowId {
                return try await db.raw(
                    """
                    SELECT * FROM runs WHERE flow_id = \(bind: flowId)
                    ORDER BY created_at DESC, seq DESC LIMIT \(bind: limit)
                    """
                ).all()
            }
            return try await db.raw("SELECT * FROM runs ORDER BY created_at DESC, seq DESC LIMIT \(bind: limit)").all()
        }
        return try rows.map { try decodeRun($0) }
    }

    /// Throws `StoreError.conflict` when an execution with the same id exists and `StoreError.notFound`
    /// (kind `run`) when its run does not exist.
    public func createExecution(_ execution: ExecutionRecord) async throws {
        try await withDatabase { db in
            do {
                try await db.raw(
                    """
                    INSERT INTO executions (id, run_id, connector, account_id, region, provider, status, error,
                                            summary, worker, started_at, ended_at)
                    VALUES (\(bind: execution.id), \(bind: execution.runId), \(bind: execution.connector),
                            \(bind: execution.accountId), \(bind: execution.region), \(bind: execution.provider),
                            \(bind: execution.status.rawValue), \(JSONParameter(execution.error)),
                            \(JSONParameter(execution.summary)), \(bind: execution.worker),
                            \(bind: StoreDate.rounded(execution.startedAt)), \(bind: StoreDate.rounded(execution.endedAt)))
                    """
                ).run()
            } catch where SQLStore.isForeignKeyViolation(error) {
                throw StoreError.notFound(kind: "run", id: execution.runId)
            }
        }
    }

    /// Replaces status, error, summary, worker, start and end time; `runId`, connector, account, region
    /// and provider are kept as created. Throws `StoreError.notFound` for an unknown execution.
    public func updateExecution(_ execution: ExecutionRecord) async throws {
        let updated = try await withDatabase { db in
            try await db.raw(
                """
                UPDATE executions SET status = \(bind: execution.status.rawValue),
                    error = \(JSONParameter(execution.error)), summary = \(JSONParameter(execution.summary)),
                    worker = \(bind: execution.worker), started_at = \(bind: StoreDate.rounded(execution.startedAt)),
                    ended_at = \(bind: StoreDate.rounded(execution.endedAt))
                WHERE id = \(bind: execution.id) RETURNING id
                """
            ).first() != nil
        }
        guard updated else { throw StoreError.notFound(kind: "execution", id: execution.id) }
    }

    public func execution(id: String) async throws -> ExecutionRecord {
        let row = try await withDatabase { db in
            try await db.raw("SELECT * FROM executions WHERE id = \(bind: id)").first()
        }
        guard let row else { throw StoreError.notFound(kind: "execution", id: id) }
        return try decodeExecution(row)
    }

    public func executions(runId: String) async throws -> [ExecutionRecord] {
        let rows = try await withDatabase { db in
            try await db.raw("SELECT * FROM executions WHERE run_id = \(bind: runId) ORDER BY seq").all()
        }
        return try rows.map { try decodeExecution($0) }
    }

    public func recentExecutions(limit: Int) async throws -> [String: [ExecutionRecord]] {
        let rows = try await withDatabase { db in
            try await db.raw(
                """
                SELECT * FROM (
                    SELECT e.*, r.flow_id AS flow_of_run,
                           ROW_NUMBER() OVER (PARTITION BY r.flow_id ORDER BY r.created_at DESC, r.seq DESC, e.seq) AS position
                    FROM runs r JOIN executions e ON e.run_id = r.id
                    WHERE r.flow_id IS NOT NULL AND r.dry_run = \(bind: false)
                ) ranked
                WHERE position <= \(bind: max(0, limit))
                ORDER BY flow_of_run, position
                """
            ).all()
        }
        var result: [String: [ExecutionRecord]] = [:]
        for row in rows {
            result[try decoding { try row.string("flow_of_run") }, default: []].append(try decodeExecution(row))
        }
        return result
    }

    private func decodeRun(_ row: any SQLRow) throws -> RunRecord {
        try decoding {
            RunRecord(
                id: try row.string("id"), flowId: try row.optionalString("flow_id"),
                flowVersion: try row.optionalInt("flow_version"), flowName: try row.string("flow_name"),
                trigger: try row.string("trigger_kind"), dryRun: try row.bool("dry_run"),
                status: try row.status("status"), options: try row.json("options"),
                createdAt: try row.date("created_at"), endedAt: try row.optionalDate("ended_at"))
        }
    }

    private func decodeExecution(_ row: any SQLRow) throws -> ExecutionRecord {
        try decoding {
            ExecutionRecord(
                id: try row.string("id"), runId: try row.string("run_id"), connector: try row.string("connector"),
                accountId: try row.optionalString("account_id"), region: try row.string("region"),
                provider: try row.optionalString("provider"), status: try row.status("status"),
                error: try row.optionalJSON("error"), summary: try row.json("summary"),
                worker: try row.optionalString("worker"), startedAt: try row.optionalDate("started_at"),
                endedAt: try row.optionalDate("ended_at"))
        }
    }
}
