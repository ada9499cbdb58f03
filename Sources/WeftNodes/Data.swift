import Foundation
import WeftEngine
import WeftModel

/// `data`: outputs items written inline or read from a file.
///
/// A file is a JSON document (a top-level array gives its elements, any other value one item), NDJSON
/// (one value per line) or CSV (RFC 4180; the header row gives the keys and every value stays a
/// string). The format comes from the extension — `.json`, `.ndjson`/`.jsonl`, `.csv` — or, for
/// other names, from the content: JSON or NDJSON when it starts with `[` or `{`, CSV otherwise.
/// A relative path is resolved against the flow file's directory (the working directory for flows
/// not read from a file).
public enum DataNode: NodeType {
    public struct Parameters: Decodable, Sendable {
        public var items: [JSON]?
        public var file: String?

        private enum CodingKeys: String, CodingKey { case items, file }

        public init(items: [JSON]? = nil, file: String? = nil) {
            self.items = items
            self.file = file
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            items = try container.decodeIfPresent([JSON].self, forKey: .items)
            file = try container.decodeIfPresent(String.self, forKey: .file)
        }
    }

    public static let description = NodeDescription(
        type: "data",
        displayName: "Data",
        group: .general,
        summary: "Outputs items written in the flow, or read from a JSON, NDJSON or CSV file.",
        parameters: [
            Parameter("items", .array(of: .any, maxItems: nil),
                      help: "The items, written inline. Give either items or file."),
            Parameter("file", .string,
                      help: "A JSON (array or single value), NDJSON (.ndjson, .jsonl) or CSV (.csv, header row first) file; "
                          + "a relative path is resolved against the flow file's directory. Give either items or file."),
        ],
        example: [
            "items": [
                ["accountId": "123456789012", "owner": "team-db"],
                ["accountId": "210987654321", "owner": "team-web"],
            ],
        ],
        check: { node, _ in
            switch (node.params["items"], node.params["file"]) {
            case (nil, nil): return [ModelIssue(pointer: "", message: "give either items or file")]
            case (_?, _?): return [ModelIssue(pointer: "/file", message: "give either items or file, not both")]
            default: return []
            }
        }
    )

    public static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        switch (parameters.items, parameters.file) {
        case (let items?, nil):
            return NodeResult(main: Items(items))
        case (nil, let file?):
            return NodeResult(main: try read(resolve(file, in: context.flowDirectory), context: context))
        case (nil, nil):
            throw NodeError("give either items or file", code: "invalidParameter")
        case (_?, _?):
            throw NodeError("give either items or file, not both", code: "invalidParameter")
        }
    }

    /// `path` as an absolute path: as is when absolute, else under `directory` (or the working directory).
    static func resolve(_ path: String, in directory: String?) -> String {
        if path.hasPrefix("/") { return path }
        let base = directory ?? FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: base).appendingPathComponent(path).standardizedFileURL.path
    }

    /// The items of the file at `path`. JSON arrays and NDJSON are read one item at a time into an
    /// `ItemsBuilder`, so large files spill to disk instead of filling memory.
    /// - Throws: `NodeError` naming the path when the file is missing, unreadable or not valid
    ///   JSON, NDJSON or CSV (with the line of the problem).
    static func read(_ path: String, context: NodeContext) throws -> Items {
        let format = (path as NSString).pathExtension.lowercased()
        do {
            if format == "json", try firstByte(of: path) == UInt8(ascii: "[") {
                var reader = try JSONArrayFileReader(path: path)
                return try stream(context: context) { try reader.next() }
            }
            if format == "ndjson" || format == "jsonl" {
                var reader = try NDJSONFileReader(path: path)
                return try stream(context: context) { try reader.next() }
            }
        } catch let error as JSONParseError {
            throw NodeError("data file \(path): \(error.description)", code: "invalidData")
        } catch let error as JSONFileError {
            throw NodeError("data file \(error.description)", code: "fileError")
        }
        return Items(try readWhole(path, context: context))
    }

    private static func stream(context: NodeContext, _ next: () throws -> JSON?) throws -> Items {
        var builder = ItemsBuilder()
        while let item = try next() {
            if builder.count % 1_024 == 0 {
                try context.checkCancellation()
                if builder.count % 10_240 == 0, builder.count > 0 { context.progress(done: builder.count, total: nil) }
            }
            builder.append(item)
        }
        return builder.finish()
    }

    /// The first byte that is not whitespace, or nil for an empty file.
    private static func firstByte(of path: String) throws -> UInt8? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        while true {
            let chunk = handle.readData(ofLength: 4096)
            if chunk.isEmpty { return nil }
            if let byte = chunk.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) { return byte }
        }
    }

    private static func readWhole(_ path: String, context: NodeContext) throws -> [JSON] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw NodeError("data file not found: \(path)", code: "fileNotFound")
        }
        guard !isDirectory.boolValue else {
            throw NodeError("data file \(path) is a directory", code: "invalidParameter")
        }
        do {
            switch (path as NSString).pathExtension.lowercased() {
            case "json":
                return try JSON.readItems(fromFile: path)
            case "ndjson", "jsonl":
                var reader = try NDJSONFileReader(path: path)
                var items: [JSON] = []
                while let item = try reader.next() {
                    if items.count % 1_024 == 0 { try context.checkCancellation() }
                    items.append(item)
                }
                return items
            case "csv":
                return try CSV.items(from: try contents(of: path))
            default:
                let bytes = try contents(of: path)
                let first = bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
                if first == UInt8(ascii: "[") || first == UInt8(ascii: "{") {
                    return try JSON.items(in: bytes)
                }
                return try CSV.items(from: bytes)
            }
        } catch let error as JSONParseError {
            throw NodeError("data file \(path): \(error.description)", code: "invalidData")
        } catch let error as CSV.ReadError {
            throw NodeError("data file \(path): \(error.description)", code: "invalidData")
        } catch let error as JSONFileError {
            throw NodeError("data file \(error.description)", code: "fileError")
        }
    }

    private static func contents(of path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JSONFileError(path: path, message: "cannot be read")
        }
        return [UInt8](data)
    }
}
