import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A failure below HTTP: the request got no response.
public struct AWSTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Connecting, reading or the whole request took too long.
        case timeout
        /// The connection could not be made or broke.
        case connection
        /// The request could not be built (bad URL).
        case invalidRequest
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }

    public var description: String { message }
}

/// Sends signed AWS requests over HTTP(S) with AsyncHTTPClient. Redirects are not followed, and a
/// failed connection attempt fails the request at once (the retry policy decides about retrying).
///
/// `shared` is the process-wide transport; call `shutdown()` once when the process is done with AWS.
/// A transport made with `init(configuration:)` owns its client and must be shut down the same way.
public final class AWSHTTPTransport: Sendable {
    /// Connection and request limits.
    public struct Configuration: Sendable {
        /// Time allowed to open a connection.
        public var connectTimeout: Duration
        /// Time allowed between bytes read once connected.
        public var readTimeout: Duration
        /// Time allowed for a whole request when the caller gives none.
        public var requestTimeout: Duration
        /// Largest response body accepted.
        public var maxResponseBytes: Int

        public init(connectTimeout: Duration = .seconds(10), readTimeout: Duration = .seconds(60),
                    requestTimeout: Duration = .seconds(120), maxResponseBytes: Int = 256 << 20) {
            self.connectTimeout = connectTimeout; self.readTimeout = readTimeout
            self.requestTimeout = requestTimeout; self.maxResponseBytes = maxResponseBytes
        }
    }

    /// The process-wide transport with the default configuration.
    public static let shared = AWSHTTPTransport()

    public let configuration: Configuration
    private let client: HTTPClient

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var clientConfiguration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: AWSHTTPTransport.timeAmount(configuration.connectTimeout),
                           read: AWSHTTPTransport.timeAmount(configuration.readTimeout)),
            decompression: .disabled)
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
    }

    /// Closes the client's connections. The transport cannot send afterwards.
    public func shutdown() async throws { try await client.shutdown() }

    /// Sends `request` (already signed for `endpoint`) and returns the complete response, whatever its status.
    ///
    /// Throws `AWSTransportError` when no response arrives (timeout, connection failure) and
    /// `CancellationError` when the task is cancelled.
    public func send(_ request: AWSRequest, to endpoint: AWSEndpoint, timeout: Duration? = nil) async throws
        -> AWSResponse
    {
        try await send(method: request.method, url: endpoint.url(for: request), headers: request.headers,
                       body: request.body, timeout: timeout)
    }

    /// Sends one HTTP request to an absolute URL and returns the complete response, whatever its status.
    public func send(method: String, url: String, headers: [AWSField] = [], body: [UInt8] = [],
                     timeout: Duration? = nil) async throws -> AWSResponse
    {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method.uppercased())
        for field in headers { request.headers.add(name: field.name, value: field.value) }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method.uppercased()) {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let budget = AWSHTTPTransport.timeAmount(timeout ?? configuration.requestTimeout)
        do {
            let response = try await client.execute(request, deadline: .now() + budget)
            var buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            return AWSResponse(status: Int(response.status.code),
                               headers: response.headers.map { AWSField($0.name, $0.value) }, body: bytes)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw AWSHTTPTransport.classify(error)
        }
    }

    /// Maps AsyncHTTPClient and NIO errors to `AWSTransportError`.
    static func classify(_ error: any Error) -> any Error {
        if let error = error as? AWSTransportError { return error }
        if let error = error as? HTTPClientError {
            let timeouts: [HTTPClientError] = [
                .readTimeout, .connectTimeout, .deadlineExceeded, .tlsHandshakeTimeout, .writeTimeout,
                .getConnectionFromPoolTimeout,
            ]
            if timeouts.contains(error) { return AWSTransportError(.timeout, "request timed out (\(error))") }
            if [HTTPClientError.invalidURL, .emptyHost, .emptyScheme].contains(error) {
                return AWSTransportError(.invalidRequest, "invalid request URL (\(error))")
            }
            if error == .cancelled { return CancellationError() }
        }
        return AWSTransportError(.connection, "connection failed (\(error))")
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
