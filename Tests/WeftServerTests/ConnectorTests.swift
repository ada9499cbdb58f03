import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import WeftAWS
import WeftCloudNodes
import WeftEngine
import WeftHTTP
import WeftModel
import WeftNodes
import WeftServer
import WeftStore
import WeftTesting

@Suite("Connectors")
struct ConnectorTests {
    static let awsSecret = "wJalrXUtnFEMI-connector-secret-7f3a91"
    static let httpToken = "tok-weft-grep-test-5c0ffee5e11"

    // MARK: CRUD and roles

    @Test(arguments: StoreBackend.allCases)

    func connectorsAreManagedByManagersAndAdminsAndReadByEveryone(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let admin = try await harness.user("ada", .admin).1
            let created = try await client.call(
                .post, "/api/v1/connectors", token: admin,
                json: [
                    "name": "prod", "provider": "aws", "accountId": "123456789012", "regions": ["us-east-1", "eu-west-2"],
                    "endpoint": "http://127.0.0.1:5000",
                    "credentials": [
                        "accessKeyId": "AKIAEXAMPLE", "secretAccessKey": .string(Self.awsSecret),
                        "roleArn": "arn:aws:iam::123456789012:role/audit", "externalId": "ext-123",
                    ],
                ])
            #expect(created.status == 201, "\(created.json.serialized())")
            let id = try #require(created.json["connector"]?["id"]?.stringValue)
            #expect(created.headers[.location] == "/api/v1/connectors/\(id)")
            let expectedCredentials: JSON = [
                "roleArn": "arn:aws:iam::123456789012:role/audit", "accessKeyId": "*****", "externalId": "*****",
                "secretAccessKey": "*****",
            ]
            #expect(created.json["connector"]?["credentials"] == expectedCredentials)
            #expect(created.json["connector"]?["regions"] == ["us-east-1", "eu-west-2"])

            for role in Role.allCases {
                let token = try await harness.user("reader-\(role.rawValue)", role).1
                let list = try await client.call(.get, "/api/v1/connectors", token: token)
                #expect(list.status == 200 && list.json["connectors"]?.arrayValue?.count == 1, "\(role)")
                let read = try await client.call(.get, "/api/v1/connectors/\(id)", token: token)
                #expect(read.status == 200 && read.json["connector"]?["credentials"] == expectedCredentials, "\(role)")
                #expect(!list.json.serialized().contains(Self.awsSecret) && !read.json.serialized().contains("ext-123"))
            }

            let before = try await harness.store.connectors()
            for role in [Role.powerDeveloper, .developer, .deployer, .reader] {
                let token = try await harness.user("writer-\(role.rawValue)", role).1
                let attempts: [(HTTPRequest.Method, String, JSON?)] = [
                    (.post, "/api/v1/connectors", ["name": .string("x-\(role.rawValue)"), "provider": "aws"]),
                    (.put, "/api/v1/connectors/\(id)", ["name": "renamed", "provider": "aws"]),
                    (.delete, "/api/v1/connectors/\(id)", nil),
                ]
                for (method, path, body) in attempts {
                    let reply = try await client.call(method, path, token: token, json: body)
                    #expect(reply.status == 403 && reply.errorCode == "forbidden", "\(role) \(method) \(path)")
                }
            }
            #expect(try await harness.store.connectors() == before)

            // A PUT that leaves a secret out or sends ***** keeps it; null clears it.
            let manager = try await harness.user("mia", .manager).1
            let updated = try await client.call(
                .put, "/api/v1/connectors/\(id)", token: manager,
                json: [
                    "name": "production", "provider": "aws", "regions": ["eu-west-1"],
                    "credentials": ["accessKeyId": "*****", "externalId": nil, "roleArn": "arn:aws:iam::1:role/other"],
                ])
            #expect(updated.status == 200, "\(updated.json.serialized())")
            #expect(
                updated.json["connector"]?["credentials"]
                    == ["roleArn": "arn:aws:iam::1:role/other", "accessKeyId": "*****", "secretAccessKey": "*****"])
            #expect(updated.json["connector"]?["accountId"] == .null)
            let record = try await harness.store.connector(id: id)
            let secrets = try harness.server.configuration.secretBox.open(record.sealedSecrets, context: "connector:\(id)")
            #expect(JSON.object(secrets) == ["accessKeyId": "AKIAEXAMPLE", "secretAccessKey": .string(Self.awsSecret)])
            #expect(record.name == "production" && record.secretNames == ["accessKeyId", "secretAccessKey"])

