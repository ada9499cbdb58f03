import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeftEngine
import WeftModel
import WeftNodes
import WeftServer
import WeftStore
import WeftTesting

/// A live server on a free port over a fresh store (SQLite unless told otherwise), with the Manager
/// `admin` created.
struct ServerHarness: Sendable {
    static let adminPassword = "admin-password-1"
    let server: WeftServer
    let store: SQLStore

    /// Runs `body` with a client of a live server over a fresh store on `backend`; `configure` may
    /// change the server's configuration first.
    ///
    /// On PostgreSQL the tests must run under `scripts/with-postgres.sh`; with `WEFT_SKIP_POSTGRES=1`
    /// a PostgreSQL test case is cancelled (reported as skipped) instead of run.
    static func run(
        backend: StoreBackend = .sqlite, maxLoginFailures: Int = 5, extraTypes: [any NodeType.Type] = [],
        eventHeartbeat: Duration = .seconds(15), configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (ServerHarness, any TestClientProtocol) async throws -> Void
    ) async throws {
        if backend == .postgres, StoreBackend.skipsPostgres { try Test.cancel("WEFT_SKIP_POSTGRES=1") }
        try await backend.withFreshStore { store in
            let generated = try await ServerBootstrap.ensureAdmin(
                store: store, environment: ["WEFT_ADMIN_PASSWORD": adminPassword], bcryptCost: 4)
            #expect(generated == nil)
            var configuration = ServerConfiguration(
                port: 0, registry: NodeRegistry(NodeCatalog.types + extraTypes), bcryptCost: 4, maxBodyBytes: 64 * 1024,
                maxLoginFailures: maxLoginFailures)
            configuration.eventHeartbeat = eventHeartbeat
            configure(&configuration)
            let server = WeftServer(store: store, configuration: configuration)
            let harness = ServerHarness(server: server, store: store)
            try await server.makeApplication().test(.live) { client in
                try await body(harness, client)
            }
            await server.waitForRuns()
        }
    }

    /// A user with `role`, `tags`, `grants` and an API token; returns the user and the token's secret.
    /// The password is `password-<name>`.
    func user(_ name: String, _ role: Role, tags: [String] = [], grants: [String] = []) async throws -> (UserRecord, String) {
        let user = UserRecord(
            id: "usr_\(name)", name: name, role: role, tags: tags, grants: grants,
            passwordHash: Credentials.hashPassword("password-\(name)", cost: 4), createdAt: Date())
        try await store.createUser(user)
        let secret = Credentials.newSecret(prefix: "wft_")
        try await store.createToken(
            APITokenRecord(
                id: "tok_\(name)", userId: user.id, name: "test", tokenHash: Credentials.hash(secret), createdAt: Date()))
        return (user, secret)
    }
}

/// A response read as status, headers and JSON body.
struct Reply {
    var status: Int
    var headers: HTTPFields
    var json: JSON

    var errorCode: String? { json["error"]?["code"]?.stringValue }
}

extension TestClientProtocol {
    /// Sends a request with an optional bearer token, cookie + CSRF header, and JSON or raw body.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, cookie: String? = nil, csrf: String? = nil,
        json: JSON? = nil, raw: String? = nil
    ) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let cookie { headers[.cookie] = cookie }
        if let csrf { headers[HTTPField.Name("X-CSRF-Token")!] = csrf }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json.serialized())
        } else if let raw {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: raw)
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            let bytes = Array(response.body.readableBytesView)
            let value: JSON = bytes.isEmpty ? .null : try JSON.parse(bytes)
            return Reply(status: Int(response.status.code), headers: response.headers, json: value)
        }
    }

    /// Logs in and returns the session cookie (`weft_session=…`) and the CSRF token.
    func login(_ name: String, _ password: String) async throws -> (cookie: String, csrf: String) {
        let reply = try await call(.post, "/api/v1/login", json: ["username": .string(name), "password": .string(password)])
        try #require(reply.status == 200, "login failed: \(reply.json.serialized())")
        let setCookie = try #require(reply.headers[.setCookie])
        let cookie = String(setCookie.split(separator: ";")[0])
        return (cookie, try #require(reply.json["csrfToken"]?.stringValue))
    }
}

/// A small valid flow: trigger → data (two items) → filter on `$.host`.
func sampleFlow(name: String = "Hosts", tags: [String] = []) -> JSON {
    [
        "weft": 1, "name": .string(name), "tags": .array(tags.map(JSON.string)),
        "variables": [["name": "pattern", "type": "string", "value": "^web"]],
        "nodes": [
            ["id": "trigger", "type": "trigger", "params": ["manual": true]],
            ["id": "data", "type": "data", "params": ["items": [["host": "web-1"], ["host": "db-1"]]]],
            [
                "id": "match", "type": "filter",
                "params": [
                    "conditions": [
                        ["id": "c1", "type": "param", "key": "$.host", "operator": "matches", "value": "$wf.variables:pattern"]
                    ]
                ],
            ],
        ],
        "edges": [["from": "trigger", "to": "data"], ["from": "data", "to": "match"]],
    ]
}
