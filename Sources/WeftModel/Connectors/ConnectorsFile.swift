import OrderedCollections

/// A cloud account, subscription or project and how to reach it (SPEC §5).
public struct Connector: Sendable, Equatable {
    public var name: String
    /// `aws`, `azure` or `gcp`.
    public var provider: String
    /// Account id, subscription id or project id.
    public var accountId: String?
    public var regions: [String]
    /// One URL for all services (moto, LocalStack, private endpoints).
    public var endpoint: String?
    /// Provider-specific credentials; every value is secret.
    public var credentials: JSONObject

    public init(name: String, provider: String, accountId: String? = nil, regions: [String] = [],
                endpoint: String? = nil, credentials: JSONObject = [:]) {
        self.name = name; self.provider = provider; self.accountId = accountId; self.regions = regions
        self.endpoint = endpoint; self.credentials = credentials
    }
}

/// A named credential for the `http` and `largeHttp` nodes; every field but `name` and `type` is secret.
public struct NamedCredential: Sendable, Equatable {
    public var name: String
    /// `basic`, `bearer`, `apiKey` or `oauth2ClientCredentials`.
    public var type: String
    public var fields: JSONObject

    public init(name: String, type: String, fields: JSONObject) { self.name = name; self.type = type; self.fields = fields }
}

/// The connectors file that lets `weft run` reach clouds without a server (SPEC §5, a contract).
public struct ConnectorsFile: Sendable, Equatable {
    public var connectors: [Connector]
    public var credentials: [NamedCredential]

    public static let providers = ["aws", "azure", "gcp"]
    public static let credentialTypes = ["basic", "bearer", "apiKey", "oauth2ClientCredentials"]

    public init(connectors: [Connector] = [], credentials: [NamedCredential] = []) {
        self.connectors = connectors; self.credentials = credentials
    }

    public func connector(named name: String) -> Connector? { connectors.first { $0.name == name } }

    /// Decodes the file's JSON form strictly; every problem is returned with its pointer.
    public static func decode(_ value: JSON) -> (file: ConnectorsFile?, issues: [FlowIssue]) {
        var issues: [FlowIssue] = []
        guard var reader = ObjectReader(value, pointer: "", issues: &issues, what: "a connectors file") else { return (nil, issues) }
        var file = ConnectorsFile()
        var names: Set<String> = []
        for (index, element) in (reader.array("connectors", issues: &issues) ?? []).enumerated() {
            let pointer = "/connectors/\(index)"
            guard var c = ObjectReader(element, pointer: pointer, issues: &issues, what: "a connector") else { continue }
            let name = c.string("name", required: true, issues: &issues)
            let provider = c.string("provider", required: true, issues: &issues)
            let accountId = c.raw("accountId").flatMap { $0.stringValue ?? $0.intValue.map { String($0) } }
            let regions = c.strings("regions", issues: &issues) ?? []
            let endpoint = c.string("endpoint", issues: &issues)
            var credentials: JSONObject = [:]
            if let raw = c.raw("credentials") {
                if case .object(let o) = raw { credentials = o } else { issues.append(c.issue("credentials", "expected object, found \(raw.typeName)")) }
            }
            c.reportUnknownKeys(&issues, allowed: ["name", "provider", "accountId", "regions", "endpoint", "credentials"])
            if let provider, !providers.contains(provider) {
                issues.append(c.issue("provider", "unknown provider \"\(provider)\" (expected aws, azure or gcp)"))
            }
            if let name, !names.insert(name).inserted { issues.append(c.issue("name", "duplicate connector name '\(name)'")) }
            if let name, let provider {
                file.connectors.append(Connector(name: name, provider: provider, accountId: accountId, regions: regions,
                                                 endpoint: endpoint, credentials: credentials))
            }
        }
        for (index, element) in (reader.array("credentials", issues: &issues) ?? []).enumerated() {
            let pointer = "/credentials/\(index)"
            guard case .object(var fields) = element else {
                issues.append(FlowIssue(pointer: pointer, message: "a credential must be an object, found \(element.typeName)"))
                continue
            }
            guard case .string(let name)? = fields.removeValue(forKey: "name") else {
                issues.append(FlowIssue(pointer: pointer + "/name", message: "missing required key 'name'"))
                continue
            }
            guard case .string(let type)? = fields.removeValue(forKey: "type"), credentialTypes.contains(type) else {
                issues.append(FlowIssue(pointer: pointer + "/type", message: "credential '\(name)' needs a type: \(credentialTypes.joined(separator: ", "))"))
                continue
            }
            file.credentials.append(NamedCredential(name: name, type: type, fields: fields))
        }
        reader.reportUnknownKeys(&issues, allowed: ["connectors", "credentials"])
        return (file, issues)
    }

    /// Every secret the file holds, for masking.
    public var secretValues: [JSON] {
        connectors.map { .object($0.credentials) } + credentials.map { .object($0.fields) }
    }
}