            let duplicate = try await client.call(
                .post, "/api/v1/connectors", token: admin, json: ["name": "production", "provider": "gcp"])
            #expect(duplicate.status == 409 && duplicate.errorCode == "conflict")
            #expect(try await client.call(.delete, "/api/v1/connectors/\(id)", token: admin).status == 204)
            #expect(try await client.call(.get, "/api/v1/connectors/\(id)", token: admin).status == 404)
            #expect(try await harness.store.connectors().isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func connectorValidationErrorsNameTheField(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let admin = try await harness.user("ada", .admin).1
            let cases: [(JSON, String)] = [
                (["provider": "aws"], "/name"),
                (["name": "x", "provider": "oracle"], "/provider"),
                (["name": "x", "provider": "aws", "credentials": ["password": "p"]], "/credentials/password"),
                (["name": "x", "provider": "aws", "credentials": ["secretAccessKey": "s"]], "/credentials/accessKeyId"),
                (["name": "x", "provider": "aws", "credentials": ["secretAccessKey": 12]], "/credentials/secretAccessKey"),
                (["name": "x", "provider": "aws", "regions": ["us-east-1", 3]], "/regions/1"),
                (["name": "x", "provider": "aws", "endpoint": "ftp://moto"], "/endpoint"),
                (["name": "x", "provider": "azure", "credentials": "secret"], "/credentials"),
            ]
            for (body, pointer) in cases {
                let reply = try await client.call(.post, "/api/v1/connectors", token: admin, json: body)
                #expect(reply.status == 422 && reply.errorCode == "validation_failed", "\(body.serialized())")
                #expect(reply.json["error"]?["details"]?["pointer"] == .string(pointer), "\(reply.json.serialized())")
            }
            let unknown = try await client.call(
                .post, "/api/v1/connectors", token: admin, json: ["name": "x", "provider": "aws", "colour": "red"])
            #expect(unknown.status == 400 && unknown.errorCode == "invalid_request")
            #expect(try await harness.store.connectors().isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func httpCredentialsAreManagedByManagersAndAdminsAndReadByEveryone(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let manager = try await harness.user("mia", .manager).1
            let created = try await client.call(
                .post, "/api/v1/credentials", token: manager,
                json: [
                    "name": "idp", "type": "oauth2ClientCredentials", "tokenUrl": "https://idp.example/token",
                    "clientId": "weft", "clientSecret": "cs-very-secret-1", "scope": "read",
                ])
            #expect(created.status == 201, "\(created.json.serialized())")
            let id = try #require(created.json["credential"]?["id"]?.stringValue)
            #expect(created.json["credential"]?["clientSecret"] == "*****")
            #expect(created.json["credential"]?["clientId"] == "weft")

            for role in Role.allCases {
                let token = try await harness.user("r-\(role.rawValue)", role).1
                let list = try await client.call(.get, "/api/v1/credentials", token: token)
                #expect(list.status == 200 && list.json["credentials"]?.arrayValue?.count == 1)
                let read = try await client.call(.get, "/api/v1/credentials/\(id)", token: token)
                #expect(read.status == 200 && read.json["credential"]?["clientSecret"] == "*****")
                #expect(!list.json.serialized().contains("cs-very-secret-1"))
            }
            let before = try await harness.store.httpCredentials()
            for role in [Role.powerDeveloper, .developer, .deployer, .reader] {
                let token = try await harness.user("w-\(role.rawValue)", role).1
                let attempts: [(HTTPRequest.Method, String, JSON?)] = [
                    (.post, "/api/v1/credentials", ["name": .string("t-\(role.rawValue)"), "type": "bearer", "token": "abcd"]),
                    (.put, "/api/v1/credentials/\(id)", ["name": "renamed", "type": "bearer", "token": "abcd"]),
                    (.delete, "/api/v1/credentials/\(id)", nil),
                ]
                for (method, path, body) in attempts {
                    let reply = try await client.call(method, path, token: token, json: body)
                    #expect(reply.status == 403 && reply.errorCode == "forbidden", "\(role) \(method) \(path)")
                }
            }
            #expect(try await harness.store.httpCredentials() == before)

