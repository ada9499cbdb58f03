import Foundation
import WeftModel

/// Replaces secret values with `"*****"` in anything about to be recorded or shown.
///
/// Secret strings of at least `minimumSubstringLength` characters are masked wherever they occur
/// inside a text; shorter strings and numbers only when they are the whole value, so that a secret
/// such as `7` does not mangle `"web-17"`. Object keys are left as they are.
public struct SecretMasker: Sendable {
    public static let mask = "*****"
    public static let minimumSubstringLength = 4
    /// Secret texts masked inside other texts, longest first so that a secret containing another is masked whole.
    private let substrings: [String]
    /// Secret texts and numbers masked only as whole values.
    private let wholeValues: Set<JSON>

    /// Collects every string and number inside the secret values.
    public init(secretValues: [JSON]) {
        var texts: Set<String> = []
        var whole: Set<JSON> = []
        func collect(_ value: JSON) {
            switch value {
            case .string(let s) where !s.isEmpty:
                whole.insert(value)
                if s.count >= SecretMasker.minimumSubstringLength { texts.insert(s) }
            case .int, .double:
                whole.insert(value)
                whole.insert(.string(value.serialized()))
            case .array(let a): a.forEach(collect)
            case .object(let o): o.values.forEach(collect)
            default: break
            }
        }
        secretValues.forEach(collect)
        substrings = texts.sorted { $0.count > $1.count }
        wholeValues = whole
    }

    public var isEmpty: Bool { wholeValues.isEmpty }

    public func mask(_ text: String) -> String {
        guard !isEmpty else { return text }
        if wholeValues.contains(.string(text)) { return SecretMasker.mask }
        var result = text
        for secret in substrings where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: SecretMasker.mask)
        }
        return result
    }

    public func mask(_ value: JSON) -> JSON {
        guard !isEmpty else { return value }
        switch value {
        case .string(let s): return .string(mask(s))
        case .int, .double: return wholeValues.contains(value) ? .string(SecretMasker.mask) : value
        case .array(let a): return .array(a.map(mask))
        case .object(let o):
            var result = JSONObject()
            result.reserveCapacity(o.count)
            for (key, member) in o { result[key] = mask(member) }
            return .object(result)
        case .null, .bool: return value
        }
    }

    public func mask(_ items: Items) throws -> Items {
        guard !isEmpty else { return items }
        var builder = ItemsBuilder()
        try items.forEach { builder.append(mask($0)) }
        return builder.finish()
    }
}
