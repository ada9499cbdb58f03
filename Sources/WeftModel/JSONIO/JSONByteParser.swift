import OrderedCollections

/// The RFC 8259 parser over raw UTF-8 bytes, shared by `JSON.parse` and the file readers.
///
/// Errors carry `offset` relative to the start of the buffer; their line and column are those of
/// that offset in the buffer. With `allowsPartialInput`, running out of bytes in the middle of a
/// value (including a number that reaches the end) sets `needsMoreInput` before throwing, so a
/// streaming caller can append data and retry.
struct JSONByteParser {
    static let maximumDepth = 512

    let bytes: UnsafePointer<UInt8>
    let count: Int
    let allowsPartialInput: Bool
    var position = 0
    var depth: Int
    var needsMoreInput = false
    /// Working memory, reusable from one parser to the next.
    var workspace: JSONParserWorkspace
    /// A cheap hash of the bytes of the string `parseString` returned last.
    private var lastFingerprint: UInt64 = 0

    init(
        _ buffer: UnsafeRawBufferPointer, depth: Int = 0, allowsPartialInput: Bool = false,
        workspace: JSONParserWorkspace = JSONParserWorkspace()
    ) {
        self.workspace = workspace
        if let base = buffer.baseAddress, buffer.count > 0 {
            bytes = base.assumingMemoryBound(to: UInt8.self)
            count = buffer.count
        } else {
            bytes = UnsafePointer(bitPattern: 1)!
            count = 0
        }
        self.depth = depth
        self.allowsPartialInput = allowsPartialInput
    }

    // MARK: Errors

    func error(_ message: String, at offset: Int) -> JSONParseError {
        let location = TextLocation.of(offset: offset, in: bytes, count: count)
        return JSONParseError(message: message, line: location.line, column: location.column, offset: offset)
    }

    /// The error for input that ends where more was required.
    mutating func endError(_ expectation: String) -> JSONParseError {
        if allowsPartialInput { needsMoreInput = true }
        return error("unexpected end of input, \(expectation)", at: count)
    }

