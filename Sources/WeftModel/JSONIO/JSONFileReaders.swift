#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file that cannot be opened or read.
public struct JSONFileError: Error, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A read-only file descriptor that reads in chunks and closes itself.
final class JSONInputFile {
    let path: String
    private let descriptor: Int32

    init(path: String) throws(JSONFileError) {
        self.path = path
        descriptor = open(path, O_RDONLY)
        if descriptor < 0 { throw Self.systemError(path) }
    }

    deinit { close(descriptor) }

    private static func systemError(_ path: String) -> JSONFileError {
        JSONFileError(path: path, message: String(cString: strerror(errno)))
    }

    /// Reads until `destination` is full or the file ends; returns how many bytes were read.
    func read(into destination: UnsafeMutableRawBufferPointer) throws(JSONFileError) -> Int {
        guard let base = destination.baseAddress else { return 0 }
        var total = 0
        while total < destination.count {
            let received = systemRead(descriptor, base + total, destination.count - total)
            if received < 0 {
                if errno == EINTR { continue }
                throw Self.systemError(path)
            }
            if received == 0 { break }
            total += received
        }
        return total
    }

    /// Appends up to `count` bytes to `buffer`; returns how many were read, 0 at the end of the file.
    func read(upTo count: Int, appendingTo buffer: inout [UInt8]) throws(JSONFileError) -> Int {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 1)
        defer { chunk.deallocate() }
        let received = try read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[..<count]))
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<received]))
        return received
    }

    /// The whole file.
    static func readAll(path: String) throws(JSONFileError) -> [UInt8] {
        let file = try JSONInputFile(path: path)
        var info = stat()
        let size = fstat(file.descriptor, &info) == 0 ? max(Int(info.st_size), 0) : 0
        var failure: JSONFileError?
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            do throws(JSONFileError) {
                initialized = try file.read(into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        while try file.read(upTo: 1 << 20, appendingTo: &bytes) > 0 {}
        return bytes
    }

    /// The line and column of byte `offset` of the file at `path`, read again from the start.
    static func location(ofOffset offset: Int, inFileAt path: String) -> TextLocation {
        var location = TextLocation()
        guard let file = try? JSONInputFile(path: path) else { return location }
        var consumed = 0
        var chunk: [UInt8] = []
        while consumed < offset {
            chunk.removeAll(keepingCapacity: true)
            guard let received = try? file.read(upTo: min(1 << 20, offset - consumed), appendingTo: &chunk),
                received > 0
            else { break }
            chunk.withUnsafeBufferPointer { location.advance(over: $0.baseAddress!, count: received) }
            consumed += received
        }
        return location
    }
}

/// The open file and parser memory of a file reader, freed with it.
final class JSONFileReadingContext {
    let file: JSONInputFile
    var workspace = JSONParserWorkspace()

    init(path: String) throws(JSONFileError) {
        file = try JSONInputFile(path: path)
    }

    deinit { workspace.deallocate() }
}

@inline(__always)
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// Reads the elements of a file whose top level is one JSON array, one element at a time, holding
/// only about one chunk of the file (or one element, if larger) in memory.
///
/// `next()` returns the elements in order and `nil` after the closing `]`, once it has checked
/// that only whitespace follows. Parse errors are `JSONParseError`s whose line, column and offset
/// are positions in the file; I/O errors are `JSONFileError`s. After an error, `next()` keeps
/// throwing it.
public struct JSONArrayFileReader {
    private enum State {
        case beforeArray, beforeFirstElement, afterElement, finished
    }

    public let path: String
    private let context: JSONFileReadingContext
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    /// Index in `buffer` of the first byte not yet consumed.
    private var start = 0
    /// File offset of `buffer[0]`.
    private var bufferOffset = 0
    private var reachedEndOfFile = false
    private var state = State.beforeArray
    private var failure: (any Error)?

    /// Opens `path`; `chunkSize` is the number of bytes read at a time.
    /// - Throws: `JSONFileError` when the file cannot be opened.
    public init(path: String, chunkSize: Int = 1 << 20) throws {
        self.path = path
        self.chunkSize = max(chunkSize, 16)
        context = try JSONFileReadingContext(path: path)
    }

    /// The next element of the array, or `nil` after the last one.
    public mutating func next() throws -> JSON? {
        if let failure { throw failure }
        do {
            return try advance()
        } catch let error as JSONParseError {
            let location = JSONInputFile.location(ofOffset: error.offset, inFileAt: path)
            let positioned = JSONParseError(
                message: error.message, line: location.line, column: location.column, offset: error.offset)
            failure = positioned
            throw positioned
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func advance() throws -> JSON? {
        while true {
            guard let byte = try nextNonWhitespace() else {
                switch state {
                case .finished: return nil
                case .beforeArray: throw parseError("expected '[' at the start of a JSON array file")
                case .beforeFirstElement: throw parseError("unexpected end of input, expected a value or ']'")
                case .afterElement: throw parseError("unexpected end of input, expected ',' or ']' after array element")
                }
            }
            switch state {
            case .beforeArray:
                guard byte == UInt8(ascii: "[") else {
                    throw parseError("expected '[' at the start of a JSON array file")
                }
                start += 1
                state = .beforeFirstElement
            case .beforeFirstElement:
                if byte == UInt8(ascii: "]") {
                    start += 1
                    state = .finished
                    continue
                }
                return try parseElement()
            case .afterElement:
                if byte == UInt8(ascii: "]") {
                    start += 1
                    state = .finished
                    continue
                }
                guard byte == UInt8(ascii: ",") else {
                    throw parseError("expected ',' or ']' after array element")
                }
                let comma = start
                start += 1
                guard let following = try nextNonWhitespace() else {
                    throw parseError("unexpected end of input, expected a value")
                }
                if following == UInt8(ascii: "]") {
                    start = comma
                    throw parseError("trailing comma in array")
                }
                return try parseElement()
            case .finished:
                throw parseError(
                    "unexpected character \(JSONByteParser.describe(byte)) after the top-level array")
            }
        }
    }

    private func parseError(_ message: String) -> JSONParseError {
        JSONParseError(message: message, line: 0, column: 0, offset: bufferOffset + start)
    }

    /// Skips whitespace, reading more as needed; the byte at `start`, or nil at the end of the file.
    private mutating func nextNonWhitespace() throws -> UInt8? {
        while true {
            while start < buffer.count {
                let byte = buffer[start]
                guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return byte }
                start += 1
            }
            if reachedEndOfFile { return nil }
            try readMore()
        }
    }

    /// Drops consumed bytes and appends at least one chunk (or as much as is buffered, so that
    /// re-parsing a large element stays linear overall).
    private mutating func readMore() throws {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            bufferOffset += start
            start = 0
        }
        let received = try context.file.read(upTo: max(chunkSize, buffer.count), appendingTo: &buffer)
        if received == 0 { reachedEndOfFile = true }
    }

    private mutating func parseElement() throws -> JSON {
        while true {
            let context = context
            let outcome = buffer.withUnsafeBytes { raw in
                var parser = JSONByteParser(
                    UnsafeRawBufferPointer(rebasing: raw[start...]), depth: 1,
                    allowsPartialInput: !reachedEndOfFile, workspace: context.workspace)
                context.workspace = JSONParserWorkspace()
                defer {
                    context.workspace = parser.workspace
                    context.workspace.reset()
                }
                do throws(JSONParseError) {
                    let value = try parser.parseValue()
                    return ElementOutcome.parsed(value, parser.position)
                } catch {
                    return parser.needsMoreInput ? .needsMoreInput : .failed(error)
                }
            }
            switch outcome {
            case .parsed(let value, let length):
                start += length
                state = .afterElement
                return value
            case .needsMoreInput:
                try readMore()
            case .failed(var error):
                error.offset += bufferOffset + start
                throw error
            }
        }
    }

    private enum ElementOutcome {
        case parsed(JSON, Int)
        case needsMoreInput
        case failed(JSONParseError)
    }
}

/// Reads a newline-delimited JSON file (one value per line; blank lines are skipped) one value at a
/// time, holding only about one chunk of the file (or one line, if longer) in memory.
///
/// Parse errors are `JSONParseError`s with the file's line number, the column in that line, and
/// the file offset; I/O errors are `JSONFileError`s. After an error, `next()` keeps throwing it.
public struct NDJSONFileReader {
    public let path: String
    private let context: JSONFileReadingContext
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where to continue looking for the end of the current line.
    private var scanFrom = 0
    private var bufferOffset = 0
    private var reachedEndOfFile = false
    private var lineNumber = 0
    private var failure: (any Error)?

    /// Opens `path`; `chunkSize` is the number of bytes read at a time.
    /// - Throws: `JSONFileError` when the file cannot be opened.
    public init(path: String, chunkSize: Int = 1 << 20) throws {
        self.path = path
        self.chunkSize = max(chunkSize, 16)
        context = try JSONFileReadingContext(path: path)
    }

    /// The value on the next non-blank line, or `nil` at the end of the file.
    public mutating func next() throws -> JSON? {
        if let failure { throw failure }
        do {
            while let line = try nextLine() {
                if let value = try parseLine(line) { return value }
            }
            return nil
        } catch {
            failure = error
            throw error
        }
    }

    /// The range in `buffer` of the next line without its terminator, or nil at the end.
    private mutating func nextLine() throws -> Range<Int>? {
        while true {
            let found = buffer.withUnsafeBufferPointer { bytes -> Int? in
                guard scanFrom < bytes.count,
                    let hit = memchr(bytes.baseAddress! + scanFrom, 0x0A, bytes.count - scanFrom)
                else { return nil }
                return UnsafeRawPointer(bytes.baseAddress!).distance(to: UnsafeRawPointer(hit))
            }
            if let newline = found {
                let line = start..<newline
                start = newline + 1
                scanFrom = start
                lineNumber += 1
                return line
            }
            scanFrom = buffer.count
            if reachedEndOfFile {
                guard start < buffer.count else { return nil }
                let line = start..<buffer.count
                start = buffer.count
                lineNumber += 1
                return line
            }
            if start > 0 {
                buffer.removeSubrange(0..<start)
                bufferOffset += start
                scanFrom -= start
                start = 0
            }
            if try context.file.read(upTo: max(chunkSize, buffer.count), appendingTo: &buffer) == 0 {
                reachedEndOfFile = true
            }
        }
    }

    private func parseLine(_ line: Range<Int>) throws(JSONParseError) -> JSON? {
        let context = context
        let result = buffer.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) -> JSON? in
                try JSON.parseLine(UnsafeRawBufferPointer(rebasing: raw[line]), workspace: &context.workspace)
            }
        }
        do {
            return try result.get()
        } catch {
            var positioned = error
            positioned.line = lineNumber
            positioned.offset += bufferOffset + line.lowerBound
            throw positioned
        }
    }
}

