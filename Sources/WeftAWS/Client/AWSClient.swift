import Crypto
import Foundation
import WeftModel

/// Calls any operation of any AWS service for one connector: parameters serialised from botocore's
/// model, endpoint resolved per region, SigV4-signed with the connector's credentials, sent with the
/// standard retry mode under the connector's request-rate limit, and the response parsed into JSON.
///
/// One client per connector, shared by all its executions: credentials are cached until they expire
/// and the rate limiter and retry quota are common to every region.
public struct AWSClient: Sendable {
    public let botocore: BotocoreData
    private let endpoints: AWSEndpointResolver
    private let credentials: any AWSCredentialsProvider
    private let transport: AWSHTTPTransport
    private let retrier: AWSRetrier
    private let limiter: RateLimiter
    private let endpointOverride: String?
    private let environment: [String: String]

    /// - Parameters:
    ///   - credentials: who signs the requests.
    ///   - endpointOverride: one URL for every service (moto, LocalStack, private endpoints); else
    ///     `AWS_ENDPOINT_URL*` from `environment`, else botocore's endpoint data.
    ///   - requestsPerSecond, burst: the connector's request-rate limit.
    public init(botocore: BotocoreData, credentials: any AWSCredentialsProvider, endpointOverride: String? = nil,
                environment: [String: String] = [:], retryPolicy: RetryPolicy = RetryPolicy(),
                requestsPerSecond: Double = 100, burst: Int = 100, transport: AWSHTTPTransport = .shared) throws {
        self.botocore = botocore
        self.endpoints = try AWSEndpointResolver.botocore(environment: environment.merging(
            ["WEFT_BOTOCORE_DATA": botocore.root.path], uniquingKeysWith: { _, data in data }))
        self.credentials = credentials
        self.endpointOverride = endpointOverride
        self.environment = environment
        self.transport = transport
        self.retrier = AWSRetrier(policy: retryPolicy)
        self.limiter = RateLimiter(requestsPerSecond: requestsPerSecond, burst: burst)
    }

    /// A client for an `aws` connector (SPEC 5): static keys (+ session token) from its credentials,
    /// else the standard chain read from `environment`; with `roleArn` (+ `externalId`), that role is
    /// assumed through STS on top of them; `endpoint` overrides every service's endpoint.
    /// `AWS_MAX_ATTEMPTS` sets the attempts per call (3 by default), as in the AWS SDKs.
    public init(connector: Connector, environment: [String: String], botocore: BotocoreData) throws {
        let fields = connector.credentials
        var provider: any AWSCredentialsProvider
        if let key = fields["accessKeyId"]?.stringValue, let secret = fields["secretAccessKey"]?.stringValue {
            provider = StaticCredentialsProvider(accessKeyId: key, secretAccessKey: secret, sessionToken: fields["sessionToken"]?.stringValue)
        } else {
            provider = DefaultCredentialsChain(environment: environment, homeDirectory: environment["HOME"] ?? NSHomeDirectory(),
                                               profile: fields["profile"]?.stringValue)
        }
        if let role = fields["roleArn"]?.stringValue {
            let region = connector.regions.first ?? "us-east-1"
            let sts = try STSEndpoint.resolve(region: region, endpointOverride: connector.endpoint, environment: environment)
            provider = AssumeRoleCredentialsProvider(
                source: provider,
                parameters: .init(roleArn: role, roleSessionName: "weft-\(connector.name)", externalId: fields["externalId"]?.stringValue),
                stsEndpoint: sts)
        }
        let attempts = environment["AWS_MAX_ATTEMPTS"].flatMap { Int($0) }.map { max(1, $0) } ?? 3
        try self.init(botocore: botocore, credentials: provider, endpointOverride: connector.endpoint, environment: environment,
                      retryPolicy: RetryPolicy(maxAttempts: attempts))
    }

