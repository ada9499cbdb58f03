import Foundation

/// A helper process serving on 127.0.0.1 for tests: moto's server, a fault-injecting proxy. The
/// process is stopped when the value goes away.
public final class LoopbackProcess: @unchecked Sendable {
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }
    private let process: Process
    private let log: URL
    /// The helper's stdin: when it closes — here, or because the test process died — the helper is killed.
    private let lifeline = Pipe()

    /// Starts `executable arguments` (a `{port}` argument is replaced by a free port) and waits until
    /// `readyPath` answers over HTTP, for at most `timeout` seconds.
    public init(executable: String, arguments: [String], readyPath: String = "/", environment: [String: String] = [:],
                timeout: TimeInterval = 30) throws {
        port = try Self.freePort()
        log = FileManager.default.temporaryDirectory.appendingPathComponent("weft-loopback-\(port).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // Some servers ignore SIGTERM (moto_server); the shell kills the program when its stdin closes.
        process.arguments = ["-c", "\"$@\" & child=$!; trap 'kill -9 $child 2>/dev/null' EXIT; read _ || true", "sh", executable]
            + arguments.map { $0.replacingOccurrences(of: "{port}", with: String(port)) }
        process.standardInput = lifeline
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !process.isRunning { break }
            if (try? Self.get(url + readyPath)) != nil { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        stop()
        throw LoopbackProcessError(description: "\(executable) did not start on 127.0.0.1:\(port) within \(Int(timeout)) s: \(output.suffix(2_000))")
    }

    /// `init`, waiting on a thread of its own rather than on the concurrency pool.
    public static func start(executable: String, arguments: [String], readyPath: String = "/",
                             environment: [String: String] = [:]) async throws -> LoopbackProcess {
        try await offThePool {
            try LoopbackProcess(executable: executable, arguments: arguments, readyPath: readyPath, environment: environment)
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: log)
    }

    private func stop() {
        try? lifeline.fileHandleForWriting.close()
        if process.isRunning { process.waitUntilExit() }
    }

    /// What the process printed so far.
    public var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// A port that was free a moment ago on 127.0.0.1.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackProcessError(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw LoopbackProcessError(description: "bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else { throw LoopbackProcessError(description: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A blocking GET or POST to a loopback URL; returns the body, throws on a transport error.
    @discardableResult
    public static func get(_ url: String, method: String = "GET") throws -> Data {
        guard url.hasPrefix("http://127.0.0.1:") else { throw LoopbackProcessError(description: "not a loopback URL: \(url)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sys, urllib.request
            request = urllib.request.Request(sys.argv[1], method=sys.argv[2], data=b"" if sys.argv[2] == "POST" else None)
            sys.stdout.buffer.write(urllib.request.urlopen(request, timeout=2).read())
            """, url, method]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw LoopbackProcessError(description: "\(method) \(url) failed") }
        return data
    }
}

public struct LoopbackProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// moto's server mode (`moto_server`, PyPI `moto[server]`) on 127.0.0.1: the AWS stand-in for tests.
public enum MotoServer {
    /// Starts a new moto server at a free port. `environment` configures moto, e.g.
    /// `INITIAL_NO_AUTH_ACTION_COUNT=0` to make it check access keys.
    public static func start(environment: [String: String] = [:]) async throws -> LoopbackProcess {
        try await offThePool { try startBlocking(environment: environment) }
    }

    /// `start`, for callers outside async code.
    public static func startBlocking(environment: [String: String] = [:]) throws -> LoopbackProcess {
        try LoopbackProcess(executable: "moto_server", arguments: ["-H", "127.0.0.1", "-p", "{port}"],
                            readyPath: "/moto-api/",
                            environment: environment.merging(["AWS_EC2_METADATA_DISABLED": "true"]) { given, _ in given })
    }
}
