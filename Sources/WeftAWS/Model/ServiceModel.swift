import WeftModel

/// The wire protocols Weft speaks, in botocore's order of preference when a model lists several.
public enum AWSProtocol: String, Sendable, CaseIterable {
    case json
    case restJSON = "rest-json"
    case restXML = "rest-xml"
    case query
    case ec2
}

/// An XML namespace declared on a shape or member: `xmlns[:prefix]="uri"`.
public struct AWSXMLNamespace: Sendable, Equatable {
    public var prefix: String?
    public var uri: String
}

/// A reference to a shape with the serialisation traits that apply where it is used.
///
/// Traits set on the referenced shape itself (`locationName`, `flattened`, `xmlNamespace`,
/// `timestampFormat`, …) are merged in, the reference's own traits winning, as botocore does.
public struct AWSShapeRef: Sendable {
    public var shape: String
    /// `uri`, `querystring`, `header`, `headers` or `statusCode`; `nil` for the body.
    public var location: String?
    public var locationName: String?
    public var queryName: String?
    public var flattened: Bool = false
    public var xmlNamespace: AWSXMLNamespace?
    public var xmlAttribute: Bool = false
    public var timestampFormat: String?
    public var jsonvalue: Bool = false
    public var idempotencyToken: Bool = false
    public var hostLabel: Bool = false
    public var streaming: Bool = false
    public var eventstream: Bool = false
    public var resultWrapper: String?
    public var deprecated: Bool = false

    init(_ object: JSONObject) {
        shape = ""
        for (key, value) in object {
            switch key {
            case "shape": shape = value.stringValue ?? ""
            case "documentation": continue
            case "location": location = value.stringValue
            case "locationName": locationName = value.stringValue
            case "queryName": queryName = value.stringValue
            case "flattened": flattened = value.boolValue ?? false
            case "xmlNamespace": xmlNamespace = AWSShapeRef.namespace(value)
            case "xmlAttribute": xmlAttribute = value.boolValue ?? false
            case "timestampFormat": timestampFormat = value.stringValue
            case "jsonvalue": jsonvalue = value.boolValue ?? false
            case "idempotencyToken": idempotencyToken = value.boolValue ?? false
            case "hostLabel": hostLabel = value.boolValue ?? false
            case "streaming": streaming = value.boolValue ?? false
            case "eventstream": eventstream = value.boolValue ?? false
            case "resultWrapper": resultWrapper = value.stringValue
            case "deprecated": deprecated = value.boolValue ?? false
            default: continue
            }
        }
    }

    static func namespace(_ value: JSON?) -> AWSXMLNamespace? {
        switch value {
        case .string(let uri): return AWSXMLNamespace(prefix: nil, uri: uri)
        case .object(let object):
            guard let uri = object["uri"]?.stringValue else { return nil }
            return AWSXMLNamespace(prefix: object["prefix"]?.stringValue, uri: uri)
        default: return nil
        }
    }

    /// This reference with `shape`'s own traits filled in where the reference sets none.
    func merged(with shape: AWSShape) -> AWSShapeRef {
        var ref = self
        if ref.locationName == nil { ref.locationName = shape.locationName }
        if !ref.flattened { ref.flattened = shape.flattened }
        if ref.xmlNamespace == nil { ref.xmlNamespace = shape.xmlNamespace }
        if ref.timestampFormat == nil { ref.timestampFormat = shape.timestampFormat }
        if !ref.streaming { ref.streaming = shape.streaming }
        if !ref.eventstream { ref.eventstream = shape.eventstream }
        return ref
    }
}

/// The type of a shape, as botocore models name them.
public enum AWSShapeType: String, Sendable {
    case structure, list, map, string, integer, long, float, double, boolean, timestamp, blob, bigdecimal, biginteger
    case byte, short, character
}

/// A shape of a service model: a structure, list, map or scalar.
public struct AWSShape: Sendable {
    public var name: String
    public var type: AWSShapeType
    /// Members of a structure, in model order; traits merged (see `AWSShapeRef`).
    public var members: OrderedDictionary<String, AWSShapeRef> = [:]
    public var required: [String] = []
    /// The element of a list.
    public var member: AWSShapeRef?
    /// The key and value of a map.
    public var key: AWSShapeRef?
    public var value: AWSShapeRef?
    public var enumValues: [String] = []
    public var min: Double?
    public var max: Double?
    public var pattern: String?
    /// The member sent as the whole body (rest protocols).
    public var payload: String?
    public var exception: Bool = false
    /// The error code of an exception shape when it differs from the shape name, and its HTTP status.
    public var errorCode: String?
    public var errorStatus: Int?
    public var locationName: String?
    public var flattened: Bool = false
    public var xmlNamespace: AWSXMLNamespace?
    public var timestampFormat: String?
    public var streaming: Bool = false
    public var eventstream: Bool = false
    /// A `document` structure: arbitrary JSON passed through as is.
    public var document: Bool = false
    public var union: Bool = false
    public var sensitive: Bool = false
    public var deprecated: Bool = false

