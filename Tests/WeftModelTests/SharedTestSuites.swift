import Foundation

/// Files of the shared conformance data (`shared/testsuites`).
enum SharedTestSuites {
    /// `relative` (e.g. `jsonpath/cts.json`) under `$WEFT_TESTSUITES`, else under the first
    /// `shared/testsuites` beside the package root or one of its ancestors (`../shared/testsuites` in a
    /// checkout next to the shared folder). Symlinks are resolved, so scratch packages that link the
    /// tests find it too.
    static func url(_ relative: String) -> URL {
        if let root = ProcessInfo.processInfo.environment["WEFT_TESTSUITES"] {
            return URL(fileURLWithPath: root).appendingPathComponent(relative)
        }
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.deletingLastPathComponent().appendingPathComponent("shared/testsuites/\(relative)")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: "../shared/testsuites/\(relative)")
    }
}
