import Foundation
import WeftModel

/// An error reading botocore's model data; names the service and the file when there is one.
public struct BotocoreDataError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var service: String?
    public var file: String?

    public init(_ message: String, service: String? = nil, file: String? = nil) {
        self.message = message; self.service = service; self.file = file
    }

    public var description: String {
        var text = message
        if let service { text = "AWS service '\(service)': " + text }
        if let file { text += " (\(file))" }
        return text
    }
}

/// Botocore's `data` folder: AWS service models, paginators and waiters, loaded lazily and cached.
///
/// Model files are read where botocore installed them; nothing is copied. Loaded models are cached
/// for the life of the value and shared safely between threads.
public final class BotocoreData: @unchecked Sendable {
    /// The `data` folder holding one folder per service.
    public let root: URL
    private let lock = NSLock()
    private var serviceNameCache: [String]?
    private var models: [String: ServiceModel] = [:]

    /// Uses the `data` folder at `root`.
    public init(root: URL) {
        self.root = root
    }

    /// Locates the `data` folder and returns the process's instance for it (models loaded once):
    /// `path` when given (a new instance), else the environment variable
    /// `WEFT_BOTOCORE_DATA` (the `data` folder or the botocore package folder holding it), else the
    /// folder of the `botocore` package that `python3` imports (asked once per process).
    ///
    /// Throws `BotocoreDataError` when none of these names a folder holding `endpoints.json`.
    public static func locate(path: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BotocoreData {
        if let path { return try BotocoreData(checking: path) }
        if let configured = environment["WEFT_BOTOCORE_DATA"], !configured.isEmpty {
            for candidate in [configured, configured + "/data"] where isDataFolder(candidate) {
                return shared(candidate)
            }
            throw BotocoreDataError("WEFT_BOTOCORE_DATA=\(configured) holds no botocore data (no endpoints.json)")
        }
        guard let package = pythonPackageFolder.value, isDataFolder(package + "/data") else {
            throw BotocoreDataError(
                "botocore's model data was not found: set WEFT_BOTOCORE_DATA or install botocore for python3 (pip install botocore)")
        }
        return shared(package + "/data")
    }

    /// One instance per folder and process, so every part of the process shares the loaded models.
    private static func shared(_ folder: String) -> BotocoreData {
        sharedLock.lock(); defer { sharedLock.unlock() }
        if let found = sharedInstances[folder] { return found }
        let created = BotocoreData(root: URL(fileURLWithPath: folder, isDirectory: true))
        sharedInstances[folder] = created
        return created
    }

    private static let sharedLock = NSLock()
    nonisolated(unsafe) private static var sharedInstances: [String: BotocoreData] = [:]

    private static func isDataFolder(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/endpoints.json")
    }

    private convenience init(checking path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BotocoreDataError("botocore data folder does not exist", file: path)
        }
        self.init(root: URL(fileURLWithPath: path, isDirectory: true))
    }

