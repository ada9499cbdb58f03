import WeftEngine
import WeftModel

/// A column of a table built from items (report files, `jsonToCsv`): its header and the JSONPath of
/// its value.
///
/// Written as `{"header": "Name", "value": "$.DBName"}`, or as a bare JSONPath string that serves as
/// both header and value. `header` defaults to `value`.
public struct TableColumn: Decodable, Sendable, Equatable {
    public var header: String
    public var value: String

    public init(header: String, value: String) {
        self.header = header
        self.value = value
    }

    private enum CodingKeys: String, CodingKey { case header, value }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let path = try? single.decode(String.self) {
            header = path
            value = path
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decode(String.self, forKey: .value)
        header = try container.decodeIfPresent(String.self, forKey: .header) ?? value
    }
}

/// The rows of a table: each item's cells under a list of columns, either declared or derived from
/// the items' keys.
struct TableLayout {
    let headers: [String]
    private let paths: [ParameterPath]?

    /// Columns as declared; each value is compiled as a JSONPath.
    /// - Throws: `NodeError` (`invalidParameter`) naming `parameter` for an invalid JSONPath.
    init(columns: [TableColumn], parameter: String) throws(NodeError) {
        headers = columns.map(\.header)
        var compiled: [ParameterPath] = []
        for (index, column) in columns.enumerated() {
            compiled.append(try ParameterPath(column.value, parameter: "\(parameter)[\(index)].value"))
        }
        paths = compiled
    }

    /// Columns derived from `items`: every flattened key (see `flatten`), in the order first seen.
    init(keysOf items: Items) throws {
        var headers: [String] = []
        var seen = Set<String>()
        try items.forEach { item in
            Self.flatten(item) { key, _ in
                if seen.insert(key).inserted { headers.append(key) }
            }
        }
        self.headers = headers
        paths = nil
    }

    /// The values of `item` in column order; `nil` where the item has no value.
    func values(of item: JSON) -> [JSON?] {
        if let paths { return paths.map { $0.select(item) } }
        var flat: [String: JSON] = [:]
        Self.flatten(item) { key, value in flat[key] = value }
        return headers.map { flat[$0] }
    }

    /// Calls `emit` with the leaves of `item` under dotted keys: `{"a": {"b": 1}}` gives `a.b`.
    ///
    /// Arrays and empty objects are leaves; a top-level value that is not an object is one leaf
    /// named `value`.
    static func flatten(_ item: JSON, _ emit: (String, JSON) -> Void) {
        guard case .object(let members) = item else {
            emit("value", item)
            return
        }
        for (key, member) in members { flatten(member, prefix: key, emit) }
    }

    private static func flatten(_ value: JSON, prefix: String, _ emit: (String, JSON) -> Void) {
        if case .object(let members) = value, !members.isEmpty {
            for (key, member) in members { flatten(member, prefix: prefix + "." + key, emit) }
        } else {
            emit(prefix, value)
        }
    }

    /// The text of a cell: strings as they are, numbers and booleans as JSON writes them, arrays and
    /// objects as compact JSON, null and missing values as empty text.
    static func cellText(_ value: JSON?) -> String {
        switch value {
        case nil, .null?: return ""
        case .string(let text)?: return text
        case .some(let other): return other.serialized()
        }
    }
}
