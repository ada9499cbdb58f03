import Foundation
import Hummingbird
import WeftEngine
import WeftModel

/// Builds a run's node services: given the base services (`RunnerConfiguration.services`), the
/// connectors the run targets and every named HTTP credential, all with their secrets opened, returns
/// the services and the secret values they hold (for the run's masker).
public typealias RunServicesProvider =
    @Sendable (_ base: NodeServices, _ connectors: [Connector], _ credentials: [NamedCredential]) throws -> (
        NodeServices, [JSON]
    )

extension AccessPolicy {
    /// Whether `user` may create, change or delete connectors and named HTTP credentials (Manager, Admin).
    /// Every authenticated user may list and read them, secrets masked.
    public static func managesConnectors(_ user: UserRecord) -> Bool { user.role == .manager || user.role == .admin }
}

/// Which credential fields are secret and which are plain settings, per connector provider and per
/// HTTP credential type.
enum SecretFields {
    /// What the API shows in place of a secret that is set; sent back in a PUT, it keeps the secret.
    static let mask = SecretMasker.mask

    struct Shape {
        var settings: [String]
        var secrets: [String]
        /// Fields that must be set (as a setting or secret) once the request is applied.
        var required: [String] = []
        var allowed: Set<String> { Set(settings + secrets) }
    }

    static let providers: [String: Shape] = [
        "aws": Shape(
            settings: ["roleArn", "profile"], secrets: ["accessKeyId", "secretAccessKey", "sessionToken", "externalId"]),
        "azure": Shape(
            settings: ["tenantId", "clientId", "authorityHost", "armEndpoint"], secrets: ["clientSecret"]),
        "gcp": Shape(settings: ["tokenUrl", "apiEndpoint"], secrets: ["serviceAccountKey"]),
    ]

    static let credentialTypes: [String: Shape] = [
        "basic": Shape(settings: ["username"], secrets: ["password"], required: ["username", "password"]),
        "bearer": Shape(settings: [], secrets: ["token"], required: ["token"]),
        "apiKey": Shape(settings: [], secrets: ["key"], required: ["key"]),
        "oauth2ClientCredentials": Shape(
            settings: ["tokenUrl", "clientId", "scope", "audience", "clientAuthentication"], secrets: ["clientSecret"],
            required: ["tokenUrl", "clientId", "clientSecret"]),
    ]
}

/// The settings and secrets a create or update leaves, from the request's fields and what was stored.
struct SplitFields {
    var settings: JSONObject = [:]
    var secrets: JSONObject = [:]

    /// The fields of `given` (field → value) under `shape`, with the `storedSecrets` that `given`
    /// leaves out or sends as `*****` (a PUT replaces the settings but keeps unsent secrets); `null`
    /// clears a field. Stored secrets the shape does not know are dropped.
    /// Throws 422 `validation_failed` naming the field (`pointerPrefix` + field) for an unknown field, a
    /// wrong type, or a missing required field.
    init(given: JSONObject, storedSecrets: JSONObject, shape: Shape, pointerPrefix: String, what: String) throws {
        for (name, value) in storedSecrets where shape.secrets.contains(name) { secrets[name] = value }
        for (name, value) in given {
            let pointer = pointerPrefix + "/" + name
            guard shape.allowed.contains(name) else {
                throw ConnectorJSON.invalid(
                    pointer, "unknown field '\(name)' for \(what) (known: \(shape.allowed.sorted().joined(separator: ", ")))")
            }
            if value.isNull {
                settings[name] = nil
                secrets[name] = nil
                continue
            }
            if shape.secrets.contains(name) {
                if value.stringValue == SecretFields.mask { continue }
                switch value {
                case .string(let text) where !text.isEmpty: secrets[name] = value
                case .object where name == "serviceAccountKey": secrets[name] = value
                default: throw ConnectorJSON.invalid(pointer, "'\(name)' must be a non-empty string")
                }
            } else {
                guard case .string = value else { throw ConnectorJSON.invalid(pointer, "'\(name)' must be a string") }
                settings[name] = value
            }
        }
        for name in shape.required where settings[name] == nil && secrets[name] == nil {
            throw ConnectorJSON.invalid(pointerPrefix + "/" + name, "'\(name)' is required for \(what)")
        }
    }

