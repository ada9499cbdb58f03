import Foundation

extension DecodingError {
    /// The RFC 6901 pointer of the value the error is about; for a missing key, the pointer of
    /// that key.
    public var jsonPointer: String {
        switch self {
        case .keyNotFound(let key, let context):
            return JSONPointer.pointer(for: context.codingPath + [key])
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return JSONPointer.pointer(for: context.codingPath)
        @unknown default:
            return ""
        }
    }

    /// A short message without the path, for people: `expected integer, found string "abc"`,
    /// `missing required key 'operator'`, `unknown value "xyz"`.
    public var readableMessage: String {
        switch self {
        case .keyNotFound(let key, _):
            return "missing required key '\(key.stringValue)'"
        case .valueNotFound(let type, let context):
            if context.debugDescription.hasPrefix("expected ") { return context.debugDescription }
            return "expected \(JSONTypeNames.name(of: type)), found null"
        case .typeMismatch(let type, let context):
            if context.debugDescription.hasPrefix("expected ") { return context.debugDescription }
            return "expected \(JSONTypeNames.name(of: type))"
        case .dataCorrupted(let context):
            return Self.readable(context.debugDescription)
        @unknown default:
            return String(describing: self)
        }
    }

    /// Rewrites the standard library's message for a raw-value enum that did not match.
    private static func readable(_ description: String) -> String {
        let marker = " value "
        guard description.hasPrefix("Cannot initialize "),
            let range = description.range(of: " from invalid "),
            let valueRange = description[range.upperBound...].range(of: marker)
        else { return description }
        let rawType = description[range.upperBound..<valueRange.lowerBound]
        let value = description[valueRange.upperBound...]
        return rawType == "String" ? "unknown value \"\(value)\"" : "unknown value \(value)"
    }
}

/// Names of Swift types as JSON types, for error messages.
enum JSONTypeNames {
    static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type: return "string"
        case is Bool.Type: return "boolean"
        case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type,
            is UInt.Type, is UInt8.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type:
            return "integer"
        case is Double.Type, is Float.Type: return "number"
        case is JSON.Type: return "value"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array<") || name.hasPrefix("[") || name.hasPrefix("ContiguousArray<")
                || name.hasPrefix("Set<")
            {
                return "array"
            }
            if name.hasPrefix("Dictionary<") || name.hasPrefix("OrderedDictionary<") { return "object" }
            return "object"
        }
    }

    /// `string "abc"`, `number 1.5`, `null`, `boolean true`, `array`, `object`.
    static func describe(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return "boolean \(flag)"
        case .int, .double: return "number \(value.serialized())"
        case .string(let text):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "string \(JSON.string(shown).serialized())"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
