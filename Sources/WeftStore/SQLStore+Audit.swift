import Foundation
import SQLKit
import WeftEngine
import WeftModel

extension SQLStore: AuditStore {
    public func appendAudit(_ record: AuditRecord) async throws -> Int {
        let at = StoreDate.rounded(record.at)
        let details = JSONParameter(record.details)
        let sequence = try await withDatabase { db in
            try await db.raw(
                """
                INSERT INTO audit_log (at, actor_id, actor_name, action, target, status, details)
                VALUES (\(bind: at), \(bind: record.actorId), \(bind: record.actorName), \(bind: record.action),
                        \(bind: record.target), \(bind: record.status), \(details))
                RETURNING sequence
                """
            ).first()?.int("sequence")
        }
        guard let sequence else { throw StoreError.backend("the audit entry got no sequence") }
        return sequence
    }

    public func auditEntries(limit: Int, before: Int?) async throws -> [AuditRecord] {
        let rows = try await withDatabase { db in
            try await db.raw(
                """
                SELECT * FROM audit_log WHERE sequence < \(bind: before ?? Int.max)
                ORDER BY sequence DESC LIMIT \(bind: max(0, limit))
                """
            ).all()
        }
        return try rows.map { row in
            try decoding {
                AuditRecord(
                    sequence: try row.int("sequence"), at: try row.date("at"), actorId: try row.optionalString("actor_id"),
                    actorName: try row.optionalString("actor_name"), action: try row.string("action"),
                    target: try row.string("target"), status: try row.int("status"), details: try row.json("details"))
            }
        }
    }
}