    typealias Shape = SecretFields.Shape
}

extension WeftServer {
    // MARK: Connectors

    /// `GET /api/v1/connectors`: every connector, secrets shown as `*****` (any authenticated user).
    func listConnectors(_ input: RouteInput) async throws -> Response {
        _ = try input.user
        return JSONResponse.make(["connectors": .array(try await store.connectors().map(ConnectorJSON.connector))])
    }

    /// `GET /api/v1/connectors/{id}` (any authenticated user).
    func readConnector(_ input: RouteInput) async throws -> Response {
        _ = try input.user
        return JSONResponse.make(["connector": ConnectorJSON.connector(try await store.connector(id: try input.parameter("id")))])
    }

    /// `POST /api/v1/connectors {"name", "provider", "accountId"?, "regions"?, "endpoint"?, "credentials"?,
    /// "scan"?}` (Manager, Admin): 201 with the connector; its secrets are sealed and never shown again.
    /// `scan` is `{"expression", "timezone"?, "active"?}`: the connector's scan schedule. Raises a
    /// `Connector Created` event.
    func createConnector(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.managesConnectors(try input.user) else { throw APIError.forbidden() }
        let body = try await JSONBody.read(input.request, limit: configuration.maxBodyBytes)
        let now = Date()
        let id = Credentials.newId("con")
        let record = try connectorRecord(
            body, id: id, storedSecrets: [:], createdAt: now, updatedAt: now)
        try await store.createConnector(record)
        await raiseConnectorEvent("Connector Created", record)
        return JSONResponse.make(
            ["connector": ConnectorJSON.connector(try await store.connector(id: id))], status: .created,
            headers: [.location: "/api/v1/connectors/\(id)"])
    }

    /// `PUT /api/v1/connectors/{id}` with the same body as POST (Manager, Admin): replaces the
    /// connector; a secret left out or sent as `*****` keeps its stored value, `null` clears it. The
    /// webhook stays as it was. Raises a `Connector Updated` event.
    func updateConnector(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.managesConnectors(try input.user) else { throw APIError.forbidden() }
        let existing = try await store.connector(id: try input.parameter("id"))
        let body = try await JSONBody.read(input.request, limit: configuration.maxBodyBytes)
        var record = try connectorRecord(
            body, id: existing.id, storedSecrets: try openSecrets(of: existing), createdAt: existing.createdAt, updatedAt: Date())
        record.webhookTokenHash = existing.webhookTokenHash
        try await store.updateConnector(record)
        await raiseConnectorEvent("Connector Updated", record)
        return JSONResponse.make(["connector": ConnectorJSON.connector(try await store.connector(id: existing.id))])
    }

    /// `DELETE /api/v1/connectors/{id}` (Manager, Admin): 204. Raises a `Connector Deleted` event.
    func deleteConnector(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.managesConnectors(try input.user) else { throw APIError.forbidden() }
        let existing = try await store.connector(id: try input.parameter("id"))
        try await store.deleteConnector(id: existing.id)
        await raiseConnectorEvent("Connector Deleted", existing)
        return JSONResponse.noContent()
    }

    // MARK: Named HTTP credentials

    /// `GET /api/v1/credentials`: every named HTTP credential, secrets shown as `*****`.
    func listHTTPCredentials(_ input: RouteInput) async throws -> Response {
        _ = try input.user
        return JSONResponse.make(["credentials": .array(try await store.httpCredentials().map(ConnectorJSON.credential))])
    }

    /// `GET /api/v1/credentials/{id}`.
    func readHTTPCredential(_ input: RouteInput) async throws -> Response {
        _ = try input.user
        return JSONResponse.make(
            ["credential": ConnectorJSON.credential(try await store.httpCredential(id: try input.parameter("id")))])
    }

