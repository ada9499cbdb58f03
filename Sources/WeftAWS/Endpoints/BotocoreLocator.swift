import Foundation

/// Finds the installed botocore package's `data` folder.
public enum BotocoreLocator {
    /// The folder holding `endpoints.json` and the service model folders.
    ///
    /// `WEFT_BOTOCORE_DATA` in `environment` names either that folder or the botocore package folder;
    /// otherwise `python3` is asked where botocore is installed. Throws `AWSEndpointError.botocoreNotFound`
    /// when neither gives a folder with `endpoints.json`.
    public static func dataDirectory(environment: [String: String]) throws -> String {
        if let configured = environment["WEFT_BOTOCORE_DATA"], !configured.isEmpty {
            for candidate in [configured, configured + "/data"] where hasEndpoints(candidate) { return candidate }
            throw AWSEndpointError.botocoreNotFound("WEFT_BOTOCORE_DATA=\(configured) holds no endpoints.json")
        }
        if let package = pythonBotocoreDirectory(environment: environment), hasEndpoints(package + "/data") {
            return package + "/data"
        }
        throw AWSEndpointError.botocoreNotFound(
            "botocore is not installed for python3 (pip install botocore) and WEFT_BOTOCORE_DATA is not set")
    }

    private static let cache = PythonLookupCache()

    private static func hasEndpoints(_ directory: String) -> Bool {
        FileManager.default.fileExists(atPath: directory + "/endpoints.json")
    }

    private static func pythonBotocoreDirectory(environment: [String: String]) -> String? {
        cache.value {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"]
            var processEnvironment = ProcessInfo.processInfo.environment
            if let path = environment["PATH"] { processEnvironment["PATH"] = path }
            process.environment = processEnvironment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { return nil }
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
            let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return path.isEmpty ? nil : path
        }
    }
}

/// Remembers the one python3 answer per process.
private final class PythonLookupCache: @unchecked Sendable {
    private let lock = NSLock()
    private var answered = false
    private var answer: String?

    func value(_ compute: () -> String?) -> String? {
        lock.lock(); defer { lock.unlock() }
        if !answered { answer = compute(); answered = true }
        return answer
    }
}
