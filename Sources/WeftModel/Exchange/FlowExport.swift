import Foundation

/// A whole export or import file that cannot be used, with one message saying why (SPEC 9).
public struct FlowExchangeError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The file is larger than `FlowImport.maxFileBytes`.
        case tooLarge
        /// Not JSON, or not the shape of an export file.
        case malformed
        /// A `weft` format version this build does not read.
        case unsupportedVersion
        /// More than 10 flows.
        case tooManyFlows
        /// No flow at all.
        case noFlows
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind; self.message = message
    }

    public var description: String { message }
}

/// Export files (SPEC 9): `{"weft": 1, "exportedAt": <ISO 8601>, "flows": [...]}` holding 1 to 10
/// flow documents, with credentials, HTTP auth values and connector bindings removed.
public enum FlowExport {
    /// The format version of export files this build writes and reads.
    public static let format = 1
    /// The most flows one file holds.
    public static let maxFlows = 10

    /// Milliseconds since 1970, as export file names and clone names carry them.
    public static func epochMilliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// `weft-export-<epoch ms>.json`.
    public static func fileName(exportedAt date: Date) -> String {
        "weft-export-\(epochMilliseconds(date)).json"
    }

    /// The export file holding `documents` (flow documents as JSON), each passed through `stripped`.
    ///
    /// - Throws: `FlowExchangeError` (`.noFlows`, `.tooManyFlows`) unless there are 1 to 10 documents.
    public static func file(_ documents: [JSON], exportedAt date: Date) throws(FlowExchangeError) -> JSON {
        guard !documents.isEmpty else { throw FlowExchangeError(.noFlows, "choose at least one flow to export") }
        guard documents.count <= maxFlows else {
            throw FlowExchangeError(
                .tooManyFlows, "\(documents.count) flows chosen; an export holds at most \(maxFlows)")
        }
        return [
            "weft": .int(Int64(format)), "exportedAt": .string(ISODate.format(date)),
            "flows": .array(documents.map { stripped($0).document }),
        ]
    }

    /// `document` without what must not leave the installation, and the JSON pointers (into
    /// `document`) of what was removed:
    ///
    /// - `targets` (connector bindings);
    /// - the values of `secret` variables (set to `null`);
    /// - in node parameters: `auth` members other than `type`, `in` and `name` (so the named
    ///   credential), request headers and query parameters that carry credentials (`Authorization`,
    ///   `Cookie`, `X-API-Key`, `token`, …), any member named like a credential (`password`,
    ///   `secretAccessKey`, `credentials_gcp`, …) at any depth, and user information in URLs
    ///   (`https://user:pass@host`).
    ///
    /// Editor data (`ui`) is kept as it is. A document that is not an object is returned unchanged.
    public static func stripped(_ document: JSON) -> (document: JSON, removed: [String]) {
        guard case .object(var object) = document else { return (document, []) }
        var removed: [String] = []
        if object.removeValue(forKey: "targets") != nil { removed.append("/targets") }
        if case .array(var variables)? = object["variables"] {
            for index in variables.indices {
                guard case .object(var variable) = variables[index], variable["secret"] == true,
                    let value = variable["value"], !value.isNull
                else { continue }
                variable["value"] = .null
                variables[index] = .object(variable)
                removed.append("/variables/\(index)/value")
            }
            object["variables"] = .array(variables)
        }
        if case .array(var nodes)? = object["nodes"] {
            for index in nodes.indices {
                guard case .object(var node) = nodes[index], let params = node["params"] else { continue }
                node["params"] = strip(params, pointer: "/nodes/\(index)/params", removed: &removed)
                nodes[index] = .object(node)
            }
            object["nodes"] = .array(nodes)
        }
        return (.object(object), removed)
    }

    /// Whether a member named `name` holds a credential: compared without case, `-` and `_`, one of
    /// the names in `credentialNames`, or starting with `credentials`, or containing `password`.
    public static func isCredentialName(_ name: String) -> Bool {
        let key = String(name.lowercased().unicodeScalars.filter { $0 != "-" && $0 != "_" })
        return credentialNames.contains(key) || key.hasPrefix("credentials") || key.contains("password")
            || key.contains("passwd")
    }

    static let credentialNames: Set<String> = [
        "authorization", "proxyauthorization", "cookie", "setcookie", "xapikey", "apikey", "apitoken", "xapitoken",
        "accesstoken", "authtoken", "xauthtoken", "refreshtoken", "idtoken", "token", "bearertoken", "password",
        "passwd", "passphrase", "secret", "clientsecret", "secretkey", "secretaccesskey", "accesskeyid",
        "sessiontoken", "privatekey", "credential", "credentials", "serviceaccountkey",
    ]

    static let authKeptMembers: Set<String> = ["type", "in", "name"]

    private static func strip(_ value: JSON, pointer: String, removed: inout [String]) -> JSON {
        switch value {
        case .object(let members):
            var kept: JSONObject = [:]
            for (key, member) in members {
                let here = JSONPointer.append(pointer, key)
                if key == "auth", case .object(let auth) = member {
                    var safe: JSONObject = [:]
                    for (name, setting) in auth {
                        if authKeptMembers.contains(name), setting.stringValue != nil {
                            safe[name] = setting
                        } else {
                            removed.append(JSONPointer.append(here, name))
                        }
                    }
                    kept[key] = .object(safe)
                } else if isCredentialName(key) {
                    removed.append(here)
                } else if key == "url", case .string(let url) = member, let clean = withoutUserInfo(url) {
                    kept[key] = .string(clean)
                    removed.append(here)
                } else {
                    kept[key] = strip(member, pointer: here, removed: &removed)
                }
            }
            return .object(kept)
        case .array(let elements):
            return .array(elements.enumerated().map { strip($1, pointer: JSONPointer.append(pointer, $0), removed: &removed) })
        default:
            return value
        }
    }

    /// `url` without `user:password@` after its scheme, or `nil` when it has none.
    static func withoutUserInfo(_ url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return nil }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }
}

/// Clones (SPEC 9): a copy named `<name>_cloned_<epoch ms>` without connector details.
public enum FlowClone {
    /// `<name>_cloned_<epoch ms>`.
    public static func name(of original: String, clonedAt date: Date) -> String {
        "\(original)_cloned_\(FlowExport.epochMilliseconds(date))"
    }

    /// `document` renamed and passed through `FlowExport.stripped`: no connector bindings, no HTTP
    /// credentials, no secret values — they are set again on the copy, as after an import.
    public static func document(_ document: JSON, clonedAt date: Date) -> JSON {
        guard case .object(var object) = FlowExport.stripped(document).document else { return document }
        object["name"] = .string(name(of: object["name"]?.stringValue ?? "flow", clonedAt: date))
        return .object(object)
    }
}
