import Foundation
import SQLKit
import WeftEngine
import WeftModel

extension SQLStore: FlowStore {
    /// Saves a new version in one transaction: the flow's row is created or its metadata replaced, and
    /// its version counter is incremented under the row's lock, so concurrent saves get distinct numbers.
    public func saveFlow(
        id flowId: String, name: String, owner: String?, categories: [String], tags: [String],
        document: JSON, author: String?
    ) async throws -> FlowVersion {
        let now = StoreDate.now()
        let version = try await transaction { db in
            let row = try await db.raw(
                """
                INSERT INTO flows (id, name, owner, categories, tags, latest_version, created_at, updated_at)
                VALUES (\(bind: flowId), \(bind: name), \(bind: owner), \(JSONParameter(StepColumns.strings(categories))),
                        \(JSONParameter(StepColumns.strings(tags))), 1, \(bind: now), \(bind: now))
                ON CONFLICT (id) DO UPDATE SET
                    name = excluded.name, owner = excluded.owner, categories = excluded.categories,
                    tags = excluded.tags, latest_version = flows.latest_version + 1, updated_at = excluded.updated_at
                RETURNING latest_version
                """
            ).first()
            guard let version = try row?.int("latest_version") else {
                throw StoreError.backend("saving flow \(flowId) returned no version")
            }
            try await db.raw(
                """
                INSERT INTO flow_versions (flow_id, version, document, author, created_at)
                VALUES (\(bind: flowId), \(bind: version), \(JSONParameter(document)), \(bind: author), \(bind: now))
                """
            ).run()
            return version
        }
        return FlowVersion(flowId: flowId, version: version, document: document, author: author, createdAt: now)
    }

    public func flow(id: String) async throws -> FlowRecord {
        let row = try await withDatabase { db in
            try await db.raw("SELECT * FROM flows WHERE id = \(bind: id)").first()
        }
        guard let row else { throw StoreError.notFound(kind: "flow", id: id) }
        return try decodeFlow(row)
    }

    public func flows() async throws -> [FlowRecord] {
        let rows = try await withDatabase { db in
            try await db.raw("SELECT * FROM flows ORDER BY name, id").all()
        }
        var flows: [FlowRecord] = []
        flows.reserveCapacity(rows.count)
        for row in rows { flows.append(try decodeFlow(row)) }
        return flows
    }

    public func flowVersion(flowId: String, version: Int) async throws -> FlowVersion {
        let row = try await withDatabase { db in
            try await db.raw(
                "SELECT * FROM flow_versions WHERE flow_id = \(bind: flowId) AND version = \(bind: version)"
            ).first()
        }
        guard let row else { throw StoreError.notFound(kind: "flow version", id: "\(flowId)@\(version)") }
        return try decodeVersion(row)
    }

    public func flowVersions(flowId: String) async throws -> [FlowVersion] {
        let rows = try await withDatabase { db in
            try await db.raw("SELECT * FROM flow_versions WHERE flow_id = \(bind: flowId) ORDER BY version").all()
        }
        var versions: [FlowVersion] = []
        versions.reserveCapacity(rows.count)
        for row in rows { versions.append(try decodeVersion(row)) }
        return versions
    }

    /// Deletes the flow and, by cascade, its versions; runs keep their `flowId`.
    /// Throws `StoreError.notFound` when there is no such flow.
    public func deleteFlow(id: String) async throws {
        let deleted = try await withDatabase { db in
            try await db.raw("DELETE FROM flows WHERE id = \(bind: id) RETURNING id").first() != nil
        }
        guard deleted else { throw StoreError.notFound(kind: "flow", id: id) }
    }

    private func decodeFlow(_ row: any SQLRow) throws -> FlowRecord {
        try decoding {
            FlowRecord(
                id: try row.string("id"), name: try row.string("name"), owner: try row.optionalString("owner"),
                categories: try StepColumns.strings(try row.json("categories"), column: "categories"),
                tags: try StepColumns.strings(try row.json("tags"), column: "tags"),
                latestVersion: try row.int("latest_version"), createdAt: try row.date("created_at"),
                updatedAt: try row.date("updated_at"))
        }
    }

    private func decodeVersion(_ row: any SQLRow) throws -> FlowVersion {
        try decoding {
            FlowVersion(
                flowId: try row.string("flow_id"), version: try row.int("version"), document: try row.json("document"),
                author: try row.optionalString("author"), createdAt: try row.date("created_at"))
        }
    }
}