    /// `POST /api/v1/credentials {"name", "type", …fields}` (Manager, Admin), fields as in the
    /// connectors file: `basic` username + password, `bearer` token, `apiKey` key,
    /// `oauth2ClientCredentials` tokenUrl, clientId, clientSecret, scope?, audience?, clientAuthentication?.
    func createHTTPCredential(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.managesConnectors(try input.user) else { throw APIError.forbidden() }
        let body = try await JSONBody.read(input.request, limit: configuration.maxBodyBytes)
        let now = Date()
        let id = Credentials.newId("crd")
        let record = try credentialRecord(body, id: id, storedSecrets: [:], createdAt: now, updatedAt: now)
        try await store.createHTTPCredential(record)
        return JSONResponse.make(
            ["credential": ConnectorJSON.credential(try await store.httpCredential(id: id))], status: .created,
            headers: [.location: "/api/v1/credentials/\(id)"])
    }

    /// `PUT /api/v1/credentials/{id}` with the same body as POST (Manager, Admin); secrets as for connectors.
    func updateHTTPCredential(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.managesConnectors(try input.user) else { throw APIError.forbidden() }
        let existing = try await store.httpCredential(id: try input.parameter("id"))
        let body = try await JSONBody.read(input.request, limit: configuration.maxBodyBytes)
        let record = try credentialRecord(
            body, id: existing.id, storedSecrets: try openSecrets(of: existing), createdAt: existing.createdAt, updatedAt: Date())
        try await store.updateHTTPCredential(record)
        return JSONResponse.make(["credential": ConnectorJSON.credential(try await store.httpCredential(id: existing.id))])
    }

    /// `DELETE /api/v1/credentials/{id}` (Manager, Admin): 204.
    func deleteHTTPCredential(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.managesConnectors(try input.user) else { throw APIError.forbidden() }
        try await store.deleteHTTPCredential(id: try input.parameter("id"))
        return JSONResponse.noContent()
    }

    // MARK: Runs

    /// What a run started through the API gets from the stored connectors and credentials.
    struct RunResources: Sendable {
        /// The node services of the run; `nil` to use the worker's own.
        var services: NodeServices?
        /// Secret values to mask in everything the run records.
        var secrets: [JSON]
    }

    /// The stored connectors for target resolution (no secrets opened).
    func connectorsForTargets() async throws -> [Connector] {
        try await store.connectors().map {
            Connector(
                name: $0.name, provider: $0.provider, accountId: $0.accountId, regions: $0.regions, endpoint: $0.endpoint)
        }
    }

    /// Opens the secrets of the connectors `targets` use and of every named HTTP credential, and
    /// builds the run's services through `configuration.servicesForRun`.
    ///
    /// Throws 500 `secrets_unreadable` when a secret cannot be opened (wrong data key, altered data),
    /// and 422 when the services cannot be built from them.
    func resourcesForRun(targets: [ExecutionTarget]) async throws -> RunResources {
        let names = Set(targets.map(\.connector))
        var connectors: [Connector] = []
        var secrets: [JSON] = []
        for record in try await store.connectors() where names.contains(record.name) {
            let opened = try openSecrets(of: record)
            if !opened.isEmpty { secrets.append(.object(opened)) }
            var credentials = record.settings
            for (name, value) in opened { credentials[name] = value }
            connectors.append(
                Connector(
                    name: record.name, provider: record.provider, accountId: record.accountId, regions: record.regions,
                    endpoint: record.endpoint, credentials: credentials))
        }
        var credentials: [NamedCredential] = []
        for record in try await store.httpCredentials() {
            let opened = try openSecrets(of: record)
            if !opened.isEmpty { secrets.append(.object(opened)) }
            var fields = record.fields
            for (name, value) in opened { fields[name] = value }
            credentials.append(NamedCredential(name: record.name, type: record.type, fields: fields))
        }
        guard let provider = configuration.servicesForRun else {
            return RunResources(services: nil, secrets: secrets)
        }
        do {
            let (services, held) = try provider(configuration.runner.services, connectors, credentials)
            return RunResources(services: services, secrets: secrets + held)
        } catch {
            let reason = SecretMasker(secretValues: secrets).mask("\(error)")
            throw APIError(
                .unprocessableContent, code: "validation_failed", message: "cannot set up the run's connectors: \(reason)")
        }
    }

    // MARK: Helpers

