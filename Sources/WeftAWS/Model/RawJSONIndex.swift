import Foundation
import WeftModel

/// The members of one JSON object as byte ranges of a larger text, found by skipping over the values
/// without building them: botocore's big models are indexed this way and each shape or operation
/// is parsed only when it is first used.
struct RawJSONIndex {
    /// The member names in document order (a repeated name is listed once, at its first position).
    private(set) var names: [String] = []
    /// Each member's value as a byte range of the text (a repeated name keeps its last value).
    private(set) var ranges: [String: Range<Int>] = [:]

    init() {}

    /// Indexes the object whose value occupies `range` of `bytes`.
    ///
    /// Throws `RawJSONIndex.Malformed` when the text is not an object or not well formed enough to
    /// skip over (values are checked only for their nesting and string boundaries).
    init(_ bytes: UnsafeRawBufferPointer, range: Range<Int>) throws {
        var scanner = Scanner(bytes: bytes, position: range.lowerBound, end: range.upperBound)
        scanner.skipWhitespace()
        try scanner.expect(UInt8(ascii: "{"))
        scanner.skipWhitespace()
        if scanner.peek == UInt8(ascii: "}") { return }
        while true {
            scanner.skipWhitespace()
            let name = try scanner.key()
            scanner.skipWhitespace()
            try scanner.expect(UInt8(ascii: ":"))
            scanner.skipWhitespace()
            let start = scanner.position
            try scanner.skipValue()
            if ranges.updateValue(start..<scanner.position, forKey: name) == nil { names.append(name) }
            scanner.skipWhitespace()
            if scanner.peek == UInt8(ascii: ",") {
                scanner.position += 1
                continue
            }
            try scanner.expect(UInt8(ascii: "}"))
            return
        }
    }

    /// The index of the `"` that closes a string whose contents start at `start`; `nil` when none does.
    static func closingQuote(_ bytes: UnsafeRawBufferPointer, from start: Int, end: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var position = start
        while position < end, let found = memchr(base + position, 0x22, end - position) {
            let quote = base.distance(to: UnsafeRawPointer(found))
            var backslashes = 0
            while quote - backslashes - 1 >= start, bytes[quote - backslashes - 1] == 0x5C { backslashes += 1 }
            if backslashes % 2 == 0 { return quote }
            position = quote + 1
        }
        return nil
    }

    /// The byte ranges of the elements of the array at `range` of `bytes`.
    ///
    /// Throws `Malformed` when the text is not an array or not well formed enough to skip over.
    static func elements(_ bytes: UnsafeRawBufferPointer, range: Range<Int>) throws -> [Range<Int>] {
        var scanner = Scanner(bytes: bytes, position: range.lowerBound, end: range.upperBound)
        var elements: [Range<Int>] = []
        scanner.skipWhitespace()
        try scanner.expect(UInt8(ascii: "["))
        scanner.skipWhitespace()
        if scanner.peek == UInt8(ascii: "]") { return [] }
        while true {
            scanner.skipWhitespace()
            let start = scanner.position
            try scanner.skipValue()
            elements.append(start..<scanner.position)
            scanner.skipWhitespace()
            if scanner.peek == UInt8(ascii: ",") {
                scanner.position += 1
                continue
            }
            try scanner.expect(UInt8(ascii: "]"))
            return elements
        }
    }

