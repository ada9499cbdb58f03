import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One HTTP request to send: method, absolute URL, headers and body.
public struct HTTPRequestSpec: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [HTTPField]
    public var body: [UInt8]?
    /// Header names (any case) dropped when a redirect leads to another origin, besides
    /// `Authorization`, `Proxy-Authorization` and `Cookie`.
    public var sensitiveHeaders: Set<String>

    public init(method: String = "GET", url: String, headers: [HTTPField] = [], body: [UInt8]? = nil,
                sensitiveHeaders: Set<String> = []) {
        self.method = method.uppercased()
        self.url = url
        self.headers = headers
        self.body = body
        self.sensitiveHeaders = sensitiveHeaders
    }

    /// The first value of header `name` (any case).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Sets header `name`, replacing any value it had.
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append(HTTPField(name, value))
    }
}

/// A header line.
public struct HTTPField: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

/// A response's status line and headers, and the URL that answered (after redirects).
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var headers: [HTTPField]
    public var url: String

    public init(status: Int, reason: String = "", headers: [HTTPField] = [], url: String) {
        self.status = status; self.reason = reason; self.headers = headers; self.url = url
    }

    /// The values of header `name` (any case), joined with ", ".
    public func header(_ name: String) -> String? {
        let values = headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}

/// A response held in memory.
public struct HTTPResponse: Sendable, Equatable {
    public var head: HTTPResponseHead
    public var body: [UInt8]
}

/// Limits and trust settings of an `HTTPSession`.
public struct HTTPSessionSettings: Sendable, Equatable {
    /// Time allowed to connect and receive the response head, and between two reads of the body.
    public var timeout: Duration
    /// Redirects followed before failing; 0 returns 3xx responses as they are.
    public var maxRedirects: Int
    /// Further attempts after a 429 or 5xx response.
    public var maxRetries: Int
    /// The longest wait before a retry, whatever `Retry-After` asks.
    public var maxRetryDelay: Duration
    /// The wait before the first retry when the server gives no `Retry-After`; it doubles each time.
    public var baseRetryDelay: Duration
    /// The largest body `send` keeps in memory.
    public var maxBodyBytes: Int
    /// A PEM file of certificates trusted besides the system's roots. TLS verification is always on.
    public var trustedCAFile: String?

    public init(timeout: Duration = .seconds(30), maxRedirects: Int = 5, maxRetries: Int = 3,
                maxRetryDelay: Duration = .seconds(60), baseRetryDelay: Duration = .milliseconds(500),
                maxBodyBytes: Int = 64 << 20, trustedCAFile: String? = nil) {
        self.timeout = timeout; self.maxRedirects = maxRedirects; self.maxRetries = maxRetries
        self.maxRetryDelay = maxRetryDelay; self.baseRetryDelay = baseRetryDelay
        self.maxBodyBytes = maxBodyBytes; self.trustedCAFile = trustedCAFile
    }
}

/// Sends HTTP requests under an egress policy: every address a host resolves to is checked before
/// connecting, and the connection goes to a checked address while the `Host` header and TLS server
/// name stay the URL's host, so a name that resolves differently later (DNS rebinding) cannot reach
/// a denied address. Redirects are followed here, each hop checked the same way; 429 and 5xx
/// responses are retried (see `send`).
///
/// Call `shutdown()` once when done (or use `withSession`); the session cannot send afterwards.
public final class HTTPSession: Sendable {
    public let policy: EgressPolicy
    public let settings: HTTPSessionSettings
    private let resolver: any HostResolving
    private let log: @Sendable (String) -> Void
    private let clients = Locked<[String: HTTPClient]>([:])
    private let tls: TLSConfiguration