    private func openSecrets(of record: ConnectorRecord) throws -> JSONObject {
        guard !record.sealedSecrets.isEmpty else { return [:] }
        return try open(record.sealedSecrets, context: "connector:\(record.id)")
    }

    private func openSecrets(of record: HTTPCredentialRecord) throws -> JSONObject {
        guard !record.sealedSecrets.isEmpty else { return [:] }
        return try open(record.sealedSecrets, context: "credential:\(record.id)")
    }

    private func open(_ sealed: [UInt8], context: String) throws -> JSONObject {
        do {
            return try configuration.secretBox.open(sealed, context: context)
        } catch {
            throw APIError(.internalServerError, code: "secrets_unreadable", message: error.message)
        }
    }

    private func seal(_ secrets: JSONObject, context: String) throws -> [UInt8] {
        guard !secrets.isEmpty else { return [] }
        return try configuration.secretBox.seal(secrets, context: context)
    }

    private func connectorRecord(
        _ body: JSONBody, id: String, storedSecrets: JSONObject, createdAt: Date, updatedAt: Date
    ) throws -> ConnectorRecord {
        try body.allowOnly(["name", "provider", "accountId", "regions", "endpoint", "credentials", "scan"])
        let name = try ConnectorJSON.name(body)
        let provider = try ConnectorJSON.requiredString(body, "provider")
        guard let shape = SecretFields.providers[provider] else {
            throw ConnectorJSON.invalid("/provider", "unknown provider '\(provider)' (expected aws, azure or gcp)")
        }
        var accountId: String?
        switch body.object["accountId"] {
        case nil, .null?: accountId = nil
        case .string(let text)?: accountId = text.isEmpty ? nil : text
        case .int(let number)?: accountId = String(number)
        default: throw ConnectorJSON.invalid("/accountId", "'accountId' must be a string")
        }
        var regions: [String] = []
        if let value = body.object["regions"], !value.isNull {
            guard let array = value.arrayValue else {
                throw ConnectorJSON.invalid("/regions", "'regions' must be an array of strings")
            }
            for (index, element) in array.enumerated() {
                guard let region = element.stringValue, !region.isEmpty else {
                    throw ConnectorJSON.invalid("/regions/\(index)", "each region must be a non-empty string")
                }
                if !regions.contains(region) { regions.append(region) }
            }
        }
        var endpoint: String?
        if let value = body.object["endpoint"], !value.isNull {
            guard let text = value.stringValue, let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""),
                url.host != nil
            else { throw ConnectorJSON.invalid("/endpoint", "'endpoint' must be an http or https URL") }
            endpoint = text
        }
        var given: JSONObject = [:]
        if let value = body.object["credentials"], !value.isNull {
            guard let object = value.objectValue else {
                throw ConnectorJSON.invalid("/credentials", "'credentials' must be an object")
            }
            given = object
        }
        let fields = try SplitFields(
            given: given, storedSecrets: storedSecrets, shape: shape, pointerPrefix: "/credentials",
            what: "an \(provider) connector")
        if provider == "aws", (fields.secrets["accessKeyId"] == nil) != (fields.secrets["secretAccessKey"] == nil) {
            let missing = fields.secrets["accessKeyId"] == nil ? "accessKeyId" : "secretAccessKey"
            throw ConnectorJSON.invalid("/credentials/\(missing)", "'accessKeyId' and 'secretAccessKey' go together")
        }
        return ConnectorRecord(
            id: id, name: name, provider: provider, accountId: accountId, regions: regions, endpoint: endpoint,
            settings: fields.settings, secretNames: fields.secrets.keys.sorted(),
            sealedSecrets: try seal(fields.secrets, context: "connector:\(id)"), scan: try ConnectorJSON.scan(body),
            createdAt: createdAt, updatedAt: updatedAt)
    }

    private func credentialRecord(
        _ body: JSONBody, id: String, storedSecrets: JSONObject, createdAt: Date, updatedAt: Date
    ) throws -> HTTPCredentialRecord {
        let name = try ConnectorJSON.name(body)
        let type = try ConnectorJSON.requiredString(body, "type")
        guard let shape = SecretFields.credentialTypes[type] else {
            throw ConnectorJSON.invalid(
                "/type", "unknown credential type '\(type)' (expected \(ConnectorsFile.credentialTypes.joined(separator: ", ")))")
        }
        var given = body.object
        given["name"] = nil
        given["type"] = nil
        let fields = try SplitFields(
            given: given, storedSecrets: storedSecrets, shape: shape, pointerPrefix: "", what: "a \(type) credential")
        return HTTPCredentialRecord(
            id: id, name: name, type: type, fields: fields.settings, secretNames: fields.secrets.keys.sorted(),
            sealedSecrets: try seal(fields.secrets, context: "credential:\(id)"), createdAt: createdAt,
            updatedAt: updatedAt)
    }
}

