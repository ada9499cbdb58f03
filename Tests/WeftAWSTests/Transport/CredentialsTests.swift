import Foundation
import Testing

@testable import WeftAWS

/// A settable clock for expiry tests.
final class SettableTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }
    var now: Date { lock.lock(); defer { lock.unlock() }; return current }
    func advance(_ seconds: TimeInterval) { lock.lock(); current += seconds; lock.unlock() }
}

/// A fresh home directory with optional `.aws/credentials` and `.aws/config`.
func makeAWSHome(credentials: String? = nil, config: String? = nil) throws -> String {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("weft-aws-home-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
    if let credentials { try credentials.write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8) }
    if let config { try config.write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8) }
    return home
}

func stsReply(key: String, expiration: Date) -> LoopbackReply {
    let formatter = ISO8601DateFormatter()
    return .text(200, """
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleResult>
            <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/Audit/weft</Arn>
              <AssumedRoleId>AROA:weft</AssumedRoleId></AssumedRoleUser>
            <Credentials>
              <AccessKeyId>\(key)</AccessKeyId>
              <SecretAccessKey>assumed-secret</SecretAccessKey>
              <SessionToken>assumed-token</SessionToken>
              <Expiration>\(formatter.string(from: expiration))</Expiration>
            </Credentials>
          </AssumeRoleResult>
          <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
        </AssumeRoleResponse>
        """, headers: [AWSField("Content-Type", "text/xml")])
}

/// Form fields of a recorded `application/x-www-form-urlencoded` body.
func decodedFormFields(_ body: [UInt8]) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        fields[parts[0].removingPercentEncoding ?? parts[0]] = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
    }
    return fields
}

@Suite struct CredentialsTests {
    /// Seconds the providers wait for the loopback servers here. Generous: a clean CI run on two cores
    /// once timed out at 15, when the servers still answered on the test process's concurrency pool.
    static let loopbackTimeout = 120

