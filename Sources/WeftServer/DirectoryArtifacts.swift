import Foundation
import WeftEngine

/// Report files of server runs, kept as `<root>/<execution id>/<file name>` (mode 0600) and served by
/// `GET /api/v1/executions/{id}/artifacts/{name}`.
struct DirectoryArtifacts: ArtifactSink {
    let root: String

    /// Writes `bytes` (replacing a file of the same name) and returns the path relative to `root`.
    /// - Throws: `ArtifactError` when the directory or file cannot be written, or the names are unsafe.
    func write(fileName: String, bytes: [UInt8], executionId: String) throws -> String {
        guard Self.isSafe(fileName), Self.isSafe(executionId) else {
            throw ArtifactError(message: "'\(fileName)' is not a plain file name")
        }
        let directory = (root as NSString).appendingPathComponent(executionId)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let path = (directory as NSString).appendingPathComponent(fileName)
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw ArtifactError(message: "cannot write the report file \(fileName): \(error.localizedDescription)")
        }
        return executionId + "/" + fileName
    }

    /// The files kept for `executionId`, by name, with their sizes.
    func files(executionId: String) -> [(name: String, bytes: Int)] {
        guard Self.isSafe(executionId) else { return [] }
        let directory = (root as NSString).appendingPathComponent(executionId)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().compactMap { name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: (directory as NSString).appendingPathComponent(name))
            return (attributes?[.size] as? Int).map { (name, $0) }
        }
    }

    /// The bytes of `fileName` kept for `executionId`, or `nil`.
    func read(fileName: String, executionId: String) -> Data? {
        guard Self.isSafe(fileName), Self.isSafe(executionId) else { return nil }
        let path = ((root as NSString).appendingPathComponent(executionId) as NSString).appendingPathComponent(fileName)
        return FileManager.default.contents(atPath: path)
    }

    /// A single path segment: not empty, `.` or `..`, without `/`, `\` or NUL.
    static func isSafe(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains { $0 == "/" || $0 == "\\" || $0 == "\0" }
    }
}

struct ArtifactError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
