import Foundation
import WeftModel

/// A flow shipped with Weft as a starting point (SPEC 4.6's templates gallery).
public struct FlowTemplate: Sendable {
    /// The file name without its extension, e.g. `public-rds-instances`: what `weft templates NAME` takes.
    public var name: String
    /// The file as shipped (YAML), for printing and instantiation.
    public var text: String
    public var document: FlowDocument

    public var title: String { document.name }
}

/// The templates shipped in this target's `Templates/` folder, one flow file each.
public enum TemplateLibrary {
    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The folder holding the template files: `WEFT_TEMPLATES` when set, else the resource bundle that
    /// SwiftPM installs next to the executable.
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let path = environment["WEFT_TEMPLATES"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidates = [executable.deletingLastPathComponent(), Bundle.main.bundleURL]
            .map { $0.appendingPathComponent("weft_WeftTemplates.resources/Templates") }
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw LoadError(description: "the templates folder was not found (looked in \(candidates.map(\.path).joined(separator: ", "))); set WEFT_TEMPLATES")
    }

    /// Every template, sorted by name. A template file that does not parse is an error naming the file.
    public static func all(in directory: URL? = nil) throws -> [FlowTemplate] {
        let folder = try directory ?? Self.directory()
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()
        return try files.map { file in
            let url = folder.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            let value: JSON
            do {
                value = try file.hasSuffix(".json") ? JSON.parse(text) : JSON.parse(yaml: text)
            } catch {
                throw LoadError(description: "\(url.path): \(error)")
            }
            let (document, issues) = FlowDocument.decode(value)
            guard let document, issues.isEmpty else {
                throw LoadError(description: "\(url.path): " + issues.map(\.description).joined(separator: "; "))
            }
            return FlowTemplate(name: String(file.prefix(upTo: file.lastIndex(of: ".")!)), text: text, document: document)
        }
    }
}
