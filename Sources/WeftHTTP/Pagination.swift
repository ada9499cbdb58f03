import Foundation
import WeftModel

/// How an API spreads its results over pages: the node's `pagination` parameter.
public struct Pagination: Sendable, Equatable, Decodable {
    public enum Kind: String, Sendable, Decodable, CaseIterable {
        case none
        /// The `Link` header's `rel="next"` URL.
        case linkHeader
        /// A URL in the body, at `path`.
        case nextUrl
        /// A token in the body, at `path`, sent back as query parameter `param`.
        case cursor
        /// Query parameter `param` counting from `start`; `path` locates the page's items.
        case page
    }

    public var type: Kind
    public var path: String?
    public var param: String?
    public var start: Int
    public var maxPages: Int

    public static let none = Pagination(type: .none)
    public static let defaultMaxPages = 100

    public init(type: Kind, path: String? = nil, param: String? = nil, start: Int = 1, maxPages: Int = Pagination.defaultMaxPages) {
        self.type = type; self.path = path; self.param = param; self.start = start; self.maxPages = maxPages
    }

    private enum CodingKeys: String, CodingKey { case type, path, param, start, maxPages }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(Kind.self, forKey: .type) ?? .none
        path = try container.decodeIfPresent(String.self, forKey: .path)
        param = try container.decodeIfPresent(String.self, forKey: .param)
        start = try container.decodeIfPresent(Int.self, forKey: .start) ?? 1
        maxPages = try container.decodeIfPresent(Int.self, forKey: .maxPages) ?? Self.defaultMaxPages
    }
}

/// Walks the pages of one request: gives the first URL, then the next one after each response.
///
/// Paging stops when there is no next link, URL or cursor (missing, `null`, empty, or the same as
/// the last), when a `page` request returns no items (the array at `path`, or the body), or after
/// `maxPages` responses (`stoppedAtMaxPages` tells).
public struct Paginator: Sendable {
    public let pagination: Pagination
    private let baseURL: String
    private let path: JSONPath?
    private var pages = 0
    private var lastToken: String?
    private var pageNumber: Int
    public private(set) var stoppedAtMaxPages = false

    /// - Throws: `HTTPRequestError` (`.invalidParameter`) when `path` or `param` is missing for the
    ///   kind, `path` is not a JSONPath, or `maxPages` is below 1.
    public init(_ pagination: Pagination, url: String) throws {
        self.pagination = pagination
        baseURL = url
        pageNumber = pagination.start
        guard pagination.maxPages >= 1 else {
            throw HTTPRequestError(.invalidParameter, "pagination.maxPages must be at least 1")
        }
        switch pagination.type {
        case .nextUrl, .cursor:
            guard let text = pagination.path, !text.isEmpty else {
                throw HTTPRequestError(.invalidParameter, "pagination type \(pagination.type.rawValue) needs a path")
            }
        case .none, .linkHeader, .page: break
        }
        if [.cursor, .page].contains(pagination.type), (pagination.param ?? "").isEmpty {
            throw HTTPRequestError(.invalidParameter, "pagination type \(pagination.type.rawValue) needs a param")
        }
        if let text = pagination.path, !text.isEmpty, pagination.type != .none, pagination.type != .linkHeader {
            do { path = try JSONPath(key: text) } catch {
                throw HTTPRequestError(.invalidParameter, "pagination.path \"\(text)\": \(error.message)")
            }
        } else {
            path = nil
        }
    }

    /// The URL of the first request.
    public var firstURL: String {
        pagination.type == .page ? URLQuery.setting(pagination.param!, to: String(pagination.start), in: baseURL) : baseURL
    }

    /// Whether a `page` response holds no items, which ends paging (the response is then dropped
    /// unless it is the first).
    public func isEmptyPage(_ body: JSON) -> Bool {
        guard pagination.type == .page else { return false }
        let items: JSON? = path.map { path in path.query(body).first ?? .null } ?? body
        switch items {
        case nil, .null?: return true
        case .array(let values)?: return values.isEmpty
        case .object(let members)?: return members.isEmpty
        case .string(let text)?: return text.isEmpty
        default: return false
        }
    }

    /// The URL of the page after the response to `url` with `head` and parsed `body`; `nil` to stop.
    public mutating func nextURL(after url: String, head: HTTPResponseHead, body: JSON) -> String? {
        pages += 1
        guard pagination.type != .none else { return nil }
        if pagination.type == .page, isEmptyPage(body) { return nil }
        var next: String?
        switch pagination.type {
        case .none: return nil
        case .linkHeader:
            guard let target = head.header("link").flatMap(Self.nextLink) else { return nil }
            next = URL(string: target, relativeTo: URL(string: url))?.absoluteURL.absoluteString ?? target
        case .nextUrl:
            guard let token = token(in: body) else { return nil }
            next = URL(string: token, relativeTo: URL(string: url))?.absoluteURL.absoluteString ?? token
        case .cursor:
            guard let token = token(in: body) else { return nil }
            next = URLQuery.setting(pagination.param!, to: token, in: baseURL)
        case .page:
            pageNumber += 1
            next = URLQuery.setting(pagination.param!, to: String(pageNumber), in: baseURL)
        }
        guard let next, next != url else { return nil }
        if pages >= pagination.maxPages {
            stoppedAtMaxPages = true
            return nil
        }
        return next
    }

    /// The text at `path` in `body` when it is a usable, new token.
    private mutating func token(in body: JSON) -> String? {
        guard let path, let value = path.query(body).first else { return nil }
        let text: String
        switch value {
        case .string(let string): text = string
        case .int(let number): text = String(number)
        case .double: text = value.serialized()
        default: return nil
        }
        guard !text.isEmpty, text != lastToken else { return nil }
        lastToken = text
        return text
    }

    /// The target of the `rel="next"` link in a `Link` header value (RFC 8288), if any.
    public static func nextLink(_ header: String) -> String? {
        var index = header.startIndex
        while let open = header[index...].firstIndex(of: "<") {
            guard let close = header[open...].firstIndex(of: ">") else { return nil }
            let target = String(header[header.index(after: open)..<close])
            var end = header[close...].firstIndex(of: "<") ?? header.endIndex
            if end < header.endIndex, let comma = header[close..<end].lastIndex(of: ",") { end = comma }
            let parameters = header[header.index(after: close)..<end]
            for parameter in parameters.split(separator: ";") {
                let parts = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, parts[0].lowercased() == "rel" else { continue }
                let relations = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased().split(separator: " ")
                if relations.contains("next") { return target }
            }
            index = end
        }
        return nil
    }
}
