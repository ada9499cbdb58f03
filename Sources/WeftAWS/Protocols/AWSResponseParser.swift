import Foundation
import WeftModel

/// A successfully parsed response: the operation's output and the request id AWS gave it.
public struct AWSParsedResponse: Sendable, Equatable {
    /// The output shaped as botocore shapes it, without botocore's `ResponseMetadata` member.
    public var output: JSON
    public var requestId: String?
}

/// A response body that cannot be read (malformed XML or JSON in a success response).
public struct AWSResponseParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { "cannot parse AWS response: \(message)" }
}

/// Turns HTTP responses into JSON output or `AWSServiceError`, as botocore's parsers do
/// (`botocore/parsers.py`), for the query, ec2, json, rest-json and rest-xml protocols.
///
/// Output conventions: timestamps are ISO 8601 UTC strings (`2026-11-29T06:04:15Z`, fraction
/// digits kept without trailing zeros), blobs base64 strings, integers `.int`, floats `.double`.
/// botocore's `ResponseMetadata` is never part of the output; the request id is returned beside it.
/// A streaming string payload is the body's text, a streaming blob payload its base64. As botocore's
/// client does for S3 `GetBucketLocation`, a bare `<LocationConstraint>` body gives that member.
public struct AWSResponseParser: Sendable {
    public let model: ServiceModel

    public init(model: ServiceModel) {
        self.model = model
    }

    /// The output of `operationName` for `response`.
    ///
    /// Throws `AWSServiceError` when the status is 301 or more (code, message and request id as
    /// botocore derives them), `AWSModelError.unknownOperation`, or `AWSResponseParseError`.
    public func parse(operation operationName: String, response: AWSResponse) throws -> JSON {
        try parseResponse(operation: operationName, response: response).output
    }

    /// As `parse`, with the request id of a successful response.
    public func parseResponse(operation operationName: String, response: AWSResponse) throws -> AWSParsedResponse {
        let operation = try model.operation(operationName)
        if response.status >= 301 { throw serviceError(response) }
        guard let outputRef = operation.output else {
            return AWSParsedResponse(output: .object([:]), requestId: headerRequestId(response) ?? xmlRequestId(response))
        }
        switch model.protocol {
        case .query, .ec2:
            let tree = try xmlTree(response.body)
            var start = tree.root
            if let wrapper = outputRef.resultWrapper {
                guard let wrapped = tree.child(tree.root, wrapper) else {
                    return AWSParsedResponse(output: .object([:]), requestId: queryRequestId(tree))
                }
                start = wrapped
            }
            let output = try xml(tree, start, outputRef)
            return AWSParsedResponse(output: output, requestId: queryRequestId(tree))
        case .json:
            let body = try jsonBody(response.body)
            return AWSParsedResponse(
                output: try json(body, outputRef, rest: false), requestId: response.header("x-amzn-requestid"))
        case .restJSON, .restXML:
            return AWSParsedResponse(output: try rest(response, outputRef), requestId: headerRequestId(response))
        }
    }

    // MARK: errors