    static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x20...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 0x80 ? "U+" + String(repeating: "0", count: 4 - hex.count) + hex : "byte 0x" + hex
        }
    }

    private func unexpected(_ byte: UInt8, at offset: Int, expected: String) -> JSONParseError {
        switch byte {
        case UInt8(ascii: "/"):
            return error("comments are not allowed in JSON", at: offset)
        case UInt8(ascii: "'"):
            return error("strings must use double quotes", at: offset)
        default:
            return error("unexpected character \(Self.describe(byte)), \(expected)", at: offset)
        }
    }

    // MARK: Structure

    @inline(__always)
    mutating func skipWhitespace() {
        while position < count {
            let byte = bytes[position]
            if byte > 0x20 { return }
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position &+= 1
        }
    }

    /// Parses one value starting at `position` (leading whitespace allowed) and leaves
    /// `position` just after it.
    mutating func parseValue() throws(JSONParseError) -> JSON {
        skipWhitespace()
        guard position < count else { throw endError("expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "{"):
            return try parseObject()
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        case UInt8(ascii: "t"):
            try parseLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try parseLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try parseLiteral("null")
            return .null
        case let byte:
            throw unexpected(byte, at: position, expected: "expected a value")
        }
    }

    private mutating func parseLiteral(_ word: StaticString) throws(JSONParseError) {
        let length = word.utf8CodeUnitCount
        let letters = word.utf8Start
        var index = 1
        while index < length {
            guard position &+ index < count else { throw endError("expected '\(word)'") }
            guard bytes[position &+ index] == letters[index] else {
                throw error("invalid literal, expected '\(word)'", at: position)
            }
            index &+= 1
        }
        position &+= length
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth &+= 1
        if depth > Self.maximumDepth {
            throw error("nesting is deeper than \(Self.maximumDepth) levels", at: position)
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSON {
        try enterContainer()
        position &+= 1
        skipWhitespace()
        guard position < count else { throw endError("expected an object key or '}'") }
        if bytes[position] == UInt8(ascii: "}") {
            position &+= 1
            depth &-= 1
            return .object(JSONObject())
        }
        let first = workspace.keys.count
        while true {
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw unexpected(bytes[position], at: position, expected: "expected a string key in object")
            }
            workspace.keys.push(try parseString(isKey: true))
            workspace.keyFingerprints.push(lastFingerprint)
            skipWhitespace()
            guard position < count else { throw endError("expected ':' after object key") }
            guard bytes[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after object key", at: position)
            }
            position &+= 1
            workspace.values.push(try parseValue())
            skipWhitespace()
            guard position < count else { throw endError("expected ',' or '}' after object member") }
            let byte = bytes[position]
            position &+= 1
            if byte == UInt8(ascii: ",") {
                let comma = position &- 1
                skipWhitespace()
                guard position < count else { throw endError("expected an object key") }
                if bytes[position] == UInt8(ascii: "}") {
                    throw error("trailing comma in object", at: comma)
                }
            } else if byte == UInt8(ascii: "}") {
                depth &-= 1
                return .object(makeObject(from: first))
            } else {
                throw error("expected ',' or '}' after object member", at: position &- 1)
            }
        }
    }

    /// Moves the members above `first` off the stacks into an object.
    private mutating func makeObject(from first: Int) -> JSONObject {
        let memberCount = workspace.keys.count &- first
        let valueStart = workspace.values.count &- memberCount
        let duplicated = hasDuplicateKey(from: first)
        workspace.keyFingerprints.drop(from: first)
        if duplicated {
            var object = JSONObject()
            for index in 0..<memberCount {
                object.updateValue(
                    workspace.values.take(at: valueStart &+ index), forKey: workspace.keys.take(at: first &+ index))
            }
            workspace.keys.forget(from: first)
            workspace.values.forget(from: valueStart)
            return object
        }
        return JSONObject(
            uncheckedUniqueKeys: workspace.keys.moveOut(from: first),
            values: workspace.values.moveOut(from: valueStart))
    }

    private func hasDuplicateKey(from first: Int) -> Bool {
        let memberCount = workspace.keys.count &- first
        if memberCount < 2 { return false }
        let fingerprints = workspace.keyFingerprints.base + first
        if memberCount <= 16 {
            for later in 1..<memberCount {
                let fingerprint = fingerprints[later]
                for earlier in 0..<later where fingerprints[earlier] == fingerprint {
                    if workspace.keys.base[first &+ earlier] == workspace.keys.base[first &+ later] { return true }
                }
            }
            return false
        }
        var slotCount = 32
        while slotCount < memberCount &* 2 { slotCount &<<= 1 }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: slotCount) { slots in
            slots.initialize(repeating: -1)
            let shift = UInt64(64 &- slotCount.trailingZeroBitCount)
            for member in 0..<memberCount {
                let fingerprint = fingerprints[member]
                var slot = Int(truncatingIfNeeded: (fingerprint &* 0x9E37_79B9_7F4A_7C15) &>> shift)
                while slots[slot] >= 0 {
                    let other = slots[slot]
                    if fingerprints[other] == fingerprint
                        && workspace.keys.base[first &+ other] == workspace.keys.base[first &+ member]
                    {
                        return true
                    }
                    slot = (slot &+ 1) & (slotCount &- 1)
                }
                slots[slot] = member
            }
            return false
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSON {
        try enterContainer()
        position &+= 1
        skipWhitespace()
        guard position < count else { throw endError("expected a value or ']'") }
        if bytes[position] == UInt8(ascii: "]") {
            position &+= 1
            depth &-= 1
            return .array([])
        }
        let first = workspace.values.count
        while true {
            workspace.values.push(try parseValue())
            skipWhitespace()
            guard position < count else { throw endError("expected ',' or ']' after array element") }
            let byte = bytes[position]
            position &+= 1
            if byte == UInt8(ascii: ",") {
                let comma = position &- 1
                skipWhitespace()
                guard position < count else { throw endError("expected a value") }
                if bytes[position] == UInt8(ascii: "]") {
                    throw error("trailing comma in array", at: comma)
                }
            } else if byte == UInt8(ascii: "]") {
                depth &-= 1
                return .array(workspace.values.moveOutArray(from: first))
            } else {
                throw error("expected ',' or ']' after array element", at: position &- 1)
            }
        }
    }

    // MARK: Strings

    /// Parses the string whose opening quote is at `position`. Keys, and values of up to 16
    /// bytes, are interned: repeated ones share one `String` instead of being built again.
    mutating func parseString(isKey: Bool = false) throws(JSONParseError) -> String {
        let start = position &+ 1
        var index = start
        var highBits: UInt64 = 0
        while true {
            while index &+ 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
                let special = Self.specialBytes(in: word)
                if special == 0 {
                    highBits |= word
                    index &+= 8
                } else {
                    let skipped = special.trailingZeroBitCount >> 3
                    highBits |= word
                    index &+= skipped
                    break
                }
            }
            guard index < count else { throw endError("unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                return try parseEscapedString(from: start, firstEscape: index, highBits: highBits)
            }
            if byte < 0x20 { throw controlCharacterError(byte, at: index) }
            highBits |= UInt64(byte)
            index &+= 1
        }
        if highBits & 0x8080_8080_8080_8080 != 0 {
            try validateUTF8(from: start, to: index)
        }
        position = index &+ 1
        let length = index &- start
        let text = bytes + start
        let (head, tail) = Self.edgeWords(text, count: length, canReadEightBytes: start &+ 8 <= count)
        let fingerprint = Self.fingerprint(head: head, tail: tail, count: length)
        lastFingerprint = fingerprint
        if isKey {
            return workspace.keyTable.string(text, count: length, head: head, tail: tail, fingerprint: fingerprint)
        }
        if length <= 16 {
            return workspace.valueTable.string(text, count: length, head: head, tail: tail, fingerprint: fingerprint)
        }
        return Self.makeString(text, count: length)
    }

    /// A string of already validated UTF-8; `String(unsafeUninitializedCapacity:)` builds strings
    /// of up to 15 bytes in place, which `String(decoding:)` does not.
    @inline(__always)
    static func makeString(_ text: UnsafePointer<UInt8>, count: Int) -> String {
        guard count > 0 else { return "" }
        return String(unsafeUninitializedCapacity: count) { buffer in
            buffer.baseAddress!.update(from: text, count: count)
            return count
        }
    }

    /// The first and last eight bytes of `text` (zero-padded when shorter, with `tail` zero);
    /// together they determine texts of up to 16 bytes of a given length.
    @inline(__always)
    static func edgeWords(
        _ text: UnsafePointer<UInt8>, count: Int, canReadEightBytes: Bool
    ) -> (head: UInt64, tail: UInt64) {
        let raw = UnsafeRawPointer(text)
        if count >= 8 {
            return (
                UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)),
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
            )
        }
        if canReadEightBytes {
            let mask: UInt64 = (1 &<< UInt64(truncatingIfNeeded: count &* 8)) &- 1
            return (UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) & mask, 0)
        }
        var head: UInt64 = 0
        for index in 0..<count { head |= UInt64(text[index]) &<< UInt64(truncatingIfNeeded: index &* 8) }
        return (head, 0)
    }

    @inline(__always)
    static func fingerprint(head: UInt64, tail: UInt64, count: Int) -> UInt64 {
        ((head ^ (tail &<< 29 | tail &>> 35)) ^ UInt64(truncatingIfNeeded: count)) &* 0x9E37_79B9_7F4A_7C15
    }

    /// High bits set in the bytes of `word` that are `"`, `\` or below U+0020; exact about
    /// whether any such byte exists, and its lowest set bit marks the first one.
    @inline(__always)
    static func specialBytes(in word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let quoteHits = (quotes &- ones) & ~quotes
        let backslashHits = (backslashes &- ones) & ~backslashes
        let controlHits = (word &- ones &* 0x20) & ~word
        return (quoteHits | backslashHits | controlHits) & highs
    }

    private func controlCharacterError(_ byte: UInt8, at offset: Int) -> JSONParseError {
        error("unescaped control character \(Self.describe(byte)) in string", at: offset)
    }

    private mutating func parseEscapedString(
        from start: Int, firstEscape: Int, highBits: UInt64
    ) throws(JSONParseError) -> String {
        var output = workspace.scratch
        workspace.scratch = []
        output.removeAll(keepingCapacity: true)
        output.append(contentsOf: UnsafeBufferPointer(start: bytes + start, count: firstEscape &- start))
        var highBits = highBits
        var index = firstEscape
        while true {
            guard index < count else { throw endError("unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw controlCharacterError(byte, at: index) }
            if byte != UInt8(ascii: "\\") {
                highBits |= UInt64(byte)
                output.append(byte)
                index &+= 1
                continue
            }
            guard index &+ 1 < count else { throw endError("unterminated escape sequence") }
            let escaped = bytes[index &+ 1]
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escaped)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                let scalar = try parseUnicodeEscape(at: index)
                index &+= scalar.value > 0xFFFF ? 12 : 6
                Self.appendUTF8(scalar, to: &output)
                continue
            default:
                throw error("invalid escape sequence '\\\(Character(Unicode.Scalar(escaped)))'", at: index)
            }
            index &+= 2
        }
        if highBits & 0x8080_8080_8080_8080 != 0 {
            try validateUTF8(from: start, to: index)
        }
        position = index &+ 1
        let string = output.withUnsafeBufferPointer { decoded in
            let (head, tail) = Self.edgeWords(decoded.baseAddress!, count: decoded.count, canReadEightBytes: false)
            lastFingerprint = Self.fingerprint(head: head, tail: tail, count: decoded.count)
            return Self.makeString(decoded.baseAddress!, count: decoded.count)
        }
        workspace.scratch = output
        return string
    }

    /// Decodes `\uXXXX` (and its low-surrogate partner) at `offset`.
    private mutating func parseUnicodeEscape(at offset: Int) throws(JSONParseError) -> Unicode.Scalar {
        let high = try hexQuad(at: offset &+ 2, escapeAt: offset)
        switch high {
        case 0xD800...0xDBFF:
            guard offset &+ 6 < count else { throw endError("unterminated string") }
            guard bytes[offset &+ 6] == UInt8(ascii: "\\") else {
                throw error("unpaired high surrogate \\u\(Self.hex(high)) in string", at: offset)
            }
            guard offset &+ 7 < count else { throw endError("unterminated escape sequence") }
            guard bytes[offset &+ 7] == UInt8(ascii: "u") else {
                throw error("unpaired high surrogate \\u\(Self.hex(high)) in string", at: offset)
            }
            let low = try hexQuad(at: offset &+ 8, escapeAt: offset &+ 6)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error("unpaired high surrogate \\u\(Self.hex(high)) in string", at: offset)
            }
            return Unicode.Scalar(0x10000 &+ ((high &- 0xD800) << 10) &+ (low &- 0xDC00))!
        case 0xDC00...0xDFFF:
            throw error("unpaired low surrogate \\u\(Self.hex(high)) in string", at: offset)
        default:
            return Unicode.Scalar(high)!
        }
    }

    private mutating func hexQuad(at offset: Int, escapeAt: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for index in offset..<(offset &+ 4) {
            guard index < count else { throw endError("unterminated escape sequence") }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: throw error("invalid \\u escape, expected 4 hexadecimal digits", at: escapeAt)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func appendUTF8(_ scalar: Unicode.Scalar, to output: inout [UInt8]) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            output.append(UInt8(value))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | value >> 6))
            output.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | value >> 12))
            output.append(UInt8(0x80 | value >> 6 & 0x3F))
            output.append(UInt8(0x80 | value & 0x3F))
        default:
            output.append(UInt8(0xF0 | value >> 18))
            output.append(UInt8(0x80 | value >> 12 & 0x3F))
            output.append(UInt8(0x80 | value >> 6 & 0x3F))
            output.append(UInt8(0x80 | value & 0x3F))
        }
    }

    /// Checks that `bytes[start..<end]` is well-formed UTF-8 (RFC 3629: no overlong forms,
    /// no surrogates, nothing above U+10FFFF).
    private func validateUTF8(from start: Int, to end: Int) throws(JSONParseError) {
        if let bad = Self.firstInvalidUTF8(bytes + start, count: end &- start) {
            throw error("invalid UTF-8 \(Self.describe(bytes[start &+ bad])) in string", at: start &+ bad)
        }
    }

    /// The index of the first byte that starts an ill-formed UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int? {
        var index = 0
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index &+= 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return index
            }
            guard index &+ length <= count else { return index }
            let second = bytes[index &+ 1]
            guard second >= lower, second <= upper else { return index }
            var next = 2
            while next < length {
                guard bytes[index &+ next] & 0xC0 == 0x80 else { return index }
                next &+= 1
            }
            index &+= length
        }
        return nil
    }

    // MARK: Numbers

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    private mutating func parseNumber() throws(JSONParseError) -> JSON {
        let start = position
        var index = position
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index &+= 1 }
        guard index < count else { throw endError("expected a digit after '-'") }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var droppedDigits = false
        var byte = bytes[index]
        if byte == UInt8(ascii: "0") {
            index &+= 1
            if index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
                throw error("leading zeros are not allowed in numbers", at: start)
            }
        } else if byte &- UInt8(ascii: "0") < 10 {
            while index < count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                } else {
                    droppedDigits = true
                }
                significantDigits &+= 1
                index &+= 1
            }
        } else {
            throw unexpected(byte, at: index, expected: "expected a digit after '-'")
        }
        let integerDigits = significantDigits
        var isInteger = true
        var exponent = 0
        if index < count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index &+= 1
            guard index < count else { throw endError("expected a digit after '.'") }
            guard bytes[index] &- UInt8(ascii: "0") < 10 else {
                throw error("expected a digit after '.'", at: index)
            }
            while index < count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if mantissa == 0 && digit == 0 {
                    exponent &-= 1
                } else if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significantDigits &+= 1
                    exponent &-= 1
                } else {
                    droppedDigits = true
                }
                index &+= 1
            }
        }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index &+= 1
            guard index < count else { throw endError("expected a digit in exponent") }
            byte = bytes[index]
            let negativeExponent = byte == UInt8(ascii: "-")
            if negativeExponent || byte == UInt8(ascii: "+") { index &+= 1 }
            guard index < count else { throw endError("expected a digit in exponent") }
            guard bytes[index] &- UInt8(ascii: "0") < 10 else {
                throw error("expected a digit in exponent", at: index)
            }
            var written = 0
            while index < count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if written < 100_000 { written = written &* 10 &+ Int(digit) }
                index &+= 1
            }
            exponent &+= negativeExponent ? -written : written
        }
        if index == count && allowsPartialInput {
            throw endError("number may continue")
        }
        position = index
        if isInteger && integerDigits <= 19 {
            if negative {
                if mantissa <= UInt64(Int64.max) &+ 1 { return .int(Int64(truncatingIfNeeded: 0 &- mantissa)) }
            } else if mantissa <= UInt64(Int64.max) {
                return .int(Int64(mantissa))
            }
        }
        if !droppedDigits && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 {
                value /= Self.powersOfTen[-exponent]
            } else {
                value *= Self.powersOfTen[exponent]
            }
            return .double(negative ? -value : value)
        }
        if isInteger && droppedDigits == false && exponent == 0 {
            return .double(negative ? -Double(mantissa) : Double(mantissa))
        }
        let text = String(decoding: UnsafeBufferPointer(start: bytes + start, count: index &- start), as: UTF8.self)
        return .double(Double(text) ?? .nan)
    }
}

