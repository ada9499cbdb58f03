import Foundation
import WeftModel

/// Replaces secret values with `"*****"` in anything about to be recorded or shown.
public struct SecretMasker: Sendable {
    public static let mask = "*****"
    /// Secret texts, longest first so that a secret containing another is masked whole.
    public let secrets: [String]

    /// Collects every string and number inside the secret values.
    public init(secretValues: [JSON]) {
        var texts: Set<String> = []
        func collect(_ value: JSON) {
            switch value {
            case .string(let s) where !s.isEmpty: texts.insert(s)
            case .int, .double: texts.insert(value.serialized())
            case .array(let a): a.forEach(collect)
            case .object(let o): o.values.forEach(collect)
            default: break
            }
        }
        secretValues.forEach(collect)
        secrets = texts.sorted { $0.count > $1.count }
    }

    public var isEmpty: Bool { secrets.isEmpty }

    public func mask(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: SecretMasker.mask)
        }
        return result
    }

    public func mask(_ value: JSON) -> JSON {
        guard !secrets.isEmpty else { return value }
        switch value {
        case .string(let s): return .string(mask(s))
        case .int, .double:
            return secrets.contains(value.serialized()) ? .string(SecretMasker.mask) : value
        case .array(let a): return .array(a.map(mask))
        case .object(let o):
            var result = JSONObject()
            result.reserveCapacity(o.count)
            for (key, member) in o { result[mask(key)] = mask(member) }
            return .object(result)
        case .null, .bool: return value
        }
    }

    public func mask(_ items: Items) -> Items {
        guard !secrets.isEmpty else { return items }
        var builder = ItemsBuilder()
        try? items.forEach { builder.append(mask($0)) }
        return builder.finish()
    }
}