    init(name: String, object: JSONObject) throws {
        self.name = name
        guard let typeName = object["type"]?.stringValue else {
            throw BotocoreDataError("shape '\(name)' has no type")
        }
        guard let type = AWSShapeType(rawValue: typeName) else {
            throw BotocoreDataError("shape '\(name)' has unknown type '\(typeName)'")
        }
        self.type = type
        for (key, value) in object {
            switch key {
            case "type", "documentation": continue
            case "members":
                for (memberName, ref) in value.objectValue ?? [:] {
                    members[memberName] = AWSShapeRef(ref.objectValue ?? [:])
                }
            case "required": required = (value.arrayValue ?? []).compactMap(\.stringValue)
            case "member": member = value.objectValue.map(AWSShapeRef.init)
            case "key": self.key = value.objectValue.map(AWSShapeRef.init)
            case "value": self.value = value.objectValue.map(AWSShapeRef.init)
            case "enum": enumValues = (value.arrayValue ?? []).compactMap(\.stringValue)
            case "min": min = value.doubleValue
            case "max": max = value.doubleValue
            case "pattern": pattern = value.stringValue
            case "payload": payload = value.stringValue
            case "exception": exception = value.boolValue ?? false
            case "error":
                errorCode = value["code"]?.stringValue
                errorStatus = value["httpStatusCode"]?.intValue.map { Int($0) }
            case "locationName": locationName = value.stringValue
            case "flattened": flattened = value.boolValue ?? false
            case "xmlNamespace": xmlNamespace = AWSShapeRef.namespace(value)
            case "timestampFormat": timestampFormat = value.stringValue
            case "streaming": streaming = value.boolValue ?? false
            case "eventstream": eventstream = value.boolValue ?? false
            case "document": document = value.boolValue ?? false
            case "union": union = value.boolValue ?? false
            case "sensitive": sensitive = value.boolValue ?? false
            case "deprecated": deprecated = value.boolValue ?? false
            default: continue
            }
        }
    }

    /// Whether this shape carries traits that references to it inherit (see `AWSShapeRef.merged`).
    var hasInheritedTraits: Bool {
        locationName != nil || flattened || xmlNamespace != nil || timestampFormat != nil || streaming || eventstream
    }

    /// Whether values of this shape are numbers without a fraction.
    public var isInteger: Bool {
        switch type {
        case .integer, .long, .byte, .short, .biginteger: return true
        default: return false
        }
    }

    /// Whether values of this shape are numbers that may have a fraction.
    public var isFloat: Bool {
        switch type {
        case .float, .double, .bigdecimal: return true
        default: return false
        }
    }
}

/// One operation of a service.
public struct AWSOperation: Sendable {
    public var name: String
    public var httpMethod: String
    public var requestUri: String
    public var responseCode: Int?
    public var input: AWSShapeRef?
    public var output: AWSShapeRef?
    /// The names of the error shapes the operation declares.
    public var errors: [String]
    /// `endpoint.hostPrefix`, such as `"data-"` or `"{AccountId}."`.
    public var hostPrefix: String?
    public var deprecated: Bool
    public var documentation: String?
    /// The service requires a body checksum (`httpChecksumRequired` or
    /// `httpChecksum.requestChecksumRequired`): send `Content-MD5` or an `x-amz-checksum-*` header.
    public var checksumRequired: Bool
}

/// A botocore service model: metadata, operations, shapes, paginators and waiters.
///
/// Shapes and operations are parsed from the model's JSON text when first used and cached; copies
/// of a model share that cache.
public struct ServiceModel: Sendable {
    /// The botocore service name, such as `ec2` or `s3`.
    public var name: String
    /// The protocol used, chosen from `metadata.protocols` in the order json, rest-json, rest-xml,
    /// query, ec2, or `metadata.protocol` when the list is absent.
    public var `protocol`: AWSProtocol
    public var apiVersion: String
    public var endpointPrefix: String
    public var signingName: String
    public var targetPrefix: String?
    public var jsonVersion: String
    public var serviceId: String
    public var serviceFullName: String
    public var globalEndpoint: String?
    public var xmlNamespace: String?
    /// `awsQueryCompatible` services expect `x-amzn-query-mode` and send query-style error codes.
    public var queryCompatible: Bool
    /// The operations by name, in model order, with input and output traits merged (see `AWSShapeRef`).
    public var operations: AWSOperations { AWSOperations(store: store) }
    /// Paginator definitions from `paginators-1.json` (sdk extras merged in), by operation name.
    public var paginators: JSONObject
    /// Waiter definitions from `waiters-2.json`, by waiter name.
    public var waiters: JSONObject
    let store: ServiceModelStore

