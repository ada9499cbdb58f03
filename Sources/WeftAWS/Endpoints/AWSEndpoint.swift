import Foundation

/// A resolved service endpoint: where requests go and how they are signed.
public struct AWSEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// Lower-case host name or IP address, without brackets for IPv6.
    public var host: String
    /// The explicit port, if the URL had one.
    public var port: Int?
    /// A path the URL carried (for example `/moto`), without a trailing slash; empty for none.
    public var basePath: String
    public var signingRegion: String
    public var signingName: String
    /// True when the URL came from a connector's endpoint or `AWS_ENDPOINT_URL*`; S3 then uses path style.
    public var isOverride: Bool

    public init(scheme: String, host: String, port: Int? = nil, basePath: String = "", signingRegion: String,
                signingName: String, isOverride: Bool = false) {
        self.scheme = scheme.lowercased(); self.host = host.lowercased(); self.port = port
        self.basePath = basePath.hasSuffix("/") ? String(basePath.dropLast()) : basePath
        self.signingRegion = signingRegion; self.signingName = signingName; self.isOverride = isOverride
    }

    /// Parses an absolute `http`/`https` URL; nil when it has no host or another scheme.
    public init?(url: String, signingRegion: String, signingName: String, isOverride: Bool = false) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", var host = components.host, !host.isEmpty
        else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.init(scheme: scheme, host: host, port: components.port, basePath: components.percentEncodedPath,
                  signingRegion: signingRegion, signingName: signingName, isOverride: isOverride)
    }

    /// `scheme://host[:port]basePath`.
    public var url: String { "\(scheme)://\(authority(hostPrefix: nil))\(basePath)" }

    public var description: String { "\(url) (signing \(signingName) in \(signingRegion))" }

    /// The `Host` header value: lower-case host with `hostPrefix` in front, and the port unless it is the
    /// scheme's default.
    public func hostHeader(hostPrefix: String? = nil) -> String { authority(hostPrefix: hostPrefix) }

    /// The request path on this endpoint: `basePath` followed by `path`.
    public func fullPath(_ path: String) -> String {
        let rest = path.isEmpty ? "/" : (path.hasPrefix("/") ? path : "/" + path)
        return basePath + rest
    }

    /// The absolute URL for `request`: host prefix applied, path joined, query encoded in order.
    public func url(for request: AWSRequest) -> String {
        let query = request.query.isEmpty ? "" : "?" + SigV4Encoding.query(request.query)
        return "\(scheme)://\(authority(hostPrefix: request.hostPrefix))\(fullPath(request.path))\(query)"
    }

    private func authority(hostPrefix: String?) -> String {
        var name = (hostPrefix ?? "") + host
        if name.contains(":") { name = "[\(name)]" }
        let defaultPort = scheme == "https" ? 443 : 80
        if let port, port != defaultPort { return "\(name):\(port)" }
        return name
    }
}
