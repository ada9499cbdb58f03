import Foundation
import WeftEngine
import WeftModel

/// `formatter`: reshapes items — computes fields from JSONPaths, templates or constants, then applies
/// an ordered list of operations.
///
/// A field's `value` is read as follows: a string holding `{{` is a template rendered per item (a
/// string that is one expression keeps the value's JSON type); a string starting with `$` is a
/// JSONPath (`$.a.b`) whose single match is the value, several matches an array of them, no match
/// `null`; any other string is constant text, and any other JSON value a constant (templates inside
/// it are rendered).
///
/// In `each` mode every item gives one output item holding the fields, or, with `keepOthers`, the
/// item with the fields merged in (an item that is not an object is replaced by the fields). In `all`
/// mode `$` is the array of all input items and the output is one item (keepOthers does not apply).
/// Without fields, items pass through unchanged (`each`) or become one array item (`all`).
///
/// Operations, in order, after the fields:
/// - `flatten {path?}`: items that are arrays become their elements; with `path`, each item becomes
///   the values `path` selects, arrays among them spread into their elements.
/// - `sort {by, order: asc|desc}`: stable; numbers numerically, strings by code point, then booleans,
///   arrays, objects; items whose key is missing or null come last in either order.
/// - `dedupe {by?}`: keeps the first item of each key (the whole item without `by`); items whose key
///   is missing are all kept.
/// - `limit {count, offset?}`: skips `offset` items, keeps `count`.
/// - `groupBy {by, as?}`: one item per key, `{"key": <key>, "<as>": [items]}`, groups and items in the
///   order first seen; `as` defaults to `items`; a missing key is the `null` group.
/// - `xmlToJson {field}`: the XML text at the JSONPath `field` becomes JSON (see `XMLConversion`).
/// - `jsonToCsv {columns?}`: all items become one item `{"csv": "<RFC 4180 text>"}`, columns as the
///   report node's.
/// - `dateFormat {field, format}`: the date at the JSONPath `field` (ISO 8601 or epoch seconds or
///   milliseconds) is rewritten as `iso8601` (UTC with milliseconds), `epochSeconds`, `epochMillis`
///   or `date` (`YYYY-MM-DD`, UTC).
///
/// `xmlToJson` and `dateFormat` leave missing and null values as they are, and fail the step, naming
/// the item, on a value they cannot convert.
public enum FormatterNode: NodeType {
    public enum Mode: String, Decodable, Sendable, CaseIterable {
        case each, all
    }

    /// One computed field: its name in the output item and how its value is obtained.
    public struct Field: Decodable, Sendable, Equatable {
        public var name: String
        public var value: JSON

        public init(name: String, value: JSON) {
            self.name = name
            self.value = value
        }
    }

    /// One operation as written; `execute` checks it and reports problems with its index.
    public struct Operation: Decodable, Sendable, Equatable {
        public var op: String
        public var path: String?
        public var by: String?
        public var order: String?
        public var count: Int?
        public var offset: Int?
        public var `as`: String?
        public var field: String?
        public var columns: [TableColumn]?
        public var format: String?

        public static let names = ["flatten", "sort", "dedupe", "limit", "groupBy", "xmlToJson", "jsonToCsv", "dateFormat"]
        public static let dateFormats = ["iso8601", "epochSeconds", "epochMillis", "date"]

        public init(op: String, path: String? = nil, by: String? = nil, order: String? = nil, count: Int? = nil,
                    offset: Int? = nil, as: String? = nil, field: String? = nil, columns: [TableColumn]? = nil,
                    format: String? = nil) {
            self.op = op; self.path = path; self.by = by; self.order = order; self.count = count
            self.offset = offset; self.as = `as`; self.field = field; self.columns = columns; self.format = format
        }
    }

    public struct Parameters: Decodable, Sendable {
        public var input: InputReference?
        public var fields: [Field]
        public var keepOthers: Bool
        public var mode: Mode
        public var operations: [Operation]

