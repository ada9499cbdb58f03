/// Why an HTTP request got no usable response. Messages name the method and URL as given, never
/// header values or bodies sent.
public struct HTTPRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The egress policy denies an address the host resolves to; nothing was sent.
        case egressDenied
        /// The host name does not resolve.
        case resolution
        /// The URL is not an absolute http or https URL.
        case invalidURL
        /// Connecting, waiting for the response or reading it took longer than allowed.
        case timeout
        /// The connection failed or broke, or TLS verification failed.
        case connection
        /// More redirects than allowed.
        case tooManyRedirects
        /// The body is larger than allowed.
        case tooLarge
        /// The server answered with an error status (after any retries).
        case status
        /// A credential is missing, of the wrong type, or rejected by its token endpoint.
        case credential
        /// Writing the body to disk failed.
        case storage
        /// The body is not in the expected format (invalid JSON or XML).
        case invalidBody
        /// A node parameter cannot be used (a bad JSONPath, a missing pagination parameter).
        case invalidParameter
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