    @Test func descriptionsNeverShowSecrets() {
        let credentials = AWSCredentials(accessKeyId: "AKIAVISIBLE", secretAccessKey: "TOPSECRETVALUE",
                                         sessionToken: "TOKENVALUE", expiration: Date(timeIntervalSince1970: 0))
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(describing: credentials), String(reflecting: credentials), dumped,
                     "\([credentials])"] {
            #expect(text.contains("AKIAVISIBLE"))
            #expect(!text.contains("TOPSECRETVALUE"))
            #expect(!text.contains("TOKENVALUE"))
        }
    }

    @Test func environmentVariables() async throws {
        let provider = EnvironmentCredentialsProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "envtoken",
        ])
        #expect(try await provider.credentials()
            == AWSCredentials(accessKeyId: "AKIAENV", secretAccessKey: "envsecret", sessionToken: "envtoken"))
        await #expect(throws: AWSCredentialsError.self) {
            try await EnvironmentCredentialsProvider(environment: ["AWS_ACCESS_KEY_ID": "AKIAENV"]).credentials()
        }
    }

    @Test func sharedFilesMergeProfiles() async throws {
        let home = try makeAWSHome(
            credentials: """
                # comment
                [default]
                aws_access_key_id = AKIADEFAULT
                aws_secret_access_key = defaultsecret

                [dev]
                aws_secret_access_key = devsecret-from-credentials
                """,
            config: """
                [default]
                region = eu-west-1
                [profile dev]
                aws_access_key_id=AKIADEV
                aws_secret_access_key=devsecret-from-config
                aws_session_token = devtoken
                s3 =
                  max_concurrent_requests = 10
                ; another comment
                [dev]
                aws_access_key_id = IGNORED-not-a-profile-section
                """)
        let files = SharedConfigFiles(environment: [:], homeDirectory: home)
        #expect(files.profiles["default"]?["region"] == "eu-west-1")
        #expect(files.profiles["dev"]?["aws_access_key_id"] == "AKIADEV")
        #expect(files.profiles["dev"]?["aws_secret_access_key"] == "devsecret-from-credentials")
        #expect(files.profiles["dev"]?["max_concurrent_requests"] == nil)

        let standard = try await ProfileCredentialsProvider(environment: [:], homeDirectory: home).credentials()
        #expect(standard.accessKeyId == "AKIADEFAULT")
        let dev = try await ProfileCredentialsProvider(environment: ["AWS_PROFILE": "dev"], homeDirectory: home).credentials()
        #expect(dev == AWSCredentials(accessKeyId: "AKIADEV", secretAccessKey: "devsecret-from-credentials",
                                      sessionToken: "devtoken"))
        await #expect(throws: AWSCredentialsError(.invalid, "profile nope not found in the shared config files")) {
            try await ProfileCredentialsProvider(profile: "nope", environment: [:], homeDirectory: home).credentials()
        }
    }

    @Test func fileLocationsComeFromTheEnvironment() async throws {
        let home = try makeAWSHome()
        let path = home + "/elsewhere-credentials"
        try "[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = cisecret\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let provider = ProfileCredentialsProvider(
            environment: ["AWS_SHARED_CREDENTIALS_FILE": path, "AWS_DEFAULT_PROFILE": "ci"], homeDirectory: home)
        #expect(try await provider.credentials().accessKeyId == "AKIACI")
        await #expect(throws: AWSCredentialsError.self) {
            try await ProfileCredentialsProvider(environment: [:], homeDirectory: home).credentials()
        }
    }

    @Test func assumeRoleProfileCallsSTSOnceAndCaches() async throws {
        let calls = LoopbackCounter()
        let server = try await LoopbackHTTPServer.start { _ in
            let n = calls.next()
            return stsReply(key: "ASIAASSUMED\(n)", expiration: Date().addingTimeInterval(3600))
        }
        defer { Task { await server.shutdown() } }
        let home = try makeAWSHome(
            credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = basesecret\n",
            config: """
                [profile audit]
                role_arn = arn:aws:iam::123456789012:role/Audit
                source_profile = base
                external_id = ext-123
                role_session_name = weft-test
                duration_seconds = 900
                region = eu-west-2
                """)
        let provider = ProfileCredentialsProvider(
            profile: "audit", environment: ["AWS_EC2_METADATA_DISABLED": "true"], homeDirectory: home,
            stsEndpointOverride: server.url)
        let results = try await withThrowingTaskGroup(of: AWSCredentials.self) { group in
            for _ in 0..<8 { group.addTask { try await provider.credentials() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results.map(\.accessKeyId)) == ["ASIAASSUMED1"])
        #expect(results[0].sessionToken == "assumed-token")
        #expect(calls.current == 1)
        let request = try #require(server.requests.first)
        let fields = decodedFormFields(request.body)
        #expect(fields["Action"] == "AssumeRole")
        #expect(fields["Version"] == "2011-06-15")
        #expect(fields["RoleArn"] == "arn:aws:iam::123456789012:role/Audit")
        #expect(fields["RoleSessionName"] == "weft-test")
        #expect(fields["ExternalId"] == "ext-123")
        #expect(fields["DurationSeconds"] == "900")
        #expect(request.header("Authorization")?.contains("Credential=AKIABASE/") == true)
        #expect(request.header("Authorization")?.contains("/eu-west-2/sts/aws4_request") == true)
    }

    @Test func assumedCredentialsRefreshFiveMinutesBeforeExpiry() async throws {
        let clock = SettableTestClock(Date())
        let calls = LoopbackCounter()
        let server = try await LoopbackHTTPServer.start { _ in
            let n = calls.next()
            return stsReply(key: "ASIA\(n)", expiration: clock.now.addingTimeInterval(900))
        }
        defer { Task { await server.shutdown() } }
        let provider = AssumeRoleCredentialsProvider(
            source: StaticCredentialsProvider(accessKeyId: "AKIASRC", secretAccessKey: "s"),
            parameters: .init(roleArn: "arn:aws:iam::1:role/R", externalId: "x"),
            stsEndpoint: AWSEndpoint(url: server.url, signingRegion: "us-east-1", signingName: "sts")!,
            now: { clock.now })
        #expect(try await provider.credentials().accessKeyId == "ASIA1")
        clock.advance(500)
        #expect(try await provider.credentials().accessKeyId == "ASIA1")
        clock.advance(150)
        #expect(try await provider.credentials().accessKeyId == "ASIA2")
        #expect(calls.current == 2)
    }

    @Test func assumeRoleErrorsCarrySTSCode() async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            .text(403, """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error>
                  <RequestId>req-42</RequestId>
                </ErrorResponse>
                """)
        }
        defer { Task { await server.shutdown() } }
        let provider = AssumeRoleCredentialsProvider(
            source: StaticCredentialsProvider(accessKeyId: "AKIASRC", secretAccessKey: "s"),
            parameters: .init(roleArn: "arn:aws:iam::1:role/R"),
            stsEndpoint: AWSEndpoint(url: server.url, signingRegion: "us-east-1", signingName: "sts")!)
        await #expect(throws: AWSServiceError(code: "AccessDenied", message: "not allowed", requestId: "req-42",
                                              statusCode: 403)) {
            try await provider.credentials()
        }
        #expect(server.requests.count == 1)
    }

    @Test func containerCredentialsFromFullURIWithToken() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            guard request.path == "/creds", request.header("Authorization") == "Bearer abc" else {
                return .text(401, "no")
            }
            return .text(200, #"{"AccessKeyId":"ASIACONT","SecretAccessKey":"cs","Token":"ct","Expiration":"2099-01-01T00:00:00Z"}"#)
        }
        defer { Task { await server.shutdown() } }
        let provider = ContainerCredentialsProvider(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer abc",
        ], timeout: .seconds(CredentialsTests.loopbackTimeout))
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyId == "ASIACONT")
        #expect(credentials.sessionToken == "ct")
        #expect(credentials.expiration == ISO8601DateFormatter().date(from: "2099-01-01T00:00:00Z"))
        _ = try await provider.credentials()
        #expect(server.requests.count == 1)
    }

    @Test func containerURLRules() throws {
        #expect(try ContainerCredentialsProvider.requestURL(environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/c"])
            == "http://169.254.170.2/v2/c")
        #expect(try ContainerCredentialsProvider.requestURL(environment: [:]) == nil)
        #expect(throws: AWSCredentialsError.self) {
            try ContainerCredentialsProvider.requestURL(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.1.2.3/c"])
        }
        #expect(try ContainerCredentialsProvider.requestURL(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://example.com/c"])
            == "https://example.com/c")
    }

    /// A fake IMDSv2 answering only requests that carry the session token it issued.
    static func startIMDS() async throws -> LoopbackHTTPServer {
        try await LoopbackHTTPServer.start { request in
            switch (request.method, request.path) {
            case ("PUT", "/latest/api/token"):
                guard request.header("X-aws-ec2-metadata-token-ttl-seconds") == "21600" else { return .text(400, "") }
                return .text(200, "imds-token")
            case (_, _) where request.header("X-aws-ec2-metadata-token") != "imds-token":
                return .text(401, "")
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                return .text(200, "weft-role\n")
            case ("GET", "/latest/meta-data/iam/security-credentials/weft-role"):
                return .text(200, """
                    {"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"is",
                     "Token":"it","Expiration":"2099-01-01T00:00:00Z","LastUpdated":"2026-01-01T00:00:00Z"}
                    """)
            default:
                return .text(404, "")
            }
        }
    }

    @Test func instanceMetadataV2() async throws {
        let server = try await CredentialsTests.startIMDS()
        defer { Task { await server.shutdown() } }
        let provider = InstanceMetadataCredentialsProvider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url + "/",
                                                                          "AWS_METADATA_SERVICE_TIMEOUT": "\(CredentialsTests.loopbackTimeout)"])
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyId == "ASIAIMDS")
        #expect(credentials.sessionToken == "it")
        #expect(server.requests.map(\.method) == ["PUT", "GET", "GET"])
        let disabled = InstanceMetadataCredentialsProvider(environment: [
            "AWS_EC2_METADATA_DISABLED": "TRUE", "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url,
        ])
        await #expect(throws: AWSCredentialsError.self) { try await disabled.credentials() }
        #expect(server.requests.count == 3)
        #expect(InstanceMetadataCredentialsProvider.endpoint(environment: [:]) == "http://169.254.169.254")
    }

    @Test func defaultChainOrder() async throws {
        let home = try makeAWSHome(credentials: "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = fs\n")
        let emptyHome = try makeAWSHome()
        let off = ["AWS_EC2_METADATA_DISABLED": "true"]
        let env = off.merging(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "es"]) { $1 }

        #expect(try await DefaultCredentialsChain(environment: env, homeDirectory: home).credentials().accessKeyId == "AKIAENV")
        #expect(try await DefaultCredentialsChain(environment: off, homeDirectory: home).credentials().accessKeyId == "AKIAFILE")
        #expect(try await DefaultCredentialsChain(environment: env, homeDirectory: home, profile: "default")
            .credentials().accessKeyId == "AKIAFILE")
        await #expect(throws: AWSCredentialsError.self) {
            try await DefaultCredentialsChain(environment: off, homeDirectory: emptyHome).credentials()
        }

        let imds = try await CredentialsTests.startIMDS()
        defer { Task { await imds.shutdown() } }
        let viaIMDS = DefaultCredentialsChain(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.url, "AWS_METADATA_SERVICE_TIMEOUT": "\(CredentialsTests.loopbackTimeout)"], homeDirectory: emptyHome)
        #expect(try await viaIMDS.credentials().accessKeyId == "ASIAIMDS")

        let container = try await LoopbackHTTPServer.start { _ in
            .text(200, #"{"AccessKeyId":"ASIACONT","SecretAccessKey":"cs","Token":"ct","Expiration":"2099-01-01T00:00:00Z"}"#)
        }
        defer { Task { await container.shutdown() } }
        let viaContainer = DefaultCredentialsChain(
            environment: off.merging([
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": container.url + "/c", "AWS_METADATA_SERVICE_TIMEOUT": "\(CredentialsTests.loopbackTimeout)",
            ]) { $1 },
            homeDirectory: emptyHome)
        #expect(try await viaContainer.credentials().accessKeyId == "ASIACONT")
    }
}
