import Foundation

/// An XML document as botocore's parsers see it, parsed in one pass into a flat table of elements
/// that point into the document's bytes: each element has a local name (namespace prefix removed),
/// its attributes under their qualified names, its children, and the text before its first child.
///
/// The parser accepts well-formed XML 1.0 in UTF-8 without a document type definition's entities:
/// the five predefined entities and character references are decoded, CDATA sections kept as text,
/// comments and processing instructions skipped, line ends normalised to `\n`. A `<!DOCTYPE>` is
/// skipped; entities it would declare are errors. Text is decoded only when it is asked for.
struct XMLTree {
    /// An element's index in `elements`.
    typealias Element = Int

    struct Record {
        /// The qualified name, and where its local part starts.
        var nameStart: Int32
        var localStart: Int32
        var nameEnd: Int32
        /// The bytes between the name and the end of the start tag.
        var attributesStart: Int32
        var attributesEnd: Int32
        /// The raw content before the first child (or the end tag).
        var textStart: Int32
        var textEnd: Int32
        var firstChild: Int32 = -1
        var nextSibling: Int32 = -1
    }

    let bytes: [UInt8]
    private(set) var records: [Record] = []
    /// The document element.
    let root: Element = 0

    /// An empty element with an empty name, standing for an empty body.
    static let empty = XMLTree(emptyElement: ())

    private init(emptyElement: ()) {
        bytes = []
        records = [Record(nameStart: 0, localStart: 0, nameEnd: 0, attributesStart: 0, attributesEnd: 0, textStart: 0, textEnd: 0)]
    }

