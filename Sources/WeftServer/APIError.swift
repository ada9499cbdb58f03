import Foundation
import Hummingbird
import NIOCore
import WeftEngine
import WeftModel

/// An error answered as `{"error": {"code", "message", "details"}}` with its HTTP status.
public struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// A stable machine-readable code: `invalid_json`, `invalid_request`, `unauthenticated`, `forbidden`,
    /// `csrf_failed`, `not_found`, `conflict`, `payload_too_large`, `validation_failed`,
    /// `too_many_requests`, `internal`.
    public var code: String
    public var message: String
    public var details: JSON
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, code: String, message: String, details: JSON = .null,
        headers: HTTPFields = [:]
    ) {
        self.status = status; self.code = code; self.message = message; self.details = details
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// The error's JSON body.
    public var json: JSON {
        ["error": ["code": .string(code), "message": .string(message), "details": details]]
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(json, status: status, headers: headers)
    }

    static func invalidRequest(_ message: String, details: JSON = .null) -> APIError {
        APIError(.badRequest, code: "invalid_request", message: message, details: details)
    }

    static func notFound(_ message: String) -> APIError {
        APIError(.notFound, code: "not_found", message: message)
    }

    static let unauthenticated = APIError(
        .unauthorized, code: "unauthenticated", message: "log in or send an API token (Authorization: Bearer …)",
        headers: [.wwwAuthenticate: "Bearer"])

    static func forbidden(_ message: String = "your role does not allow this") -> APIError {
        APIError(.forbidden, code: "forbidden", message: message)
    }

    /// The API's answer for an error thrown by a handler, the store or the framework: never a 5xx for
    /// a problem with the request.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case StoreError.notFound(let kind, let id):
            return .notFound("\(kind) '\(id)' not found")
        case StoreError.conflict(let message):
            return APIError(.conflict, code: "conflict", message: message)
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, code: "payload_too_large", message: "the request body is too large")
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound("no such route")
            case .contentTooLarge:
                return APIError(.contentTooLarge, code: "payload_too_large", message: "the request body is too large")
            case .methodNotAllowed:
                return APIError(.methodNotAllowed, code: "method_not_allowed", message: "method not allowed")
            default:
                let code = error.status.code < 500 ? "invalid_request" : "internal"
                return APIError(error.status, code: code, message: error.body ?? error.status.reasonPhrase)
            }
        case let error as any HTTPResponseError where error.status.code < 500:
            return APIError(error.status, code: "invalid_request", message: error.status.reasonPhrase)
        default:
            return APIError(.internalServerError, code: "internal", message: "internal error")
        }
    }
}

/// Turns every error into the JSON error body, including the router's own 404s.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError.from(error)
            if apiError.status.code >= 500 {
                context.logger.error("\(request.method) \(request.uri.path) failed: \(String(describing: error))")
            }
            return JSONResponse.make(apiError.json, status: apiError.status, headers: apiError.headers)
        }
    }
}

/// JSON bodies in and out.
enum JSONResponse {
    static func make(_ value: JSON, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(
            status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    static func noContent() -> Response {
        Response(status: .noContent)
    }
}

/// A request body read as a JSON object whose keys are checked.
struct JSONBody {
    var object: JSONObject

    /// Reads at most `limit` bytes and parses them; throws 413 past the limit, 400 `invalid_json` for a
    /// body that is not a JSON object.
    static func read(_ request: Request, limit: Int) async throws -> JSONBody {
        let value = try await readValue(request, limit: limit)
        guard let object = value.objectValue else {
            throw APIError(.badRequest, code: "invalid_json", message: "the body must be a JSON object")
        }
        return JSONBody(object: object)
    }

    /// Reads at most `limit` bytes and parses them as any JSON value.
    static func readValue(_ request: Request, limit: Int) async throws -> JSON {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError(
                .contentTooLarge, code: "payload_too_large", message: "the request body is larger than \(limit) bytes")
        }
        guard buffer.readableBytes > 0 else {
            throw APIError(.badRequest, code: "invalid_json", message: "the body is empty; expected JSON")
        }
        do {
            return try JSON.parse(Array(buffer.readableBytesView))
        } catch {
            throw APIError(.badRequest, code: "invalid_json", message: "invalid JSON: \(error)")
        }
    }

    /// Throws 400 `invalid_request` naming the keys not in `allowed`.
    func allowOnly(_ allowed: Set<String>) throws {
        let unknown = object.keys.filter { !allowed.contains($0) }
        guard unknown.isEmpty else {
            throw APIError.invalidRequest(
                "unknown field(s): \(unknown.joined(separator: ", "))",
                details: ["unknown": .array(unknown.map(JSON.string)), "allowed": .array(allowed.sorted().map(JSON.string))])
        }
    }

    func string(_ key: String) throws -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw APIError.invalidRequest("'\(key)' must be a string") }
        return text
    }

    func requiredString(_ key: String) throws -> String {
        guard let text = try string(key), !text.isEmpty else {
            throw APIError.invalidRequest("'\(key)' is required")
        }
        return text
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw APIError.invalidRequest("'\(key)' must be true or false") }
        return flag
    }

    func strings(_ key: String) throws -> [String]? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let array = value.arrayValue else { throw APIError.invalidRequest("'\(key)' must be an array of strings") }
        return try array.map {
            guard let text = $0.stringValue else { throw APIError.invalidRequest("'\(key)' must be an array of strings") }
            return text
        }
    }
}