    /// The `AWSServiceError` an error response denotes, as botocore derives code, message and request id.
    public func serviceError(_ response: AWSResponse) -> AWSServiceError {
        let status = response.status
        let trimmed = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if status >= 500 && (trimmed.isEmpty || trimmed.hasPrefix("<html>")) {
            return AWSServiceError(
                code: String(status), message: Self.reason(status), requestId: headerRequestId(response),
                statusCode: status)
        }
        switch model.protocol {
        case .query, .ec2:
            guard let tree = try? XMLTree(parsing: response.body) else {
                return AWSServiceError(
                    code: String(status), message: Self.reason(status),
                    requestId: headerRequestId(response), statusCode: status)
            }
            let root = tree.root
            var error = tree.child(root, "Error")
            if error == nil, let errors = tree.child(root, "Errors") { error = tree.child(errors, "Error") }
            let requestId = (tree.child(root, "RequestId") ?? tree.child(root, "RequestID")).map(tree.text)
            return AWSServiceError(
                code: error.flatMap { tree.child($0, "Code") }.map(tree.text) ?? "",
                message: error.flatMap { tree.child($0, "Message") }.map(tree.text) ?? "",
                requestId: requestId, statusCode: status)
        case .json, .restJSON:
            let body: JSONObject
            if response.body.isEmpty {
                body = [:]
            } else if let parsed = try? JSON.parse(response.body), case .object(let object) = parsed {
                body = object
            } else {
                body = ["message": .string(String(decoding: response.body, as: UTF8.self))]
            }
            let message = (body["message"] ?? body["Message"])?.stringValue ?? ""
            var code = body["__type"]?.stringValue ?? String(status)
            if let colon = code.firstIndex(of: ":") { code = String(code[..<colon]) }
            if let hash = code.lastIndex(of: "#") { code = String(code[code.index(after: hash)...]) }
            if let queryError = response.header("x-amzn-query-error") {
                let parts = queryError.split(separator: ";", omittingEmptySubsequences: false)
                if parts.count == 2, !parts[0].isEmpty { code = String(parts[0]) }
            }
            if model.protocol == .restJSON {
                var override: String?
                if let header = response.header("x-amzn-errortype") {
                    override = header
                } else if let bodyCode = (body["code"] ?? body["Code"])?.stringValue {
                    override = bodyCode
                }
                if var text = override {
                    if let colon = text.firstIndex(of: ":") { text = String(text[..<colon]) }
                    if let hash = text.lastIndex(of: "#") { text = String(text[text.index(after: hash)...]) }
                    code = text
                }
            }
            return AWSServiceError(
                code: code, message: message, requestId: response.header("x-amzn-requestid"),
                statusCode: status)
        case .restXML:
            if !response.body.isEmpty, let tree = try? XMLTree(parsing: response.body) {
                let root = tree.root
                func text(_ parent: Int?, _ name: String) -> String? { parent.flatMap { tree.child($0, name) }.map(tree.text) }
                if tree.hasName(root, "Error") {
                    return AWSServiceError(
                        code: text(root, "Code") ?? "", message: text(root, "Message") ?? "",
                        requestId: headerRequestId(response), statusCode: status)
                }
                let error = tree.child(root, "Error")
                return AWSServiceError(
                    code: text(error, "Code") ?? "", message: text(error, "Message") ?? "",
                    requestId: text(root, "RequestId"), statusCode: status)
            }
            return AWSServiceError(
                code: String(status), message: Self.reason(status),
                requestId: response.header("x-amz-request-id") ?? "", statusCode: status)
        }
    }

    private func headerRequestId(_ response: AWSResponse) -> String? {
        response.header("x-amzn-requestid") ?? response.header("x-amz-request-id")
    }

    private func xmlRequestId(_ response: AWSResponse) -> String? {
        guard model.protocol == .query || model.protocol == .ec2, !response.body.isEmpty,
            let tree = try? XMLTree(parsing: response.body)
        else { return nil }
        return queryRequestId(tree)
    }

    private func queryRequestId(_ tree: XMLTree) -> String? {
        if model.protocol == .ec2 { return tree.child(tree.root, "requestId").map(tree.text) }
        return tree.child(tree.root, "ResponseMetadata").flatMap { tree.child($0, "RequestId") }.map(tree.text)
    }

    static func reason(_ status: Int) -> String {
        let reasons: [Int: String] = [
            301: "Moved Permanently", 302: "Found", 304: "Not Modified", 307: "Temporary Redirect",
            400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
            409: "Conflict", 411: "Length Required", 412: "Precondition Failed", 413: "Request Entity Too Large",
            416: "Requested Range Not Satisfiable", 429: "Too Many Requests", 500: "Internal Server Error",
            501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
        ]
        return reasons[status] ?? ""
    }

    // MARK: bodies

    private func xmlTree(_ body: [UInt8]) throws -> XMLTree {
        do { return try XMLTree(parsing: body) } catch { throw AWSResponseParseError(message: "\(error)") }
    }

    private func jsonBody(_ body: [UInt8]) throws -> JSON {
        if body.isEmpty { return .object([:]) }
        do { return try JSON.parse(body) } catch { throw AWSResponseParseError(message: "invalid JSON: \(error)") }
    }

    // MARK: rest

    private func rest(_ response: AWSResponse, _ outputRef: AWSShapeRef) throws -> JSON {
        let shape = try model.shape(outputRef)
        var result: JSONObject = [:]
        for (name, ref) in shape.members {
            switch ref.location {
            case "statusCode":
                result[name] = .int(Int64(response.status))
            case "headers":
                let prefix = (ref.locationName ?? "").lowercased()
                var map: JSONObject = [:]
                for field in response.headers where field.name.lowercased().hasPrefix(prefix) {
                    map[String(field.name.dropFirst(prefix.count))] = .string(field.value)
                }
                result[name] = .object(map)
            case "header":
                if let value = response.header(ref.locationName ?? name) {
                    result[name] = try headerValue(value, ref)
                }
            default:
                continue
            }
        }
        let isXML = model.protocol == .restXML
        if let payloadName = shape.payload, let payloadRef = shape.members[payloadName] {
            let payloadShape = try model.shape(payloadRef)
            if payloadShape.type == .string {
                result[payloadName] = .string(String(decoding: response.body, as: UTF8.self))
            } else if payloadShape.type == .blob {
                result[payloadName] = .string(Data(response.body).base64EncodedString())
            } else if payloadRef.eventstream {
                return .object(result)
            } else if isXML {
                let tree = response.body.isEmpty ? XMLTree.empty : try xmlTree(response.body)
                result[payloadName] = try xml(tree, tree.root, payloadRef)
            } else {
                result[payloadName] = try json(try jsonBody(response.body), payloadRef, rest: true)
            }
        } else {
            let parsed: JSON
            if isXML {
                let tree = response.body.isEmpty ? XMLTree.empty : try xmlTree(response.body)
                let root = tree.root
                if tree.hasName(root, "LocationConstraint"), shape.members["LocationConstraint"] != nil, !tree.hasChildren(root) {
                    result["LocationConstraint"] = .string(tree.text(root))
                    return .object(result)
                }
                parsed = try xml(tree, root, outputRef)
            } else {
                parsed = try json(try jsonBody(response.body), outputRef, rest: true)
            }
            for (key, value) in parsed.objectValue ?? [:] { result[key] = value }
        }
        return .object(result)
    }

