import Foundation
import WeftModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One step of the path to the array that holds a body's items.
public enum BodyPathStep: Sendable, Equatable {
    case name(String)
    case index(Int)
}

/// Where the items of a body saved to a file are.
public enum BodyItemLayout: Sendable, Equatable {
    /// The elements of the array at these steps from the top (no steps: the top-level array). A
    /// `null` there means no items.
    case array(at: [BodyPathStep])
    /// One JSON value per non-blank line.
    case ndjson
    /// The whole document is one item (read whole into memory).
    case document

    /// The steps of a path to an array written as a JSONPath of names and indexes, optionally ending
    /// in `[*]`: `$`, `$.data.items`, `data.items[*]`, `$['result'][0].rows`.
    /// - Throws: `HTTPRequestError` (`.invalidParameter`) for anything else.
    public static func steps(_ text: String) throws -> [BodyPathStep] {
        let invalid = HTTPRequestError(.invalidParameter, "path \"\(text)\" must be a JSONPath of names and indexes such as $.data.items")
        var scalars = Array(text.trimmingCharacters(in: .whitespaces).unicodeScalars)
        if scalars.first == "$" { scalars.removeFirst() } else if let first = scalars.first, first != "." && first != "[" {
            scalars.insert(".", at: 0)
        }
        if scalars.suffix(3) == ["[", "*", "]"] { scalars.removeLast(3) }
        if scalars.suffix(2) == [".", "*"] { scalars.removeLast(2) }
        var steps: [BodyPathStep] = []
        var index = 0
        func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "_" || scalar == "-" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar.value > 0x7F
        }
        while index < scalars.count {
            if scalars[index] == "." {
                index += 1
                let begin = index
                while index < scalars.count, isNameScalar(scalars[index]) { index += 1 }
                guard index > begin else { throw invalid }
                steps.append(.name(String(String.UnicodeScalarView(scalars[begin..<index]))))
            } else if scalars[index] == "[" {
                index += 1
                guard index < scalars.count else { throw invalid }
                if scalars[index] == "'" || scalars[index] == "\"" {
                    let quote = scalars[index]
                    index += 1
                    var name = String.UnicodeScalarView()
                    while index < scalars.count, scalars[index] != quote {
                        if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                        name.append(scalars[index])
                        index += 1
                    }
                    guard index + 1 < scalars.count, scalars[index + 1] == "]" else { throw invalid }
                    steps.append(.name(String(name)))
                    index += 2
                } else {
                    let begin = index
                    while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
                    guard index > begin, index < scalars.count, scalars[index] == "]",
                          let number = Int(String(String.UnicodeScalarView(scalars[begin..<index]))) else { throw invalid }
                    steps.append(.index(number))
                    index += 1
                }
            } else {
                throw invalid
            }
        }
        return steps
    }

    /// The layout of the file at `file` for `format` `auto`: the array at `path` when one is given;
    /// otherwise a top-level array, NDJSON (the first value ends on the first line and more
    /// follows), or one document.
    public static func detect(file: String, path: String?) throws -> BodyItemLayout {
        if let path, !path.isEmpty { return .array(at: try steps(path)) }
        var source = try ByteSource(path: file)
        guard let first = try source.nextNonWhitespace() else { return .array(at: []) }
        if first == UInt8(ascii: "[") { return .array(at: []) }
        let end = try source.valueEnd()
        let spansLines = source.contains(0x0A, in: source.start..<end)
        source.start = end
        if !spansLines, try source.nextNonWhitespace() != nil { return .ndjson }
        return .document
    }
}

/// A body saved to a file, read as items without loading the file; the file is deleted when the
/// last reference goes away (unless `keepsFile`).
public final class BodyItemFile: Sendable {
    public let path: String
    public let layout: BodyItemLayout
    public let keepsFile: Bool

    public init(path: String, layout: BodyItemLayout, keepsFile: Bool = false) {
        self.path = path
        self.layout = layout
        self.keepsFile = keepsFile
    }

    deinit { if !keepsFile { unlink(path) } }

    /// A new pass over the items.
    /// - Throws: `JSONFileError` when the file cannot be opened.
    public func makeReader() throws -> BodyItemReader {
        try BodyItemReader(file: self)
    }

    /// The number of items, from one pass that finds item boundaries without building the items.
    /// - Throws: `JSONFileError` when the file cannot be read, `JSONParseError` when its structure is broken.
    public func countItems() throws -> Int {
        switch layout {
        case .document:
            return 1
        case .ndjson:
            var source = try ByteSource(path: path)
            return try source.countNonBlankLines()
        case .array(let steps):
            var source = try ByteSource(path: path)
            guard try source.enterArray(steps) else { return 0 }
            var count = 0
            while try source.nextElementStart() {
                source.start = try source.valueEnd()
                count += 1
            }
            return count
        }
    }
}

