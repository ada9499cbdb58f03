import WeftModel

/// One HTTP header or query parameter, unencoded. Order is kept; names may repeat.
public struct AWSField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

/// An AWS API request as a protocol serializer produces it, before endpoint resolution and signing.
///
/// `path` is the request path relative to the endpoint, already percent-encoded per RFC 3986 (as
/// botocore encodes URI labels), beginning with `/`. `query` holds unencoded pairs; the transport encodes
/// them. `hostPrefix` is the operation's expanded `endpoint.hostPrefix` (for example `"data-"`), if any.
public struct AWSRequest: Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: [AWSField]
    public var headers: [AWSField]
    public var body: [UInt8]
    public var hostPrefix: String?

    public init(method: String = "POST", path: String = "/", query: [AWSField] = [], headers: [AWSField] = [],
                body: [UInt8] = [], hostPrefix: String? = nil) {
        self.method = method; self.path = path; self.query = query; self.headers = headers
        self.body = body; self.hostPrefix = hostPrefix
    }
}

/// A raw HTTP response from an AWS endpoint. Header names are as received; look them up case-insensitively.
public struct AWSResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [AWSField]
    public var body: [UInt8]

    public init(status: Int, headers: [AWSField] = [], body: [UInt8] = []) {
        self.status = status; self.headers = headers; self.body = body
    }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// An error response from an AWS service: its code, message and request id as the service sent them.
public struct AWSServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// AWS's error code, e.g. `InvalidGroup.NotFound`, `ThrottlingException`, `AccessDenied`.
    public var code: String
    public var message: String
    public var requestId: String?
    public var statusCode: Int

    public init(code: String, message: String, requestId: String? = nil, statusCode: Int) {
        self.code = code; self.message = message; self.requestId = requestId; self.statusCode = statusCode
    }

    public var description: String {
        "\(code): \(message)" + (requestId.map { " (request id \($0))" } ?? "")
    }
}