    /// The JSON value at `range` of `bytes` without insignificant whitespace and without the
    /// members named `key` (at any depth, when given), as compact UTF-8 text.
    ///
    /// Throws `Malformed` when the text is not well formed enough to skip over.
    static func compacted(_ bytes: UnsafeRawBufferPointer, range: Range<Int>, dropping key: String?) throws -> [UInt8] {
        let dropped = key.map { Array($0.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count / 2)
        var objects: [Bool] = []
        var expectKey = false
        var scanner = Scanner(bytes: bytes, position: range.lowerBound, end: range.upperBound)
        /// The start of the bytes read but not yet copied to `out`.
        var pending = scanner.position
        func copy(upTo end: Int) {
            if end > pending { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[pending..<end])) }
        }
        while scanner.position < scanner.end {
            let byte = bytes[scanner.position]
            switch byte {
            case 0x20, 0x0A, 0x0D, 0x09:
                copy(upTo: scanner.position)
                scanner.skipWhitespace()
                pending = scanner.position
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                objects.append(byte == UInt8(ascii: "{"))
                expectKey = byte == UInt8(ascii: "{")
                scanner.position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if scanner.position > pending {
                    if bytes[scanner.position - 1] == UInt8(ascii: ",") {
                        copy(upTo: scanner.position - 1)
                        pending = scanner.position
                    }
                } else if out.last == UInt8(ascii: ",") {
                    out.removeLast()
                }
                guard objects.popLast() != nil else { throw Malformed(offset: scanner.position) }
                expectKey = false
                scanner.position += 1
            case UInt8(ascii: ","):
                expectKey = objects.last == true
                scanner.position += 1
            case UInt8(ascii: ":"):
                expectKey = false
                scanner.position += 1
            case UInt8(ascii: "\""):
                let start = scanner.position
                try scanner.skipString()
                let content = (start + 1)..<(scanner.position - 1)
                if expectKey, let dropped, content.count == dropped.count,
                    memcmp(bytes.baseAddress! + content.lowerBound, dropped, dropped.count) == 0
                {
                    copy(upTo: start)
                    scanner.skipWhitespace()
                    try scanner.expect(UInt8(ascii: ":"))
                    scanner.skipWhitespace()
                    try scanner.skipValue()
                    scanner.skipWhitespace()
                    if scanner.peek == UInt8(ascii: ",") { scanner.position += 1 }
                    pending = scanner.position
                } else {
                    expectKey = false
                }
            default:
                scanner.position += 1
            }
        }
        copy(upTo: scanner.position)
        guard objects.isEmpty else { throw Malformed(offset: scanner.position) }
        return out
    }

    /// A text that cannot be indexed, with the byte offset of the problem.
    struct Malformed: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "malformed JSON near byte \(offset)" }
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var position: Int
        let end: Int

        var peek: UInt8? { position < end ? bytes[position] : nil }

        mutating func skipWhitespace() {
            while position < end {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8) throws {
            guard position < end, bytes[position] == byte else { throw Malformed(offset: position) }
            position += 1
        }

        /// A member name; escapes are decoded by the full parser.
        mutating func key() throws -> String {
            let start = position
            let escaped = try skipString()
            if !escaped {
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(start + 1)..<(position - 1)]), as: UTF8.self)
            }
            guard case .string(let text) = try? JSON.parse(UnsafeRawBufferPointer(rebasing: bytes[start..<position])) else {
                throw Malformed(offset: start)
            }
            return text
        }

        /// Skips a string starting at `position`; returns whether it held an escape.
        @discardableResult
        mutating func skipString() throws -> Bool {
            try expect(UInt8(ascii: "\""))
            let start = position
            guard let close = RawJSONIndex.closingQuote(bytes, from: position, end: end) else { throw Malformed(offset: position) }
            position = close + 1
            return memchr(bytes.baseAddress! + start, 0x5C, close - start) != nil
        }

        mutating func skipValue() throws {
            guard let first = peek else { throw Malformed(offset: position) }
            switch first {
            case UInt8(ascii: "\""):
                try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while position < end {
                    switch bytes[position] {
                    case UInt8(ascii: "\""):
                        try skipString()
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            position += 1
                            return
                        }
                    default:
                        break
                    }
                    position += 1
                }
                throw Malformed(offset: position)
            default:
                let start = position
                while position < end {
                    switch bytes[position] {
                    case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09:
                        if position == start { throw Malformed(offset: position) }
                        return
                    default:
                        position += 1
                    }
                }
                if position == start { throw Malformed(offset: position) }
            }
        }
    }
}
