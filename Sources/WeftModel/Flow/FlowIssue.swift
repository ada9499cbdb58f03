/// One problem found in a flow document: what is wrong and exactly where.
public struct FlowIssue: Sendable, Equatable, CustomStringConvertible {
    /// The file the flow came from, when known.
    public var file: String?
    /// The node the problem concerns, when it concerns one.
    public var nodeId: String?
    /// RFC 6901 pointer into the document (`/nodes/2/params/operator`); empty for the whole document.
    public var pointer: String
    public var message: String
    /// Line and column in the file, for syntax errors.
    public var line: Int?
    public var column: Int?

    public init(file: String? = nil, nodeId: String? = nil, pointer: String, message: String,
                line: Int? = nil, column: Int? = nil) {
        self.file = file; self.nodeId = nodeId; self.pointer = pointer; self.message = message
        self.line = line; self.column = column
    }

    /// `flows/x.json: node 'f1' at /nodes/2/params/operator: unknown operator "=~"`.
    public var description: String {
        var parts: [String] = []
        if let file {
            if let line, let column { parts.append("\(file):\(line):\(column)") } else { parts.append(file) }
        } else if let line, let column {
            parts.append("line \(line), column \(column)")
        }
        var location = ""
        if let nodeId { location = "node '\(nodeId)'" }
        if !pointer.isEmpty { location += location.isEmpty ? "at \(pointer)" : " at \(pointer)" }
        if !location.isEmpty { parts.append(location) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }

    public var json: JSON {
        var object: JSONObject = [:]
        if let file { object["file"] = .string(file) }
        if let nodeId { object["nodeId"] = .string(nodeId) }
        object["pointer"] = .string(pointer)
        object["message"] = .string(message)
        if let line { object["line"] = .int(Int64(line)) }
        if let column { object["column"] = .int(Int64(column)) }
        return .object(object)
    }
}

/// Thrown when a flow document cannot be used; carries every problem found.
public struct FlowValidationError: Error, CustomStringConvertible {
    public var issues: [FlowIssue]
    public init(_ issues: [FlowIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
