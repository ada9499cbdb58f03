import Foundation
import WeftModel

/// One entry of the audit log: who changed what, through which route, and how it ended.
public struct AuditRecord: Sendable, Equatable, Codable {
    /// Assigned by the store on append: 1, 2, 3, … in append order.
    public var sequence: Int
    public var at: Date
    /// The user who acted; `nil` for an unauthenticated attempt (a failed login).
    public var actorId: String?
    public var actorName: String?
    /// The route as declared, e.g. `PUT /api/v1/flows/{id}`, or an event name such as `login`.
    public var action: String
    /// The concrete resource path, e.g. `/api/v1/flows/flw_1a2b`.
    public var target: String
    /// The HTTP status the action ended with.
    public var status: Int
    /// Further facts (never request bodies or secrets), e.g. `{"remote": "127.0.0.1"}`.
    public var details: JSON

    public init(sequence: Int = 0, at: Date, actorId: String?, actorName: String?, action: String, target: String,
                status: Int, details: JSON = [:]) {
        self.sequence = sequence; self.at = at; self.actorId = actorId; self.actorName = actorName
        self.action = action; self.target = target; self.status = status; self.details = details
    }
}

/// The append-only audit log. Dates come back rounded to the millisecond.
public protocol AuditStore: Sendable {
    /// Appends `record` (its `sequence` is ignored) and returns the sequence it was given.
    func appendAudit(_ record: AuditRecord) async throws -> Int
    /// Entries newest first: at most `limit`, only those with a sequence below `before` when given.
    func auditEntries(limit: Int, before: Int?) async throws -> [AuditRecord]
}