/// The JSON shapes of connectors and credentials: secrets appear only as `*****`.
enum ConnectorJSON {
    static func connector(_ record: ConnectorRecord) -> JSON {
        var credentials = record.settings
        for name in record.secretNames { credentials[name] = .string(SecretFields.mask) }
        return [
            "id": .string(record.id), "name": .string(record.name), "provider": .string(record.provider),
            "accountId": record.accountId.map(JSON.string) ?? .null, "regions": .array(record.regions.map(JSON.string)),
            "endpoint": record.endpoint.map(JSON.string) ?? .null, "credentials": .object(credentials),
            "scan": record.scan?.json ?? .null,
            "webhook": record.webhookTokenHash == nil ? .null : ["path": .string(WeftServer.webhookPath(record.id))],
            "createdAt": DateJSON.json(record.createdAt), "updatedAt": DateJSON.json(record.updatedAt),
        ]
    }

    /// The `scan` field of a connector body: `nil` when absent or `null`; 422 naming the field when the
    /// expression or time zone is invalid.
    static func scan(_ body: JSONBody) throws -> ConnectorScan? {
        guard let value = body.object["scan"], !value.isNull else { return nil }
        guard let object = value.objectValue else { throw invalid("/scan", "'scan' must be an object or null") }
        for key in object.keys where !["expression", "timezone", "active"].contains(key) {
            throw invalid("/scan/\(key)", "unknown field '\(key)' (expected expression, timezone, active)")
        }
        guard let expression = object["expression"]?.stringValue else {
            throw invalid("/scan/expression", "a scan needs an 'expression' (cron, cron(...) or rate(...))")
        }
        do {
            _ = try ScheduleExpression(expression)
        } catch {
            throw invalid("/scan/expression", "invalid schedule expression: \(error)")
        }
        if let zone = object["timezone"], zone.stringValue.flatMap(TimeZone.init(identifier:)) == nil {
            throw invalid("/scan/timezone", "'timezone' must be an IANA time zone such as Europe/London")
        }
        if let active = object["active"], active.boolValue == nil { throw invalid("/scan/active", "'active' must be a boolean") }
        guard let scan = ConnectorScan(json: value) else { throw invalid("/scan", "invalid scan schedule") }
        return scan
    }

    static func credential(_ record: HTTPCredentialRecord) -> JSON {
        var object: JSONObject = ["id": .string(record.id), "name": .string(record.name), "type": .string(record.type)]
        for (name, value) in record.fields { object[name] = value }
        for name in record.secretNames { object[name] = .string(SecretFields.mask) }
        object["createdAt"] = DateJSON.json(record.createdAt)
        object["updatedAt"] = DateJSON.json(record.updatedAt)
        return .object(object)
    }

    /// 422 `validation_failed` with the field's JSON pointer in `details.pointer`.
    static func invalid(_ pointer: String, _ message: String) -> APIError {
        APIError(.unprocessableContent, code: "validation_failed", message: message, details: ["pointer": .string(pointer)])
    }

    static func requiredString(_ body: JSONBody, _ key: String) throws -> String {
        guard case .string(let text)? = body.object[key], !text.isEmpty else {
            throw invalid("/\(key)", "'\(key)' is required (a non-empty string)")
        }
        return text
    }

    /// The `name`: 1–100 characters, no control characters.
    static func name(_ body: JSONBody) throws -> String {
        let name = try requiredString(body, "name")
        guard name.count <= 100, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw invalid("/name", "'name' must be 1–100 characters without control characters")
        }
        return name
    }
}