    /// The output of one call (retried on throttling and transient errors).
    ///
    /// Throws `AWSServiceError` (AWS's code, message, request id), `AWSModelError` for parameters that do
    /// not fit the operation, `AWSTransportError`, or the credential provider's error.
    public func call(_ service: String, _ operation: String, parameters: JSON, region: String,
                     onRetry: @escaping @Sendable (AWSRetryEvent) -> Void = { _ in }) async throws -> JSON {
        let model = try botocore.model(service)
        var request = try AWSRequestSerializer(model: model).serialize(operation: operation, parameters: parameters)
        let endpoint = try endpoints.resolve(endpointPrefix: model.endpointPrefix, signingName: model.signingName, region: region,
                                             serviceId: model.serviceId, endpointOverride: endpointOverride, environment: environment)
        if model.signingName == "s3" { request = S3Addressing.address(request, for: endpoint) }
        if try model.operation(operation).checksumRequired, !request.headers.contains(where: { $0.name.lowercased() == "content-md5" }) {
            request.headers.append(AWSField("Content-MD5", Data(Insecure.MD5.hash(data: request.body)).base64EncodedString()))
        }
        let prepared = request
        let signer = SigV4Signer(signingRegion: endpoint.signingRegion, signingName: endpoint.signingName)
        let parser = AWSResponseParser(model: model)
        let response = try await retrier.run(
            attempt: { [credentials, transport, limiter] _ in
                try await limiter.acquire()
                let signed = signer.sign(prepared, endpoint: endpoint, credentials: try await credentials.credentials(), date: Date())
                return try await transport.send(signed, to: endpoint)
            },
            classify: { $0.status >= 300 ? parser.serviceError($0) : nil },
            onRetry: onRetry)
        return try parser.parse(operation: operation, response: response)
    }

    /// Calls `body` with every page of the operation's output, following its paginator (one call when
    /// it has none), until the last page or until `body` returns false.
    public func forEachPage(_ service: String, _ operation: String, parameters: JSON, region: String,
                            onRetry: @escaping @Sendable (AWSRetryEvent) -> Void = { _ in },
                            _ body: (JSON) async throws -> Bool) async throws {
        let paginator = try AWSPaginator(model: try botocore.model(service), operation: operation)
        var current = parameters
        while true {
            try Task.checkCancellation()
            let page = try await call(service, operation, parameters: current, region: region, onRetry: onRetry)
            guard try await body(page), let paginator, let next = paginator.nextParameters(after: page, current: current) else { return }
            current = next
        }
    }

    /// The resources a page holds: the paginator's result keys, else the output's only list member,
    /// else the whole output as one item.
    public func resultItems(_ service: String, _ operation: String, page: JSON) throws -> [JSON] {
        let model = try botocore.model(service)
        if let paginator = try AWSPaginator(model: model, operation: operation) { return paginator.items(in: page) }
        if case .object(let object) = page {
            let lists = object.values.compactMap(\.arrayValue)
            if lists.count == 1, object.count == 1 || object.values.allSatisfy({ $0.arrayValue != nil || $0.stringValue != nil }) {
                return lists[0]
            }
        }
        return [page]
    }

    /// Polls the service's waiter `waiter` with `parameters` until it reports success.
    ///
    /// Throws `AWSWaitError` when the waiter reaches a failure state or runs out of attempts, and the
    /// call's `AWSServiceError` when an error leads to failure (unexpected errors do).
    public func wait(_ service: String, waiter name: String, parameters: JSON, region: String, maxAttempts: Int? = nil,
                     delaySeconds: Double? = nil) async throws {
        let waiter = try AWSWaiter(model: try botocore.model(service), name: name)
        let attempts = maxAttempts ?? waiter.maxAttempts
        let delay = delaySeconds ?? Double(waiter.delay)
        for attempt in 1...max(1, attempts) {
            let state: AWSWaiter.State?
            do {
                state = waiter.state(output: try await call(service, waiter.operation, parameters: parameters, region: region))
            } catch let error as AWSServiceError {
                state = waiter.state(error: error)
                if state == .failure { throw error }
            }
            switch state {
            case .success: return
            case .failure: throw AWSWaitError(waiter: name, message: "reached a failure state after \(attempt) attempt(s)")
            default: break
            }
            if attempt < attempts { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
        }
        throw AWSWaitError(waiter: name, message: "did not succeed within \(attempts) attempt(s)")
    }
}

/// A waiter that failed or gave up.
public struct AWSWaitError: Error, Sendable, CustomStringConvertible {
    public var waiter: String
    public var message: String
    public var description: String { "waiter \(waiter) \(message)" }
}