            let admin = try await harness.user("ada", .admin).1
            let kept = try await client.call(
                .put, "/api/v1/credentials/\(id)", token: admin,
                json: [
                    "name": "idp", "type": "oauth2ClientCredentials", "tokenUrl": "https://idp.example/v2/token",
                    "clientId": "weft", "clientSecret": "*****",
                ])
            #expect(kept.status == 200 && kept.json["credential"]?["scope"] == nil, "\(kept.json.serialized())")
            let record = try await harness.store.httpCredential(id: id)
            let secrets = try harness.server.configuration.secretBox.open(record.sealedSecrets, context: "credential:\(id)")
            #expect(JSON.object(secrets) == ["clientSecret": "cs-very-secret-1"])
            #expect(record.fields["tokenUrl"] == "https://idp.example/v2/token")

            let cleared = try await client.call(
                .put, "/api/v1/credentials/\(id)", token: admin,
                json: [
                    "name": "idp", "type": "oauth2ClientCredentials", "tokenUrl": "https://x", "clientId": "w",
                    "clientSecret": nil,
                ])
            #expect(cleared.status == 422 && cleared.json["error"]?["details"]?["pointer"] == "/clientSecret")

            let invalid: [(JSON, String)] = [
                (["name": "b", "type": "basic", "password": "p"], "/username"),
                (["name": "b", "type": "digest"], "/type"),
                (["name": "b", "type": "bearer", "token": "t", "key": "k"], "/key"),
                (["name": "b", "type": "bearer", "token": ""], "/token"),
                (["name": "", "type": "bearer", "token": "t"], "/name"),
            ]
            for (body, pointer) in invalid {
                let reply = try await client.call(.post, "/api/v1/credentials", token: admin, json: body)
                #expect(
                    reply.status == 422 && reply.json["error"]?["details"]?["pointer"] == .string(pointer),
                    "\(reply.json.serialized())")
            }
            #expect(try await client.call(.delete, "/api/v1/credentials/\(id)", token: admin).status == 204)
            #expect(try await harness.store.httpCredentials().isEmpty)
        }
    }

    // MARK: Secrets at rest

    @Test func aWrongKeyOrAlteredBlobIsAClearError() throws {
        let box = try SecretBox(key: Array(repeating: 7, count: 32))
        let sealed = try box.seal(["token": "abc"], context: "credential:c1")
        #expect(try box.open(sealed, context: "credential:c1") == ["token": "abc"])
        #expect(!String(decoding: sealed, as: UTF8.self).contains("abc"))

        let other = try SecretBox(key: Array(repeating: 8, count: 32))
        #expect(throws: SecretBoxError.self) { try other.open(sealed, context: "credential:c1") }
        do {
            _ = try other.open(sealed, context: "credential:c1")
        } catch {
            #expect(error.message.contains("wrong data key"))
        }
        #expect(throws: SecretBoxError.self) { try box.open(sealed, context: "credential:c2") }
        var altered = sealed
        altered[altered.count / 2] ^= 1
        #expect(throws: SecretBoxError.self) { try box.open(altered, context: "credential:c1") }
        #expect(throws: SecretBoxError.self) { try box.open([1, 2, 3], context: "credential:c1") }
        #expect(throws: SecretBoxError.self) { try SecretBox(key: [1, 2, 3]) }
    }

    @Test func aServerWithAnotherKeySaysSoWhenItNeedsTheSecrets() async throws {
        try await LiveServer.run { live, client in
            let admin = try await live.user("ada", .manager)
            let created = try await client.call(
                .post, "/api/v1/connectors", token: admin,
                json: [
                    "name": "demo", "provider": "aws", "regions": ["us-east-1"],
                    "credentials": ["accessKeyId": "AKIAEXAMPLE", "secretAccessKey": "s3cr3t-value"],
                ])
            let id = try #require(created.json["connector"]?["id"]?.stringValue)
            let flow = try await client.call(.post, "/api/v1/flows", token: admin, json: sampleFlow())
            let flowId = try #require(flow.json["flow"]?["id"]?.stringValue)

            let stranger = WeftServer(
                store: live.store,
                configuration: ServerConfiguration(
                    port: 0, registry: NodeRegistry(NodeCatalog.types), bcryptCost: 4,
                    secretBox: try SecretBox(key: Array(repeating: 1, count: 32))))
            try await stranger.makeApplication().test(.router) { other in
                let update = try await other.call(
                    .put, "/api/v1/connectors/\(id)", token: admin, json: ["name": "demo", "provider": "aws"])
                #expect(update.status == 500 && update.errorCode == "secrets_unreadable", "\(update.json.serialized())")
                #expect(update.json["error"]?["message"]?.stringValue?.contains("wrong data key") == true)
                let run = try await other.call(
                    .post, "/api/v1/flows/\(flowId)/runs", token: admin, json: ["targets": [["connector": "demo"]]])
                #expect(run.status == 500 && run.errorCode == "secrets_unreadable", "\(run.json.serialized())")
                let read = try await other.call(.get, "/api/v1/connectors/\(id)", token: admin)
                #expect(read.status == 200)
            }
            await stranger.waitForRuns()
        }
    }

    // MARK: The grep test

    @Test func secretsAppearInNoResponseJournalLogLineOrDatabaseFile() async throws {
        let moto = try await MotoServer.start()
        let echo = EchoServer()
        try await echo.application.test(.live) { echoClient in
            let echoPort = try #require(echoClient.port)
            try await LiveServer.run { live, client in
                var replies: [String] = []
                func call(_ method: HTTPRequest.Method, _ path: String, json: JSON? = nil, token: String) async throws -> Reply {
                    let reply = try await client.call(method, path, token: token, json: json)
                    replies.append(reply.json.serialized())
                    return reply
                }
                let admin = try await live.user("ada", .admin)
                let connector = try await call(
                    .post, "/api/v1/connectors",
                    json: [
                        "name": "demo", "provider": "aws", "accountId": "123456789012", "regions": ["us-east-1"],
                        "endpoint": .string(moto.url),
                        "credentials": ["accessKeyId": "AKIAWEFTGREPTEST", "secretAccessKey": .string(Self.awsSecret)],
                    ], token: admin)
                #expect(connector.status == 201, "\(connector.json.serialized())")
                let credential = try await call(
                    .post, "/api/v1/credentials",
                    json: ["name": "ticketing", "type": "bearer", "token": .string(Self.httpToken)],
                    token: admin)
                #expect(credential.status == 201)
                let flow: JSON = [
                    "weft": 1, "name": "Grep", "targets": [["connector": "demo", "regions": ["us-east-1"]]],
                    "nodes": [
                        ["id": "trigger", "type": "trigger", "params": ["manual": true]],
                        [
                            "id": "call", "type": "http",
                            "params": [
                                "url": .string("http://127.0.0.1:\(echoPort)/echo"),
                                "auth": ["type": "bearer", "credential": "ticketing"],
                            ],
                        ],
                        [
                            "id": "groups", "type": "aws.resource",
                            "params": ["service": "ec2", "operation": "DescribeSecurityGroups"],
                        ],
                    ],
                    "edges": [["from": "trigger", "to": "call"], ["from": "call", "to": "groups"]],
                ]
                let created = try await call(.post, "/api/v1/flows", json: flow, token: admin)
                #expect(created.status == 201, "\(created.json.serialized())")
                let flowId = try #require(created.json["flow"]?["id"]?.stringValue)
                let started = try await call(.post, "/api/v1/flows/\(flowId)/runs", json: [:], token: admin)
                #expect(started.status == 202, "\(started.json.serialized())")
                let runId = try #require(started.json["run"]?["id"]?.stringValue)

                var run = try await call(.get, "/api/v1/runs/\(runId)", token: admin)
                let deadline = ContinuousClock.now + .seconds(60)
                while run.json["run"]?["status"] == "running", ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                    run = try await call(.get, "/api/v1/runs/\(runId)", token: admin)
                }
                #expect(run.json["run"]?["status"] == "success", "\(run.json.serialized())")
                var stepsText = ""
                for execution in run.json["executions"]?.arrayValue ?? [] {
                    let executionId = try #require(execution["id"]?.stringValue)
                    _ = try await call(.get, "/api/v1/executions/\(executionId)", token: admin)
                    let steps = try await call(.get, "/api/v1/executions/\(executionId)/steps", token: admin)
                    stepsText += steps.json.serialized()
                    for step in try await live.store.steps(executionId: executionId) {
                        stepsText += "\(step)"
                    }
                }
                _ = try await call(.get, "/api/v1/connectors", token: admin)
                _ = try await call(.get, "/api/v1/credentials", token: admin)

                #expect(echo.authorizations.withLock { $0 } == ["Bearer \(Self.httpToken)"], "the credential reached the server")
                #expect(stepsText.contains("Bearer *****"), "the echoed header is masked in the journal")
                #expect(stepsText.contains("GroupId"), "the AWS node ran with the connector's keys")

                await live.server.waitForRuns()
                let logs = live.logLines.withLock { $0 }
                #expect(!logs.isEmpty)
                let database = try live.databaseBytes()
                for secret in [Self.awsSecret, Self.httpToken] {
                    #expect(!replies.contains { $0.contains(secret) }, "an API response holds \(secret)")
                    #expect(!stepsText.contains(secret), "the journal holds \(secret)")
                    #expect(!logs.contains { $0.contains(secret) }, "a log line holds \(secret)")
                    #expect(database.range(of: Data(secret.utf8)) == nil, "the database files hold \(secret)")
                }
            }
        }
        withExtendedLifetime(moto) {}
    }
}

