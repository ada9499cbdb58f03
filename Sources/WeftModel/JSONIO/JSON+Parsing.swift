extension JSON {
    /// Parses one RFC 8259 JSON text: a single value, optionally surrounded by whitespace.
    ///
    /// Strict: no comments, trailing commas, leading zeros, single quotes or unescaped control
    /// characters; strings must be valid UTF-8 and `\u` surrogates must pair up. Integers that fit
    /// in `Int64` become `.int`, all other numbers `.double`. A repeated object key keeps its first
    /// position and its last value. Nesting deeper than 512 arrays/objects is an error.
    /// - Throws: `JSONParseError` with the line and column of the first problem.
    public static func parse(_ buffer: UnsafeRawBufferPointer) throws(JSONParseError) -> JSON {
        var workspace = JSONParserWorkspace()
        defer { workspace.deallocate() }
        return try parse(buffer, workspace: &workspace)
    }

    /// `parse(_:)` with working memory that the caller keeps for the next parse; after an error
    /// the workspace is still valid.
    static func parse(
        _ buffer: UnsafeRawBufferPointer, workspace: inout JSONParserWorkspace
    ) throws(JSONParseError) -> JSON {
        var parser = JSONByteParser(buffer, workspace: workspace)
        workspace = JSONParserWorkspace()
        defer {
            workspace = parser.workspace
            workspace.reset()
        }
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.position < parser.count {
            throw parser.error(
                "unexpected character \(JSONByteParser.describe(parser.bytes[parser.position])) after the JSON value",
                at: parser.position)
        }
        return value
    }

    /// Parses a JSON text given as UTF-8 bytes; see `parse(_: UnsafeRawBufferPointer)`.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSON {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) -> JSON in try parse(buffer) }
        }
        return try result.get()
    }

    /// Parses a JSON text; see `parse(_: UnsafeRawBufferPointer)`.
    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> JSON in try parse(UnsafeRawBufferPointer(buffer)) }
        }
        return try result.get()
    }
}
