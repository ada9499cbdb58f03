import Foundation
import WeftModel

/// A connector as stored by the server (SPEC 5): what identifies the cloud account and how to reach
/// it in the clear, its secrets only as a sealed blob that the store never opens.
public struct ConnectorRecord: Sendable, Equatable {
    public var id: String
    /// Unique among connectors; targets name connectors by it.
    public var name: String
    /// `aws`, `azure` or `gcp`.
    public var provider: String
    /// Account id, subscription id or project id.
    public var accountId: String?
    public var regions: [String]
    /// One URL for all services (moto, LocalStack, private endpoints).
    public var endpoint: String?
    /// The credentials' non-secret fields, e.g. `roleArn`, `profile`, `tenantId`.
    public var settings: JSONObject
    /// The names of the secret fields that are set, sorted (what the API shows as `*****`).
    public var secretNames: [String]
    /// The secret fields as one JSON object, sealed by the server; opaque to the store.
    public var sealedSecrets: [UInt8]
    /// The connector's scan schedule; flows with a scan trigger run after each scan.
    public var scan: ConnectorScan?
    /// SHA-256 (hex) of the secret token of the connector's webhook URL; `nil`: no webhook.
    public var webhookTokenHash: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, name: String, provider: String, accountId: String? = nil, regions: [String] = [],
        endpoint: String? = nil, settings: JSONObject = [:], secretNames: [String] = [], sealedSecrets: [UInt8] = [],
        scan: ConnectorScan? = nil, webhookTokenHash: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id; self.name = name; self.provider = provider; self.accountId = accountId; self.regions = regions
        self.endpoint = endpoint; self.settings = settings; self.secretNames = secretNames
        self.sealedSecrets = sealedSecrets; self.scan = scan; self.webhookTokenHash = webhookTokenHash
        self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

/// When a connector is scanned: a schedule expression (5-field cron, `cron(...)` or `rate(...)`) read
/// in `timezone`, fired while `active`.
public struct ConnectorScan: Sendable, Equatable {
    public var expression: String
    public var timezone: String
    public var active: Bool

    public init(expression: String, timezone: String = "UTC", active: Bool = true) {
        self.expression = expression; self.timezone = timezone; self.active = active
    }

    public var json: JSON {
        ["expression": .string(expression), "timezone": .string(timezone), "active": .bool(active)]
    }

    /// The scan schedule `value` describes (`{"expression", "timezone"?, "active"?}`), `nil` when it is
    /// not such an object.
    public init?(json value: JSON) {
        guard let expression = value["expression"]?.stringValue else { return nil }
        self.init(expression: expression, timezone: value["timezone"]?.stringValue ?? "UTC",
                  active: value["active"]?.boolValue ?? true)
    }
}

/// A named HTTP credential as stored by the server, for the `http` and `largeHttp` nodes: its
/// non-secret fields in the clear, its secrets only as a sealed blob.
public struct HTTPCredentialRecord: Sendable, Equatable {
    public var id: String
    /// Unique among HTTP credentials; nodes name credentials by it.
    public var name: String
    /// `basic`, `bearer`, `apiKey` or `oauth2ClientCredentials`.
    public var type: String
    /// The non-secret fields, e.g. `username`, `tokenUrl`, `clientId`, `scope`.
    public var fields: JSONObject
    /// The names of the secret fields that are set, sorted.
    public var secretNames: [String]
    /// The secret fields as one JSON object, sealed by the server; opaque to the store.
    public var sealedSecrets: [UInt8]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, name: String, type: String, fields: JSONObject = [:], secretNames: [String] = [],
        sealedSecrets: [UInt8] = [], createdAt: Date, updatedAt: Date
    ) {
        self.id = id; self.name = name; self.type = type; self.fields = fields; self.secretNames = secretNames
        self.sealedSecrets = sealedSecrets; self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

/// Connectors and named HTTP credentials.
///
/// Missing things throw `StoreError.notFound` with kind `connector` or `credential` (the id, or the
/// name for lookups by name); a taken id or name throws `StoreError.conflict`. Lists are ordered by
/// name. Dates come back rounded to the millisecond. Sealed secrets come back byte for byte.
public protocol ConnectorStore: Sendable {
    func createConnector(_ connector: ConnectorRecord) async throws
    /// Replaces every field but `id` and `createdAt`.
    func updateConnector(_ connector: ConnectorRecord) async throws
    func connector(id: String) async throws -> ConnectorRecord
    func connector(named name: String) async throws -> ConnectorRecord
    func connectors() async throws -> [ConnectorRecord]
    func deleteConnector(id: String) async throws

    func createHTTPCredential(_ credential: HTTPCredentialRecord) async throws
    /// Replaces every field but `id` and `createdAt`.
    func updateHTTPCredential(_ credential: HTTPCredentialRecord) async throws
    func httpCredential(id: String) async throws -> HTTPCredentialRecord
    func httpCredential(named name: String) async throws -> HTTPCredentialRecord
    func httpCredentials() async throws -> [HTTPCredentialRecord]
    func deleteHTTPCredential(id: String) async throws
}
