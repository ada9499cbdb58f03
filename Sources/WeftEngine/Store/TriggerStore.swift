import Foundation
import WeftModel

/// A cloud event as received and stored by the server, with the runs it started.
public struct EventRecord: Sendable, Equatable {
    public var id: String
    public var receivedAt: Date
    /// How it arrived: `api` (POST /api/v1/events), `webhook` (a connector's webhook URL), `sns`
    /// (an SNS notification to a webhook URL) or `weft` (raised by Weft itself, e.g. connector changes).
    public var via: String
    /// The connector whose webhook received it, when it came through one.
    public var connectorId: String?
    /// The EventBridge-shaped event as received.
    public var event: JSON
    /// The runs it started, in start order.
    public var runIds: [String]

    public init(id: String, receivedAt: Date, via: String, connectorId: String? = nil, event: JSON, runIds: [String] = []) {
        self.id = id; self.receivedAt = receivedAt; self.via = via; self.connectorId = connectorId
        self.event = event; self.runIds = runIds
    }
}

/// Schedule claims and stored events.
///
/// A firing is claimed once per source and due time, whichever process asks first: that is how
/// several servers on one database fire each due time exactly once. Sources are strings such as
/// `flow:<id>` (a deployed flow's schedule) or `scan:<connector id>`.
public protocol TriggerStore: Sendable {
    /// Claims the firing of `source` due at `dueAt` for `claimant`; true when this call claimed it,
    /// false when it was claimed before (by anyone). Atomic across processes sharing the database.
    func claimFiring(source: String, dueAt: Date, claimant: String, claimedAt: Date) async throws -> Bool
    /// The latest due time claimed for `source`, `nil` when none was.
    func lastClaimedFiring(source: String) async throws -> Date?

    /// Stores an event; a taken id throws `StoreError.conflict`.
    func recordEvent(_ event: EventRecord) async throws
    /// The most recent events, newest first (ties by id), at most `limit`.
    func events(limit: Int) async throws -> [EventRecord]
}
