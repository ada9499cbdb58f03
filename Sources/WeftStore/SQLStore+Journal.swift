import Foundation
import SQLKit
import SQLiteKit
import WeftEngine
import WeftModel

extension SQLStore: StepJournal {
    /// Appends `record` with the next sequence number of its execution (its `sequence` is ignored).
    ///
    /// One statement inserts the step numbered one past the execution's highest, selecting from the
    /// execution's row so that nothing is inserted when it does not exist (`StoreError.notFound`, kind
    /// `execution`). When a concurrent append (from any process; on PostgreSQL) took the number, the
    /// append is redone in a transaction that first locks the execution's row (on SQLite, the whole
    /// database), so that it sees every step committed before it.
    ///
    /// Steps carry no foreign key to their execution: the insert checks it, and SQLite (which prepares
    /// every statement anew here) would spend a large share of each append compiling the check.
    public func append(_ record: StepRecord) async throws -> Int {
        let values = StepValues(record)
        let insert: SQLQueryString = """
            INSERT INTO steps (execution_id, sequence, node_id, attempt, iteration, worker, status, started_at,
                               ended_at, input, outputs, item_counts, error, logs, trace)
            SELECT id, COALESCE((SELECT MAX(sequence) FROM steps WHERE execution_id = \(bind: values.executionId)), 0) + 1,
                   \(bind: values.nodeId), \(bind: values.attempt), \(bind: values.iteration), \(bind: values.worker),
                   \(bind: values.status), \(bind: values.startedAt), \(bind: values.endedAt), \(values.input),
                   \(values.outputs), \(values.itemCounts), \(values.error), \(values.logs), \(values.trace)
            FROM executions WHERE id = \(bind: values.executionId)
            ON CONFLICT (execution_id, sequence) DO NOTHING
            RETURNING sequence
            """
        var sequence = try await withDatabase { db in
            try await db.raw(insert).first()?.int("sequence")
        }
        if sequence == nil {
            let lock = engine == .postgres ? " FOR NO KEY UPDATE" : ""
            sequence = try await transaction { db in
                let locked = try await db.raw(
                    "SELECT id FROM executions WHERE id = \(bind: values.executionId)\(unsafeRaw: lock)"
                ).first()
                guard locked != nil else { return nil }
                return try await db.raw(insert).first()?.int("sequence")
            }
        }
        guard let sequence else { throw StoreError.notFound(kind: "execution", id: record.executionId) }
        return sequence
    }

    public func steps(executionId: String) async throws -> [StepRecord] {
        let rows = try await withDatabase { db in
            try await db.raw("SELECT * FROM steps WHERE execution_id = \(bind: executionId) ORDER BY sequence").all()
        }
        return try rows.map { row in
            try decoding {
                StepRecord(
                    executionId: try row.string("execution_id"), sequence: try row.int("sequence"),
                    nodeId: try row.string("node_id"), attempt: try row.int("attempt"),
                    iteration: try row.int("iteration"), worker: try row.optionalString("worker"),
                    status: try row.status("status"), startedAt: try row.date("started_at"),
                    endedAt: try row.optionalDate("ended_at"), input: try row.json("input"),
                    outputs: try StepColumns.outputs(try row.json("outputs")),
                    itemCounts: try StepColumns.itemCounts(try row.json("item_counts")),
                    error: try StepColumns.error(try row.optionalJSON("error")),
                    logs: try StepColumns.strings(try row.json("logs"), column: "logs"),
                    trace: try row.optionalJSON("trace"))
            }
        }
    }

    /// Stores `bytes` under a new random id. Throws `StoreError.notFound` (kind `execution`) when
    /// `executionId` names no execution.
    public func putBlob(_ bytes: [UInt8], executionId: String?) async throws -> String {
        let id = UUID().uuidString.lowercased()
        let data = ByteBuffer(bytes: bytes)
        try await withDatabase { db in
            do {
                try await db.raw(
                    """
                    INSERT INTO blobs (id, execution_id, size, data, created_at)
                    VALUES (\(bind: id), \(bind: executionId), \(bind: bytes.count), \(bind: data), \(bind: StoreDate.now()))
                    """
                ).run()
            } catch where SQLStore.isForeignKeyViolation(error) {
                throw StoreError.notFound(kind: "execution", id: executionId ?? "")
            }
        }
        return id
    }

    public func blob(id: String) async throws -> [UInt8] {
        let row = try await withDatabase { db in
            try await db.raw("SELECT data FROM blobs WHERE id = \(bind: id)").first()
        }
        guard let row else { throw StoreError.notFound(kind: "blob", id: id) }
        return try decoding {
            var buffer = try row.decode(column: "data", as: ByteBuffer.self)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        }
    }
}

/// A step record's column values, encoded once before the statement is built.
private struct StepValues: Sendable {
    var executionId: String
    var nodeId: String
    var attempt: Int
    var iteration: Int
    var worker: String?
    var status: String
    var startedAt: Date
    var endedAt: Date?
    var input: JSONParameter
    var outputs: JSONParameter
    var itemCounts: JSONParameter
    var error: JSONParameter
    var logs: JSONParameter
    var trace: JSONParameter

    init(_ record: StepRecord) {
        executionId = record.executionId
        nodeId = record.nodeId
        attempt = record.attempt
        iteration = record.iteration
        worker = record.worker
        status = record.status.rawValue
        startedAt = StoreDate.rounded(record.startedAt)
        endedAt = StoreDate.rounded(record.endedAt)
        input = JSONParameter(record.input)
        outputs = JSONParameter(StepColumns.outputs(record.outputs))
        itemCounts = JSONParameter(StepColumns.itemCounts(record.itemCounts))
        error = JSONParameter(StepColumns.error(record.error))
        logs = JSONParameter(StepColumns.strings(record.logs))
        trace = JSONParameter(record.trace)
    }
}