extension JSON {
    /// The items of a JSON or NDJSON file: the elements of a top-level array, the values of an
    /// NDJSON file (one per non-blank line), or the single value of any other document.
    ///
    /// A document is read as NDJSON when its first value ends on its first line and more content
    /// follows it. An empty or blank file has no items.
    /// - Throws: `JSONParseError` (with file positions) or `JSONFileError`.
    public static func readItems(fromFile path: String) throws -> [JSON] {
        let bytes = try JSONInputFile.readAll(path: path)
        return try items(in: bytes)
    }

    /// The items of a JSON or NDJSON document held in memory; see `readItems(fromFile:)`.
    public static func items(in bytes: [UInt8]) throws(JSONParseError) -> [JSON] {
        enum Shape {
            case single(JSON)
            case lines
            case blank
        }
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) -> Shape in
                var parser = JSONByteParser(raw)
                defer { parser.workspace.deallocate() }
                parser.skipWhitespace()
                if parser.position == parser.count { return .blank }
                let first = try parser.parseValue()
                let end = parser.position
                parser.skipWhitespace()
                if parser.position == parser.count { return .single(first) }
                let spansLines = raw[..<end].contains(0x0A)
                if spansLines {
                    throw parser.error(
                        "unexpected character \(JSONByteParser.describe(raw[parser.position])) after the JSON value",
                        at: parser.position)
                }
                return .lines
            }
        }
        switch try result.get() {
        case .blank:
            return []
        case .single(.array(let elements)):
            return elements
        case .single(let value):
            return [value]
        case .lines:
            return try ndjsonValues(in: bytes)
        }
    }

    private static func ndjsonValues(in bytes: [UInt8]) throws(JSONParseError) -> [JSON] {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) -> [JSON] in
                var values: [JSON] = []
                var workspace = JSONParserWorkspace()
                defer { workspace.deallocate() }
                var lineNumber = 0
                var lineStart = 0
                let count = raw.count
                while lineStart < count {
                    let lineEnd =
                        memchr(raw.baseAddress! + lineStart, 0x0A, count - lineStart).map {
                            raw.baseAddress!.distance(to: UnsafeRawPointer($0))
                        } ?? count
                    lineNumber += 1
                    do throws(JSONParseError) {
                        let line = UnsafeRawBufferPointer(rebasing: raw[lineStart..<lineEnd])
                        if let value = try parseLine(line, workspace: &workspace) { values.append(value) }
                    } catch {
                        var positioned = error
                        positioned.line = lineNumber
                        positioned.offset += lineStart
                        throw positioned
                    }
                    lineStart = lineEnd + 1
                }
                return values
            }
        }
        return try result.get()
    }

    /// The value of one NDJSON line (without its `\n`; a final `\r` is ignored), nil when blank.
    static func parseLine(
        _ line: UnsafeRawBufferPointer, workspace: inout JSONParserWorkspace
    ) throws(JSONParseError) -> JSON? {
        var line = line
        if line.last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
        return try parse(line, workspace: &workspace)
    }
}
