import Foundation
import WeftModel

/// The run's facilities for the `http` and `largeHttp` nodes: the named credentials, the egress
/// policy, the resolver, and the OAuth2 tokens fetched so far. Register one per process in the
/// node services (`NodeServices.register`); nodes read it with `context.service(HTTPCredentials.self)`.
public final class HTTPCredentials: Sendable {
    public let credentials: [String: NamedCredential]
    public let egress: EgressPolicy
    public let resolver: any HostResolving
    let tokens = OAuthTokenCache()

    /// The prefix of environment variables that hold one named credential each as JSON:
    /// `WEFT_CREDENTIAL_TICKETING='{"type": "bearer", "token": "…"}'` defines `ticketing` (the
    /// name is the rest of the variable's name, lowercased).
    public static let environmentPrefix = "WEFT_CREDENTIAL_"

    /// - Parameter credentials: later entries replace earlier ones of the same name.
    public init(credentials: [NamedCredential] = [], egress: EgressPolicy = EgressPolicy(),
                resolver: any HostResolving = SystemResolver()) {
        var byName: [String: NamedCredential] = [:]
        for credential in credentials { byName[credential.name] = credential }
        self.credentials = byName
        self.egress = egress
        self.resolver = resolver
    }

    /// The credentials of a connectors file plus those of `WEFT_CREDENTIAL_*` variables (which win
    /// on a name clash), under the egress policy of `WEFT_EGRESS_DENY` / `WEFT_EGRESS_ALLOW`.
    /// - Throws: `EgressPolicyError` for a bad range, `HTTPRequestError` (`.credential`) for a
    ///   variable that is not a JSON object with a known `type` (the message names the variable only).
    public static func fromEnvironment(fileCredentials: [NamedCredential] = [],
                                       environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HTTPCredentials {
        HTTPCredentials(credentials: fileCredentials + (try environmentCredentials(environment)),
                        egress: try EgressPolicy.fromEnvironment(environment))
    }

    /// The credentials defined by `WEFT_CREDENTIAL_*` variables, sorted by name.
    public static func environmentCredentials(_ environment: [String: String]) throws -> [NamedCredential] {
        var result: [NamedCredential] = []
        for (key, value) in environment where key.hasPrefix(environmentPrefix) && key.count > environmentPrefix.count {
            let name = String(key.dropFirst(environmentPrefix.count)).lowercased()
            guard case .object(var fields)? = try? JSON.parse(value),
                  case .string(let type)? = fields.removeValue(forKey: "type"), ConnectorsFile.credentialTypes.contains(type) else {
                throw HTTPRequestError(.credential, "\(key) must hold a JSON object with a type: \(ConnectorsFile.credentialTypes.joined(separator: ", "))")
            }
            fields.removeValue(forKey: "name")
            result.append(NamedCredential(name: name, type: type, fields: fields))
        }
        return result.sorted { $0.name < $1.name }
    }

    /// Every secret value the credentials hold, for the run's masker (`RunOptions.secrets`).
    public var secretValues: [JSON] {
        credentials.keys.sorted().compactMap { credentials[$0].map { .object($0.fields) } }
    }

    /// The credential called `name`.
    /// - Throws: `HTTPRequestError` (`.credential`) when there is none.
    public func credential(named name: String) throws -> NamedCredential {
        guard let credential = credentials[name] else {
            throw HTTPRequestError(.credential, "no credential named '\(name)' (define it in the connectors file's credentials or in \(Self.environmentPrefix)\(name.uppercased()))")
        }
        return credential
    }
}

/// OAuth2 access tokens by credential, kept until shortly before they expire.
actor OAuthTokenCache {
    struct Token {
        var value: String
        var expires: Date
    }

    private var tokens: [String: Token] = [:]
    private var pending: [String: Task<Token, any Error>] = [:]

    /// A cached token for `key` that is still valid, or the one `fetch` gets (once for concurrent callers).
    func token(for key: String, fetch: @escaping @Sendable () async throws -> Token) async throws -> String {
        if let token = tokens[key], token.expires > Date() { return token.value }
        if let task = pending[key] { return try await task.value.value }
        let task = Task { try await fetch() }
        pending[key] = task
        defer { pending[key] = nil }
        let token = try await task.value
        tokens[key] = token
        return token.value
    }

    /// Forgets the token for `key` (after the API rejected it).
    func invalidate(_ key: String) { tokens[key] = nil }
}
