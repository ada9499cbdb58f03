import Foundation
import WeftEngine
import WeftHTTP
import WeftModel

/// `http`: sends an HTTP request — or one per input item with `forEach` — and outputs one item per
/// response (per page when paginating): `{"status", "headers", "body"}`.
///
/// `url`, `headers`, `query` and string leaves of `body` are templates rendered against the item
/// (without `forEach`, against the first input item, or `null`). Requests go through the egress
/// policy of the process (`HTTPCredentials`): a host that resolves to a denied address is refused
/// before connecting. Secrets of the credential used, and OAuth2 tokens, are masked in the output,
/// logs and errors. A final status of 400 or more fails the node unless `failOnErrorStatus` is false.
public enum HTTPNode: NodeType {
    public struct Parameters: Decodable, Sendable {
        public var input: InputReference?
        public var request: HTTPRequestParameters
        public var forEach: Bool
        public var concurrency: Int
        public var format: ResponseFormat
        public var pagination: Pagination

        private enum CodingKeys: String, CodingKey { case input, forEach, concurrency, response, pagination }
        private struct Response: Decodable { var format: ResponseFormat? }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            input = try container.decodeIfPresent(InputReference.self, forKey: .input)
            request = try HTTPRequestParameters(from: decoder)
            forEach = try container.decodeIfPresent(Bool.self, forKey: .forEach) ?? false
            concurrency = try container.decodeIfPresent(Int.self, forKey: .concurrency) ?? 4
            format = try container.decodeIfPresent(Response.self, forKey: .response)?.format ?? .auto
            pagination = try container.decodeIfPresent(Pagination.self, forKey: .pagination) ?? .none
        }
    }

    public static let description = NodeDescription(
        type: "http",
        displayName: "HTTP Request",
        group: .general,
        summary: "Calls an HTTP API — once, or once per input item — with named credentials, retries, redirects, "
            + "pagination and JSON, text or XML parsing; outputs one item {status, headers, body} per response.",
        parameters: HTTPRequestParameters.declarations(timeoutDefault: 30) + [
            Parameter("forEach", .boolean, default: false,
                      help: "Send one request per input item, templated from it. Otherwise one request, templated from the first item."),
            Parameter("concurrency", .integer(min: 1, max: 32), default: 4,
                      help: "With forEach, how many requests are in flight at once. Outputs keep the input's order."),
            Parameter("response", .object([
                Parameter("format", .choice(ResponseFormat.allCases.map(\.rawValue)), default: "auto",
                          help: "auto: by Content-Type (JSON, XML, else text); json; text; xml (converted to JSON: "
                              + "attributes as @name, text beside children as #text)."),
            ]), help: "How the body is parsed into the item's `body`."),
            Parameter("pagination", .object([
                Parameter("type", .choice(Pagination.Kind.allCases.map(\.rawValue)), default: "none",
                          help: "linkHeader: follow Link rel=\"next\"; nextUrl: a URL in the body at `path`; cursor: a token "
                              + "at `path` sent back as query `param`; page: query `param` counting from `start`."),
                Parameter("path", .string(.jsonPath),
                          help: "JSONPath of the next URL or cursor (nextUrl, cursor), or of the page's items (page)."),
                Parameter("param", .string, help: "The query parameter carrying the cursor or page number."),
                Parameter("start", .integer, default: 1, help: "The first page number (page)."),
                Parameter("maxPages", .integer(min: 1, max: 10_000), default: 100,
                          help: "At most this many pages per request; the step log says when paging stopped there."),
            ]), help: "How to fetch further pages. Paging stops with no next link, URL or cursor, at an empty page, or at maxPages."),
        ],
        example: [
            "method": "GET",
            "url": "https://api.example.com/v1/findings",
            "query": ["severity": "high"],
            "auth": ["type": "bearer", "credential": "ticketing"],
            "pagination": ["type": "cursor", "path": "$.next_cursor", "param": "cursor", "maxPages": 20],
        ]
    )

    public static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        let call = try HTTPCall(parameters.request, context: context)
        let paging = parameters.pagination
        do { _ = try Paginator(paging, url: "http://localhost/") } catch { throw call.nodeError(error, itemIndex: nil) }
        let input = try context.items(parameters.input)
        let format = parameters.format
        let concurrency = max(1, min(parameters.concurrency, 32))
        var output = ItemsBuilder()
        try await call.withSession { session in
            if !parameters.forEach {
                let item = try input.first() ?? .null
                output.append(contentsOf: try await exchange(call, item: item, index: nil, pagination: paging, format: format, session: session))
                return
            }
            var index = 0
            try await input.forEachBatch(size: concurrency) { batch in
                try context.checkCancellation()
                let first = index
                let results = try await withThrowingTaskGroup(of: (Int, [JSON]).self) { group in
                    for (offset, item) in batch.enumerated() {
                        group.addTask {
                            (offset, try await exchange(call, item: item, index: first + offset, pagination: paging, format: format, session: session))
                        }
                    }
                    var results = [[JSON]](repeating: [], count: batch.count)
                    for try await (offset, items) in group { results[offset] = items }
                    return results
                }
                for items in results { output.append(contentsOf: items) }
                index += batch.count
                context.progress(done: index, total: input.count)
            }
        }
        return NodeResult(main: try call.masked(output.finish()))
    }

    /// The responses to the request for `item`, one per page.
    static func exchange(_ call: HTTPCall, item: JSON, index: Int?, pagination: Pagination, format: ResponseFormat,
                         session: HTTPSession) async throws -> [JSON] {
        let request = try call.request(for: item, index: index)
        var paginator: Paginator
        do { paginator = try Paginator(pagination, url: request.url) } catch { throw call.nodeError(error, itemIndex: index) }
        var url = paginator.firstURL
        var results: [JSON] = []
        while true {
            try call.context.checkCancellation()
            var page = request
            page.url = url
            let response = try await call.send(page, sameOriginAs: request.url, index: index, session: session)
            let body: JSON
            do {
                body = try format.parse(response.body, contentType: response.head.header("content-type")) { text in
                    try XMLConversion.json(fromXML: text)
                }
            } catch {
                throw call.nodeError(error, itemIndex: index)
            }
            if !(paginator.isEmptyPage(body) && !results.isEmpty) {
                results.append(["status": .int(Int64(response.head.status)), "headers": HTTPCall.headerObject(response.head), "body": body])
            }
            guard let next = paginator.nextURL(after: url, head: response.head, body: body) else {
                if paginator.stoppedAtMaxPages { call.log("stopped paging at maxPages (\(pagination.maxPages)) for \(request.url)") }
                break
            }
            url = next
        }
        return results
    }
}

