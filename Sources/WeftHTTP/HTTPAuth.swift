import Foundation
import WeftModel

/// How a request authenticates: the node's `auth` parameter.
public struct HTTPAuth: Sendable, Equatable, Decodable {
    public enum Kind: String, Sendable, Decodable, CaseIterable {
        case none, basic, bearer, apiKey, oauth2ClientCredentials
    }

    /// Where an API key goes.
    public enum Placement: String, Sendable, Decodable, CaseIterable {
        case header, query
    }

    public var type: Kind
    /// The named credential holding the secrets; required unless `type` is `none`.
    public var credential: String?
    public var placement: Placement
    /// The header or query parameter that carries an API key; default `X-API-Key` / `api_key`.
    public var name: String?

    public static let none = HTTPAuth(type: .none)

    public init(type: Kind, credential: String? = nil, placement: Placement = .header, name: String? = nil) {
        self.type = type; self.credential = credential; self.placement = placement; self.name = name
    }

    private enum CodingKeys: String, CodingKey { case type, credential, placement = "in", name }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(Kind.self, forKey: .type) ?? .none
        credential = try container.decodeIfPresent(String.self, forKey: .credential)
        placement = try container.decodeIfPresent(Placement.self, forKey: .placement) ?? .header
        name = try container.decodeIfPresent(String.self, forKey: .name)
    }

    /// The API key's header or parameter name.
    public var keyName: String { name ?? (placement == .header ? "X-API-Key" : "api_key") }
}

extension HTTPCredentials {
    /// Adds `auth`'s credentials to `request` and returns the secret texts it placed there (to mask
    /// in anything recorded). OAuth2 tokens are fetched through `session` (so the token endpoint is
    /// under the egress policy too) and cached until 30 seconds before they expire.
    /// - Throws: `HTTPRequestError` (`.credential`) when the credential is missing, of another type,
    ///   lacks a field, or the token endpoint refuses; its message never holds a secret.
    public func authorize(_ request: inout HTTPRequestSpec, auth: HTTPAuth, session: HTTPSession) async throws -> [String] {
        guard auth.type != .none else { return [] }
        guard let name = auth.credential, !name.isEmpty else {
            throw HTTPRequestError(.credential, "auth type \(auth.type.rawValue) needs a credential name")
        }
        let credential = try credential(named: name)
        guard credential.type == auth.type.rawValue else {
            throw HTTPRequestError(.credential, "credential '\(name)' is of type \(credential.type), not \(auth.type.rawValue)")
        }
        func field(_ key: String) throws -> String {
            switch credential.fields[key] {
            case .string(let text)?: return text
            case .int(let number)?: return String(number)
            default: throw HTTPRequestError(.credential, "credential '\(name)' has no \(key)")
            }
        }
        switch auth.type {
        case .none:
            return []
        case .basic:
            let username = try field("username"), password = try field("password")
            let encoded = Data("\(username):\(password)".utf8).base64EncodedString()
            request.setHeader("Authorization", "Basic \(encoded)")
            return [username, password, encoded]
        case .bearer:
            let token = try field("token")
            request.setHeader("Authorization", "Bearer \(token)")
            return [token]
        case .apiKey:
            let key = try field("key")
            switch auth.placement {
            case .header:
                request.setHeader(auth.keyName, key)
                request.sensitiveHeaders.insert(auth.keyName.lowercased())
            case .query:
                request.url = URLQuery.setting(auth.keyName, to: key, in: request.url)
            }
            return [key, URLQuery.encode(key)]
        case .oauth2ClientCredentials:
            let token = try await oauthToken(credential: credential, session: session)
            request.setHeader("Authorization", "Bearer \(token)")
            return [token, try field("clientSecret")]
        }
    }

    /// Forgets the cached OAuth2 token of `auth`'s credential, after the API answered 401.
    public func invalidateToken(for auth: HTTPAuth) async {
        guard auth.type == .oauth2ClientCredentials, let name = auth.credential else { return }
        await tokens.invalidate(name)
    }

    private func oauthToken(credential: NamedCredential, session: HTTPSession) async throws -> String {
        let name = credential.name
        func field(_ key: String) -> String? { credential.fields[key]?.stringValue }
        guard let tokenURL = field("tokenUrl"), let clientId = field("clientId"), let clientSecret = field("clientSecret") else {
            throw HTTPRequestError(.credential, "credential '\(name)' needs tokenUrl, clientId and clientSecret")
        }
        var form: [(String, String)] = [("grant_type", "client_credentials")]
        if let scope = field("scope"), !scope.isEmpty { form.append(("scope", scope)) }
        if let audience = field("audience"), !audience.isEmpty { form.append(("audience", audience)) }
        var request = HTTPRequestSpec(method: "POST", url: tokenURL,
                                      headers: [HTTPField("Content-Type", "application/x-www-form-urlencoded"),
                                                HTTPField("Accept", "application/json")])
        if field("clientAuthentication") == "header" {
            let basic = Data("\(URLQuery.encode(clientId)):\(URLQuery.encode(clientSecret))".utf8).base64EncodedString()
            request.headers.append(HTTPField("Authorization", "Basic \(basic)"))
        } else {
            form += [("client_id", clientId), ("client_secret", clientSecret)]
        }
        request.body = Array(URLQuery.form(form).utf8)
        let key = name
        let tokenRequest = request
        return try await tokens.token(for: key) {
            let response = try await session.send(tokenRequest)
            let body = try? JSON.parse(response.body)
            guard (200..<300).contains(response.head.status) else {
                let reason = [body?["error"]?.stringValue, body?["error_description"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
                throw HTTPRequestError(.credential, "the token endpoint of credential '\(name)' answered \(response.head.status)"
                    + (reason.isEmpty ? "" : " (\(reason))"))
            }
            guard let token = body?["access_token"]?.stringValue, !token.isEmpty else {
                throw HTTPRequestError(.credential, "the token endpoint of credential '\(name)' returned no access_token")
            }
            let lifetime = body?["expires_in"].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int64($0) } } ?? 300
            return OAuthTokenCache.Token(value: token, expires: Date().addingTimeInterval(Double(max(0, lifetime - 30))))
        }
    }
}
