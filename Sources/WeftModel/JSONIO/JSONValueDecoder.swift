import Foundation

/// Decodes `Decodable` types directly from a `JSON` value, strictly.
///
/// Integers decode only from integral numbers that fit (`1.0` is fine, `1.5` is not); floating
/// point types from any number; strings only from strings; booleans only from booleans. `Date`
/// decodes from an ISO 8601 string (with or without fractional seconds, see
/// `ISODate.parse`) or a number of seconds since 1970; `URL` from a string; `Data` from
/// a base64 string; `JSON` receives the value as it is. Errors are `DecodingError`s whose coding
/// path locates the value (see `DecodingError.jsonPointer`) and whose description reads like
/// `expected integer, found string "abc"` (see `DecodingError.readableMessage`).
public struct JSONValueDecoder: Sendable {
    /// Passed to the types being decoded as `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]
    /// When true, an object member that the decoded type did not ask for (through its keyed
    /// container) is an error: `DecodingError.dataCorrupted` located at that member, with the
    /// message `unknown key 'name'`.
    public var rejectsUnknownKeys = false

    public init() {}

    /// Decodes a `T` from `value`.
    /// - Throws: `DecodingError`.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSON) throws -> T {
        let decoder = JSONValueDecoding(
            value: value, codingPath: [], userInfo: userInfo, rejectsUnknownKeys: rejectsUnknownKeys)
        return try decoder.unbox(value, as: T.self, path: [])
    }
}

/// The key of an element of an unkeyed container: its index.
struct JSONIndexKey: CodingKey {
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(intValue: Int) { index = intValue }
    init?(stringValue: String) {
        guard let index = Int(stringValue) else { return nil }
        self.index = index
    }
    var intValue: Int? { index }
    var stringValue: String { String(index) }
}

final class JSONValueDecoding: Decoder {
    let value: JSON
    let codingPath: [any CodingKey]
    let sendableUserInfo: [CodingUserInfoKey: any Sendable]

    let rejectsUnknownKeys: Bool
    /// The keys asked for through keyed containers, tracked when `rejectsUnknownKeys` is set.
    private(set) var requestedKeys: Set<String>?

    init(
        value: JSON, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: any Sendable],
        rejectsUnknownKeys: Bool = false
    ) {
        self.rejectsUnknownKeys = rejectsUnknownKeys
        self.value = value
        self.codingPath = codingPath
        self.sendableUserInfo = userInfo
    }

    var userInfo: [CodingUserInfoKey: Any] { sendableUserInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw Self.mismatch(JSONObject.self, expected: "object", found: value, path: codingPath)
        }
        if rejectsUnknownKeys && requestedKeys == nil { requestedKeys = [] }
        return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, object: object))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw Self.mismatch([JSON].self, expected: "array", found: value, path: codingPath)
        }
        return UnkeyedContainer(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(decoder: self)
    }

    func child(_ value: JSON, path: [any CodingKey]) -> JSONValueDecoding {
        JSONValueDecoding(value: value, codingPath: path, userInfo: sendableUserInfo, rejectsUnknownKeys: rejectsUnknownKeys)
    }

    func noteRequested(_ key: some CodingKey) {
        guard rejectsUnknownKeys else { return }
        requestedKeys = requestedKeys ?? []
        requestedKeys!.insert(key.stringValue)
    }

    /// Throws for the first member of the object that no keyed container asked for.
    func checkUnknownKeys() throws {
        guard let requestedKeys, case .object(let object) = value else { return }
        for key in object.keys where !requestedKeys.contains(key) {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath + [JSONDynamicKey(key)], debugDescription: "unknown key '\(key)'"))
        }
    }

    // MARK: Unboxing

    static func mismatch(
        _ type: Any.Type, expected: String, found value: JSON, path: [any CodingKey]
    ) -> DecodingError {
        if case .null = value {
            return .valueNotFound(
                type, .init(codingPath: path, debugDescription: "expected \(expected), found null"))
        }
        return .typeMismatch(
            type,
            .init(codingPath: path, debugDescription: "expected \(expected), found \(JSONTypeNames.describe(value))"))
    }

    func unboxBool(_ value: JSON, path: [any CodingKey]) throws -> Bool {
        guard case .bool(let flag) = value else {
            throw Self.mismatch(Bool.self, expected: "boolean", found: value, path: path)
        }
        return flag
    }

    func unboxString(_ value: JSON, path: [any CodingKey]) throws -> String {
        guard case .string(let text) = value else {
            throw Self.mismatch(String.self, expected: "string", found: value, path: path)
        }
        return text
    }

    func unboxDouble(_ value: JSON, path: [any CodingKey]) throws -> Double {
        switch value {
        case .int(let integer): return Double(integer)
        case .double(let number): return number
        default: throw Self.mismatch(Double.self, expected: "number", found: value, path: path)
        }
    }

    func unboxFloat(_ value: JSON, path: [any CodingKey]) throws -> Float {
        let number = try unboxDouble(value, path: path)
        let single = Float(number)
        if number.isFinite && !single.isFinite {
            throw DecodingError.dataCorrupted(
                .init(codingPath: path, debugDescription: "number \(number) does not fit in Float"))
        }
        return single
    }

    func unboxInteger<T: FixedWidthInteger>(_ value: JSON, as type: T.Type, path: [any CodingKey]) throws -> T {
        switch value {
        case .int(let integer):
            if let result = T(exactly: integer) { return result }
            throw DecodingError.dataCorrupted(
                .init(codingPath: path, debugDescription: "number \(integer) does not fit in \(T.self)"))
        case .double(let number):
            if let result = T(exactly: number) { return result }
            if number.isFinite && number.rounded(.towardZero) == number {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: path, debugDescription: "number \(value.serialized()) does not fit in \(T.self)"))
            }
            throw Self.mismatch(T.self, expected: "integer", found: value, path: path)
        default:
            throw Self.mismatch(T.self, expected: "integer", found: value, path: path)
        }
    }

    func unbox<T: Decodable>(_ value: JSON, as type: T.Type, path: [any CodingKey]) throws -> T {
        if T.self == JSON.self { return value as! T }
        if T.self == Date.self { return try unboxDate(value, path: path) as! T }
        if T.self == URL.self {
            let text = try unboxString(value, path: path)
            guard let url = URL(string: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "invalid URL \"\(text)\""))
            }
            return url as! T
        }
        if T.self == Data.self {
            let text = try unboxString(value, path: path)
            guard let data = Data(base64Encoded: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "invalid base64 data"))
            }
            return data as! T
        }
        let decoder = child(value, path: path)
        let result = try T(from: decoder)
        try decoder.checkUnknownKeys()
        return result
    }

    func unboxDate(_ value: JSON, path: [any CodingKey]) throws -> Date {
        switch value {
        case .int(let seconds): return Date(timeIntervalSince1970: Double(seconds))
        case .double(let seconds): return Date(timeIntervalSince1970: seconds)
        case .string(let text):
            guard let date = ISODate.parse(text) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: path, debugDescription: "expected an ISO 8601 date, found \(JSONTypeNames.describe(value))")
                )
            }
            return date
        default:
            throw Self.mismatch(Date.self, expected: "ISO 8601 date", found: value, path: path)
        }
    }
}