    /// Builds a model from a parsed `service-2.json`.
    ///
    /// Throws `BotocoreDataError` when the metadata names no supported protocol or the document
    /// is not an object.
    public init(name: String, document: JSON, paginators: JSONObject = [:], waiters: JSONObject = [:]) throws {
        var text: [UInt8] = []
        document.write(to: &text)
        try self.init(name: name, text: text, paginators: paginators, waiters: waiters)
    }

    /// Builds a model from the UTF-8 text of a `service-2.json`, with `extras` (the `merge` member
    /// of `service-2.sdk-extras.json`) merged into its metadata and shapes.
    ///
    /// Throws `BotocoreDataError` when the text is not a JSON object, or the metadata names no
    /// supported protocol. Malformed shapes are reported when they are used.
    init(name: String, text: [UInt8], extras: JSONObject = [:], paginators: JSONObject = [:], waiters: JSONObject = [:]) throws {
        self.name = name
        let top: RawJSONIndex
        var metadata: JSONObject
        do {
            top = try text.withUnsafeBytes { try RawJSONIndex($0, range: 0..<$0.count) }
            metadata = try top.ranges["metadata"].map { range in
                try text.withUnsafeBytes { try JSON.parse(UnsafeRawBufferPointer(rebasing: $0[range])) }.objectValue ?? [:]
            } ?? [:]
            store = try ServiceModelStore(service: name, text: text, operations: top.ranges["operations"],
                                          shapes: top.ranges["shapes"], extraShapes: extras["shapes"]?.objectValue ?? [:])
        } catch let error as BotocoreDataError {
            throw error
        } catch {
            throw BotocoreDataError("invalid JSON: \(error)", service: name)
        }
        if let extra = extras["metadata"] { metadata = BotocoreData.merge(.object(metadata), extra).objectValue ?? metadata }
        let listed = (metadata["protocols"]?.arrayValue ?? []).compactMap(\.stringValue)
        if !listed.isEmpty {
            guard let chosen = AWSProtocol.allCases.first(where: { listed.contains($0.rawValue) }) else {
                throw BotocoreDataError("no supported protocol among \(listed)", service: name)
            }
            self.protocol = chosen
        } else {
            let single = metadata["protocol"]?.stringValue ?? ""
            guard let chosen = AWSProtocol(rawValue: single) else {
                throw BotocoreDataError("unsupported protocol '\(single)'", service: name)
            }
            self.protocol = chosen
        }
        apiVersion = metadata["apiVersion"]?.stringValue ?? ""
        endpointPrefix = metadata["endpointPrefix"]?.stringValue ?? name
        signingName = metadata["signingName"]?.stringValue ?? endpointPrefix
        targetPrefix = metadata["targetPrefix"]?.stringValue
        jsonVersion = metadata["jsonVersion"]?.stringValue ?? "1.0"
        serviceId = metadata["serviceId"]?.stringValue ?? name
        serviceFullName = metadata["serviceFullName"]?.stringValue ?? serviceId
        globalEndpoint = metadata["globalEndpoint"]?.stringValue
        xmlNamespace = metadata["xmlNamespace"]?.stringValue
        queryCompatible = metadata["awsQueryCompatible"] != nil
        self.paginators = paginators
        self.waiters = waiters
    }

    /// The shape a reference points to, its references' traits merged.
    ///
    /// Throws `BotocoreDataError` when the model lacks it or its definition is malformed.
    public func shape(_ ref: AWSShapeRef) throws -> AWSShape {
        guard let shape = try store.shape(ref.shape) else {
            throw BotocoreDataError("shape '\(ref.shape)' is not in the model", service: name)
        }
        return shape
    }

    /// The shape named `name`, its references' traits merged; `nil` when the model lacks it or its
    /// definition is malformed.
    public func shape(named name: String) -> AWSShape? {
        try? store.shape(name)
    }

    /// The operation named `name` (its API name, e.g. `DescribeInstances`).
    ///
    /// Throws `AWSModelError.unknownOperation` naming the service when there is none.
    public func operation(_ name: String) throws -> AWSOperation {
        guard let operation = store.operation(name) else {
            throw AWSModelError.unknownOperation(service: self.name, operation: name)
        }
        return operation
    }
}

/// A request that does not fit the model.
public enum AWSModelError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownOperation(service: String, operation: String)
    /// A parameter value cannot be serialised; `pointer` is a JSON pointer into the parameters.
    case invalidParameter(pointer: String, message: String)

    public var description: String {
        switch self {
        case .unknownOperation(let service, let operation):
            return "AWS service '\(service)' has no operation '\(operation)'"
        case .invalidParameter(let pointer, let message):
            return "parameter \(pointer.isEmpty ? "/" : pointer): \(message)"
        }
    }
}