/// The request parameters `http` and `largeHttp` share, decoded from the node's top-level params.
public struct HTTPRequestParameters: Decodable, Sendable {
    public var method: String
    public var url: String
    public var headers: JSONObject
    public var query: JSONObject
    public var body: JSON?
    public var auth: HTTPAuth
    public var timeoutSeconds: Double
    public var maxRedirects: Int
    public var maxRetries: Int
    public var caFile: String?
    public var allowPrivateNetworks: Bool
    public var failOnErrorStatus: Bool

    private enum CodingKeys: String, CodingKey {
        case method, url, headers, query, body, auth, timeoutSeconds, maxRedirects, maxRetries, caFile, allowPrivateNetworks, failOnErrorStatus
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        method = (try container.decodeIfPresent(String.self, forKey: .method) ?? "GET").uppercased()
        url = try container.decode(String.self, forKey: .url)
        headers = try container.decodeIfPresent(JSON.self, forKey: .headers)?.objectValue ?? [:]
        query = try container.decodeIfPresent(JSON.self, forKey: .query)?.objectValue ?? [:]
        body = try container.decodeIfPresent(JSON.self, forKey: .body)
        if body == .null { body = nil }
        auth = try container.decodeIfPresent(HTTPAuth.self, forKey: .auth) ?? .none
        timeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 30
        maxRedirects = try container.decodeIfPresent(Int.self, forKey: .maxRedirects) ?? 5
        maxRetries = try container.decodeIfPresent(Int.self, forKey: .maxRetries) ?? 3
        caFile = try container.decodeIfPresent(String.self, forKey: .caFile)
        allowPrivateNetworks = try container.decodeIfPresent(Bool.self, forKey: .allowPrivateNetworks) ?? false
        failOnErrorStatus = try container.decodeIfPresent(Bool.self, forKey: .failOnErrorStatus) ?? true
    }

    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    /// The parameter declarations of the shared request parameters.
    static func declarations(timeoutDefault: Int) -> [Parameter] {
        [
            Parameter("input", .inputReference,
                      help: "The items the request is templated from: a node and an optional JSONPath. Default: the upstream output."),
            Parameter("method", .choice(methods), default: "GET", help: "The HTTP method."),
            Parameter("url", .string(.template), required: true,
                      help: "The absolute http or https URL; templates such as `{{ $.id }}` are rendered per item."),
            Parameter("headers", .map(of: .string(.template)), default: [:], help: "Request headers; values are templates."),
            Parameter("query", .map(of: .any), default: [:],
                      help: "Query parameters added to the URL; string values are templates, arrays repeat the parameter, null leaves it out."),
            Parameter("body", .any,
                      help: "The request body: a JSON value (sent as application/json; string leaves are templates) or a "
                          + "template string (sent as text/plain unless a Content-Type header is given)."),
            Parameter("auth", .object([
                Parameter("type", .choice(HTTPAuth.Kind.allCases.map(\.rawValue)), default: "none",
                          help: "none, basic, bearer, apiKey or oauth2ClientCredentials (token cached until it expires)."),
                Parameter("credential", .string,
                          help: "The named credential with the secrets (connectors file `credentials:` or WEFT_CREDENTIAL_<NAME>)."),
                Parameter("in", .choice(HTTPAuth.Placement.allCases.map(\.rawValue)), default: "header",
                          help: "apiKey: send the key in a header or a query parameter."),
                Parameter("name", .string, help: "apiKey: the header or parameter name. Default X-API-Key or api_key."),
            ]), help: "How to authenticate; secrets come from a named credential and are masked everywhere."),
            Parameter("timeoutSeconds", .number, default: .int(Int64(timeoutDefault)),
                      help: "Time allowed to connect and get the response head, and between two reads of the body."),
            Parameter("maxRedirects", .integer(min: 0, max: 20), default: 5,
                      help: "Redirects followed, each checked against the egress policy; 0 returns 3xx responses as they are."),
            Parameter("maxRetries", .integer(min: 0, max: 10), default: 3,
                      help: "Retries after 429 and 503 (any method) or 500, 502, 504 (idempotent methods), honouring Retry-After up to 60 s."),
            Parameter("caFile", .string,
                      help: "A PEM file of CA certificates to trust besides the system's, relative to the flow file. "
                          + "Certificates are always verified."),
            Parameter("allowPrivateNetworks", .boolean, default: false,
                      help: "Ask to reach networks the server's policy keeps private; needs an administrator's permission "
                          + "on the server. The egress deny list (WEFT_EGRESS_DENY) applies regardless."),
            Parameter("failOnErrorStatus", .boolean, default: true,
                      help: "Fail the node when the final status is 400 or more; false outputs such responses like any other."),
        ]
    }
}