// MARK: - Containers

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: JSONValueDecoding
    let object: JSONObject

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool {
        decoder.noteRequested(key)
        return object[key.stringValue] != nil
    }

    private func value(for key: Key) throws -> JSON {
        decoder.noteRequested(key)
        guard let value = object[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "missing required key '\(key.stringValue)'"))
        }
        return value
    }

    private func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    func decodeNil(forKey key: Key) throws -> Bool { try value(for: key).isNull }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try decoder.unboxBool(value(for: key), path: path(key))
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try decoder.unboxString(value(for: key), path: path(key))
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try decoder.unboxDouble(value(for: key), path: path(key))
    }

    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try decoder.unboxFloat(value(for: key), path: path(key))
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(key) }

    private func integer<T: FixedWidthInteger>(_ key: Key) throws -> T {
        try decoder.unboxInteger(value(for: key), as: T.self, path: path(key))
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.unbox(value(for: key), as: T.self, path: path(key))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.child(value(for: key), path: path(key)).container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(value(for: key), path: path(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = JSONDynamicKey("super")
        decoder.noteRequested(key)
        return decoder.child(object[key.stringValue] ?? .null, path: codingPath + [key])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        decoder.noteRequested(key)
        return decoder.child(object[key.stringValue] ?? .null, path: path(key))
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: JSONValueDecoding
    let elements: [JSON]
    private(set) var currentIndex = 0

    init(decoder: JSONValueDecoding, elements: [JSON]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private var currentPath: [any CodingKey] { codingPath + [JSONIndexKey(currentIndex)] }

    private func current(_ type: Any.Type) throws -> JSON {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                .init(
                    codingPath: currentPath,
                    debugDescription: "expected \(JSONTypeNames.name(of: type)), found the end of the array"))
        }
        return elements[currentIndex]
    }

    private mutating func next<T>(_ unbox: (JSON, [any CodingKey]) throws -> T) throws -> T {
        let value = try unbox(current(T.self), currentPath)
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard try current(JSON.self).isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(decoder.unboxBool) }
    mutating func decode(_ type: String.Type) throws -> String { try next(decoder.unboxString) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(decoder.unboxDouble) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(decoder.unboxFloat) }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer() }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer() }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }

    private mutating func integer<T: FixedWidthInteger>() throws -> T {
        let decoder = decoder
        return try next { value, path in try decoder.unboxInteger(value, as: T.self, path: path) }
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = decoder
        return try next { value, path in try decoder.unbox(value, as: T.self, path: path) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let decoder = decoder
        return try next { value, path in try decoder.child(value, path: path).container(keyedBy: NestedKey.self) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let decoder = decoder
        return try next { value, path in try decoder.child(value, path: path).unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = decoder
        return try next { value, path in decoder.child(value, path: path) }
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let decoder: JSONValueDecoding

    var codingPath: [any CodingKey] { decoder.codingPath }
    private var value: JSON { decoder.value }

    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.unboxBool(value, path: codingPath) }
    func decode(_ type: String.Type) throws -> String { try decoder.unboxString(value, path: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.unboxDouble(value, path: codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.unboxFloat(value, path: codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try integer() }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
    func decode(_ type: UInt.Type) throws -> UInt { try integer() }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }

    private func integer<T: FixedWidthInteger>() throws -> T {
        try decoder.unboxInteger(value, as: T.self, path: codingPath)
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.unbox(value, as: T.self, path: codingPath)
    }
}