    /// Where python3's botocore package is, asked once per process.
    private static let pythonPackageFolder = PythonAnswer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// The names of all services (the folders holding a `service-2.json.gz` or `service-2.json`), sorted.
    public func serviceNames() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        if let serviceNameCache { return serviceNameCache }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let services = names.filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
                && latestVersionFolder(of: name) != nil
        }.sorted()
        serviceNameCache = services
        return services
    }

    /// Whether `service` names a service folder with a model.
    public func hasService(_ service: String) -> Bool {
        latestVersionFolder(of: service) != nil
    }

    /// The model of `service` from its newest API version, with its paginators and waiters.
    ///
    /// Throws `BotocoreDataError` naming the service when it is unknown and naming the file when a
    /// file cannot be read or parsed.
    public func model(_ service: String) throws -> ServiceModel {
        lock.lock()
        if let model = models[service] {
            lock.unlock()
            return model
        }
        lock.unlock()
        let model = try load(service)
        lock.lock()
        defer { lock.unlock() }
        if let existing = models[service] { return existing }
        models[service] = model
        return model
    }

    private func latestVersionFolder(of service: String) -> URL? {
        guard !service.isEmpty, !service.contains("/"), !service.hasPrefix(".") else { return nil }
        let folder = root.appendingPathComponent(service, isDirectory: true)
        guard let versions = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return nil }
        for version in versions.sorted(by: >) {
            let candidate = folder.appendingPathComponent(version, isDirectory: true)
            let fm = FileManager.default
            if fm.fileExists(atPath: candidate.appendingPathComponent("service-2.json.gz").path)
                || fm.fileExists(atPath: candidate.appendingPathComponent("service-2.json").path)
            {
                return candidate
            }
        }
        return nil
    }

    private func load(_ service: String) throws -> ServiceModel {
        guard let folder = latestVersionFolder(of: service) else {
            throw BotocoreDataError("unknown service", service: service)
        }
        guard let text = try readBytes(folder, "service-2.json", service: service, required: true) else {
            throw BotocoreDataError("service model missing", service: service, file: folder.path)
        }
        let extras = try readJSON(folder, "service-2.sdk-extras.json", service: service, required: false)?["merge"]?.objectValue ?? [:]
        var paginators =
            try readJSON(folder, "paginators-1.json", service: service, required: false)?["pagination"]?
            .objectValue ?? [:]
        if let extras = try readJSON(folder, "paginators-1.sdk-extras.json", service: service, required: false)?[
            "merge"]?["pagination"]?.objectValue
        {
            for (name, extra) in extras {
                var merged = paginators[name]?.objectValue ?? [:]
                for (key, value) in extra.objectValue ?? [:] { merged[key] = value }
                paginators[name] = .object(merged)
            }
        }
        let waiters =
            try readJSON(folder, "waiters-2.json", service: service, required: false)?["waiters"]?
            .objectValue ?? [:]
        do {
            return try ServiceModel(name: service, text: text, extras: extras, paginators: paginators, waiters: waiters)
        } catch let error as BotocoreDataError {
            throw BotocoreDataError(
                error.message, service: service, file: folder.appendingPathComponent("service-2.json.gz").path)
        }
    }

    /// `extra` merged into `base` as botocore's `merge_dicts` does: objects recursively, other values replaced.
    static func merge(_ base: JSON, _ extra: JSON) -> JSON {
        guard case .object(var result) = base, case .object(let additions) = extra else { return extra }
        for (key, value) in additions {
            if case .object = value, let existing = result[key] {
                result[key] = merge(existing, value)
            } else {
                result[key] = value
            }
        }
        return .object(result)
    }

    private func readJSON(_ folder: URL, _ name: String, service: String, required: Bool) throws -> JSON? {
        guard let (bytes, path) = try read(folder, name, service: service, required: required) else { return nil }
        do { return try JSON.parse(bytes) } catch {
            throw BotocoreDataError("invalid JSON: \(error)", service: service, file: path)
        }
    }

    private func readBytes(_ folder: URL, _ name: String, service: String, required: Bool) throws -> [UInt8]? {
        try read(folder, name, service: service, required: required)?.bytes
    }

    /// The contents of `name` in `folder`, from `name.gz` when there is one; `nil` when neither exists.
    private func read(_ folder: URL, _ name: String, service: String, required: Bool) throws -> (bytes: [UInt8], path: String)? {
        let fm = FileManager.default
        let gzPath = folder.appendingPathComponent(name + ".gz").path
        let plainPath = folder.appendingPathComponent(name).path
        let path: String
        let compressed: Bool
        if fm.fileExists(atPath: gzPath) {
            path = gzPath; compressed = true
        } else if fm.fileExists(atPath: plainPath) {
            path = plainPath; compressed = false
        } else {
            if required { throw BotocoreDataError("file missing", service: service, file: plainPath) }
            return nil
        }
        guard let data = fm.contents(atPath: path) else {
            throw BotocoreDataError("file cannot be read", service: service, file: path)
        }
        var bytes = [UInt8](data)
        if compressed {
            do { bytes = try Compression.gunzip(bytes) } catch {
                throw BotocoreDataError("cannot decompress: \(error)", service: service, file: path)
            }
        }
        return (bytes, path)
    }
}

/// A value computed on first use and kept for the life of the process.
final class PythonAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private let compute: () -> String?
    private var answered = false
    private var answer: String?

    init(_ compute: @escaping () -> String?) { self.compute = compute }

    var value: String? {
        lock.lock(); defer { lock.unlock() }
        if !answered { answer = compute(); answered = true }
        return answer
    }
}