/// One node attempt's HTTP set-up: compiled templates, the credentials service, the session
/// settings, and the secrets to mask.
struct HTTPCall: Sendable {
    let parameters: HTTPRequestParameters
    let context: NodeContext
    let credentials: HTTPCredentials
    let settings: HTTPSessionSettings
    private let url: Template
    private let headers: [(String, Template)]
    private let query: [(String, TemplatedValue)]
    private let body: TemplatedValue?
    private let secrets = LockedBox<Set<String>>([])

    /// The process's HTTP facilities when none are registered: no named credentials, the egress
    /// policy of the environment.
    static let fallbackCredentials: Result<HTTPCredentials, EgressPolicyError> = Result {
        HTTPCredentials(egress: try EgressPolicy.fromEnvironment())
    }.mapError { $0 as? EgressPolicyError ?? EgressPolicyError(message: "\($0)") }

    init(_ parameters: HTTPRequestParameters, context: NodeContext, maxBodyBytes: Int = 64 << 20) throws {
        self.parameters = parameters
        self.context = context
        if let registered = context.services[HTTPCredentials.self] {
            credentials = registered
        } else {
            do { credentials = try Self.fallbackCredentials.get() } catch {
                throw NodeError(error.message, code: "invalidParameter")
            }
        }
        func template(_ text: String, _ name: String) throws -> Template {
            do { return try Template(text) } catch { throw NodeError("\(name): \(error.description)", code: "invalidParameter") }
        }
        url = try template(parameters.url, "url")
        headers = try parameters.headers.map { key, value in
            guard case .string(let text) = value else { throw NodeError("headers.\(key) must be a string", code: "invalidParameter") }
            return (key, try template(text, "headers.\(key)"))
        }
        query = try parameters.query.map { key, value in (key, try TemplatedValue(value, name: "query.\(key)")) }
        body = try parameters.body.map { try TemplatedValue($0, name: "body") }
        guard HTTPRequestParameters.methods.contains(parameters.method) else {
            throw NodeError("method \(parameters.method) is not one of \(HTTPRequestParameters.methods.joined(separator: ", "))", code: "invalidParameter")
        }
        guard parameters.timeoutSeconds > 0 else { throw NodeError("timeoutSeconds must be positive", code: "invalidParameter") }
        var caPath = parameters.caFile
        if let file = caPath, !file.hasPrefix("/"), let directory = context.flowDirectory {
            caPath = (directory as NSString).appendingPathComponent(file)
        }
        settings = HTTPSessionSettings(
            timeout: .milliseconds(Int(parameters.timeoutSeconds * 1_000)), maxRedirects: max(0, parameters.maxRedirects),
            maxRetries: max(0, parameters.maxRetries), maxBodyBytes: maxBodyBytes, trustedCAFile: caPath)
    }

