/// A coding key with any name, for objects whose keys are not known in advance.
public struct JSONDynamicKey: CodingKey, Hashable, Sendable {
    public let stringValue: String
    public let intValue: Int?

    public init(_ name: String) {
        stringValue = name
        intValue = nil
    }

    public init?(stringValue: String) { self.init(stringValue) }

    public init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// `JSON` codes as the JSON value it is: with `JSONValueDecoder`/`JSONValueEncoder` the value is
/// passed through unchanged; with other coders it uses a single-value container for scalars, an
/// unkeyed container for arrays and a keyed container for objects (key order is kept when
/// encoding; on decoding it is whatever the decoder reports). Integers stay exact `Int64`s.
extension JSON: Codable {
    public init(from decoder: any Decoder) throws {
        if let direct = decoder as? JSONValueDecoding {
            self = direct.value
            return
        }
        if let container = try? decoder.singleValueContainer() {
            if container.decodeNil() {
                self = .null
                return
            }
            if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
                return
            }
            if let integer = try? container.decode(Int64.self) {
                self = .int(integer)
                return
            }
            if let number = try? container.decode(Double.self) {
                self = .double(number)
                return
            }
            if let text = try? container.decode(String.self) {
                self = .string(text)
                return
            }
        }
        if var elements = try? decoder.unkeyedContainer() {
            var array: [JSON] = []
            while !elements.isAtEnd { array.append(try elements.decode(JSON.self)) }
            self = .array(array)
            return
        }
        let members = try decoder.container(keyedBy: JSONDynamicKey.self)
        var object = JSONObject()
        for key in members.allKeys {
            object[key.stringValue] = try members.decode(JSON.self, forKey: key)
        }
        self = .object(object)
    }

    public func encode(to encoder: any Encoder) throws {
        if let direct = encoder as? JSONValueEncoding {
            direct.node.storage = .value(self)
            return
        }
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .int(let integer):
            var container = encoder.singleValueContainer()
            try container.encode(integer)
        case .double(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .object(let object):
            var container = encoder.container(keyedBy: JSONDynamicKey.self)
            for (key, value) in object { try container.encode(value, forKey: JSONDynamicKey(key)) }
        }
    }
}
