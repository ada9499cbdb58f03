import WeftModel

/// RFC 4180 comma-separated values, read into items and written from rows.
enum CSV {
    /// A CSV text that cannot be read, with the 1-based line where the problem is.
    struct ReadError: Error, Equatable, CustomStringConvertible {
        var message: String
        var line: Int
        var description: String { "line \(line): \(message)" }
    }

    /// The items of a CSV text whose first record is the header.
    ///
    /// Each later record becomes an object whose keys are the header's fields, in header order, and
    /// whose values are the record's fields as strings. Fields may be quoted (`"a, b"`), quotes inside
    /// them doubled (`""`), and quoted fields may span lines; records end with CRLF, LF or CR. A UTF-8
    /// byte-order mark is skipped and blank lines are ignored. A record shorter than the header gets
    /// empty strings for its missing fields.
    /// - Throws: `ReadError` for an unterminated quoted field, text after a closing quote, a record
    ///   longer than the header, or a header naming a column twice.
    static func items(from bytes: [UInt8]) throws(ReadError) -> [JSON] {
        var header: [String]?
        var items: [JSON] = []
        try forEachRecord(bytes) { (fields, line) throws(ReadError) in
            guard let keys = header else {
                var seen = Set<String>()
                for name in fields where !seen.insert(name).inserted {
                    throw ReadError(message: "the header names column \"\(name)\" twice", line: line)
                }
                header = fields
                return
            }
            guard fields.count <= keys.count else {
                throw ReadError(message: "the record has \(fields.count) fields but the header has \(keys.count)", line: line)
            }
            var object = JSONObject(minimumCapacity: keys.count)
            for (index, key) in keys.enumerated() {
                object[key] = .string(index < fields.count ? fields[index] : "")
            }
            items.append(.object(object))
        }
        return items
    }

    /// Calls `body` with the fields of each non-blank record and the line the record starts on.
    static func forEachRecord(
        _ bytes: [UInt8], _ body: ([String], Int) throws(ReadError) -> Void
    ) throws(ReadError) {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        let n = bytes.count
        var i = 0
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        var line = 1
        var recordLine = 1
        var fields: [String] = []
        while true {
            if i < n, bytes[i] == quote {
                let openLine = line
                i += 1
                var field: [UInt8] = []
                while true {
                    guard i < n else {
                        throw ReadError(message: "a quoted field is not closed", line: openLine)
                    }
                    let byte = bytes[i]
                    if byte == quote {
                        if i + 1 < n, bytes[i + 1] == quote {
                            field.append(quote)
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    if byte == lf || (byte == cr && !(i + 1 < n && bytes[i + 1] == lf)) { line += 1 }
                    field.append(byte)
                    i += 1
                }
                if i < n, bytes[i] != comma, bytes[i] != cr, bytes[i] != lf {
                    throw ReadError(message: "unexpected text after the closing quote of a field", line: line)
                }
                fields.append(String(decoding: field, as: UTF8.self))
            } else {
                let start = i
                while i < n, bytes[i] != comma, bytes[i] != cr, bytes[i] != lf { i += 1 }
                fields.append(String(decoding: bytes[start..<i], as: UTF8.self))
            }
            if i < n, bytes[i] == comma {
                i += 1
                continue
            }
            if i < n, bytes[i] == cr {
                i += 1
                if i < n, bytes[i] == lf { i += 1 }
            } else if i < n, bytes[i] == lf {
                i += 1
            }
            if !(fields.count == 1 && fields[0].isEmpty) {
                try body(fields, recordLine)
            }
            fields.removeAll(keepingCapacity: true)
            line += 1
            recordLine = line
            if i >= n { break }
        }
    }

    /// Builds RFC 4180 text record by record: fields are quoted when they hold a comma, a quote,
    /// CR or LF (quotes doubled), and every record ends with CRLF.
    struct Writer {
        private(set) var bytes: [UInt8] = []
        private var fieldsInRecord = 0

        init() {}

        /// Appends one field to the current record.
        mutating func write(field text: String) {
            if fieldsInRecord > 0 { bytes.append(UInt8(ascii: ",")) }
            fieldsInRecord += 1
            let utf8 = text.utf8
            let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
            guard needsQuotes else {
                bytes.append(contentsOf: utf8)
                return
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in utf8 {
                if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }

        /// Ends the current record with CRLF.
        mutating func endRecord() {
            bytes.append(0x0D)
            bytes.append(0x0A)
            fieldsInRecord = 0
        }

        /// Appends a whole record.
        mutating func write<S: Sequence>(record fields: S) where S.Element == String {
            for field in fields { write(field: field) }
            endRecord()
        }
    }
}