    /// Runs `body` with a session under the process's egress policy, closed afterwards.
    func withSession<T: Sendable>(_ body: (HTTPSession) async throws -> T) async throws -> T {
        let context = context
        let secrets = secrets
        do {
            return try await HTTPSession.withSession(
                policy: credentials.egress, resolver: credentials.resolver, settings: settings,
                log: { line in context.log(Self.mask(line, secrets.withLock { $0 })) }, body)
        } catch {
            throw nodeError(error, itemIndex: nil)
        }
    }

    /// The request for `item`, without credentials.
    func request(for item: JSON, index: Int?) throws -> HTTPRequestSpec {
        let templateContext = context.templateContext(item: item)
        do {
            var url = Self.text(try self.url.render(templateContext))
            var pairs: [(String, String)] = []
            for (name, value) in query {
                switch try value.render(templateContext) {
                case .null: continue
                case .array(let values): pairs += values.filter { $0 != .null }.map { (name, Self.text($0)) }
                case let other: pairs.append((name, Self.text(other)))
                }
            }
            url = URLQuery.appending(pairs, to: url)
            var request = HTTPRequestSpec(method: parameters.method, url: url)
            for (name, value) in headers { request.headers.append(HTTPField(name, Self.text(try value.render(templateContext)))) }
            if let body {
                switch try body.render(templateContext) {
                case .string(let text):
                    request.body = Array(text.utf8)
                    if request.header("content-type") == nil { request.headers.append(HTTPField("Content-Type", "text/plain; charset=utf-8")) }
                case let value:
                    var bytes: [UInt8] = []
                    value.write(to: &bytes)
                    request.body = bytes
                    if request.header("content-type") == nil { request.headers.append(HTTPField("Content-Type", "application/json")) }
                }
            }
            if request.header("accept") == nil { request.headers.append(HTTPField("Accept", "application/json, */*;q=0.5")) }
            if request.header("user-agent") == nil { request.headers.append(HTTPField("User-Agent", "weft")) }
            return request
        } catch let error as TemplateError {
            throw NodeError("template: \(error.description)", itemIndex: index, code: "invalidParameter")
        }
    }

    /// Authorizes and sends `request`: credentials go only to `origin`'s scheme, host and port; an
    /// OAuth2 token the API rejects with 401 is fetched again once. A final status of 400 or more
    /// throws unless `failOnErrorStatus` is false.
    func send(_ request: HTTPRequestSpec, sameOriginAs origin: String, index: Int?, session: HTTPSession) async throws -> HTTPResponse {
        do {
            var refreshed = false
            while true {
                var outgoing = request
                if Self.origin(request.url) == Self.origin(origin) {
                    remember(try await credentials.authorize(&outgoing, auth: parameters.auth, session: session))
                } else if parameters.auth.type != .none {
                    log("sent \(request.url) without credentials: it is not on the origin of \(origin)")
                }
                let response = try await session.send(outgoing)
                if response.head.status == 401, parameters.auth.type == .oauth2ClientCredentials, !refreshed {
                    refreshed = true
                    await credentials.invalidateToken(for: parameters.auth)
                    continue
                }
                if parameters.failOnErrorStatus, response.head.status >= 400 {
                    let snippet = String(decoding: response.body.prefix(300), as: UTF8.self)
                    throw HTTPRequestError(.status, "\(request.method) \(request.url) returned \(response.head.status) \(response.head.reason)"
                        + (snippet.isEmpty ? "" : ": \(snippet)"))
                }
                return response
            }
        } catch {
            throw nodeError(error, itemIndex: index)
        }
    }

