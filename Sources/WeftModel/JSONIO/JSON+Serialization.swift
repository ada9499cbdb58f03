extension JSON {
    /// The JSON text of this value.
    ///
    /// Compact output has no whitespace; pretty output indents by two spaces and writes `": "`
    /// between keys and values. Object keys keep their order. Doubles use the shortest form that
    /// reads back to the same value (integral doubles keep a `.0`); NaN and infinities, which JSON
    /// cannot express, are written as `null`. Strings escape `"`, `\` and control characters only.
    public func serialized(pretty: Bool = false) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(128)
        write(to: &buffer, pretty: pretty)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends the UTF-8 JSON text of this value to `buffer`; see `serialized(pretty:)`.
    public func write(to buffer: inout [UInt8], pretty: Bool = false) {
        var writer = JSONWriter(bytes: buffer)
        buffer = []
        if pretty {
            writer.writePretty(self, indent: 0)
        } else {
            writer.writeCompact(self)
        }
        buffer = writer.bytes
    }
}

struct JSONWriter {
    var bytes: [UInt8]

    mutating func writeCompact(_ value: JSON) {
        switch value {
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeCompact(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in object {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeString(key)
                bytes.append(UInt8(ascii: ":"))
                writeCompact(member)
            }
            bytes.append(UInt8(ascii: "}"))
        default:
            writeScalar(value)
        }
    }

    mutating func writePretty(_ value: JSON, indent: Int) {
        switch value {
        case .array(let elements):
            if elements.isEmpty {
                append("[]")
                return
            }
            bytes.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                newline(indent: indent + 1)
                writePretty(element, indent: indent + 1)
            }
            newline(indent: indent)
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            if object.isEmpty {
                append("{}")
                return
            }
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in object {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                newline(indent: indent + 1)
                writeString(key)
                append(": ")
                writePretty(member, indent: indent + 1)
            }
            newline(indent: indent)
            bytes.append(UInt8(ascii: "}"))
        default:
            writeScalar(value)
        }
    }

    private mutating func newline(indent: Int) {
        bytes.append(UInt8(ascii: "\n"))
        for _ in 0..<(indent * 2) { bytes.append(UInt8(ascii: " ")) }
    }

    private mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func writeScalar(_ value: JSON) {
        switch value {
        case .null: append("null")
        case .bool(let flag): flag ? append("true") : append("false")
        case .int(let integer): writeInteger(integer)
        case .double(let number): writeDouble(number)
        case .string(let string): writeString(string)
        case .array, .object: writeCompact(value)
        }
    }

    mutating func writeInteger(_ value: Int64) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = 20
            repeat {
                index -= 1
                digits[index] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index..<20]))
        }
    }

    mutating func writeDouble(_ value: Double) {
        guard value.isFinite else {
            append("null")
            return
        }
        var text = value.description
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { writeEscaped($0) }
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    private mutating func writeEscaped(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = text.count
        while index < count {
            let byte = text[index]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index &+= 1
                continue
            }
            if runStart < index {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index]))
            }
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            default:
                append("u00")
                bytes.append(Self.hexDigits.utf8Start[Int(byte >> 4)])
                bytes.append(Self.hexDigits.utf8Start[Int(byte & 0xF)])
            }
            index &+= 1
            runStart = index
        }
        if runStart < count {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
