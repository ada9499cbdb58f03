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

    static func auditJSON(_ record: AuditRecord) -> JSON {
        [
            "sequence": .int(Int64(record.sequence)), "at": DateJSON.json(record.at),
            "actorId": record.actorId.map(JSON.string) ?? .null, "actorName": record.actorName.map(JSON.string) ?? .null,
            "action": .string(record.action), "target": .string(record.target), "status": .int(Int64(record.status)),
            "details": record.details,
        ]
    }
}