/// The memory a parser works in: value stacks and string intern tables. One workspace can serve
/// many parsers in turn (pass it on with `parser.workspace`); `deallocate()` frees it once.
struct JSONParserWorkspace {
    /// Elements of the arrays and members of the objects being parsed, innermost last.
    var values = UnsafeStack<JSON>()
    var keys = UnsafeStack<String>()
    var keyFingerprints = UnsafeStack<UInt64>()
    var keyTable = StringInternTable()
    var valueTable = StringInternTable()
    var scratch: [UInt8] = []

    init() {}

    /// Empties the stacks (after a failed parse), keeping their memory.
    mutating func reset() {
        values.removeAll()
        keys.removeAll()
        keyFingerprints.removeAll()
    }

    mutating func deallocate() {
        values.deallocate()
        keys.deallocate()
        keyFingerprints.deallocate()
        keyTable.deallocate()
        valueTable.deallocate()
        scratch = []
    }
}

/// A manually managed stack whose top elements can be moved out into a contiguous array without
/// copying or reference counting.
struct UnsafeStack<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity = 0

    init() {
        base = UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
    }

    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count &+= 1
    }

    private mutating func grow() {
        let newCapacity = max(64, capacity * 2)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if capacity > 0 {
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }

    // Arrays are grown with `reserveCapacity` and `append` rather than created with
    // `init(unsafeUninitializedCapacity:)`, whose allocation is not specialized and looks up
    // generic metadata on every call.

    /// Moves the elements at `first...` out, leaving `first` elements.
    mutating func moveOut(from first: Int) -> ContiguousArray<Element> {
        let moved = count &- first
        var result = ContiguousArray<Element>()
        guard moved > 0 else { return result }
        result.reserveCapacity(moved)
        for index in first..<count { result.append((base + index).move()) }
        count = first
        return result
    }

    /// Moves the elements at `first...` out, leaving `first` elements.
    mutating func moveOutArray(from first: Int) -> [Element] {
        let moved = count &- first
        var result: [Element] = []
        guard moved > 0 else { return result }
        result.reserveCapacity(moved)
        for index in first..<count { result.append((base + index).move()) }
        count = first
        return result
    }

    /// Moves out the element at `index`, leaving its slot uninitialized; pair with `forget`.
    mutating func take(at index: Int) -> Element {
        (base + index).move()
    }

    /// Shrinks to `first` elements without deinitializing the slots above (already moved out).
    mutating func forget(from first: Int) {
        count = first
    }

    /// Removes the elements at `first...` (trivial elements only need no deinitialization).
    mutating func drop(from first: Int) {
        (base + first).deinitialize(count: count &- first)
        count = first
    }

    mutating func removeAll() {
        base.deinitialize(count: count)
        count = 0
    }

    mutating func deallocate() {
        if capacity > 0 {
            base.deinitialize(count: count)
            base.deallocate()
        }
        count = 0
        capacity = 0
    }
}

