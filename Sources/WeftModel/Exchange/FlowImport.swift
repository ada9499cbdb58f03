/// Reading import files (SPEC 9, 4.6): at most 2 MB and 10 flows, each flow validated on its own and
/// imported or rejected with its reasons.
///
/// Accepted shapes, told apart by their fields:
/// - a Weft export file `{"weft": 1, "exportedAt": …, "flows": [...]}`;
/// - one Weft flow document (`{"weft": 1, "name": …, "nodes": …}`);
/// - the seed product's export: an array of flows, an object with a `flows` or `qflows` array, or one
///   seed flow. Flows in the seed's shape (see `SeedFlowConverter.isSeedFlow`) are converted first,
///   wherever they appear.
///
/// Every flow is passed through `FlowExport.stripped`: imported flows carry no connector bindings
/// or credentials, which are set again after the import.
public enum FlowImport {
    /// The largest import file: 2 MB (2 097 152 bytes).
    public static let maxFileBytes = 2 * 1024 * 1024
    /// The most flows one file may hold.
    public static let maxFlows = FlowExport.maxFlows

    /// The format a flow was written in.
    public enum Source: String, Sendable {
        case weft, seed
    }

    /// What became of one flow of the file.
    public struct Result: Sendable {
        /// The flow's position in the file, from 0.
        public var index: Int
        /// The flow's name, when it has one.
        public var name: String?
        public var source: Source
        /// The document to save (converted, stripped, decoded and valid); `nil` when rejected.
        public var document: FlowDocument?
        /// `document` as JSON, as it is to be stored.
        public var documentJSON: JSON?
        /// Why the flow was rejected: every issue, pointers into the flow (or into the converted
        /// document for seed flows). Empty when imported.
        public var issues: [FlowIssue]
        /// Parts of a seed flow that could not be converted, each with its node id and reason.
        public var notConverted: [FlowIssue]
        /// Pointers of what was removed (connector bindings, credentials, secret values).
        public var removed: [String]

        public var isImported: Bool { document != nil }

        /// `{index, name, source, status: imported|rejected, issues, notConverted, removed}`.
        public var json: JSON {
            var object: JSONObject = [
                "index": .int(Int64(index)), "name": name.map(JSON.string) ?? .null, "source": .string(source.rawValue),
                "status": .string(isImported ? "imported" : "rejected"),
            ]
            object["issues"] = .array(issues.map(Self.issueJSON))
            object["notConverted"] = .array(notConverted.map(Self.issueJSON))
            object["removed"] = .array(removed.map(JSON.string))
            return .object(object)
        }

        static func issueJSON(_ issue: FlowIssue) -> JSON {
            var object: JSONObject = ["pointer": .string(issue.pointer), "message": .string(issue.message)]
            if let nodeId = issue.nodeId { object["nodeId"] = .string(nodeId) }
            return .object(object)
        }
    }

    /// Reads an import file's bytes.
    ///
    /// - Throws: `FlowExchangeError`: `.tooLarge` past `maxFileBytes`, `.malformed` when it is not JSON
    ///   or not an export, `.unsupportedVersion` for a `weft` version other than 1, `.noFlows`,
    ///   `.tooManyFlows` past 10 flows. A problem with one flow is that flow's result, not an error.
    public static func read(_ bytes: [UInt8], validator: FlowValidator) throws(FlowExchangeError) -> [Result] {
        guard bytes.count <= maxFileBytes else {
            throw FlowExchangeError(
                .tooLarge, "the file is \(bytes.count) bytes; an import file may be at most 2 MB (\(maxFileBytes) bytes)")
        }
        let value: JSON
        do {
            value = try JSON.parse(bytes)
        } catch {
            throw FlowExchangeError(.malformed, "the file is not JSON (\(error.description))")
        }
        return try read(value, validator: validator)
    }

    /// Reads an import file already parsed; see `read(_:validator:)`.
    public static func read(_ value: JSON, validator: FlowValidator) throws(FlowExchangeError) -> [Result] {
        let flows = try self.flows(in: value)
        guard !flows.isEmpty else { throw FlowExchangeError(.noFlows, "the file holds no flow") }
        guard flows.count <= maxFlows else {
            throw FlowExchangeError(
                .tooManyFlows, "the file holds \(flows.count) flows; an import may hold at most \(maxFlows)")
        }
        return flows.enumerated().map { importFlow($1, index: $0, validator: validator) }
    }

    /// The flows of a file, by its shape.
    static func flows(in value: JSON) throws(FlowExchangeError) -> [JSON] {
        switch value {
        case .array(let flows):
            return flows
        case .object(let object):
            if let version = object["weft"] {
                guard version.intValue == Int64(FlowExport.format) else {
                    throw FlowExchangeError(
                        .unsupportedVersion,
                        "format version \(version.serialized()) is not one this Weft reads (\(FlowExport.format))")
                }
                guard let flows = object["flows"] else {
                    if object["nodes"] != nil { return [value] }
                    throw FlowExchangeError(.malformed, "not an export file: it has no 'flows' array")
                }
                let unknown = object.keys.filter { !["weft", "exportedAt", "flows"].contains($0) }
                guard unknown.isEmpty else {
                    throw FlowExchangeError(
                        .malformed, "unknown key(s) in the export file: \(unknown.joined(separator: ", ")) "
                            + "(expected weft, exportedAt, flows)")
                }
                guard case .array(let list) = flows else {
                    throw FlowExchangeError(.malformed, "'flows' must be an array of flows, found \(flows.typeName)")
                }
                return list
            }
            for key in ["flows", "qflows", "qFlows", "workflows"] {
                if case .array(let list)? = object[key] { return list }
            }
            if SeedFlowConverter.isSeedFlow(value) { return [value] }
            throw FlowExchangeError(
                .malformed, "not an export file: expected {\"weft\": 1, \"exportedAt\": …, \"flows\": [...]}")
        default:
            throw FlowExchangeError(
                .malformed, "not an export file: expected a JSON object {\"weft\": 1, \"flows\": [...]}, found \(value.typeName)")
        }
    }

    /// One flow: converted when in the seed's shape, stripped, decoded strictly and validated.
    static func importFlow(_ value: JSON, index: Int, validator: FlowValidator) -> Result {
        var source = Source.weft
        var flow = value
        var notConverted: [FlowIssue] = []
        if SeedFlowConverter.isSeedFlow(value) {
            source = .seed
            (flow, notConverted) = SeedFlowConverter.convert(value)
        }
        let (clean, removed) = FlowExport.stripped(flow)
        var result = Result(
            index: index, name: clean["name"]?.stringValue, source: source, document: nil, documentJSON: nil,
            issues: [], notConverted: notConverted, removed: removed)
        guard clean.objectValue != nil else {
            result.issues = [FlowIssue(pointer: "", message: "a flow must be a JSON object, found \(value.typeName)")]
            return result
        }
        var (document, issues) = FlowDocument.decode(clean)
        if let document { issues += validator.validate(document) }
        if let document, issues.isEmpty {
            result.document = document
            result.documentJSON = clean
        } else {
            result.issues = issues
        }
        return result
    }
}
