import Foundation
import SQLKit
import WeftEngine
import WeftModel

extension SQLStore: TriggerStore {
    public func claimFiring(source: String, dueAt: Date, claimant: String, claimedAt: Date) async throws -> Bool {
        let claimed = try await withDatabase { db in
            try await db.raw(
                """
                INSERT INTO trigger_firings (source, due_at, claimed_by, claimed_at)
                VALUES (\(bind: source), \(bind: StoreDate.rounded(dueAt)), \(bind: claimant), \(bind: StoreDate.rounded(claimedAt)))
                ON CONFLICT (source, due_at) DO NOTHING RETURNING source
                """
            ).first()
        }
        return claimed != nil
    }

    public func lastClaimedFiring(source: String) async throws -> Date? {
        let row = try await withDatabase { db in
            try await db.raw(
                "SELECT due_at FROM trigger_firings WHERE source = \(bind: source) ORDER BY due_at DESC LIMIT 1"
            ).first()
        }
        guard let row else { return nil }
        return try decoding { try row.date("due_at") }
    }

    public func recordEvent(_ event: EventRecord) async throws {
        try await withDatabase { db in
            try await db.raw(
                """
                INSERT INTO events (id, received_at, via, connector_id, event, run_ids)
                VALUES (\(bind: event.id), \(bind: StoreDate.rounded(event.receivedAt)), \(bind: event.via),
                        \(bind: event.connectorId), \(JSONParameter(event.event)),
                        \(JSONParameter(StepColumns.strings(event.runIds))))
                """
            ).run()
        }
    }

    public func events(limit: Int) async throws -> [EventRecord] {
        let rows = try await withDatabase { db in
            try await db.raw("SELECT * FROM events ORDER BY received_at DESC, id DESC LIMIT \(bind: max(0, limit))").all()
        }
        return try rows.map { row in
            try decoding {
                EventRecord(
                    id: try row.string("id"), receivedAt: try row.date("received_at"), via: try row.string("via"),
                    connectorId: try row.optionalString("connector_id"), event: try row.json("event"),
                    runIds: try StepColumns.strings(try row.json("run_ids"), column: "run_ids"))
            }
        }
    }
}
