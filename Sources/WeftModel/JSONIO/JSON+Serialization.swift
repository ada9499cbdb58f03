extension JSON {
    /// The JSON text of this value.
    ///
    /// Compact output has no whitespace; pretty output indents by two spaces and writes `": "`
    /// between keys and values. Object keys keep their order. Doubles use the shortest form that
    /// reads back to the same value (integral doubles keep a `.0`); NaN and infinities, which JSON
    /// cannot express, are written as `null`. Strings escape `"`, `\` and control characters only.
    public func serialized(pretty: Bool = false) -> String {
        var writer = JSONWriter()
        defer { writer.deallocate() }
        writer.write(self, pretty: pretty)
        return writer.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends the UTF-8 JSON text of this value to `buffer`; see `serialized(pretty:)`. Pretty text
    /// is written as if nested `indent` levels deep: every line after the first is indented by
    /// `indent` more levels, so a value can go straight into an enclosing pretty array or object.
    public func write(to buffer: inout [UInt8], pretty: Bool = false, indent: Int = 0) {
        var writer = JSONWriter()
        defer { writer.deallocate() }
        writer.write(self, pretty: pretty, indent: indent)
        writer.withBytes { buffer.append(contentsOf: $0) }
    }
}

/// Writes JSON text into a growable buffer that it owns; call `deallocate()` when done.
struct JSONWriter {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    mutating func deallocate() {
        base.deallocate()
        capacity = 0
        count = 0
    }

    /// Calls `body` with the bytes written so far.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        body(UnsafeBufferPointer(start: base, count: count))
    }

    mutating func write(_ value: JSON, pretty: Bool, indent: Int = 0) {
        if pretty {
            writePretty(value, indent: indent)
        } else {
            writeCompact(value)
        }
    }

    // MARK: Buffer

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count &+ extra > capacity { grow(extra) }
    }

    private mutating func grow(_ extra: Int) {
        var newCapacity = capacity * 2
        while newCapacity < count + extra { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafePointer<UInt8>, count length: Int) {
        reserve(length)
        (base + count).update(from: bytes, count: length)
        count &+= length
    }

    @inline(__always)
    private mutating func append(_ text: StaticString) {
        append(text.utf8Start, count: text.utf8CodeUnitCount)
    }

    // MARK: Values

    private mutating func writeCompact(_ value: JSON) {
        switch value {
        case .array(let elements):
            append(UInt8(ascii: "["))
            elements.withUnsafeBufferPointer { elements in
                for index in elements.indices {
                    if index > 0 { append(UInt8(ascii: ",")) }
                    writeCompact(elements[index])
                }
            }
            append(UInt8(ascii: "]"))
        case .object(let object):
            append(UInt8(ascii: "{"))
            object.keys.elements.withUnsafeBufferPointer { keys in
                object.values.elements.withUnsafeBufferPointer { values in
                    for index in keys.indices {
                        if index > 0 { append(UInt8(ascii: ",")) }
                        writeString(keys[index])
                        append(UInt8(ascii: ":"))
                        writeCompact(values[index])
                    }
                }
            }
            append(UInt8(ascii: "}"))
        default:
            writeScalar(value)
        }
    }

    private mutating func writePretty(_ value: JSON, indent: Int) {
        switch value {
        case .array(let elements):
            if elements.isEmpty {
                append("[]")
                return
            }
            append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { append(UInt8(ascii: ",")) }
                newline(indent: indent + 1)
                writePretty(element, indent: indent + 1)
            }
            newline(indent: indent)
            append(UInt8(ascii: "]"))
        case .object(let object):
            if object.isEmpty {
                append("{}")
                return
            }
            append(UInt8(ascii: "{"))
            for (index, member) in object.enumerated() {
                if index > 0 { append(UInt8(ascii: ",")) }
                newline(indent: indent + 1)
                writeString(member.key)
                append(": ")
                writePretty(member.value, indent: indent + 1)
            }
            newline(indent: indent)
            append(UInt8(ascii: "}"))
        default:
            writeScalar(value)
        }
    }

    private mutating func newline(indent: Int) {
        let width = indent * 2
        reserve(width + 1)
        base[count] = UInt8(ascii: "\n")
        (base + count + 1).initialize(repeating: UInt8(ascii: " "), count: width)
        count += width + 1
    }

    private mutating func writeScalar(_ value: JSON) {
        switch value {
        case .null: append("null")
        case .bool(let flag): flag ? append("true") : append("false")
        case .int(let integer): writeInteger(integer)
        case .double(let number): writeDouble(number)
        case .string(let string): writeString(string)
        case .array, .object: writeCompact(value)
        }
    }

    private mutating func writeInteger(_ value: Int64) {
        if value >= 0 && value < 10 {
            append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        reserve(20)
        var magnitude = value.magnitude
        var digits = 0
        var reversed = magnitude
        repeat {
            digits &+= 1
            reversed /= 10
        } while reversed != 0
        if value < 0 {
            base[count] = UInt8(ascii: "-")
            count &+= 1
        }
        var index = count &+ digits
        repeat {
            index &-= 1
            base[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude != 0
        count &+= digits
    }

    private mutating func writeDouble(_ value: Double) {
        guard value.isFinite else {
            append("null")
            return
        }
        var text = value.description
        text.withUTF8 { append($0.baseAddress!, count: $0.count) }
    }

    private mutating func writeString(_ string: String) {
        let written: Void? = string.utf8.withContiguousStorageIfAvailable { writeEscaped($0) }
        if written == nil {
            var contiguous = string
            contiguous.makeContiguousUTF8()
            contiguous.utf8.withContiguousStorageIfAvailable { writeEscaped($0) }
        }
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    /// Copies eight bytes at a time while none of them needs escaping; capacity is kept at
    /// least ten bytes beyond the unwritten rest of the text, so whole words can be stored.
    private mutating func writeEscaped(_ text: UnsafeBufferPointer<UInt8>) {
        let length = text.count
        reserve(length &+ 10)
        base[count] = UInt8(ascii: "\"")
        count &+= 1
        if let start = text.baseAddress {
            var index = 0
            while index &+ 8 <= length {
                let word = UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self)
                UnsafeMutableRawPointer(base + count).storeBytes(of: word, as: UInt64.self)
                let special = JSONByteParser.specialBytes(in: UInt64(littleEndian: word))
                if special == 0 {
                    index &+= 8
                    count &+= 8
                    continue
                }
                let clean = special.trailingZeroBitCount >> 3
                index &+= clean
                count &+= clean
                writeEscape(start[index])
                index &+= 1
                reserve(length &- index &+ 10)
            }
            while index < length {
                let byte = start[index]
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    writeEscape(byte)
                    reserve(length &- index &+ 10)
                } else {
                    base[count] = byte
                    count &+= 1
                }
                index &+= 1
            }
        }
        base[count] = UInt8(ascii: "\"")
        count &+= 1
    }

    private mutating func writeEscape(_ byte: UInt8) {
        reserve(6)
        base[count] = UInt8(ascii: "\\")
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            base[count &+ 1] = byte
            count &+= 2
        case 0x0A: base[count &+ 1] = UInt8(ascii: "n"); count &+= 2
        case 0x0D: base[count &+ 1] = UInt8(ascii: "r"); count &+= 2
        case 0x09: base[count &+ 1] = UInt8(ascii: "t"); count &+= 2
        case 0x08: base[count &+ 1] = UInt8(ascii: "b"); count &+= 2
        case 0x0C: base[count &+ 1] = UInt8(ascii: "f"); count &+= 2
        default:
            base[count &+ 1] = UInt8(ascii: "u")
            base[count &+ 2] = UInt8(ascii: "0")
            base[count &+ 3] = UInt8(ascii: "0")
            base[count &+ 4] = Self.hexDigits.utf8Start[Int(byte >> 4)]
            base[count &+ 5] = Self.hexDigits.utf8Start[Int(byte & 0xF)]
            count &+= 6
        }
    }
}
