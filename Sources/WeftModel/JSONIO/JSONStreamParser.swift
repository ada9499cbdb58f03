/// Parses many JSON texts one after another (the lines of an NDJSON file, the items of a spill
/// file), keeping its working memory and string tables between them. Not thread-safe.
public final class JSONStreamParser {
    private var workspace = JSONParserWorkspace()

    public init() {}

    deinit { workspace.deallocate() }

    /// Parses one JSON text; see `JSON.parse(_: UnsafeRawBufferPointer)`.
    public func parse(_ buffer: UnsafeRawBufferPointer) throws(JSONParseError) -> JSON {
        try JSON.parse(buffer, workspace: &workspace)
    }
}