/// One pass over the items of a `BodyItemFile`, holding about one chunk of the file (or one item,
/// if larger) in memory.
public struct BodyItemReader {
    public let file: BodyItemFile
    private var source: ByteSource?
    private var lines: NDJSONFileReader?
    private var entered = false
    private var done = false
    private let parser = JSONStreamParser()
    private var index = 0

    init(file: BodyItemFile) throws {
        self.file = file
        switch file.layout {
        case .array: source = try ByteSource(path: file.path)
        case .ndjson: lines = try NDJSONFileReader(path: file.path)
        case .document: break
        }
    }

    /// The next item, or `nil` after the last.
    /// - Throws: `JSONParseError` (with the item's index in its message) or `JSONFileError`.
    public mutating func next() throws -> JSON? {
        if done { return nil }
        switch file.layout {
        case .ndjson:
            guard let item = try lines!.next() else {
                done = true
                return nil
            }
            return item
        case .document:
            done = true
            return try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: file.path))))
        case .array(let steps):
            if !entered {
                entered = true
                guard try source!.enterArray(steps) else {
                    done = true
                    return nil
                }
            }
            guard try source!.nextElementStart() else {
                done = true
                return nil
            }
            let end = try source!.valueEnd()
            let range = source!.start..<end
            source!.start = end
            defer { index += 1 }
            do {
                return try source!.buffer.withUnsafeBytes { raw in try parser.parse(UnsafeRawBufferPointer(rebasing: raw[range])) }
            } catch let error as JSONParseError {
                throw JSONParseError(message: "item \(index): \(error.message)", line: 0, column: 0,
                                     offset: source!.fileOffset(of: range.lowerBound))
            }
        }
    }
}

/// A file read in chunks, with the scanning a body reader needs: skipping whitespace, finding where
/// a JSON value ends (without parsing it), and walking to the array at a path.
struct ByteSource {
    private let handle: FileDescriptor
    var buffer: [UInt8] = []
    /// Index in `buffer` of the first byte not yet consumed; bytes before it may be dropped.
    var start = 0
    private var bufferOffset = 0
    private var atEnd = false
    /// Set once the array's closing bracket was read.
    var finished = false
    private var inArray = false
    private var afterElement = false

    static let chunkSize = 1 << 20

    init(path: String) throws {
        handle = try FileDescriptor(path: path)
        buffer.reserveCapacity(Self.chunkSize)
    }

    func fileOffset(of index: Int) -> Int { bufferOffset + index }

    func contains(_ byte: UInt8, in range: Range<Int>) -> Bool { buffer[range].contains(byte) }

    /// Drops consumed bytes and appends at least a chunk; false at the end of the file.
    private mutating func fill() throws -> Bool {
        if atEnd { return false }
        if start > 0 {
            buffer.removeSubrange(0..<start)
            bufferOffset += start
            start = 0
        }
        let received = try handle.read(upTo: max(Self.chunkSize, buffer.count), appendingTo: &buffer)
        if received == 0 { atEnd = true }
        return received > 0
    }

    /// The byte at `start` after skipping whitespace, or nil at the end of the file.
    mutating func nextNonWhitespace() throws -> UInt8? {
        while true {
            while start < buffer.count {
                let byte = buffer[start]
                if byte != 0x20 && byte != 0x0A && byte != 0x0D && byte != 0x09 { return byte }
                start += 1
            }
            guard try fill() else { return nil }
        }
    }

    private func error(_ message: String, at index: Int? = nil) -> JSONParseError {
        JSONParseError(message: message, line: 0, column: 0, offset: bufferOffset + (index ?? start))
    }

