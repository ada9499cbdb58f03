import Foundation
import WeftModel

/// Turns an operation's parameters into an `AWSRequest`, the way botocore's serializers do
/// (`botocore/serialize.py`), for the query, ec2, json, rest-json and rest-xml protocols.
///
/// Parameters are JSON: timestamps are ISO 8601 strings or epoch seconds, blobs are strings (their
/// UTF-8 bytes are sent), members are serialised in the order the parameters list them. `null`
/// members are skipped. Idempotency-token members left out are filled with a new UUID, as
/// botocore's client does. Structural mismatches (an object where a list is expected, an unknown
/// member) throw `AWSModelError.invalidParameter` with a JSON pointer; validate first with
/// `AWSParameterValidator` for complete reports.
///
/// Like botocore's client (not its bare serializer), Route 53 ids given as `/hostedzone/Z1` are
/// reduced to `Z1`. Scalars of another JSON type that denote the member's type (`"5"` or `5.0` for
/// an integer, `"true"` for a boolean) are converted, since template results arrive as text.
/// Checksums (`Content-MD5`) and endpoint-specific changes (S3 virtual hosts) are left to the transport.
public struct AWSRequestSerializer: Sendable {
    public let model: ServiceModel
    /// Produces the value of absent idempotency-token members.
    public var makeIdempotencyToken: @Sendable () -> String = { UUID().uuidString.lowercased() }

    public init(model: ServiceModel) {
        self.model = model
    }

    /// The request for `operationName` with `parameters` (a JSON object, or `null` for none).
    ///
    /// Throws `AWSModelError.unknownOperation` for an operation the service lacks and
    /// `AWSModelError.invalidParameter` for values that cannot be serialised.
    public func serialize(operation operationName: String, parameters: JSON) throws -> AWSRequest {
        let operation = try model.operation(operationName)
        var params: JSONObject
        switch parameters {
        case .null: params = [:]
        case .object(let object): params = object
        default: throw AWSModelError.invalidParameter(pointer: "", message: "parameters must be an object")
        }
        if let inputRef = operation.input, let input = model.shape(named: inputRef.shape) {
            for (name, ref) in input.members where ref.idempotencyToken && (params[name] == nil || params[name] == .null) {
                params[name] = .string(makeIdempotencyToken())
            }
        }
        if model.name == "route53", let inputRef = operation.input, let input = model.shape(named: inputRef.shape) {
            for (name, ref) in input.members where ["ResourceId", "DelegationSetId", "ChangeId"].contains(ref.shape) {
                if case .string(let id) = params[name], let last = id.split(separator: "/").last {
                    params[name] = .string(String(last))
                }
            }
        }
        var request: AWSRequest
        switch model.protocol {
        case .query, .ec2: request = try serializeQuery(operation, params)
        case .json: request = try serializeJSON(operation, params)
        case .restJSON, .restXML: request = try serializeRest(operation, params)
        }
        request.hostPrefix = try hostPrefix(operation, params)
        return request
    }

    private func hostPrefix(_ operation: AWSOperation, _ params: JSONObject) throws -> String? {
        guard var prefix = operation.hostPrefix else { return nil }
        guard let inputRef = operation.input, let input = model.shape(named: inputRef.shape) else { return prefix }
        for (name, ref) in input.members where ref.hostLabel {
            guard let value = params[name]?.stringValue, !value.isEmpty,
                value.utf8.allSatisfy({
                    ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A)
                        || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2E || $0 == 0x2D
                })
            else {
                throw AWSModelError.invalidParameter(
                    pointer: "/" + name, message: "must contain only alphanumeric characters, hyphen, or period")
            }
            prefix = prefix.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return prefix
    }

    // MARK: query and ec2