    private func headerValue(_ text: String, _ ref: AWSShapeRef) throws -> JSON {
        let shape = try model.shape(ref)
        switch shape.type {
        case .list:
            guard let memberRef = shape.member else { return .null }
            let items = text.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            return .array(try items.map { try headerValue($0, memberRef) })
        default:
            return try scalar(text, ref, shape, rest: true)
        }
    }

    /// A scalar from a header value.
    private func scalar(_ text: String, _ ref: AWSShapeRef, _ shape: AWSShape, rest: Bool) throws -> JSON {
        XMLOutputPlan.scalar(text, shape.type, jsonvalue: rest && ref.jsonvalue)
    }

    static func rebase64(_ text: String) -> String {
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else { return text }
        return data.base64EncodedString()
    }

    // MARK: XML

    /// The JSON for `element` read as `ref`, through the shape's cached `XMLOutputPlan`.
    private func xml(_ tree: XMLTree, _ element: XMLTree.Element, _ ref: AWSShapeRef) throws -> JSON {
        let plan = try model.store.xmlPlan(ref.shape) { try XMLOutputPlan(model: model, shape: ref.shape) }
        let slot = XMLOutputPlan.Slot(node: 0, flattened: ref.flattened, jsonvalue: ref.jsonvalue)
        return plan.decode(tree, XMLOutputPlan.Matches(first: element), slot, rest: model.protocol == .restXML)
    }

    // MARK: JSON

    private func json(_ value: JSON, _ ref: AWSShapeRef, rest: Bool) throws -> JSON {
        let shape = try model.shape(ref)
        switch shape.type {
        case .structure:
            if shape.document { return value }
            guard case .object(let object) = value else { return value == .null ? .null : .object([:]) }
            var result: JSONObject = [:]
            for (name, memberRef) in shape.members {
                guard let raw = object[memberRef.locationName ?? name], raw != .null else { continue }
                result[name] = try json(raw, memberRef, rest: rest)
            }
            return .object(result)
        case .map:
            guard case .object(let object) = value, let valueRef = shape.value else { return .object([:]) }
            var result: JSONObject = [:]
            for (key, item) in object { result[key] = item == .null ? .null : try json(item, valueRef, rest: rest) }
            return .object(result)
        case .list:
            guard case .array(let items) = value, let memberRef = shape.member else { return .array([]) }
            return .array(try items.map { $0 == .null ? .null : try json($0, memberRef, rest: rest) })
        case .timestamp:
            switch value {
            case .int, .double:
                return .string(WireTimestamp(seconds: value.doubleValue ?? 0).iso8601Output)
            case .string(let text):
                return WireTimestamp(text: text).map { .string($0.iso8601Output) } ?? value
            default:
                return value
            }
        case .blob:
            guard case .string(let text) = value else { return value }
            return .string(Self.rebase64(text))
        case .boolean where rest:
            if case .string(let text) = value { return .bool(text.lowercased() == "true") }
            return value
        case .integer where rest, .long where rest:
            if case .string(let text) = value, let number = Int64(text) { return .int(number) }
            if case .double(let d) = value, let number = Int64(exactly: d.rounded(.towardZero)) { return .int(number) }
            return value
        case .float where rest, .double where rest:
            if case .string(let text) = value, let number = Double(text) { return .double(number) }
            if let number = value.doubleValue { return .double(number) }
            return value
        case .string where rest && ref.jsonvalue:
            if case .string(let text) = value, let data = Data(base64Encoded: text),
                let decoded = try? JSON.parse([UInt8](data))
            {
                return decoded
            }
            return value
        default:
            return value
        }
    }
}
