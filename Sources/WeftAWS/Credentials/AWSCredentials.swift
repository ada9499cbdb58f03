import Foundation

/// An AWS access key pair, with a session token and expiry for temporary credentials.
///
/// `description`, `debugDescription` and the mirror never show the secret or the token.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId; self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken; self.expiration = expiration
    }

    public var description: String {
        var text = "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: *****"
        if sessionToken != nil { text += ", sessionToken: *****" }
        if let expiration { text += ", expiration: \(expiration)" }
        return text + ")"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyId": accessKeyId, "secretAccessKey": "*****",
            "sessionToken": sessionToken == nil ? "nil" : "*****", "expiration": expiration as Any,
        ])
    }

    /// True when the credentials expire within `margin` of `now`.
    public func expires(within margin: TimeInterval, of now: Date) -> Bool {
        guard let expiration else { return false }
        return expiration.timeIntervalSince(now) <= margin
    }
}

/// A source of AWS credentials.
public protocol AWSCredentialsProvider: Sendable {
    /// Current credentials; throws `AWSCredentialsError` when this source has none or cannot reach them.
    func credentials() async throws -> AWSCredentials
}

/// Why credentials could not be had. Messages never include secrets.
public struct AWSCredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The source is not configured (no variables, no profile, disabled).
        case notConfigured
        /// The source is configured but its data is malformed or incomplete.
        case invalid
        /// The source could not be reached or answered with an error.
        case unavailable
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }

    public var description: String { message }
}

/// Fixed credentials, as a connector's access key and secret.
public struct StaticCredentialsProvider: AWSCredentialsProvider {
    public let value: AWSCredentials

    public init(_ credentials: AWSCredentials) { value = credentials }

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        value = AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
    }

    public func credentials() async throws -> AWSCredentials { value }
}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`
/// (or `AWS_SECURITY_TOKEN`) in an injected environment.
public struct EnvironmentCredentialsProvider: AWSCredentialsProvider {
    public let environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }

    /// Throws `.notConfigured` when the key id or secret is missing or empty.
    public func credentials() async throws -> AWSCredentials {
        guard let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty,
              let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else { throw AWSCredentialsError(.notConfigured, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set") }
        let token = [environment["AWS_SESSION_TOKEN"], environment["AWS_SECURITY_TOKEN"]]
            .compactMap { $0 }.first { !$0.isEmpty }
        var expiration: Date?
        if let text = environment["AWS_CREDENTIAL_EXPIRATION"] { expiration = AWSTimestamp.parse(text) }
        return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }
}

/// Caches another provider's credentials until `refreshMargin` before they expire; one caller refreshes
/// at a time while the others wait for its result. Credentials without an expiry are kept for good.
public actor CachedCredentialsProvider: AWSCredentialsProvider {
    private let source: any AWSCredentialsProvider
    private let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var refreshing: Task<AWSCredentials, any Error>?

    public init(_ source: any AWSCredentialsProvider, refreshMargin: TimeInterval = 300,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.source = source; self.refreshMargin = refreshMargin; self.now = now
    }

    public func credentials() async throws -> AWSCredentials {
        if let cached, !cached.expires(within: refreshMargin, of: now()) { return cached }
        if let refreshing { return try await refreshing.value }
        let source = self.source
        let task = Task { try await source.credentials() }
        refreshing = task
        defer { refreshing = nil }
        let fresh = try await task.value
        cached = fresh
        return fresh
    }

    /// Drops the cached credentials so the next call fetches new ones.
    public func invalidate() { cached = nil }
}

/// Parsing of the timestamps credential endpoints return (ISO 8601, with or without fractions).
enum AWSTimestamp {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: trimmed) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: trimmed)
    }
}