    /// Parses a document; throws `XMLTreeError` for malformed XML.
    init(parsing bytes: [UInt8]) throws {
        self.bytes = bytes
        guard bytes.count < Int(Int32.max) else { throw XMLTreeError(message: "document too large") }
        records = try bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(bytes: buffer, expectedElements: max(16, bytes.count / 40))
            try parser.parse()
            return parser.records
        }
    }

    // MARK: reading

    /// The element's local name.
    func name(_ element: Element) -> String {
        let record = records[element]
        return string(Int(record.localStart)..<Int(record.nameEnd))
    }

    /// Whether the element's local name is `name` (UTF-8).
    func hasName(_ element: Element, _ name: [UInt8]) -> Bool {
        let record = records[element]
        let start = Int(record.localStart), count = Int(record.nameEnd) - start
        guard count == name.count else { return false }
        return bytes.withUnsafeBytes { buffer in
            name.withUnsafeBytes { memcmp(buffer.baseAddress! + start, $0.baseAddress!, count) == 0 }
        }
    }

    func hasName(_ element: Element, _ name: String) -> Bool {
        hasName(element, Array(name.utf8))
    }

    /// The children in document order.
    func children(_ element: Element) -> Children { Children(records: records, first: records[element].firstChild) }

    func hasChildren(_ element: Element) -> Bool { records[element].firstChild >= 0 }

    /// The first child named `name`.
    func child(_ element: Element, _ name: String) -> Element? {
        let utf8 = Array(name.utf8)
        for child in children(element) where hasName(child, utf8) { return child }
        return nil
    }

    /// The text before the element's first child, decoded.
    func text(_ element: Element) -> String {
        let record = records[element]
        return decodedText(Int(record.textStart)..<Int(record.textEnd))
    }

    /// The value of the attribute whose qualified name is `name`, decoded.
    func attribute(_ element: Element, _ name: String) -> String? {
        let record = records[element]
        let target = Array(name.utf8)
        var position = Int(record.attributesStart)
        let end = Int(record.attributesEnd)
        while position < end {
            while position < end, Self.isSpace(bytes[position]) { position += 1 }
            let nameStart = position
            while position < end, bytes[position] != UInt8(ascii: "="), !Self.isSpace(bytes[position]) { position += 1 }
            let nameEnd = position
            while position < end, bytes[position] != UInt8(ascii: "\"") && bytes[position] != UInt8(ascii: "'") { position += 1 }
            guard position < end else { return nil }
            let quote = bytes[position]
            let valueStart = position + 1
            position = valueStart
            while position < end, bytes[position] != quote { position += 1 }
            let valueEnd = position
            position += 1
            if nameEnd - nameStart == target.count, bytes[nameStart..<nameEnd].elementsEqual(target) {
                return decodedText(valueStart..<valueEnd, attribute: true)
            }
        }
        return nil
    }

    struct Children: Sequence, IteratorProtocol {
        let records: [Record]
        var cursor: Int32

        init(records: [Record], first: Int32) { self.records = records; cursor = first }

        mutating func next() -> Element? {
            guard cursor >= 0 else { return nil }
            let current = Int(cursor)
            cursor = records[current].nextSibling
            return current
        }
    }

    private func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// Character data from `range`: entities and character references decoded, CDATA sections
    /// taken as they are, comments and processing instructions left out, `\r\n` and `\r` read as
    /// `\n`; in attribute values, tabs and line ends read as spaces.
    private func decodedText(_ range: Range<Int>, attribute: Bool = false) -> String {
        if range.isEmpty { return "" }
        return bytes.withUnsafeBufferPointer { buffer -> String in
            let slice = UnsafeBufferPointer(rebasing: buffer[range])
            if !slice.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == 0x0D || (attribute && ($0 == 0x0A || $0 == 0x09)) }) {
                return String(decoding: slice, as: UTF8.self)
            }
            var out: [UInt8] = []
            out.reserveCapacity(slice.count)
            var i = range.lowerBound
            let end = range.upperBound
            func starts(_ text: StaticString, at index: Int) -> Bool {
                let count = text.utf8CodeUnitCount
                guard index + count <= end else { return false }
                return memcmp(buffer.baseAddress! + index, text.utf8Start, count) == 0
            }
            func lineEnd(at index: inout Int) {
                out.append(attribute ? 0x20 : 0x0A)
                if index + 1 < end, buffer[index + 1] == 0x0A { index += 1 }
            }
            while i < end {
                let byte = buffer[i]
                switch byte {
                case UInt8(ascii: "&"):
                    if let (scalar, length) = XMLTree.entity(buffer, at: i, end: end) {
                        out.append(contentsOf: Array(String(scalar).utf8))
                        i += length
                    } else {
                        out.append(byte)
                        i += 1
                    }
                case UInt8(ascii: "<"):
                    if starts("<![CDATA[", at: i) {
                        var j = i + 9
                        while j < end, !starts("]]>", at: j) {
                            if buffer[j] == 0x0D { lineEnd(at: &j) } else { out.append(buffer[j]) }
                            j += 1
                        }
                        i = j + 3
                    } else if starts("<!--", at: i) {
                        var j = i + 4
                        while j < end, !starts("-->", at: j) { j += 1 }
                        i = j + 3
                    } else if starts("<?", at: i) {
                        var j = i + 2
                        while j < end, !starts("?>", at: j) { j += 1 }
                        i = j + 2
                    } else {
                        out.append(byte)
                        i += 1
                    }
                case 0x0D:
                    lineEnd(at: &i)
                    i += 1
                case 0x0A where attribute, 0x09 where attribute:
                    out.append(0x20)
                    i += 1
                default:
                    out.append(byte)
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The character an entity or character reference at `index` stands for, and its length.
    static func entity(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> (Character, Int)? {
        var semicolon = index + 1
        while semicolon < end, semicolon - index <= 12, buffer[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
        guard semicolon < end, buffer[semicolon] == UInt8(ascii: ";"), semicolon > index + 1 else { return nil }
        let body = buffer[(index + 1)..<semicolon]
        let length = semicolon - index + 1
        if body.first == UInt8(ascii: "#") {
            var digits = body.dropFirst()
            var radix = 10
            if digits.first == UInt8(ascii: "x") {
                radix = 16
                digits = digits.dropFirst()
            }
            guard !digits.isEmpty, let value = UInt32(String(decoding: digits, as: UTF8.self), radix: radix),
                let scalar = Unicode.Scalar(value), value == 0x9 || value == 0xA || value == 0xD || value >= 0x20
            else { return nil }
            return (Character(scalar), length)
        }
        switch String(decoding: body, as: UTF8.self) {
        case "lt": return ("<", length)
        case "gt": return (">", length)
        case "amp": return ("&", length)
        case "quot": return ("\"", length)
        case "apos": return ("'", length)
        default: return nil
        }
    }

    // MARK: parsing

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var records: [Record]
        var position = 0
        /// Open elements, each with its last child so far (-1 before the first).
        var stack: [(element: Int32, lastChild: Int32)] = []

        /// A parser whose record table has room for `expectedElements` elements to begin with (the
        /// table is the parser's own, so that appending never copies a shared buffer).
        init(bytes: UnsafeBufferPointer<UInt8>, expectedElements: Int) {
            self.bytes = bytes
            records = []
            records.reserveCapacity(expectedElements)
        }

        func fail(_ message: String) -> XMLTreeError {
            XMLTreeError(message: "\(message) at byte \(position)")
        }

        func starts(_ text: StaticString, at index: Int) -> Bool {
            let count = text.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            return memcmp(bytes.baseAddress! + index, text.utf8Start, count) == 0
        }

        /// Moves past the next occurrence of `terminator`.
        mutating func skip(past terminator: StaticString, what: String) throws {
            while position < bytes.count {
                if bytes[position] == terminator.utf8Start.pointee, starts(terminator, at: position) {
                    position += terminator.utf8CodeUnitCount
                    return
                }
                position += 1
            }
            throw fail("unterminated \(what)")
        }

        mutating func parse() throws {
            if starts("\u{FEFF}", at: 0) { position = 3 }
            var sawRoot = false
            while position < bytes.count {
                let byte = bytes[position]
                if byte != UInt8(ascii: "<") {
                    if stack.isEmpty {
                        guard isSpace(byte) else { throw fail(sawRoot ? "extra content after the document element" : "text before the document element") }
                        position += 1
                    } else {
                        try text()
                    }
                    continue
                }
                if starts("<?", at: position) {
                    try skip(past: "?>", what: "processing instruction")
                } else if starts("<!--", at: position) {
                    position += 4
                    try skip(past: "-->", what: "comment")
                } else if starts("<![CDATA[", at: position) {
                    guard !stack.isEmpty else { throw fail("CDATA outside the document element") }
                    try skip(past: "]]>", what: "CDATA section")
                } else if starts("<!DOCTYPE", at: position) {
                    guard !sawRoot else { throw fail("DOCTYPE after the document element") }
                    try doctype()
                } else if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "/") {
                    try endTag()
                } else {
                    if stack.isEmpty, sawRoot { throw fail("extra content after the document element") }
                    try startTag()
                    sawRoot = true
                }
            }
            guard sawRoot else { throw fail("no document element") }
            guard stack.isEmpty else { throw fail("unclosed element") }
        }

        func isSpace(_ byte: UInt8) -> Bool { XMLTree.isSpace(byte) }

        func isNameByte(_ byte: UInt8) -> Bool {
            !(isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "=")
                || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'"))
        }

        /// Character data up to the next `<`; checks its entity references.
        mutating func text() throws {
            let end = bytes.count
            while position < end {
                let byte = bytes[position]
                if byte == UInt8(ascii: "<") { return }
                if byte == UInt8(ascii: "&") {
                    guard let (_, length) = XMLTree.entity(bytes, at: position, end: end) else { throw fail("undefined or malformed entity") }
                    position += length
                    continue
                }
                position += 1
            }
        }

        mutating func doctype() throws {
            position += 9
            var depth = 0
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "]"): depth -= 1
                case UInt8(ascii: ">") where depth <= 0:
                    position += 1
                    return
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    let quote = bytes[position]
                    position += 1
                    while position < bytes.count, bytes[position] != quote { position += 1 }
                default: break
                }
                position += 1
            }
            throw fail("unterminated DOCTYPE")
        }

        mutating func startTag() throws {
            let tagStart = position
            position += 1
            let nameStart = position
            var localStart = position
            while position < bytes.count, isNameByte(bytes[position]) {
                if bytes[position] == UInt8(ascii: ":") { localStart = position + 1 }
                position += 1
            }
            let nameEnd = position
            guard nameEnd > nameStart, localStart < nameEnd else { throw fail("malformed start tag") }
            let attributesStart = position
            var selfClosing = false
            while true {
                while position < bytes.count, isSpace(bytes[position]) { position += 1 }
                guard position < bytes.count else { throw fail("unterminated start tag") }
                let byte = bytes[position]
                if byte == UInt8(ascii: ">") { break }
                if byte == UInt8(ascii: "/") {
                    guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ">") else { throw fail("malformed start tag") }
                    selfClosing = true
                    break
                }
                guard position > attributesStart, isSpace(bytes[position - 1]) else { throw fail("malformed attribute") }
                let attributeName = position
                while position < bytes.count, isNameByte(bytes[position]) { position += 1 }
                guard position > attributeName else { throw fail("malformed attribute") }
                while position < bytes.count, isSpace(bytes[position]) { position += 1 }
                guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else { throw fail("attribute without a value") }
                position += 1
                while position < bytes.count, isSpace(bytes[position]) { position += 1 }
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
                    throw fail("unquoted attribute value")
                }
                let quote = bytes[position]
                position += 1
                while position < bytes.count, bytes[position] != quote {
                    if bytes[position] == UInt8(ascii: "<") { throw fail("'<' in an attribute value") }
                    if bytes[position] == UInt8(ascii: "&") {
                        guard let (_, length) = XMLTree.entity(bytes, at: position, end: bytes.count) else { throw fail("undefined or malformed entity") }
                        position += length
                        continue
                    }
                    position += 1
                }
                guard position < bytes.count else { throw fail("unterminated attribute value") }
                position += 1
            }
            let attributesEnd = position
            position += selfClosing ? 2 : 1
            let index = Int32(records.count)
            let contentStart = Int32(position)
            records.append(Record(
                nameStart: Int32(nameStart), localStart: Int32(localStart), nameEnd: Int32(nameEnd),
                attributesStart: Int32(attributesStart), attributesEnd: Int32(attributesEnd),
                textStart: contentStart, textEnd: contentStart))
            if let (parent, last) = stack.last {
                if last < 0 {
                    records[Int(parent)].firstChild = index
                    records[Int(parent)].textEnd = Int32(tagStart)
                } else {
                    records[Int(last)].nextSibling = index
                }
                stack[stack.count - 1].lastChild = index
            }
            if !selfClosing { stack.append((index, -1)) }
        }

        mutating func endTag() throws {
            let tagStart = position
            position += 2
            let nameStart = position
            while position < bytes.count, isNameByte(bytes[position]) { position += 1 }
            let nameEnd = position
            while position < bytes.count, isSpace(bytes[position]) { position += 1 }
            guard position < bytes.count, bytes[position] == UInt8(ascii: ">") else { throw fail("malformed end tag") }
            position += 1
            guard let open = stack.popLast()?.element else { throw fail("end tag without a start tag") }
            let record = records[Int(open)]
            let openCount = Int(record.nameEnd - record.nameStart)
            guard nameEnd - nameStart == openCount,
                memcmp(bytes.baseAddress! + nameStart, bytes.baseAddress! + Int(record.nameStart), openCount) == 0
            else { throw fail("end tag does not match its start tag") }
            if record.firstChild < 0 { records[Int(open)].textEnd = Int32(tagStart) }
        }
    }
}

struct XMLTreeError: Error, CustomStringConvertible {
    var message: String
    var description: String { "invalid XML: \(message)" }
}