// MARK: - Support

/// A live server over a SQLite file of its own, with run services like `weft serve`'s (AWS access and
/// named HTTP credentials), its log lines captured.
struct LiveServer: Sendable {
    let server: WeftServer
    let store: SQLStore
    let directory: URL
    let logLines: LockedBox<[String]>

    static func run(_ body: @escaping @Sendable (LiveServer, any TestClientProtocol) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weft-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await SQLStore.openSQLite(path: directory.appendingPathComponent("weft.sqlite").path)
        let lines = LockedBox<[String]>([])
        let environment = ProcessInfo.processInfo.environment
        let configuration = ServerConfiguration(
            port: 0, registry: NodeRegistry(NodeCatalog.types + CloudNodeCatalog.types), bcryptCost: 4,
            secretBox: .random(),
            servicesForRun: { base, connectors, credentials in
                var services = base
                if connectors.contains(where: { $0.provider == "aws" }) {
                    services.register(
                        try AWSAccess(
                            connectors: connectors, environment: environment,
                            botocore: try BotocoreData.locate(environment: environment)))
                }
                let http = HTTPCredentials(credentials: credentials)
                services.register(http)
                return (services, http.secretValues)
            })
        let server = WeftServer(store: store, configuration: configuration)
        var logger = Logger(label: "weft.test") { _ in CapturingLogHandler(lines: lines) }
        logger.logLevel = .trace
        let live = LiveServer(server: server, store: store, directory: directory, logLines: lines)
        do {
            try await server.makeApplication(logger: logger).test(.live) { client in try await body(live, client) }
            await server.waitForRuns()
        } catch {
            await server.waitForRuns()
            try? await store.close()
            throw error
        }
        try await store.close()
    }