    /// `error` as a `NodeError` whose message has the secrets used masked.
    func nodeError(_ error: any Error, itemIndex: Int?) -> any Error {
        let used = secrets.withLock { $0 }
        switch error {
        case let error as NodeError:
            var masked = error
            masked.message = Self.mask(error.message, used)
            if masked.itemIndex == nil { masked.itemIndex = itemIndex }
            return masked
        case let error as HTTPRequestError:
            return NodeError(Self.mask(error.message, used), itemIndex: itemIndex, code: error.kind.rawValue)
        case let error as EgressPolicyError:
            return NodeError(error.message, itemIndex: itemIndex, code: "invalidParameter")
        case is CancellationError:
            return error
        default:
            return NodeError(Self.mask("\(error)", used), itemIndex: itemIndex)
        }
    }

    /// Adds secrets placed in a request, to be masked from then on.
    func remember(_ used: [String]) {
        secrets.withLock { $0.formUnion(used.filter { !$0.isEmpty }) }
    }

    func log(_ line: String) { context.log(Self.mask(line, secrets.withLock { $0 })) }

    /// `items` with the secrets used (including OAuth2 tokens) masked.
    func masked(_ items: Items) throws -> Items {
        let used = secrets.withLock { $0 }
        guard !used.isEmpty else { return items }
        return try SecretMasker(secretValues: used.map(JSON.string)).mask(items)
    }

    static func mask(_ text: String, _ secrets: Set<String>) -> String {
        guard !secrets.isEmpty else { return text }
        return SecretMasker(secretValues: secrets.map(JSON.string)).mask(text)
    }

    /// The response headers as an object: lowercased names, repeated headers joined with ", ".
    static func headerObject(_ head: HTTPResponseHead) -> JSON {
        var object = JSONObject()
        for field in head.headers {
            let name = field.name.lowercased()
            if case .string(let existing)? = object[name] {
                object[name] = .string(existing + ", " + field.value)
            } else {
                object[name] = .string(field.value)
            }
        }
        return .object(object)
    }

    static func text(_ value: JSON) -> String {
        switch value {
        case .null: return ""
        case .string(let text): return text
        default: return value.serialized()
        }
    }

    static func origin(_ url: String) -> String {
        guard let parsed = URL(string: url) else { return url }
        let scheme = parsed.scheme?.lowercased() ?? ""
        return "\(scheme)://\(parsed.host?.lowercased() ?? ""):\(parsed.port ?? (scheme == "https" ? 443 : 80))"
    }
}

/// A JSON value whose strings may hold templates, parsed once.
indirect enum TemplatedValue: Sendable {
    case constant(JSON)
    case template(Template)
    case array([TemplatedValue])
    case object([(String, TemplatedValue)])

    init(_ value: JSON, name: String) throws {
        switch value {
        case .string(let text) where Template.containsTemplate(text):
            do { self = .template(try Template(text)) } catch { throw NodeError("\(name): \(error.description)", code: "invalidParameter") }
        case .array(let values):
            self = .array(try values.enumerated().map { try TemplatedValue($0.element, name: "\(name)[\($0.offset)]") })
        case .object(let members):
            self = .object(try members.map { ($0.key, try TemplatedValue($0.value, name: "\(name).\($0.key)")) })
        default:
            self = .constant(value)
        }
    }

    func render(_ context: TemplateContext) throws -> JSON {
        switch self {
        case .constant(let value): return value
        case .template(let template): return try template.render(context)
        case .array(let values): return .array(try values.map { try $0.render(context) })
        case .object(let members):
            var object = JSONObject()
            for (key, value) in members { object[key] = try value.render(context) }
            return .object(object)
        }
    }
}