    private func serializeQuery(_ operation: AWSOperation, _ params: JSONObject) throws -> AWSRequest {
        var fields: OrderedDictionary<String, String> = ["Action": operation.name, "Version": model.apiVersion]
        if let inputRef = operation.input {
            try queryValue(.object(params), inputRef, prefix: "", pointer: "", into: &fields)
        }
        let body = AWSText.formEncode(fields.map { ($0.key, $0.value) })
        return AWSRequest(
            method: operation.httpMethod, path: "/", query: [],
            headers: [AWSField("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Array(body.utf8))
    }

    private func queryName(_ ref: AWSShapeRef, _ defaultName: String) -> String {
        if model.protocol == .ec2 {
            if let queryName = ref.queryName { return queryName }
            if let name = ref.locationName, let first = name.first { return first.uppercased() + name.dropFirst() }
            return defaultName
        }
        return ref.locationName ?? defaultName
    }

    private func queryValue(
        _ value: JSON, _ ref: AWSShapeRef, prefix: String, pointer: String,
        into fields: inout OrderedDictionary<String, String>
    ) throws {
        let shape = try model.shape(ref)
        switch shape.type {
        case .structure:
            guard case .object(let object) = value else { throw mismatch(pointer, "an object", value) }
            for (key, member) in object where member != .null {
                guard let memberRef = shape.members[key] else { throw unknownMember(pointer, key, shape) }
                var name = queryName(memberRef, key)
                if !prefix.isEmpty { name = prefix + "." + name }
                try queryValue(member, memberRef, prefix: name, pointer: pointer + "/" + escape(key), into: &fields)
            }
        case .list:
            guard case .array(let items) = value, let memberRef = shape.member else { throw mismatch(pointer, "a list", value) }
            let listPrefix: String
            if model.protocol == .ec2 {
                listPrefix = prefix
            } else {
                if items.isEmpty {
                    fields[prefix] = ""
                    return
                }
                if ref.flattened {
                    if let name = memberRef.locationName {
                        var parts = prefix.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                        parts.removeLast()
                        parts.append(name)
                        listPrefix = parts.joined(separator: ".")
                    } else {
                        listPrefix = prefix
                    }
                } else {
                    listPrefix = prefix + "." + (memberRef.locationName ?? "member")
                }
            }
            for (index, item) in items.enumerated() {
                try queryValue(
                    item, memberRef, prefix: "\(listPrefix).\(index + 1)", pointer: "\(pointer)/\(index)",
                    into: &fields)
            }
        case .map:
            guard case .object(let object) = value, let keyRef = shape.key, let valueRef = shape.value else {
                throw mismatch(pointer, "an object", value)
            }
            let full = ref.flattened ? prefix : prefix + ".entry"
            let keySuffix = queryName(keyRef, "key")
            let valueSuffix = queryName(valueRef, "value")
            for (index, (key, item)) in object.enumerated() {
                try queryValue(
                    .string(key), keyRef, prefix: "\(full).\(index + 1).\(keySuffix)",
                    pointer: pointer + "/" + escape(key), into: &fields)
                try queryValue(
                    item, valueRef, prefix: "\(full).\(index + 1).\(valueSuffix)",
                    pointer: pointer + "/" + escape(key), into: &fields)
            }
        case .blob:
            fields[prefix] = AWSText.base64(value)
        case .timestamp:
            fields[prefix] = try timestampText(value, format: ref.timestampFormat ?? "iso8601", pointer: pointer)
        case .boolean:
            fields[prefix] = AWSText.boolean(value)
        default:
            try scalarCheck(value, pointer)
            fields[prefix] = AWSText.python(AWSText.coerced(value, shape))
        }
    }

    // MARK: json

    private func serializeJSON(_ operation: AWSOperation, _ params: JSONObject) throws -> AWSRequest {
        var headers = [
            AWSField("X-Amz-Target", "\(model.targetPrefix ?? "").\(operation.name)"),
            AWSField("Content-Type", "application/x-amz-json-\(model.jsonVersion)"),
        ]
        if model.queryCompatible { headers.append(AWSField("x-amzn-query-mode", "true")) }
        var body: JSON = .object([:])
        if let inputRef = operation.input {
            body = try jsonValue(.object(params), inputRef, pointer: "")
        }
        return AWSRequest(
            method: operation.httpMethod, path: "/", query: [], headers: headers,
            body: Array(body.serialized().utf8))
    }

    private func jsonValue(_ value: JSON, _ ref: AWSShapeRef, pointer: String) throws -> JSON {
        let shape = try model.shape(ref)
        switch shape.type {
        case .structure:
            if shape.document { return value }
            guard case .object(let object) = value else { throw mismatch(pointer, "an object", value) }
            var result: JSONObject = [:]
            for (key, member) in object where member != .null {
                guard let memberRef = shape.members[key] else { throw unknownMember(pointer, key, shape) }
                result[memberRef.locationName ?? key] = try jsonValue(member, memberRef, pointer: pointer + "/" + escape(key))
            }
            return .object(result)
        case .map:
            guard case .object(let object) = value, let valueRef = shape.value else {
                throw mismatch(pointer, "an object", value)
            }
            var result: JSONObject = [:]
            for (key, item) in object {
                result[key] = item == .null ? .null : try jsonValue(item, valueRef, pointer: pointer + "/" + escape(key))
            }
            return .object(result)
        case .list:
            guard case .array(let items) = value, let memberRef = shape.member else { throw mismatch(pointer, "a list", value) }
            return .array(
                try items.enumerated().map { index, item in
                    item == .null ? .null : try jsonValue(item, memberRef, pointer: "\(pointer)/\(index)")
                })
        case .timestamp:
            guard let timestamp = WireTimestamp(parameter: value) else { throw mismatch(pointer, "a timestamp", value) }
            return timestamp.requestValue(format: ref.timestampFormat ?? "unixTimestamp")
        case .blob:
            return .string(AWSText.base64(value))
        case .float, .double:
            return AWSText.jsonFloat(AWSText.coerced(value, shape))
        default:
            return AWSText.coerced(value, shape)
        }
    }

    // MARK: rest-json and rest-xml

    private func serializeRest(_ operation: AWSOperation, _ params: JSONObject) throws -> AWSRequest {
        var request = AWSRequest(method: operation.httpMethod)
        let (uriTemplate, staticQuery) = splitRequestURI(operation.requestUri)
        guard let inputRef = operation.input else {
            request.path = uriTemplate
            request.query = staticQuery
            return request
        }
        let input = try model.shape(inputRef)
        var uriValues: [String: String] = [:]
        var query: OrderedDictionary<String, [String]> = [:]
        var headers: OrderedDictionary<String, String> = [:]
        var body: JSONObject = [:]
        for (name, value) in params where value != .null {
            guard let ref = input.members[name] else { throw unknownMember("", name, input) }
            let key = ref.locationName ?? name
            let pointer = "/" + escape(name)
            let shape = try model.shape(ref)
            switch ref.location {
            case "uri":
                uriValues[key] = try uriText(value, ref, shape, pointer: pointer)
            case "querystring":
                if case .object(let map) = value {
                    for (mapKey, mapValue) in map {
                        if case .array(let items) = mapValue {
                            query[mapKey] = items.map(AWSText.python)
                        } else {
                            query[mapKey] = [AWSText.python(mapValue)]
                        }
                    }
                } else if shape.type == .list, let memberRef = shape.member {
                    guard case .array(let items) = value else { throw mismatch(pointer, "a list", value) }
                    let memberShape = try model.shape(memberRef)
                    query[key] = try items.enumerated().map { index, item in
                        try uriText(item, memberRef, memberShape, pointer: "\(pointer)/\(index)")
                    }
                } else {
                    query[key] = [try uriText(value, ref, shape, pointer: pointer)]
                }
            case "header":
                if shape.type == .list, case .array(let items) = value, items.isEmpty { continue }
                headers[key] = try headerText(value, ref, shape, pointer: pointer)
            case "headers":
                guard case .object(let map) = value else { throw mismatch(pointer, "an object", value) }
                for (mapKey, mapValue) in map { headers[key + mapKey] = AWSText.python(mapValue) }
            default:
                body[name] = value
            }
        }
        request.path = try renderURI(uriTemplate, uriValues)
        request.query = staticQuery + query.flatMap { key, values in values.map { AWSField(key, $0) } }
        request.headers = headers.map { AWSField($0.key, $0.value) }

        let isXML = model.protocol == .restXML
        var streaming = false
        if let payloadName = input.payload, let payloadRef = input.members[payloadName] {
            let payloadShape = try model.shape(payloadRef)
            if payloadShape.type == .blob || payloadShape.type == .string {
                streaming = true
                if let value = params[payloadName], value != .null { request.body = AWSText.blobBytes(value) }
            } else if let value = params[payloadName], value != .null {
                request.body = try bodyBytes(
                    value, payloadRef, rootName: payloadRef.locationName ?? payloadName,
                    pointer: "/" + escape(payloadName))
            } else if !isXML {
                request.body = Array("{}".utf8)
            }
        } else if !body.isEmpty {
            request.body = try bodyBytes(.object(body), inputRef, rootName: inputRef.locationName ?? input.name, pointer: "")
        } else if !isXML, input.members.values.contains(where: { $0.location == nil }) {
            request.body = Array("{}".utf8)
        }
        if !isXML, !streaming, !request.body.isEmpty,
            !request.headers.contains(where: { $0.name.lowercased() == "content-type" })
        {
            request.headers.append(AWSField("Content-Type", "application/json"))
        }
        return request
    }

    private func bodyBytes(_ value: JSON, _ ref: AWSShapeRef, rootName: String, pointer: String) throws -> [UInt8] {
        if model.protocol == .restXML {
            var writer = XMLWriter()
            try xmlValue(value, ref, name: rootName, pointer: pointer, into: &writer)
            return Array(writer.text.utf8)
        }
        return Array(try jsonValue(value, ref, pointer: pointer).serialized().utf8)
    }

    /// Splits `"/{Bucket}?tagging"` into the path template and the literal query fields.
    private func splitRequestURI(_ uri: String) -> (String, [AWSField]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, []) }
        let fields = uri[uri.index(after: mark)...].split(separator: "&").map { part -> AWSField in
            if let equals = part.firstIndex(of: "=") {
                return AWSField(String(part[..<equals]), String(part[part.index(after: equals)...]))
            }
            return AWSField(String(part), "")
        }
        return (String(uri[..<mark]), fields)
    }

    private func renderURI(_ template: String, _ values: [String: String]) throws -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            var label = String(rest[rest.index(after: open)..<close])
            let greedy = label.hasSuffix("+")
            if greedy { label.removeLast() }
            guard let value = values[label] else {
                throw AWSModelError.invalidParameter(pointer: "/" + label, message: "a value is required for the URI")
            }
            result += AWSText.percentEncode(value, safe: greedy ? "/~" : "")
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    private func uriText(_ value: JSON, _ ref: AWSShapeRef, _ shape: AWSShape, pointer: String) throws -> String {
        switch shape.type {
        case .boolean: return AWSText.boolean(value)
        case .timestamp:
            return try timestampText(value, format: ref.timestampFormat ?? "iso8601", pointer: pointer)
        default:
            try scalarCheck(value, pointer)
            return AWSText.python(AWSText.coerced(value, shape))
        }
    }

    private func headerText(_ value: JSON, _ ref: AWSShapeRef, _ shape: AWSShape, pointer: String) throws -> String {
        switch shape.type {
        case .timestamp:
            guard let timestamp = WireTimestamp(parameter: value) else { throw mismatch(pointer, "a timestamp", value) }
            let seconds = WireTimestamp(microseconds: timestamp.wholeSeconds * 1_000_000)
            return AWSText.python(seconds.requestValue(format: ref.timestampFormat ?? "rfc822"))
        case .list:
            guard case .array(let items) = value, let memberRef = shape.member else { throw mismatch(pointer, "a list", value) }
            let memberShape = try model.shape(memberRef)
            return try items.enumerated().filter { $0.element != .null }.map { index, item -> String in
                if memberShape.type == .string {
                    let text = AWSText.python(item)
                    if text.contains("\"") || text.contains(",") {
                        return "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\""
                    }
                    return text
                }
                return try headerText(item, memberRef, memberShape, pointer: "\(pointer)/\(index)")
            }.joined(separator: ",")
        case .boolean:
            return AWSText.boolean(value)
        default:
            if ref.jsonvalue { return Data(value.serialized().utf8).base64EncodedString() }
            try scalarCheck(value, pointer)
            return AWSText.python(AWSText.coerced(value, shape))
        }
    }

    // MARK: rest-xml bodies

    private func xmlValue(
        _ value: JSON, _ ref: AWSShapeRef, name: String, pointer: String,
        into writer: inout XMLWriter
    ) throws {
        let shape = try model.shape(ref)
        switch shape.type {
        case .structure:
            guard case .object(let object) = value else { throw mismatch(pointer, "an object", value) }
            writer.open(name)
            writer.namespace(ref.xmlNamespace)
            for (key, member) in object where member != .null {
                guard let memberRef = shape.members[key], memberRef.xmlAttribute else { continue }
                writer.attribute(memberRef.locationName ?? key, AWSText.python(member))
            }
            for (key, member) in object where member != .null {
                guard let memberRef = shape.members[key] else { throw unknownMember(pointer, key, shape) }
                if memberRef.xmlAttribute { continue }
                try xmlValue(
                    member, memberRef, name: memberRef.locationName ?? key, pointer: pointer + "/" + escape(key),
                    into: &writer)
            }
            writer.close(name)
        case .list:
            guard case .array(let items) = value, let memberRef = shape.member else { throw mismatch(pointer, "a list", value) }
            let elementName: String
            if ref.flattened {
                elementName = name
                writer.namespace(ref.xmlNamespace)
            } else {
                elementName = memberRef.locationName ?? "member"
                writer.open(name)
                writer.namespace(ref.xmlNamespace)
            }
            for (index, item) in items.enumerated() {
                try xmlValue(item, memberRef, name: elementName, pointer: "\(pointer)/\(index)", into: &writer)
            }
            if !ref.flattened { writer.close(name) }
        case .map:
            guard case .object(let object) = value, let keyRef = shape.key, let valueRef = shape.value else {
                throw mismatch(pointer, "an object", value)
            }
            if !ref.flattened {
                writer.open(name)
                writer.namespace(ref.xmlNamespace)
            }
            for (key, item) in object {
                writer.open(ref.flattened ? name : "entry")
                try xmlValue(.string(key), keyRef, name: keyRef.locationName ?? "key", pointer: pointer, into: &writer)
                try xmlValue(
                    item, valueRef, name: valueRef.locationName ?? "value", pointer: pointer + "/" + escape(key),
                    into: &writer)
                writer.close(ref.flattened ? name : "entry")
            }
            if !ref.flattened { writer.close(name) }
        default:
            let text: String
            switch shape.type {
            case .boolean: text = AWSText.boolean(value)
            case .blob: text = AWSText.base64(value)
            case .timestamp:
                text = try timestampText(value, format: ref.timestampFormat ?? "iso8601", pointer: pointer)
            default:
                try scalarCheck(value, pointer)
                text = AWSText.python(AWSText.coerced(value, shape))
            }
            writer.open(name)
            writer.namespace(ref.xmlNamespace)
            writer.text(text)
            writer.close(name)
        }
    }

    // MARK: helpers

    private func timestampText(_ value: JSON, format: String, pointer: String) throws -> String {
        guard let timestamp = WireTimestamp(parameter: value) else { throw mismatch(pointer, "a timestamp", value) }
        return AWSText.python(timestamp.requestValue(format: format))
    }

    private func scalarCheck(_ value: JSON, _ pointer: String) throws {
        switch value {
        case .array, .object: throw mismatch(pointer, "a scalar", value)
        default: return
        }
    }

    private func mismatch(_ pointer: String, _ expected: String, _ value: JSON) -> AWSModelError {
        .invalidParameter(pointer: pointer, message: "expected \(expected), got \(value.typeName)")
    }

    private func unknownMember(_ pointer: String, _ key: String, _ shape: AWSShape) -> AWSModelError {
        .invalidParameter(pointer: pointer + "/" + escape(key), message: "unknown member of \(shape.name)")
    }

    private func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

/// Writes XML the way Python's `ElementTree.tostring` does: attributes in order, `<a />` for
/// empty elements, `&`, `<`, `>` escaped in text and also `"` and white space in attributes.
struct XMLWriter {
    private(set) var text = ""
    private var tagOpen = false
    private var hasContent: [Bool] = []

    mutating func open(_ name: String) {
        finishTag()
        if !hasContent.isEmpty { hasContent[hasContent.count - 1] = true }
        text += "<" + name
        tagOpen = true
        hasContent.append(false)
    }

    mutating func namespace(_ namespace: AWSXMLNamespace?) {
        guard let namespace else { return }
        attribute(namespace.prefix.map { "xmlns:" + $0 } ?? "xmlns", namespace.uri)
    }

    mutating func attribute(_ name: String, _ value: String) {
        guard tagOpen else { return }
        text += " " + name + "=\"" + XMLWriter.escapeAttribute(value) + "\""
    }

    mutating func text(_ content: String) {
        guard !content.isEmpty else { return }
        finishTag()
        hasContent[hasContent.count - 1] = true
        text += XMLWriter.escapeText(content)
    }

    mutating func close(_ name: String) {
        let content = hasContent.removeLast()
        if tagOpen && !content {
            text += " />"
            tagOpen = false
        } else {
            finishTag()
            text += "</" + name + ">"
        }
    }

    private mutating func finishTag() {
        if tagOpen {
            text += ">"
            tagOpen = false
        }
    }

    static func escapeText(_ text: String) -> String {
        guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" }) else { return text }
        return text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func escapeAttribute(_ text: String) -> String {
        escapeText(text).replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "\r", with: "&#13;")
            .replacingOccurrences(of: "\n", with: "&#10;").replacingOccurrences(of: "\t", with: "&#09;")
    }
}
