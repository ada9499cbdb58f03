import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Temporary credentials from STS `AssumeRole`, called with another provider's credentials.
///
/// Results are cached until 5 minutes before they expire; when several tasks ask at once, one call
/// is made and all get its result. STS errors are thrown as `AWSServiceError` with STS's code.
public struct AssumeRoleCredentialsProvider: AWSCredentialsProvider {
    /// What to ask STS for.
    public struct Parameters: Sendable, Equatable {
        public var roleArn: String
        public var roleSessionName: String
        public var externalId: String?
        public var durationSeconds: Int?

        public init(roleArn: String, roleSessionName: String? = nil, externalId: String? = nil,
                    durationSeconds: Int? = nil) {
            self.roleArn = roleArn
            self.roleSessionName = roleSessionName ?? "weft-session-\(Int(Date().timeIntervalSince1970))"
            self.externalId = externalId; self.durationSeconds = durationSeconds
        }

        /// The form fields of the `AssumeRole` query request, in order.
        public var formFields: [AWSField] {
            var fields = [
                AWSField("Action", "AssumeRole"), AWSField("Version", "2011-06-15"), AWSField("RoleArn", roleArn),
                AWSField("RoleSessionName", roleSessionName),
            ]
            if let externalId { fields.append(AWSField("ExternalId", externalId)) }
            if let durationSeconds { fields.append(AWSField("DurationSeconds", String(durationSeconds))) }
            return fields
        }
    }

    private let cache: CachedCredentialsProvider

    /// - Parameters:
    ///   - source: the credentials that call STS.
    ///   - stsEndpoint: where STS is (see `STSEndpoint.resolve`).
    ///   - transport: the HTTP transport; `retrier` retries throttling and transient errors.
    ///   - now: the clock used for signing and expiry checks.
    public init(source: any AWSCredentialsProvider, parameters: Parameters, stsEndpoint: AWSEndpoint,
                transport: AWSHTTPTransport = .shared, retrier: AWSRetrier = AWSRetrier(),
                now: @escaping @Sendable () -> Date = { Date() }) {
        let fetcher = AssumeRoleFetcher(source: source, parameters: parameters, endpoint: stsEndpoint,
                                        transport: transport, retrier: retrier, now: now)
        cache = CachedCredentialsProvider(fetcher, refreshMargin: 300, now: now)
    }

    public func credentials() async throws -> AWSCredentials { try await cache.credentials() }
}

/// One uncached `AssumeRole` call.
struct AssumeRoleFetcher: AWSCredentialsProvider {
    let source: any AWSCredentialsProvider
    let parameters: AssumeRoleCredentialsProvider.Parameters
    let endpoint: AWSEndpoint
    let transport: AWSHTTPTransport
    let retrier: AWSRetrier
    let now: @Sendable () -> Date

    func credentials() async throws -> AWSCredentials {
        let base = try await source.credentials()
        let request = AWSRequest(
            method: "POST", path: "/",
            headers: [AWSField("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: SigV4Encoding.form(parameters.formFields))
        let signer = SigV4Signer(signingRegion: endpoint.signingRegion, signingName: endpoint.signingName)
        let (endpoint, transport, now) = (self.endpoint, self.transport, self.now)
        let response = try await retrier.run(
            attempt: { _ in
                let signed = signer.sign(request, endpoint: endpoint, credentials: base, date: now())
                return try await transport.send(signed, to: endpoint, timeout: .seconds(30))
            },
            classify: { STSQueryResponse.error(in: $0) })
        return try STSQueryResponse.credentials(in: response.body)
    }
}

/// Finding the STS endpoint for a region without a full client.
public enum STSEndpoint {
    /// `AWS_ENDPOINT_URL_STS` or `AWS_ENDPOINT_URL` (or `endpointOverride`) when set; else botocore's
    /// endpoint data when installed; else `https://sts.REGION.amazonaws.com` (`.com.cn` in China).
    public static func resolve(region: String, endpointOverride: String? = nil,
                               environment: [String: String]) throws -> AWSEndpoint {
        if let resolver = try? AWSEndpointResolver.botocore(environment: environment) {
            return try resolver.resolve(endpointPrefix: "sts", signingName: "sts", region: region, serviceId: "STS",
                                        endpointOverride: endpointOverride, environment: environment)
        }
        if let url = AWSEndpointResolver.overrideURL(serviceId: "STS", endpointOverride: endpointOverride,
                                                     environment: environment) {
            guard let endpoint = AWSEndpoint(url: url, signingRegion: region, signingName: "sts", isOverride: true)
            else { throw AWSEndpointError.invalidOverride(url) }
            return endpoint
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return AWSEndpoint(scheme: "https", host: "sts.\(region).\(suffix)", signingRegion: region, signingName: "sts")
    }
}

/// Reading STS's XML answers.
enum STSQueryResponse {
    /// The `AWSServiceError` in an error response, or nil for a 2xx response.
    static func error(in response: AWSResponse) -> AWSServiceError? {
        if (200..<300).contains(response.status) { return nil }
        let values = XMLLeafValues.parse(response.body)
        return AWSServiceError(
            code: values["Code"] ?? "HTTP\(response.status)", message: values["Message"] ?? "",
            requestId: values["RequestId"] ?? response.header("x-amzn-RequestId"), statusCode: response.status)
    }

    /// The credentials in an `AssumeRoleResponse`; throws `.invalid` when a field is missing.
    static func credentials(in body: [UInt8]) throws -> AWSCredentials {
        let values = XMLLeafValues.parse(body)
        guard let key = values["AccessKeyId"], let secret = values["SecretAccessKey"] else {
            throw AWSCredentialsError(.invalid, "STS AssumeRole response has no credentials")
        }
        return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: values["SessionToken"],
                              expiration: values["Expiration"].flatMap(AWSTimestamp.parse))
    }
}

/// The text of every leaf element of a small XML document by element name (the last one wins).
final class XMLLeafValues: NSObject, XMLParserDelegate {
    private var values: [String: String] = [:]
    private var text = ""

    static func parse(_ bytes: [UInt8]) -> [String: String] {
        let collector = XMLLeafValues()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = collector
        _ = parser.parse()
        return collector.values
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { values[elementName] = trimmed }
        text = ""
    }
}