        private enum CodingKeys: String, CodingKey { case input, fields, keepOthers, mode, operations }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            input = try container.decodeIfPresent(InputReference.self, forKey: .input)
            fields = try container.decodeIfPresent([Field].self, forKey: .fields) ?? []
            keepOthers = try container.decodeIfPresent(Bool.self, forKey: .keepOthers) ?? false
            mode = try container.decodeIfPresent(Mode.self, forKey: .mode) ?? .each
            operations = try container.decodeIfPresent([Operation].self, forKey: .operations) ?? []
        }
    }

    public static let description = NodeDescription(
        type: "formatter",
        displayName: "Data Formatter",
        group: .general,
        summary: "Reshapes items: computes fields from JSONPaths, templates or constants, then flattens, sorts, "
            + "deduplicates, limits, groups, converts XML, dates or the whole list to CSV.",
        parameters: [
            Parameter("input", .inputReference,
                      help: "The items to format: a node and an optional JSONPath applied to each of its items. "
                          + "Default: the output of the upstream node."),
            Parameter("fields", .array(of: .object([
                Parameter("name", .string, required: true, help: "The key of the field in the output item."),
                Parameter("value", .any, required: true,
                          help: "A JSONPath starting with `$` (`$.a.b`: one match gives the value, several an array, none null), "
                              + "text with `{{ … }}` templates, or any other text or JSON value as a constant."),
            ]), maxItems: nil),
                      help: "The fields of each output item, in order. Without fields, items pass through unchanged."),
            Parameter("keepOthers", .boolean, default: false,
                      help: "Merge the fields into the input item instead of outputting only the fields."),
            Parameter("mode", .choice(Mode.allCases.map(\.rawValue)), default: "each",
                      help: "each: one output item per input item; all: the fields are computed once with `$` the array "
                          + "of all input items, giving one output item."),
            Parameter("operations", .array(of: .object([
                Parameter("op", .choice(Operation.names), required: true,
                          help: "flatten, sort, dedupe, limit, groupBy, xmlToJson, jsonToCsv or dateFormat."),
                Parameter("path", .string(.jsonPath), help: "flatten: the array in each item to spread; default: the item itself."),
                Parameter("by", .string(.jsonPath),
                          help: "sort, groupBy (required), dedupe (optional): the key of each item."),
                Parameter("order", .choice(["asc", "desc"]), default: "asc", help: "sort: ascending or descending."),
                Parameter("count", .integer(min: 0, max: nil), help: "limit (required): how many items to keep."),
                Parameter("offset", .integer(min: 0, max: nil), default: 0, help: "limit: how many items to skip first."),
                Parameter("as", .string, default: "items", help: "groupBy: the key holding each group's items."),
                Parameter("field", .string(.jsonPath), help: "xmlToJson, dateFormat (required): JSONPath of the value to convert."),
                Parameter("columns", .array(of: .oneOf([
                    .string(.jsonPath),
                    .object([
                        Parameter("header", .string, help: "The column's title. Default: the value's JSONPath."),
                        Parameter("value", .string(.jsonPath), required: true, help: "JSONPath of the cell in each item."),
                    ]),
                ]), maxItems: nil), help: "jsonToCsv: the columns; default: every key, nested keys flattened with dots."),
                Parameter("format", .choice(Operation.dateFormats),
                          help: "dateFormat (required): iso8601 (UTC, milliseconds), epochSeconds, epochMillis or date (YYYY-MM-DD)."),
            ]), maxItems: nil),
                      help: "Operations applied in order after the fields."),
        ],
        example: [
            "fields": [
                ["name": "id", "value": "$.InstanceId"],
                ["name": "state", "value": "State.Name"],
                ["name": "label", "value": "{{ $.InstanceId }} in {{ $execution.region }}"],
                ["name": "launched", "value": "$.LaunchTime"],
            ],
            "operations": [
                ["op": "dateFormat", "field": "$.launched", "format": "date"],
                ["op": "sort", "by": "$.launched", "order": "desc"],
                ["op": "limit", "count": 10],
            ],
        ]
    )

    public static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        let fields = try parameters.fields.enumerated().map { index, field in
            (field.name, try FieldValue(field.value, parameter: "fields[\(index)].value"))
        }
        let operations = try parameters.operations.enumerated().map { index, operation in
            try Step(operation, index: index)
        }
        let input = try context.items(parameters.input)
        let base = context.templateContext(item: .null)
        var items: [JSON] = []
        switch parameters.mode {
        case .each:
            items.reserveCapacity(input.count)
            try input.enumerated { index, item in
                if index % 1_024 == 0 { try context.checkCancellation() }
                if index > 0, index % 10_000 == 0 { context.progress(done: index, total: input.count) }
                items.append(try format(item, index: index, fields: fields, keepOthers: parameters.keepOthers, base: base))
            }
        case .all:
            let all = JSON.array(try input.collect())
            items = [fields.isEmpty ? all : try format(all, index: nil, fields: fields, keepOthers: false, base: base)]
        }
        for step in operations {
            try context.checkCancellation()
            items = try step.apply(to: items, context: context)
        }
        return NodeResult(main: Items(items))
    }

    private static func format(_ item: JSON, index: Int?, fields: [(String, FieldValue)], keepOthers: Bool,
                               base: TemplateContext) throws -> JSON {
        guard !fields.isEmpty else { return item }
        var object: JSONObject = [:]
        if keepOthers, case .object(let members) = item { object = members }
        for (name, value) in fields {
            object[name] = try value.evaluate(item, index: index, base: base, field: name)
        }
        return .object(object)
    }

    /// How a field's value is obtained, compiled once per attempt.
    enum FieldValue {
        case path(ParameterPath)
        case template(Template)
        case tree(TemplateTree)
        case constant(JSON)

        /// - Throws: `NodeError` (`invalidParameter`) naming `parameter` for an invalid JSONPath or template.
        init(_ value: JSON, parameter: String) throws(NodeError) {
            do {
                switch value {
                case .string(let text) where Template.containsTemplate(text):
                    self = .template(try Template(text))
                case .string(let text) where text.hasPrefix("$"):
                    self = .path(try ParameterPath(text, parameter: parameter))
                case .array, .object:
                    let tree = try TemplateTree(value)
                    self = tree.isConstant ? .constant(value) : .tree(tree)
                default:
                    self = .constant(value)
                }
            } catch let error as NodeError {
                throw error
            } catch {
                throw NodeError("\(parameter): \(error)", code: "invalidParameter")
            }
        }

        func evaluate(_ item: JSON, index: Int?, base: TemplateContext, field: String) throws -> JSON {
            do {
                switch self {
                case .path(let path): return path.select(item) ?? .null
                case .template(let template): return try template.render(base.with(item: item))
                case .tree(let tree): return try tree.render(base.with(item: item))
                case .constant(let value): return value
                }
            } catch {
                let position = index.map { "item \($0)" } ?? "the items"
                throw NodeError("field \"\(field)\" for \(position): \(error.description)", itemIndex: index, code: "invalidData")
            }
        }
    }

    /// One checked operation.
    enum Step {
        case flatten(ParameterPath?)
        case sort(ParameterPath, descending: Bool)
        case dedupe(ParameterPath?)
        case limit(count: Int, offset: Int)
        case groupBy(ParameterPath, as: String)
        case xmlToJson(JSONPath)
        case jsonToCsv(TableLayout?)
        case dateFormat(JSONPath, format: String)

        /// - Throws: `NodeError` (`invalidParameter`) naming `operations[index]` for an unknown
        ///   operation, a missing or invalid field.
        init(_ operation: Operation, index: Int) throws(NodeError) {
            let at = "operations[\(index)]"
            func fail(_ message: String) -> NodeError {
                NodeError("\(at) (\(operation.op)): \(message)", code: "invalidParameter")
            }
            func path(_ text: String?, _ name: String) throws(NodeError) -> ParameterPath? {
                guard let text else { return nil }
                return try ParameterPath(text, parameter: "\(at).\(name)")
            }
            func required(_ text: String?, _ name: String) throws(NodeError) -> ParameterPath {
                guard let compiled = try path(text, name) else { throw fail("\(name) is required") }
                return compiled
            }
            switch operation.op {
            case "flatten":
                self = .flatten(try path(operation.path, "path"))
            case "sort":
                let order = operation.order ?? "asc"
                guard order == "asc" || order == "desc" else { throw fail("order must be asc or desc, not \"\(order)\"") }
                self = .sort(try required(operation.by, "by"), descending: order == "desc")
            case "dedupe":
                self = .dedupe(try path(operation.by, "by"))
            case "limit":
                guard let count = operation.count else { throw fail("count is required") }
                let offset = operation.offset ?? 0
                guard count >= 0, offset >= 0 else { throw fail("count and offset must not be negative") }
                self = .limit(count: count, offset: offset)
            case "groupBy":
                let key = operation.as ?? "items"
                guard !key.isEmpty, key != "key" else { throw fail("as must be a key other than \"key\"") }
                self = .groupBy(try required(operation.by, "by"), as: key)
            case "xmlToJson":
                self = .xmlToJson(try required(operation.field, "field").path)
            case "jsonToCsv":
                self = .jsonToCsv(try operation.columns.map { columns throws(NodeError) in
                    try TableLayout(columns: columns, parameter: "\(at).columns")
                })
            case "dateFormat":
                let field = try required(operation.field, "field")
                guard let format = operation.format else { throw fail("format is required") }
                guard Operation.dateFormats.contains(format) else {
                    throw fail("format must be one of \(Operation.dateFormats.joined(separator: ", ")), not \"\(format)\"")
                }
                self = .dateFormat(field.path, format: format)
            default:
                throw NodeError("\(at): unknown operation \"\(operation.op)\"; expected one of \(Operation.names.joined(separator: ", "))",
                                code: "invalidParameter")
            }
        }

        func apply(to items: [JSON], context: NodeContext) throws -> [JSON] {
            switch self {
            case .flatten(let path):
                var result: [JSON] = []
                for item in items {
                    for value in path.map({ $0.path.query(item) }) ?? [item] {
                        if case .array(let elements) = value { result += elements } else { result.append(value) }
                    }
                }
                return result
            case .sort(let by, let descending):
                let keys = items.map { by.select($0) }
                let order = items.indices.sorted { a, b in
                    let comparison = Ordering.compare(keys[a], keys[b], descending: descending)
                    return comparison != 0 ? comparison < 0 : a < b
                }
                return order.map { items[$0] }
            case .dedupe(let by):
                var seen = Set<JSON>()
                return items.filter { item in
                    let key: JSON? = by == nil ? item : by?.select(item)
                    guard let key else { return true }
                    return seen.insert(key).inserted
                }
            case .limit(let count, let offset):
                return Array(items.dropFirst(offset).prefix(count))
            case .groupBy(let by, let key):
                var order: [JSON] = []
                var groups: [JSON: [JSON]] = [:]
                for item in items {
                    let value = by.select(item) ?? .null
                    if groups[value] == nil { order.append(value) }
                    groups[value, default: []].append(item)
                }
                return order.map { ["key": $0, key: .array(groups[$0] ?? [])] }
            case .xmlToJson(let field):
                return try items.enumerated().map { index, item in
                    try item.updating(field) { value in
                        switch value {
                        case .null: return .null
                        case .string(let text):
                            do { return try XMLConversion.json(fromXML: text) } catch {
                                throw NodeError("xmlToJson: item \(index), \(field): \(error)", itemIndex: index, code: "invalidData")
                            }
                        default:
                            throw NodeError("xmlToJson: item \(index), \(field) is \(value.typeName), not XML text",
                                            itemIndex: index, code: "invalidData")
                        }
                    }
                }
            case .jsonToCsv(let layout):
                let all = Items(items)
                let table = try layout ?? TableLayout(keysOf: all)
                var writer = CSV.Writer()
                if !table.headers.isEmpty {
                    writer.write(record: table.headers)
                    for item in items {
                        for value in table.values(of: item) { writer.write(field: TableLayout.cellText(value)) }
                        writer.endRecord()
                    }
                }
                return [["csv": .string(String(decoding: writer.bytes, as: UTF8.self))]]
            case .dateFormat(let field, let format):
                return try items.enumerated().map { index, item in
                    try item.updating(field) { value in
                        if value.isNull { return value }
                        guard let date = ISODate.date(from: value) else {
                            throw NodeError("dateFormat: item \(index), \(field): \(value.serialized()) is not a date",
                                            itemIndex: index, code: "invalidData")
                        }
                        return Self.formatted(date, format)
                    }
                }
            }
        }

        static func formatted(_ date: Date, _ format: String) -> JSON {
            let seconds = date.timeIntervalSince1970
            switch format {
            case "epochSeconds": return .int(Int64(seconds.rounded(.down)))
            case "epochMillis": return .int(Int64((seconds * 1000).rounded()))
            case "date": return .string(String(ISODate.format(date).prefix(10)))
            default: return .string(ISODate.format(date))
            }
        }
    }

    /// The order `sort` uses.
    enum Ordering {
        /// Negative when `a` sorts before `b`, zero when they tie. Missing and null keys sort last
        /// whatever the direction.
        static func compare(_ a: JSON?, _ b: JSON?, descending: Bool) -> Int {
            let aMissing = a == nil || a == .null
            let bMissing = b == nil || b == .null
            if aMissing || bMissing { return aMissing == bMissing ? 0 : (aMissing ? 1 : -1) }
            let result = compare(a!, b!)
            return descending ? -result : result
        }

        static func compare(_ a: JSON, _ b: JSON) -> Int {
            let (rankA, rankB) = (rank(a), rank(b))
            if rankA != rankB { return rankA < rankB ? -1 : 1 }
            switch (a, b) {
            case (.int(let x), .int(let y)): return x == y ? 0 : (x < y ? -1 : 1)
            case (.string(let x), .string(let y)): return bytes(x.utf8, y.utf8)
            case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
            default:
                if let x = a.doubleValue, let y = b.doubleValue { return x == y ? 0 : (x < y ? -1 : 1) }
                return bytes(a.serialized().utf8, b.serialized().utf8)
            }
        }

        private static func rank(_ value: JSON) -> Int {
            switch value {
            case .int, .double: return 0
            case .string: return 1
            case .bool: return 2
            case .array: return 3
            case .object: return 4
            case .null: return 5
            }
        }

        private static func bytes(_ x: String.UTF8View, _ y: String.UTF8View) -> Int {
            if x.elementsEqual(y) { return 0 }
            return x.lexicographicallyPrecedes(y) ? -1 : 1
        }
    }
}
