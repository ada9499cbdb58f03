import Crypto
import Foundation

/// AWS Signature Version 4 for one signing region and signing name, byte-compatible with botocore's
/// `SigV4Auth` (and `S3SigV4Auth` when `isS3` is set).
///
/// Signing is pure given the credentials and the time: the same inputs always give the same headers.
/// Every request header is signed except the ones botocore leaves out (`user-agent`, `expect`,
/// `connection`, `x-amzn-trace-id`, …); `host` is always signed and added to the request.
public struct SigV4Signer: Sendable {
    public var signingRegion: String
    public var signingName: String
    /// S3 rules: the path is signed exactly as sent (no normalisation, no second encoding) and
    /// `x-amz-content-sha256` carries the payload hash.
    public var isS3: Bool
    private let keyCache: SigV4KeyCache

    /// Headers botocore never signs.
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    public init(signingRegion: String, signingName: String, isS3: Bool? = nil, keyCache: SigV4KeyCache = .shared) {
        self.signingRegion = signingRegion
        self.signingName = signingName
        self.isS3 = isS3 ?? (signingName == "s3" || signingName == "s3-object-lambda")
        self.keyCache = keyCache
    }

    /// Returns `request` with `Host`, `X-Amz-Date`, `X-Amz-Security-Token` (when the credentials have a
    /// session token), `X-Amz-Content-SHA256` (S3) and `Authorization` set for sending to `endpoint`
    /// at `date`. Earlier values of those headers are replaced, so a retried request can be re-signed.
    public func sign(_ request: AWSRequest, endpoint: AWSEndpoint, credentials: AWSCredentials,
                     date: Date) -> AWSRequest {
        sign(request, host: endpoint.hostHeader(hostPrefix: request.hostPrefix),
             path: endpoint.fullPath(request.path), credentials: credentials, date: date)
    }

    /// Signs for an explicit `host` header value and full request `path` (already percent-encoded).
    public func sign(_ request: AWSRequest, host: String, path: String, credentials: AWSCredentials,
                     date: Date) -> AWSRequest {
        let timestamp = SigV4Signer.timestamp(date)
        var signed = request
        var replaced: Set<String> = ["authorization", "x-amz-date", "x-amz-security-token", "host", "date"]
        if isS3 { replaced.insert("x-amz-content-sha256") }
        signed.headers.removeAll { replaced.contains($0.name.lowercased()) }
        signed.headers.append(AWSField("Host", host))
        signed.headers.append(AWSField("X-Amz-Date", timestamp))
        if let token = credentials.sessionToken {
            signed.headers.append(AWSField("X-Amz-Security-Token", token))
        }
        if isS3 {
            signed.headers.append(AWSField("X-Amz-Content-SHA256", SigV4Signer.hexSHA256(request.body)))
        }
        let parts = canonicalRequest(signed, path: path)
        let day = String(timestamp.prefix(8))
        let scope = "\(day)/\(signingRegion)/\(signingName)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(timestamp)\n\(scope)\n"
            + SigV4Signer.hexSHA256(Array(parts.request.utf8))
        let key = keyCache.key(secret: credentials.secretAccessKey, day: day, region: signingRegion,
                               service: signingName)
        let signature = HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key)
        signed.headers.append(AWSField(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
                + "SignedHeaders=\(parts.signedHeaders), Signature=\(SigV4Signer.hex(signature))"))
        return signed
    }

    /// The canonical request botocore would build for `request` sent to `path`, and its signed-header list.
    func canonicalRequest(_ request: AWSRequest, path: String) -> (request: String, signedHeaders: String) {
        var grouped: [String: [String]] = [:]
        for field in request.headers {
            let name = field.name.lowercased()
            if SigV4Signer.unsignedHeaders.contains(name) { continue }
            grouped[name, default: []].append(SigV4Signer.trimAll(field.value))
        }
        let names = grouped.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(grouped[$0]!.joined(separator: ","))" }.joined(separator: "\n")
        let signedHeaders = names.joined(separator: ";")
        let canonicalPath = isS3 ? (path.isEmpty ? "/" : path)
            : SigV4Encoding.encode(SigV4Signer.removeDotSegments(path), keepingSlash: true)
        let payloadHash = request.headers.first { $0.name.lowercased() == "x-amz-content-sha256" }?.value
            ?? SigV4Signer.hexSHA256(request.body)
        let text = [
            request.method.uppercased(), canonicalPath, SigV4Encoding.canonicalQuery(request.query),
            canonicalHeaders + "\n", signedHeaders, payloadHash,
        ].joined(separator: "\n")
        return (text, signedHeaders)
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    public static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }

    static func hexSHA256(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ digest: SHA256.Digest) -> String { hex(Array(digest)) }

    static func hex(_ code: HashedAuthenticationCode<SHA256>) -> String { hex(Array(code)) }

    /// Python's `' '.join(value.split())`: trims and collapses runs of whitespace to one space.
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// RFC 3986 section 5.2.4, also dropping empty segments (botocore's `remove_dot_segments`).
    static func removeDotSegments(_ path: String) -> String {
        if path.isEmpty { return "/" }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." { if !output.isEmpty { output.removeLast() }; continue }
            output.append(segment)
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return first + output.joined(separator: "/") + last
    }
}

/// Percent-encoding as SigV4 and botocore do it: every byte outside `A-Z a-z 0-9 - _ . ~` is encoded.
public enum SigV4Encoding {
    /// Encodes `text`'s UTF-8 bytes; `/` is kept when `keepingSlash` is set.
    public static func encode(_ text: String, keepingSlash: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        let digits = Array("0123456789ABCDEF".utf8)
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"):
                out.append(b)
            case UInt8(ascii: "/") where keepingSlash:
                out.append(b)
            default:
                out.append(UInt8(ascii: "%")); out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The query string as sent: pairs encoded, in their given order.
    public static func query(_ fields: [AWSField]) -> String {
        fields.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
    }

    /// The canonical query string: encoded pairs sorted by name, then value.
    public static func canonicalQuery(_ fields: [AWSField]) -> String {
        fields.map { (encode($0.name), encode($0.value)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// An `application/x-www-form-urlencoded` body as botocore's query serializer writes it.
    public static func form(_ fields: [AWSField]) -> [UInt8] { Array(query(fields).utf8) }
}

/// A cache of derived SigV4 signing keys per secret, day, region and service. Thread-safe.
public final class SigV4KeyCache: @unchecked Sendable {
    /// The process-wide cache.
    public static let shared = SigV4KeyCache()

    private struct Key: Hashable { let secret: String; let day: String; let region: String; let service: String }
    private let lock = NSLock()
    private var keys: [Key: SymmetricKey] = [:]
    private let capacity: Int

    public init(capacity: Int = 256) { self.capacity = capacity }

    /// The signing key `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")`.
    public func key(secret: String, day: String, region: String, service: String) -> SymmetricKey {
        let cacheKey = Key(secret: secret, day: day, region: region, service: service)
        lock.lock()
        if let cached = keys[cacheKey] { lock.unlock(); return cached }
        lock.unlock()
        let derived = SigV4KeyCache.derive(secret: secret, day: day, region: region, service: service)
        lock.lock()
        if keys.count >= capacity { keys.removeAll(keepingCapacity: true) }
        keys[cacheKey] = derived
        lock.unlock()
        return derived
    }

    /// The number of cached keys.
    public var count: Int { lock.lock(); defer { lock.unlock() }; return keys.count }

    static func derive(secret: String, day: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(secret)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }
}