    /// The index just past the JSON value that starts at `start` (which must not be whitespace),
    /// reading more of the file as needed. Only the structure is checked.
    mutating func valueEnd() throws -> Int {
        if start >= buffer.count { _ = try fill() }
        guard start < buffer.count else { throw error("unexpected end of input, expected a value") }
        let first = buffer[start]
        var index = start + 1
        var depth = 0
        var inString = false
        var escaped = false
        switch first {
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth = 1
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ":"):
            throw error("unexpected character '\(Character(Unicode.Scalar(first)))', expected a value")
        default:
            while true {
                while index < buffer.count {
                    switch buffer[index] {
                    case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x0A, 0x0D, 0x09: return index
                    default: index += 1
                    }
                }
                let offset = index - start
                guard try fill() else { return buffer.count }
                index = start + offset
            }
        }
        while true {
            let found: Int? = buffer.withUnsafeBufferPointer { bytes in
                var i = index
                let count = bytes.count
                while i < count {
                    let byte = bytes[i]
                    if inString {
                        if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 {
                            inString = false
                            if depth == 0 { return i + 1 }
                        }
                    } else if byte == 0x22 {
                        inString = true
                    } else if byte == 0x7B || byte == 0x5B {
                        depth += 1
                    } else if byte == 0x7D || byte == 0x5D {
                        depth -= 1
                        if depth == 0 { return i + 1 }
                    }
                    i += 1
                }
                index = i
                return nil
            }
            if let found { return found }
            let offset = index - start
            guard try fill() else { throw error("unexpected end of input inside a value", at: buffer.count) }
            index = start + offset
        }
    }

    /// Walks from the top of the document to the array at `steps` and enters it; false when the
    /// value there is `null`.
    /// - Throws: `JSONParseError` when a step is missing or the value there is not an array.
    mutating func enterArray(_ steps: [BodyPathStep]) throws -> Bool {
        var walked = "$"
        for step in steps {
            let byte = try nextNonWhitespace()
            switch step {
            case .name(let name):
                guard byte == UInt8(ascii: "{") else { throw error("expected an object at \(walked)") }
                start += 1
                walked += ".\(name)"
                var found = false
                while !found {
                    guard let next = try nextNonWhitespace(), next != UInt8(ascii: "}") else { throw error("the body has nothing at \(walked)") }
                    if next == UInt8(ascii: ",") { start += 1; continue }
                    guard next == UInt8(ascii: "\"") else { throw error("expected a member name in \(walked)") }
                    let end = try valueEnd()
                    let key = try buffer.withUnsafeBytes { raw in try JSON.parse(UnsafeRawBufferPointer(rebasing: raw[start..<end])) }
                    start = end
                    guard try nextNonWhitespace() == UInt8(ascii: ":") else { throw error("expected ':' after a member name") }
                    start += 1
                    if key == .string(name) {
                        found = true
                    } else {
                        guard try nextNonWhitespace() != nil else { throw error("unexpected end of input") }
                        start = try valueEnd()
                    }
                }
            case .index(let position):
                guard byte == UInt8(ascii: "[") else { throw error("expected an array at \(walked)") }
                start += 1
                walked += "[\(position)]"
                for _ in 0..<position {
                    guard let next = try nextNonWhitespace(), next != UInt8(ascii: "]") else { throw error("the body has nothing at \(walked)") }
                    start = try valueEnd()
                    if try nextNonWhitespace() == UInt8(ascii: ",") { start += 1 }
                }
                guard try nextNonWhitespace() != UInt8(ascii: "]") else { throw error("the body has nothing at \(walked)") }
            }
        }
        switch try nextNonWhitespace() {
        case UInt8(ascii: "[")?:
            start += 1
            inArray = true
            return true
        case UInt8(ascii: "n")?:
            return false
        default:
            throw error(steps.isEmpty ? "expected a JSON array at the top of the body" : "expected an array at \(walked)")
        }
    }

    /// Moves to the start of the next element of the entered array; false after its closing bracket.
    mutating func nextElementStart() throws -> Bool {
        guard inArray, !finished else { return false }
        guard var byte = try nextNonWhitespace() else { throw error("unexpected end of input inside the array") }
        if afterElement {
            if byte == UInt8(ascii: "]") { start += 1; finished = true; return false }
            guard byte == UInt8(ascii: ",") else { throw error("expected ',' or ']' after an array element") }
            start += 1
            guard let following = try nextNonWhitespace() else { throw error("unexpected end of input inside the array") }
            byte = following
            if byte == UInt8(ascii: "]") { throw error("trailing comma in array") }
        } else if byte == UInt8(ascii: "]") {
            start += 1
            finished = true
            return false
        }
        afterElement = true
        return true
    }

    /// The number of lines holding something other than whitespace, from `start` to the end.
    mutating func countNonBlankLines() throws -> Int {
        var count = 0
        var lineHasContent = false
        while true {
            buffer.withUnsafeBufferPointer { bytes in
                for index in start..<bytes.count {
                    let byte = bytes[index]
                    if byte == 0x0A {
                        if lineHasContent { count += 1 }
                        lineHasContent = false
                    } else if byte != 0x20 && byte != 0x0D && byte != 0x09 {
                        lineHasContent = true
                    }
                }
            }
            start = buffer.count
            guard try fill() else { break }
        }
        return count + (lineHasContent ? 1 : 0)
    }
}

/// A read-only file descriptor, closed with its last reference.
final class FileDescriptor {
    let path: String
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY)
        if descriptor < 0 { throw JSONFileError(path: path, message: String(cString: strerror(errno))) }
    }

    deinit { close(descriptor) }

    /// Appends up to `count` bytes to `buffer`; 0 at the end of the file.
    func read(upTo count: Int, appendingTo buffer: inout [UInt8]) throws -> Int {
        let old = buffer.count
        buffer.reserveCapacity(old + count)
        var received = 0
        var failure: Int32 = 0
        buffer.append(contentsOf: repeatElement(0, count: count))
        buffer.withUnsafeMutableBytes { raw in
            while true {
                let result = systemRead(descriptor, raw.baseAddress! + old, count)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                } else {
                    received = result
                }
                break
            }
        }
        buffer.removeLast(count - received)
        if failure != 0 { throw JSONFileError(path: path, message: String(cString: strerror(failure))) }
        return received
    }
}

@inline(__always)
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