    /// A Manager-made user with `role` and an API token; returns the token's secret.
    func user(_ name: String, _ role: Role) async throws -> String {
        let user = UserRecord(id: "usr_\(name)", name: name, role: role, createdAt: Date())
        try await store.createUser(user)
        let secret = Credentials.newSecret(prefix: "wft_")
        try await store.createToken(
            APITokenRecord(
                id: "tok_\(name)", userId: user.id, name: "test", tokenHash: Credentials.hash(secret), createdAt: Date()))
        return secret
    }

    /// Every file of the database (main file, WAL, shared memory) concatenated.
    func databaseBytes() throws -> Data {
        var bytes = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasPrefix("weft.sqlite") {
            bytes.append(try Data(contentsOf: directory.appendingPathComponent(name)))
        }
        return bytes
    }
}

/// Keeps every log line, message and metadata, in memory.
struct CapturingLogHandler: LogHandler {
    let lines: LockedBox<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let error = event.error.map { " \($0)" } ?? ""
        lines.withLock { $0.append("\(event.level) \(event.message) \(all)\(error)") }
    }
}

/// A loopback HTTP server whose `/echo` answers with the request's Authorization header.
final class EchoServer: Sendable {
    let authorizations = LockedBox<[String]>([])

    var application: some ApplicationProtocol {
        let router = Router()
        let seen = authorizations
        router.get("/echo") { request, _ -> Response in
            let authorization = request.headers[.authorization] ?? ""
            seen.withLock { $0.append(authorization) }
            let body = JSON.object(["authorization": .string(authorization), "ok": true]).serialized()
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}
