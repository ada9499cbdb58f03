import WeftEngine
import WeftModel

/// `report`: writes the items to a CSV or JSON file kept with the execution, and outputs one item
/// describing the file: `{"file", "path", "format", "rows"}`.
///
/// CSV follows RFC 4180: a header row, then one record per item, fields quoted when they hold a
/// comma, quote, CR or LF, every record ending with CRLF. Cells are strings as they are, numbers and
/// booleans as JSON writes them, arrays and objects as compact JSON, null and missing values empty.
/// Without `columns`, the columns are every key of every item in the order first seen, nested object
/// keys flattened with dots (`State.Name`); a top-level value that is not an object is the column
/// `value`.
///
/// JSON is a pretty-printed array (two-space indent, ending with a newline): the items as they are,
/// or with `columns`, one object per item mapping each header to its value (`null` when missing).
public enum ReportNode: NodeType {
    public enum Format: String, Decodable, Sendable, CaseIterable {
        case csv, json
    }

    public struct Parameters: Decodable, Sendable {
        public var input: InputReference?
        public var format: Format
        public var columns: [TableColumn]?
        /// The file name, possibly with templates; `nil` for `report.<format>`.
        public var fileName: String?

        private enum CodingKeys: String, CodingKey { case input, format, columns, fileName }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            input = try container.decodeIfPresent(InputReference.self, forKey: .input)
            format = try container.decodeIfPresent(Format.self, forKey: .format) ?? .csv
            columns = try container.decodeIfPresent([TableColumn].self, forKey: .columns)
            fileName = try container.decodeIfPresent(String.self, forKey: .fileName)
        }
    }

    public static let description = NodeDescription(
        type: "report",
        displayName: "Report",
        group: .general,
        summary: "Writes the items to a CSV or JSON file kept with the execution and downloadable from it.",
        parameters: [
            Parameter("input", .inputReference,
                      help: "The items to report: a node and an optional JSONPath applied to each of its items. "
                          + "Default: the output of the upstream node."),
            Parameter("format", .choice(Format.allCases.map(\.rawValue)), default: "csv",
                      help: "csv: RFC 4180 with a header row and CRLF line ends; json: a pretty-printed array."),
            Parameter("columns", .array(of: .oneOf([
                .string(.jsonPath),
                .object([
                    Parameter("header", .string, help: "The column's title. Default: the value's JSONPath as written."),
                    Parameter("value", .string(.jsonPath), required: true,
                              help: "JSONPath of the cell in each item; several matches give a JSON array, none an empty cell."),
                ]),
            ]), maxItems: nil),
                      help: "The columns, in order: `{header, value}` objects or bare JSONPaths. Default: every key of "
                          + "every item in the order first seen, nested keys flattened with dots (`State.Name`)."),
            Parameter("fileName", .string(.template),
                      help: "The file's name, such as `public-rds-{{ $execution.region }}.csv`; templates see the first "
                          + "item as `$`. A plain name without `/` or `..`. Default: report.csv or report.json."),
        ],
        example: [
            "format": "csv",
            "columns": [
                ["header": "Instance", "value": "$.DBInstanceIdentifier"],
                ["header": "Public", "value": "$.PubliclyAccessible"],
            ],
            "fileName": "public-rds-{{ $execution.region }}.csv",
        ]
    )

    public static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        guard let artifacts = context.artifacts else {
            throw NodeError("no place to keep report files in this run", code: "unavailable")
        }
        let items = try context.items(parameters.input)
        let fileName = try resolveFileName(parameters, firstItem: try firstItem(of: items), context: context)
        let bytes: [UInt8]
        switch parameters.format {
        case .csv: bytes = try csvBytes(items, columns: parameters.columns, context: context)
        case .json: bytes = try jsonBytes(items, columns: parameters.columns, context: context)
        }
        let path = try artifacts.write(fileName: fileName, bytes: bytes, executionId: context.execution.id)
        let described: JSON = [
            "file": .string(fileName), "path": .string(path),
            "format": .string(parameters.format.rawValue), "rows": .int(Int64(items.count)),
        ]
        return NodeResult(main: Items([described]))
    }

    /// The file name: `fileName` rendered, or `report.<format>`.
    /// - Throws: `NodeError` (`invalidParameter`) for a template that fails, or a name that is empty,
    ///   `.` or `..`, or holds `/`, `\` or NUL.
    static func resolveFileName(_ parameters: Parameters, firstItem: JSON, context: NodeContext) throws -> String {
        guard let written = parameters.fileName, !written.isEmpty else { return "report.\(parameters.format.rawValue)" }
        let name: String
        do {
            let rendered = try Template(written).render(context.templateContext(item: firstItem))
            name = TableLayout.cellText(rendered)
        } catch {
            throw NodeError("fileName: \(error.description)", code: "invalidParameter")
        }
        if name.isEmpty || name == "." || name == ".." || name.contains("/") || name.contains("\\") || name.contains("\0") {
            throw NodeError("fileName: \"\(name)\" is not a plain file name (no '/', '\\' or '..')", code: "invalidParameter")
        }
        return name
    }

    private static func firstItem(of items: Items) throws -> JSON {
        try items.first() ?? .null
    }

    /// The CSV text of `items`.
    static func csvBytes(_ items: Items, columns: [TableColumn]?, context: NodeContext) throws -> [UInt8] {
        let layout = try columns.map { try TableLayout(columns: $0, parameter: "columns") } ?? TableLayout(keysOf: items)
        var writer = CSV.Writer()
        guard !layout.headers.isEmpty else { return [] }
        writer.write(record: layout.headers)
        try items.enumerated { index, item in
            if index % 1_024 == 0 { try context.checkCancellation() }
            for value in layout.values(of: context.secrets.mask(item)) { writer.write(field: TableLayout.cellText(value)) }
            writer.endRecord()
        }
        return writer.bytes
    }

    /// The JSON text of `items`: a pretty array, ending with a newline.
    static func jsonBytes(_ items: Items, columns: [TableColumn]?, context: NodeContext) throws -> [UInt8] {
        let layout = try columns.map { try TableLayout(columns: $0, parameter: "columns") }
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        var element: [UInt8] = []
        try items.enumerated { index, item in
            if index % 1_024 == 0 { try context.checkCancellation() }
            var row = context.secrets.mask(item)
            if let layout {
                var object = JSONObject(minimumCapacity: layout.headers.count)
                for (header, value) in zip(layout.headers, layout.values(of: row)) { object[header] = value ?? .null }
                row = .object(object)
            }
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: [0x0A, 0x20, 0x20])
            element.removeAll(keepingCapacity: true)
            row.write(to: &element, pretty: true)
            var start = 0
            while let newline = element[start...].firstIndex(of: 0x0A) {
                bytes.append(contentsOf: element[start...newline])
                bytes.append(contentsOf: [0x20, 0x20])
                start = newline + 1
            }
            bytes.append(contentsOf: element[start...])
        }
        if bytes.count > 1 { bytes.append(0x0A) }
        bytes.append(contentsOf: [UInt8(ascii: "]"), 0x0A])
        return bytes
    }
}
