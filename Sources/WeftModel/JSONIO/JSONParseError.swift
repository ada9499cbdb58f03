/// A syntax error in a JSON (or YAML) document, with the position where it was found.
///
/// `line` and `column` are 1-based; the column counts Unicode scalars from the start of the line.
/// `offset` is the 0-based byte offset of the error in the input (in the file, for file readers).
public struct JSONParseError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(message: String, line: Int, column: Int, offset: Int) {
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// `line L, column C: message`.
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// Line and column (both 1-based) of byte `offset` in `bytes`; columns count Unicode scalars.
struct TextLocation {
    var line = 1
    var column = 1

    /// Advances over `bytes[0..<count]`.
    mutating func advance(over bytes: UnsafePointer<UInt8>, count: Int) {
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
    }

    static func of(offset: Int, in bytes: UnsafePointer<UInt8>, count: Int) -> TextLocation {
        var location = TextLocation()
        location.advance(over: bytes, count: min(max(offset, 0), count))
        return location
    }
}