    /// - Parameter log: receives one line per retry and redirect (no header values).
    /// - Throws: `HTTPRequestError` (`.connection`) when `trustedCAFile` cannot be read.
    public init(policy: EgressPolicy, resolver: any HostResolving = SystemResolver(),
                settings: HTTPSessionSettings = HTTPSessionSettings(), log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.policy = policy
        self.resolver = resolver
        self.settings = settings
        self.log = log
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = settings.trustedCAFile {
            do {
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(file))]
            } catch {
                throw HTTPRequestError(.connection, "cannot read the CA file \(file): \(error)")
            }
        }
        self.tls = tls
    }

    /// Runs `body` with a new session and shuts it down afterwards, also when `body` throws.
    public static func withSession<T: Sendable>(
        policy: EgressPolicy, resolver: any HostResolving = SystemResolver(), settings: HTTPSessionSettings = HTTPSessionSettings(),
        log: @escaping @Sendable (String) -> Void = { _ in }, _ body: (HTTPSession) async throws -> T
    ) async throws -> T {
        let session = try HTTPSession(policy: policy, resolver: resolver, settings: settings, log: log)
        do {
            let result = try await body(session)
            await session.shutdown()
            return result
        } catch {
            await session.shutdown()
            throw error
        }
    }

    /// Closes every connection.
    public func shutdown() async {
        let all = clients.withLock { clients -> [HTTPClient] in
            defer { clients = [:] }
            return Array(clients.values)
        }
        for client in all { try? await client.shutdown() }
    }

    /// Sends `request` and returns the final response with its body, whatever its status.
    ///
    /// Redirects (301, 302, 303, 307, 308) are followed up to `maxRedirects`; 303, and 301/302 after
    /// a POST, continue as GET without body; credentials headers are dropped when the origin changes.
    /// A 429 or 503 is retried for any method, a 500, 502 or 504 only for idempotent methods, up to
    /// `maxRetries` times, after the `Retry-After` delay (seconds or HTTP date) or an exponential
    /// backoff, never longer than `maxRetryDelay`.
    /// - Throws: `HTTPRequestError` (`.egressDenied` before anything is sent, `.timeout`,
    ///   `.connection`, `.tooManyRedirects`, `.tooLarge`, `.invalidURL`, `.resolution`) and
    ///   `CancellationError`.
    public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponse {
        let maxBytes = settings.maxBodyBytes
        return try await perform(request) { head, response in
            do {
                var buffer = try await response.body.collect(upTo: maxBytes)
                return HTTPResponse(head: head, body: buffer.readBytes(length: buffer.readableBytes) ?? [])
            } catch is NIOTooManyBytesError {
                throw HTTPRequestError(.tooLarge, "\(request.method) \(head.url): the response body exceeds \(maxBytes) bytes (largeHttp streams larger bodies to disk)")
            }
        }
    }

    /// Sends `request` as `send` does and streams the final response's body into a new file at
    /// `path` (mode 0600), never holding it whole in memory.
    /// - Throws: as `send`; `HTTPRequestError` (`.tooLarge`) as soon as the body passes `maxBytes`
    ///   (the partial file is removed), `.storage` when the file cannot be written.
    public func download(_ request: HTTPRequestSpec, to path: String, maxBytes: Int) async throws -> (head: HTTPResponseHead, bytes: Int) {
        try await perform(request) { head, response in
            if let length = head.header("content-length").flatMap({ Int($0) }), length > maxBytes {
                throw HTTPRequestError(.tooLarge, "\(request.method) \(head.url): the response body (\(length) bytes) exceeds maxBytes (\(maxBytes))")
            }
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard descriptor >= 0 else {
                throw HTTPRequestError(.storage, "cannot create \(path): \(String(cString: strerror(errno)))")
            }
            var written = 0
            do {
                defer { close(descriptor) }
                for try await chunk in response.body {
                    written += chunk.readableBytes
                    if written > maxBytes {
                        throw HTTPRequestError(.tooLarge, "\(request.method) \(head.url): the response body exceeds maxBytes (\(maxBytes))")
                    }
                    try chunk.withUnsafeReadableBytes { bytes in try Self.writeAll(descriptor, bytes, path: path) }
                }
            } catch {
                unlink(path)
                throw error
            }
            return (head, written)
        }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        guard var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let count = write(descriptor, base, remaining)
            if count < 0 {
                if errno == EINTR { continue }
                throw HTTPRequestError(.storage, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            remaining -= count
            base += count
        }
    }

    /// Follows redirects and retries, then hands the final response to `consume`.
    private func perform<T: Sendable>(_ request: HTTPRequestSpec,
                                      consume: (HTTPResponseHead, HTTPClientResponse) async throws -> T) async throws -> T {
        var current = request
        var redirects = 0
        var retries = 0
        while true {
            try Task.checkCancellation()
            let (head, response) = try await attempt(current)
            if [301, 302, 303, 307, 308].contains(head.status), settings.maxRedirects > 0,
               let location = head.header("location") {
                await Self.discard(response)
                guard redirects < settings.maxRedirects else {
                    throw HTTPRequestError(.tooManyRedirects, "\(request.method) \(request.url): more than \(settings.maxRedirects) redirects")
                }
                redirects += 1
                current = try Self.redirected(current, status: head.status, location: location)
                log("redirect \(head.status) to \(current.url)")
                continue
            }
            if retries < settings.maxRetries, Self.isRetryable(head.status, method: current.method) {
                await Self.discard(response)
                retries += 1
                let delay = min(Self.retryAfterDelay(head.header("retry-after"))
                                    ?? settings.baseRetryDelay * (1 << min(retries - 1, 20)), settings.maxRetryDelay)
                log("\(head.status) \(head.reason) from \(current.method) \(current.url); retry \(retries) of \(settings.maxRetries) after \(delay)")
                try await Task.sleep(for: delay)
                continue
            }
            do {
                return try await consume(head, response)
            } catch {
                throw Self.classify(error, request: current, timeout: settings.timeout)
            }
        }
    }

    static func isRetryable(_ status: Int, method: String) -> Bool {
        if status == 429 || status == 503 { return true }
        return [500, 502, 504].contains(status) && ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"].contains(method)
    }

    /// The delay a `Retry-After` value asks for: delta seconds or an HTTP date; `nil` when absent or unreadable.
    public static func retryAfterDelay(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(max(0, Int(date.timeIntervalSince(now) * 1_000)))
    }

    /// The request that follows a redirect to `location`.
    static func redirected(_ request: HTTPRequestSpec, status: Int, location: String) throws -> HTTPRequestSpec {
        guard let base = URL(string: request.url), let target = URL(string: location, relativeTo: base)?.absoluteURL,
              let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw HTTPRequestError(.invalidURL, "\(request.method) \(request.url): a redirect to an unusable location")
        }
        var next = request
        next.url = target.absoluteString
        if status == 303 && request.method != "HEAD" || (status == 301 || status == 302) && request.method == "POST" {
            next.method = "GET"
            next.body = nil
            next.headers.removeAll { ["content-type", "content-length"].contains($0.name.lowercased()) }
        }
        if origin(of: base) != origin(of: target) {
            let sensitive = Set(["authorization", "proxy-authorization", "cookie"]).union(request.sensitiveHeaders.map { $0.lowercased() })
            next.headers.removeAll { sensitive.contains($0.name.lowercased()) }
        }
        return next
    }

    private static func origin(of url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        return "\(scheme)://\(url.host?.lowercased() ?? ""):\(url.port ?? (scheme == "https" ? 443 : 80))"
    }

    private static func discard(_ response: HTTPClientResponse) async {
        _ = try? await response.body.collect(upTo: 1 << 20)
    }

    /// One request to one URL: resolve, check every address, connect to a checked one.
    private func attempt(_ request: HTTPRequestSpec) async throws -> (HTTPResponseHead, HTTPClientResponse) {
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              var host = url.host, !host.isEmpty else {
            throw HTTPRequestError(.invalidURL, "\"\(request.url)\" is not an absolute http or https URL")
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let addresses = try await resolver.addresses(of: host)
        guard let address = addresses.first else {
            throw HTTPRequestError(.resolution, "cannot resolve host \(host): no address")
        }
        for candidate in addresses {
            if case .deny(let reason) = policy.decide(address: candidate) {
                throw HTTPRequestError(.egressDenied, "\(request.method) \(request.url) refused before connecting: \(reason)"
                    + (candidate == host ? "" : " (\(host) resolves to \(candidate))"))
            }
        }
        let client = client(host: host, address: address)
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for field in request.headers { outgoing.headers.add(name: field.name, value: field.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(outgoing, deadline: .now() + Self.timeAmount(settings.timeout))
            let head = HTTPResponseHead(status: Int(response.status.code), reason: response.status.reasonPhrase,
                                        headers: response.headers.map { HTTPField($0.name, $0.value) }, url: request.url)
            return (head, response)
        } catch {
            throw Self.classify(error, request: request, timeout: settings.timeout)
        }
    }

    /// The client that connects `host` to `address`, made once per pair.
    private func client(host: String, address: String) -> HTTPClient {
        let key = "\(host.lowercased())|\(address)"
        return clients.withLock { clients in
            if let existing = clients[key] { return existing }
            var configuration = HTTPClient.Configuration(
                tlsConfiguration: tls, redirectConfiguration: .disallow,
                timeout: .init(connect: Self.timeAmount(settings.timeout), read: Self.timeAmount(settings.timeout)),
                decompression: .disabled)
            configuration.connectionPool.retryConnectionEstablishment = false
            if host.lowercased() != address.lowercased() { configuration.dnsOverride = [host: address] }
            let client = HTTPClient(eventLoopGroupProvider: .shared(HTTPClient.defaultEventLoopGroup), configuration: configuration)
            clients[key] = client
            return client
        }
    }

    static func classify(_ error: any Error, request: HTTPRequestSpec, timeout: Duration) -> any Error {
        if error is CancellationError || error is HTTPRequestError { return error }
        let subject = "\(request.method) \(request.url)"
        if let error = error as? HTTPClientError {
            let timeouts: [HTTPClientError] = [.readTimeout, .connectTimeout, .deadlineExceeded, .tlsHandshakeTimeout,
                                               .writeTimeout, .getConnectionFromPoolTimeout]
            if timeouts.contains(error) { return HTTPRequestError(.timeout, "\(subject) timed out after \(timeout)") }
            if error == .cancelled { return CancellationError() }
            if [HTTPClientError.invalidURL, .emptyHost, .emptyScheme].contains(error) {
                return HTTPRequestError(.invalidURL, "\(subject): invalid URL")
            }
        }
        if let error = error as? NIOSSLError {
            return HTTPRequestError(.connection, "\(subject): TLS handshake failed (\(error)); the server's certificate is not trusted or does not match the host")
        }
        if let error = error as? BoringSSLError {
            return HTTPRequestError(.connection, "\(subject): TLS failed (\(error)); the server's certificate is not trusted or does not match the host")
        }
        return HTTPRequestError(.connection, "\(subject): connection failed (\(error))")
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// A value guarded by a lock.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
