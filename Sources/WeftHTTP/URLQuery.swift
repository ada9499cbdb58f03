import Foundation

/// Edits the query of URL text, percent-encoding names and values as RFC 3986 query components
/// (everything but unreserved characters is encoded, so `+`, `&` and `=` survive).
public enum URLQuery {
    /// `url` with `parameters` appended to its query, in order; the fragment is kept.
    public static func appending(_ parameters: [(String, String)], to url: String) -> String {
        guard !parameters.isEmpty else { return url }
        var base = url
        var fragment = ""
        if let hash = base.firstIndex(of: "#") {
            fragment = String(base[hash...])
            base = String(base[..<hash])
        }
        let encoded = parameters.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        if base.contains("?") {
            return base + (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&") + encoded + fragment
        }
        return base + "?" + encoded + fragment
    }

    /// `url` with every parameter called `name` removed and `name=value` appended.
    public static func setting(_ name: String, to value: String, in url: String) -> String {
        appending([(name, value)], to: removing(name, from: url))
    }

    /// `url` without the query parameters called `name`.
    public static func removing(_ name: String, from url: String) -> String {
        guard let question = url.firstIndex(of: "?") else { return url }
        let base = url[..<question]
        var rest = url[url.index(after: question)...]
        var fragment = Substring("")
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[hash...]
            rest = rest[..<hash]
        }
        let kept = rest.split(separator: "&", omittingEmptySubsequences: true).filter { pair in
            let key = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            return (key.removingPercentEncoding ?? key) != name
        }
        return String(base) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&")) + fragment
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `text` with every character but the unreserved ones percent-encoded.
    public static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// `application/x-www-form-urlencoded` text of `fields`.
    public static func form(_ fields: [(String, String)]) -> String {
        fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}
