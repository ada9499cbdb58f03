import Foundation
import Hummingbird
import WeftEngine
import WeftModel

extension AccessPolicy {
    /// Whether `user` may read the audit log and the server's metrics (Manager, Admin).
    public static func readsOperations(_ user: UserRecord) -> Bool { user.role == .manager || user.role == .admin }
}

extension WeftServer {
    /// `GET /api/v1/audit?limit=&before=`: audit entries newest first (default 100, at most 1000);
    /// `before` pages back from a sequence. Manager and Admin.
    func listAudit(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.readsOperations(try input.user) else { throw APIError.forbidden() }
        let limit = try input.intQuery("limit", default: 100, range: 1...1_000)
        let before = input.request.uri.queryParameters["before"] == nil
            ? nil : try input.intQuery("before", default: 0, range: 1...Int.max)
        let entries = try await store.auditEntries(limit: limit, before: before)
        return JSONResponse.make(["entries": .array(entries.map(Self.auditJSON))])
    }

    /// `GET /metrics`: Prometheus text format. Manager and Admin (a scraper sends an API token).
    func renderMetrics(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.readsOperations(try input.user) else { throw APIError.forbidden() }
        let text = metrics.render(gauges: [
            ("weft_runs_in_progress", "Runs in progress in this process.", Double(await worker.activeCount)),
        ])
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `GET /api/v1/roles`: the six roles and what each may do, derived from `AccessPolicy` (every role).
    func listRoles(_ input: RouteInput) async throws -> Response {
        _ = try input.user
        let roles: [JSON] = Role.allCases.map { role in
            let user = UserRecord(id: "probe", name: "probe", role: role, tags: ["t"], createdAt: Date())
            func actions(owner: String?, tags: [String]) -> JSON {
                .array(FlowAction.allCases.filter { $0 != .create && AccessPolicy.allows(user, $0, owner: owner, tags: tags) }
                    .map { .string($0.rawValue) })
            }
            return [
                "role": .string(role.rawValue),
                "createsFlows": .bool(AccessPolicy.mayCreateFlow(user)),
                "onOwnFlows": actions(owner: "probe", tags: []),
                "onFlowsWithTheirTags": actions(owner: "other", tags: ["t"]),
                "onOtherFlows": actions(owner: "other", tags: []),
                "grantsByRole": .array(ExchangeGrant.allCases.filter { $0.isHeld(by: user) }.map { .string($0.rawValue) }),
                "managesUsers": .bool(AccessPolicy.managesUsers(user)),
                "managesConnectors": .bool(AccessPolicy.managesConnectors(user)),
                "readsAuditAndMetrics": .bool(AccessPolicy.readsOperations(user)),
            ]
        }
        return JSONResponse.make(["roles": .array(roles)])
    }

    static func auditJSON(_ record: AuditRecord) -> JSON {
        [
            "sequence": .int(Int64(record.sequence)), "at": DateJSON.json(record.at),
            "actorId": record.actorId.map(JSON.string) ?? .null, "actorName": record.actorName.map(JSON.string) ?? .null,
            "action": .string(record.action), "target": .string(record.target), "status": .int(Int64(record.status)),
            "details": record.details,
        ]
    }
}