/// A direct-mapped cache of recently built strings, indexed by fingerprint.
struct StringInternTable {
    private struct Entry {
        var head: UInt64 = 0
        var tail: UInt64 = 0
        var count = -1
        var string = ""
    }

    private static let size = 256
    private var entries: UnsafeMutablePointer<Entry>?

    /// The string of `text`, reused from the table when it was built before.
    @inline(__always)
    mutating func string(
        _ text: UnsafePointer<UInt8>, count: Int, head: UInt64, tail: UInt64, fingerprint: UInt64
    ) -> String {
        let table: UnsafeMutablePointer<Entry>
        if let entries {
            table = entries
        } else {
            table = .allocate(capacity: Self.size)
            table.initialize(repeating: Entry(), count: Self.size)
            entries = table
        }
        let entry = table + Int(truncatingIfNeeded: fingerprint &>> 56)
        if entry.pointee.count == count && entry.pointee.head == head && entry.pointee.tail == tail
            && (count <= 16 || Self.string(entry.pointee.string, matches: text, count: count))
        {
            return entry.pointee.string
        }
        let string = JSONByteParser.makeString(text, count: count)
        entry.pointee = Entry(head: head, tail: tail, count: count, string: string)
        return string
    }

    private static func string(_ string: String, matches text: UnsafePointer<UInt8>, count: Int) -> Bool {
        string.utf8.withContiguousStorageIfAvailable { stored in
            var index = 0
            let raw = UnsafeRawPointer(stored.baseAddress!)
            let other = UnsafeRawPointer(text)
            while index &+ 8 <= count {
                if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    != other.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                {
                    return false
                }
                index &+= 8
            }
            while index < count {
                if stored[index] != text[index] { return false }
                index &+= 1
            }
            return true
        } ?? false
    }

    mutating func deallocate() {
        guard let entries else { return }
        entries.deinitialize(count: Self.size)
        entries.deallocate()
        self.entries = nil
    }
}
