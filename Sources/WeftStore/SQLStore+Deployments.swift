import Foundation
import SQLKit
import WeftEngine
import WeftModel

extension SQLStore: DeploymentStore {
    public func deploy(_ record: DeploymentRecord) async throws {
        let at = StoreDate.rounded(record.deployedAt)
        let targets = JSONParameter(record.targets)
        try await withDatabase { db in
            do {
                try await db.raw(
                    """
                    INSERT INTO deployments (flow_id, version, targets, deployed_by, deployed_at)
                    VALUES (\(bind: record.flowId), \(bind: record.version), \(targets), \(bind: record.deployedBy), \(bind: at))
                    ON CONFLICT (flow_id) DO UPDATE SET version = excluded.version, targets = excluded.targets,
                        deployed_by = excluded.deployed_by, deployed_at = excluded.deployed_at
                    """
                ).run()
            } catch where SQLStore.isForeignKeyViolation(error) {
                throw StoreError.notFound(kind: "flow", id: record.flowId)
            }
        }
    }

    @discardableResult
    public func undeploy(flowId: String) async throws -> Bool {
        let removed = try await withDatabase { db in
            try await db.raw("DELETE FROM deployments WHERE flow_id = \(bind: flowId) RETURNING flow_id").all()
        }
        return !removed.isEmpty
    }

    public func deployment(flowId: String) async throws -> DeploymentRecord? {
        let row = try await withDatabase { db in
            try await db.raw("SELECT * FROM deployments WHERE flow_id = \(bind: flowId)").first()
        }
        return try row.map(decodeDeployment)
    }

    public func deployments() async throws -> [DeploymentRecord] {
        let rows = try await withDatabase { db in
            try await db.raw("SELECT * FROM deployments ORDER BY flow_id").all()
        }
        return try rows.map(decodeDeployment)
    }

    private func decodeDeployment(_ row: any SQLRow) throws -> DeploymentRecord {
        try decoding {
            DeploymentRecord(
                flowId: try row.string("flow_id"), version: try row.int("version"), targets: try row.json("targets"),
                deployedBy: try row.optionalString("deployed_by"), deployedAt: try row.date("deployed_at"))
        }
    }
}
