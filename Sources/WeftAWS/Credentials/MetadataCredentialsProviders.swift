import Foundation
import WeftModel

/// Credentials from the ECS/EKS container credentials endpoint.
///
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is appended to `http://169.254.170.2`;
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` is used as given (https, or http to a loopback address or the
/// container endpoints only). `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` supplies the `Authorization` header. Each request may take
/// `timeout`, by default `AWS_METADATA_SERVICE_TIMEOUT` seconds or 2. Cached until 5 minutes before
/// expiry.
public struct ContainerCredentialsProvider: AWSCredentialsProvider {
    public static let containerHost = "http://169.254.170.2"
    private let cache: CachedCredentialsProvider?
    private let configurationError: AWSCredentialsError

    public init(environment: [String: String], transport: AWSHTTPTransport = .shared,
                timeout: Duration? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        let configured = Double(environment["AWS_METADATA_SERVICE_TIMEOUT"] ?? "").flatMap { $0 > 0 ? $0 : nil }
        let timeout = timeout ?? configured.map { Duration.milliseconds(Int64($0 * 1000)) } ?? .seconds(2)
        var url: String?
        var configurationError = AWSCredentialsError(.notConfigured, "container credentials are not configured")
        do { url = try ContainerCredentialsProvider.requestURL(environment: environment) } catch let error
            as AWSCredentialsError { configurationError = error } catch {}
        self.configurationError = configurationError
        cache = url.map {
            CachedCredentialsProvider(ContainerFetcher(url: $0, environment: environment, transport: transport,
                                                       timeout: timeout), refreshMargin: 300, now: now)
        }
    }

    /// True when the environment names a container credentials endpoint.
    public static func isConfigured(environment: [String: String]) -> Bool {
        !(environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] ?? "").isEmpty
            || !(environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] ?? "").isEmpty
    }

    /// The URL to ask, nil when not configured. Throws `.invalid` for a full URI that is plain http to a
    /// host other than loopback or the container endpoints.
    public static func requestURL(environment: [String: String]) throws -> String? {
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            return containerHost + (relative.hasPrefix("/") ? relative : "/" + relative)
        }
        guard let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty else { return nil }
        guard let components = URLComponents(string: full), let scheme = components.scheme?.lowercased(),
              let host = components.host?.lowercased()
        else { throw AWSCredentialsError(.invalid, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL") }
        if scheme == "https" { return full }
        let allowed = host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
            || host == "169.254.170.2" || host == "169.254.170.23" || host == "fd00:ec2::23" || host == "[fd00:ec2::23]"
        guard scheme == "http", allowed else {
            throw AWSCredentialsError(.invalid, "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https or a loopback/container host")
        }
        return full
    }

    public func credentials() async throws -> AWSCredentials {
        guard let cache else { throw configurationError }
        return try await cache.credentials()
    }
}

struct ContainerFetcher: AWSCredentialsProvider {
    let url: String
    let environment: [String: String]
    let transport: AWSHTTPTransport
    let timeout: Duration

    func credentials() async throws -> AWSCredentials {
        var headers = [AWSField("Accept", "application/json")]
        if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !file.isEmpty {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw AWSCredentialsError(.invalid, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
            }
            headers.append(AWSField("Authorization",
                                    String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !token.isEmpty {
            headers.append(AWSField("Authorization", token))
        }
        let response: AWSResponse
        do {
            response = try await transport.send(method: "GET", url: url, headers: headers, timeout: timeout)
        } catch let error as AWSTransportError {
            throw AWSCredentialsError(.unavailable, "container credentials endpoint: \(error)")
        }
        guard response.status == 200 else {
            throw AWSCredentialsError(.unavailable, "container credentials endpoint answered \(response.status)")
        }
        return try MetadataCredentialsJSON.parse(response.body, source: "container credentials endpoint")
    }
}

/// Credentials of the EC2 instance profile through IMDSv2.
///
/// Disabled by `AWS_EC2_METADATA_DISABLED=true`. The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT`
/// (default `http://169.254.169.254`, or `http://[fd00:ec2::254]` when
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`); each request has `AWS_METADATA_SERVICE_TIMEOUT`
/// seconds (default 1) and `AWS_METADATA_SERVICE_NUM_ATTEMPTS` tries (default 1). Cached until
/// 5 minutes before expiry.
public struct InstanceMetadataCredentialsProvider: AWSCredentialsProvider {
    public static let defaultEndpoint = "http://169.254.169.254"
    public static let defaultIPv6Endpoint = "http://[fd00:ec2::254]"
    private let cache: CachedCredentialsProvider
    private let disabled: Bool

    public init(environment: [String: String], transport: AWSHTTPTransport = .shared,
                now: @escaping @Sendable () -> Date = { Date() }) {
        disabled = InstanceMetadataCredentialsProvider.isDisabled(environment: environment)
        let timeout = Double(environment["AWS_METADATA_SERVICE_TIMEOUT"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? 1
        let attempts = Int(environment["AWS_METADATA_SERVICE_NUM_ATTEMPTS"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? 1
        let fetcher = IMDSFetcher(
            endpoint: InstanceMetadataCredentialsProvider.endpoint(environment: environment), transport: transport,
            timeout: .milliseconds(Int64(timeout * 1000)), attempts: attempts)
        cache = CachedCredentialsProvider(fetcher, refreshMargin: 300, now: now)
    }

    /// True when `AWS_EC2_METADATA_DISABLED` is `true` (any case).
    public static func isDisabled(environment: [String: String]) -> Bool {
        environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
    }

    /// The metadata service base URL, without a trailing slash.
    public static func endpoint(environment: [String: String]) -> String {
        var base = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? ""
        if base.isEmpty {
            base = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]?.lowercased() == "ipv6"
                ? defaultIPv6Endpoint : defaultEndpoint
        }
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    public func credentials() async throws -> AWSCredentials {
        if disabled { throw AWSCredentialsError(.notConfigured, "instance metadata is disabled") }
        return try await cache.credentials()
    }
}

struct IMDSFetcher: AWSCredentialsProvider {
    static let tokenTTL = "21600"
    let endpoint: String
    let transport: AWSHTTPTransport
    let timeout: Duration
    let attempts: Int

    func credentials() async throws -> AWSCredentials {
        let tokenResponse = try await request("PUT", "/latest/api/token",
                                              [AWSField("X-aws-ec2-metadata-token-ttl-seconds", IMDSFetcher.tokenTTL)])
        guard tokenResponse.status == 200, !tokenResponse.body.isEmpty else {
            throw AWSCredentialsError(.unavailable, "instance metadata token request answered \(tokenResponse.status)")
        }
        let token = [AWSField("X-aws-ec2-metadata-token", String(decoding: tokenResponse.body, as: UTF8.self))]
        let roles = try await request("GET", "/latest/meta-data/iam/security-credentials/", token)
        guard roles.status == 200,
              let role = String(decoding: roles.body, as: UTF8.self).split(whereSeparator: \.isNewline).first
                .map({ $0.trimmingCharacters(in: .whitespaces) }), !role.isEmpty
        else { throw AWSCredentialsError(.unavailable, "instance has no IAM role (status \(roles.status))") }
        let path = "/latest/meta-data/iam/security-credentials/" + SigV4Encoding.encode(role)
        let response = try await request("GET", path, token)
        guard response.status == 200 else {
            throw AWSCredentialsError(.unavailable, "instance metadata credentials answered \(response.status)")
        }
        return try MetadataCredentialsJSON.parse(response.body, source: "instance metadata")
    }

    private func request(_ method: String, _ path: String, _ headers: [AWSField]) async throws -> AWSResponse {
        var lastError: AWSTransportError?
        for _ in 0..<max(1, attempts) {
            do {
                let response = try await transport.send(method: method, url: endpoint + path, headers: headers,
                                                        timeout: timeout)
                if response.status < 500 { return response }
                lastError = AWSTransportError(.connection, "status \(response.status)")
            } catch let error as AWSTransportError {
                lastError = error
            }
        }
        throw AWSCredentialsError(.unavailable, "instance metadata unreachable: \(lastError?.message ?? "")")
    }
}

/// The JSON document container and instance metadata endpoints return.
enum MetadataCredentialsJSON {
    static func parse(_ body: [UInt8], source: String) throws -> AWSCredentials {
        guard let json = try? JSON.parse(body) else {
            throw AWSCredentialsError(.invalid, "\(source) returned malformed JSON")
        }
        if let code = json["Code"]?.stringValue, code != "Success" {
            throw AWSCredentialsError(.unavailable, "\(source) returned code \(code)")
        }
        guard let key = json["AccessKeyId"]?.stringValue, let secret = json["SecretAccessKey"]?.stringValue else {
            throw AWSCredentialsError(.invalid, "\(source) returned no AccessKeyId or SecretAccessKey")
        }
        return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: json["Token"]?.stringValue,
                              expiration: json["Expiration"]?.stringValue.flatMap(AWSTimestamp.parse))
    }
}
