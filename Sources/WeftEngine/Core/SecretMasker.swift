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
    /// `substrings` as UTF-8, for a fast search before any string is rebuilt.
    private let needles: [[UInt8]]
    /// Secret texts and numbers masked only as whole values.
    private let wholeValues: Set<JSON>
    /// The UTF-8 lengths of the texts in `wholeValues`. When those texts are all ASCII, an ASCII
    /// text of another length equals none of them, which spares hashing most texts.
    private let wholeTextLengths: Set<Int>
    private let wholeTextsAreASCII: Bool

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
        needles = substrings.map { Array($0.utf8) }
        wholeValues = whole
        let wholeTexts = whole.compactMap(\.stringValue)
        wholeTextLengths = Set(wholeTexts.map(\.utf8.count))
        wholeTextsAreASCII = wholeTexts.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
    }

    public var isEmpty: Bool { wholeValues.isEmpty }

    public func mask(_ text: String) -> String {
        guard !isEmpty else { return text }
        if isWholeText(text) { return SecretMasker.mask }
        guard containsSubstring(text) else { return text }
        var result = text
        for secret in substrings where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: SecretMasker.mask)
        }
        return result
    }

    /// `value` with its secrets masked; `value` itself (nothing copied) when it holds none.
    public func mask(_ value: JSON) -> JSON {
        guard !isEmpty, holdsSecret(value) else { return value }
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

    private func holdsSecret(_ value: JSON) -> Bool {
        switch value {
        case .string(let text): return isWholeText(text) || containsSubstring(text)
        case .int, .double: return wholeValues.contains(value)
        case .array(let elements): return elements.contains(where: holdsSecret)
        case .object(let members): return members.values.contains(where: holdsSecret)
        case .null, .bool: return false
        }
    }

    private func isWholeText(_ text: String) -> Bool {
        if wholeTextsAreASCII, !wholeTextLengths.contains(text.utf8.count) {
            var text = text
            let ascii = text.withUTF8 { buffer in
                guard let base = buffer.baseAddress else { return true }
                var index = 0
                while index < buffer.count, base[index] < 0x80 { index += 1 }
                return index == buffer.count
            }
            if ascii { return false }
        }
        return wholeValues.contains(.string(text))
    }

    private func containsSubstring(_ text: String) -> Bool {
        guard !needles.isEmpty else { return false }
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return false }
            return needles.contains { needle in
                needle.withUnsafeBytes { Self.find($0, in: UnsafeRawBufferPointer(start: base, count: buffer.count)) }
            }
        }
    }

    /// Whether `needle` (not empty) occurs in `haystack`: memchr for its first byte, memcmp for the rest.
    private static func find(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Bool {
        guard let first = needle.first, let start = haystack.baseAddress, needle.count <= haystack.count else { return false }
        var offset = 0
        let last = haystack.count - needle.count
        while offset <= last, let hit = memchr(start + offset, Int32(first), last - offset + 1) {
            let position = start.distance(to: UnsafeRawPointer(hit))
            if memcmp(start + position, needle.baseAddress!, needle.count) == 0 { return true }
            offset = position + 1
        }
        return false
    }

    public func mask(_ items: Items) throws -> Items {
        guard !isEmpty else { return items }
        var builder = ItemsBuilder()
        try items.forEach { builder.append(mask($0)) }
        return builder.finish()
    }
}
