import Foundation

/// Reading flow and connectors files from disk.
public enum FlowFile {
    /// Reads a JSON or YAML document (told apart by content). Syntax errors carry line and column.
    public static func readDocument(path: String) throws(FlowValidationError) -> JSON {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FlowValidationError([FlowIssue(file: path, pointer: "", message: "cannot read the file (missing or unreadable)")])
        }
        do {
            return try JSON.parseDocument([UInt8](data))
        } catch let error as JSONParseError {
            throw FlowValidationError([FlowIssue(file: path, pointer: "", message: error.message, line: error.line, column: error.column)])
        } catch {
            throw FlowValidationError([FlowIssue(file: path, pointer: "", message: "\(error)")])
        }
    }

    /// Reads and decodes a flow file, then validates it with `validator`.
    /// Returns the document and every issue found, each carrying `path`.
    public static func load(path: String, validator: FlowValidator) -> (document: FlowDocument?, issues: [FlowIssue]) {
        let value: JSON
        do { value = try readDocument(path: path) } catch { return (nil, error.issues) }
        var (document, issues) = FlowDocument.decode(value)
        if let document { issues += validator.validate(document) }
        for index in issues.indices { issues[index].file = path }
        return (document, issues)
    }

    public static func loadConnectors(path: String) -> (file: ConnectorsFile?, issues: [FlowIssue]) {
        let value: JSON
        do { value = try readDocument(path: path) } catch { return (nil, error.issues) }
        var (file, issues) = ConnectorsFile.decode(value)
        for index in issues.indices { issues[index].file = path }
        return (file, issues)
    }
}
