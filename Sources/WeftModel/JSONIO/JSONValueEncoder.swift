import Foundation
import OrderedCollections

/// Encodes `Encodable` values directly into a `JSON` value.
///
/// Keyed containers become objects whose keys keep the order they were encoded in. `Date` becomes
/// an ISO 8601 string in UTC with milliseconds (`2024-05-01T12:00:00.000Z`), `URL` its absolute
/// string, `Data` a base64 string, `JSON` itself. Unsigned integers above `Int64.max` become
/// doubles. A value that encodes nothing becomes an empty object.
public struct JSONValueEncoder: Sendable {
    /// Passed to the values being encoded as `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    /// The JSON form of `value`.
    /// - Throws: `EncodingError.invalidValue` for a NaN or infinite floating-point number.
    public func encode<T: Encodable>(_ value: T) throws -> JSON {
        try JSONValueEncoding.box(value, path: [], userInfo: userInfo).json()
    }
}

/// A value under construction; containers hold their children by reference so that nested
/// containers can keep writing into them.
final class EncodedNode {
    enum Storage {
        case empty
        case value(JSON)
        case object(OrderedDictionary<String, EncodedNode>)
        case array([EncodedNode])
    }

    var storage: Storage

    init(_ storage: Storage = .empty) { self.storage = storage }

    func json() -> JSON {
        switch storage {
        case .empty: return .object([:])
        case .value(let value): return value
        case .array(let elements): return .array(elements.map { $0.json() })
        case .object(let members):
            return .object(JSONObject(uniqueKeysWithValues: members.lazy.map { ($0.key, $0.value.json()) }))
        }
    }

    func makeObject() {
        if case .object = storage { return }
        storage = .object([:])
    }

    func makeArray() {
        if case .array = storage { return }
        storage = .array([])
    }

    func set(_ child: EncodedNode, forKey key: String) {
        guard case .object(var members) = storage else { return }
        storage = .empty
        members[key] = child
        storage = .object(members)
    }

    func append(_ child: EncodedNode) {
        guard case .array(var elements) = storage else { return }
        storage = .empty
        elements.append(child)
        storage = .array(elements)
    }

    var arrayCount: Int {
        if case .array(let elements) = storage { return elements.count }
        return 0
    }
}

final class JSONValueEncoding: Encoder {
    let node: EncodedNode
    let codingPath: [any CodingKey]
    let sendableUserInfo: [CodingUserInfoKey: any Sendable]

    init(node: EncodedNode, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: any Sendable]) {
        self.node = node
        self.codingPath = codingPath
        self.sendableUserInfo = userInfo
    }

    var userInfo: [CodingUserInfoKey: Any] { sendableUserInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedContainer<Key>(encoder: self, node: node))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedContainer(encoder: self, node: node)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(encoder: self)
    }

    /// The node for `value`, with special forms for `JSON`, `Date`, `URL` and `Data`.
    static func box<T: Encodable>(
        _ value: T, path: [any CodingKey], userInfo: [CodingUserInfoKey: any Sendable]
    ) throws -> EncodedNode {
        if let special = try specialForm(of: value, path: path) { return EncodedNode(.value(special)) }
        let node = EncodedNode()
        try value.encode(to: JSONValueEncoding(node: node, codingPath: path, userInfo: userInfo))
        return node
    }

    static func specialForm<T: Encodable>(of value: T, path: [any CodingKey]) throws -> JSON? {
        switch value {
        case let json as JSON: return json
        case let date as Date: return .string(ISODate.format(date))
        case let url as URL: return .string(url.absoluteString)
        case let data as Data: return .string(data.base64EncodedString())
        case let number as Double: return try double(number, path: path)
        case let number as Float: return try float(number, path: path)
        default: return nil
        }
    }

    static func double(_ value: Double, path: [any CodingKey]) throws -> JSON {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: path, debugDescription: "\(value) cannot be written as JSON"))
        }
        return .double(value)
    }

    static func float(_ value: Float, path: [any CodingKey]) throws -> JSON {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: path, debugDescription: "\(value) cannot be written as JSON"))
        }
        return .double(Double(value.description) ?? Double(value))
    }

    static func integer<T: BinaryInteger>(_ value: T) -> JSON {
        if let exact = Int64(exactly: value) { return .int(exact) }
        return .double(Double(value))
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONValueEncoding
    let node: EncodedNode

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func put(_ value: JSON, _ key: Key) {
        node.set(EncodedNode(.value(value)), forKey: key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        put(try JSONValueEncoding.double(value, path: codingPath + [key]), key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        put(try JSONValueEncoding.float(value, path: codingPath + [key]), key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(JSONValueEncoding.integer(value), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let child = try JSONValueEncoding.box(value, path: codingPath + [key], userInfo: encoder.sendableUserInfo)
        node.set(child, forKey: key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        childEncoder(key.stringValue, path: codingPath + [key]).container(keyedBy: NestedKey.self)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        childEncoder(key.stringValue, path: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        childEncoder("super", path: codingPath + [JSONDynamicKey("super")])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        childEncoder(key.stringValue, path: codingPath + [key])
    }

    private func childEncoder(_ name: String, path: [any CodingKey]) -> JSONValueEncoding {
        let child = EncodedNode()
        node.set(child, forKey: name)
        return JSONValueEncoding(node: child, codingPath: path, userInfo: encoder.sendableUserInfo)
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: JSONValueEncoding
    let node: EncodedNode

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { node.arrayCount }

    private var nextPath: [any CodingKey] { codingPath + [JSONIndexKey(count)] }

    private func put(_ value: JSON) { node.append(EncodedNode(.value(value))) }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(try JSONValueEncoding.double(value, path: nextPath)) }
    mutating func encode(_ value: Float) throws { put(try JSONValueEncoding.float(value, path: nextPath)) }
    mutating func encode(_ value: Int) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int8) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int16) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int32) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int64) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt8) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt16) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt32) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt64) throws { put(JSONValueEncoding.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.append(try JSONValueEncoding.box(value, path: nextPath, userInfo: encoder.sendableUserInfo))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        childEncoder().container(keyedBy: NestedKey.self)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        childEncoder().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { childEncoder() }

    private func childEncoder() -> JSONValueEncoding {
        let path = nextPath
        let child = EncodedNode()
        node.append(child)
        return JSONValueEncoding(node: child, codingPath: path, userInfo: encoder.sendableUserInfo)
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let encoder: JSONValueEncoding

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func put(_ value: JSON) { encoder.node.storage = .value(value) }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(try JSONValueEncoding.double(value, path: codingPath)) }
    mutating func encode(_ value: Float) throws { put(try JSONValueEncoding.float(value, path: codingPath)) }
    mutating func encode(_ value: Int) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int8) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int16) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int32) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int64) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt8) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt16) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt32) throws { put(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt64) throws { put(JSONValueEncoding.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if let special = try JSONValueEncoding.specialForm(of: value, path: codingPath) {
            put(special)
            return
        }
        try value.encode(to: encoder)
    }
}
