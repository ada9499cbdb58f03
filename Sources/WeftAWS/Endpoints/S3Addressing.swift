/// S3 bucket addressing: virtual-hosted style (`bucket.s3.region.amazonaws.com/key`) on AWS's own
/// endpoints, path style (`host/bucket/key`) on overridden endpoints, as botocore's `auto` mode does.
public enum S3Addressing {
    /// `request` (whose path begins with the bucket, as the rest-xml serializer writes it) readdressed for
    /// `endpoint`: the bucket moves into `hostPrefix` when the endpoint is not an override, uses https,
    /// and the bucket name is DNS-compatible without dots; otherwise the request is returned unchanged.
    public static func address(_ request: AWSRequest, for endpoint: AWSEndpoint) -> AWSRequest {
        guard !endpoint.isOverride, endpoint.scheme == "https", request.hostPrefix == nil else { return request }
        let trimmed = request.path.dropFirst()
        guard request.path.hasPrefix("/"), !trimmed.isEmpty else { return request }
        let bucket = trimmed.prefix { $0 != "/" }
        guard isVirtualHostable(String(bucket)) else { return request }
        var readdressed = request
        let rest = trimmed.dropFirst(bucket.count)
        readdressed.path = rest.isEmpty ? "/" : String(rest)
        readdressed.hostPrefix = bucket + "."
        return readdressed
    }

    /// 3–63 characters of lower-case letters, digits and inner hyphens.
    public static func isVirtualHostable(_ bucket: String) -> Bool {
        let bytes = Array(bucket.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alnum(_ b: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) }
        guard alnum(bytes.first!), alnum(bytes.last!) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") }
    }
}
