import Foundation
import WeftModel

/// One step's use of a sandbox helper: a fresh JavaScript context, the code compiled in it, and
/// requests that hand it items.
///
/// A session is used from one thread and its calls block; `JavaScriptSandboxPool.withSession`
/// runs the body that uses it on a thread of its own. After the first failure every call throws
/// that failure again.
public final class JavaScriptSession: @unchecked Sendable {
    /// How a `custom` node's code receives items.
    public enum Mode: String, Sendable {
        /// The code receives all items as `items` and returns an array.
        case all
        /// The code runs once per item with `item` and `index` and returns a value, an array, or nothing.
        case each
    }

    /// What the code may read besides its items: `weft.vars` and `weft.execution`.
    public struct Environment: Sendable {
        public var variables: JSONObject
        public var execution: JSON
        public init(variables: JSONObject = [:], execution: JSON = .object([:])) {
            self.variables = variables
            self.execution = execution
        }
    }

    public let limits: JavaScriptLimits
    let process: SandboxProcess
    let watch: SandboxWatch
    private(set) var begun = false
    private var failure: JavaScriptError?
    private var outputBytes = 0
    private var consoleLines: [String] = []

    init(process: SandboxProcess, limits: JavaScriptLimits) {
        self.process = process
        self.limits = limits
        watch = SandboxWatch(process: process, limits: limits)
    }

    /// The console lines of the step so far, as `[log] text`, `[warn] text`, `[error] text`.
    public var logs: [String] { consoleLines }

    /// The helper's process id.
    public var processIdentifier: Int32 { process.pid }

    /// True when the helper must not be used again.
    var isBroken: Bool { failure?.retiresHelper ?? false }

    /// Compiles `code`, the body of a `custom` node's function.
    ///
    /// In `all` mode the body sees `items`, `inputs` and `weft`; in `each` mode `item`, `index`,
    /// `inputs` and `weft`. `inputs` holds the arrays of `inputNames`, sent with `addInput`.
    /// - Throws: `JavaScriptError` (`syntax`) when the code does not parse.
    public func beginCustom(code: String, mode: Mode, inputNames: [String] = [], environment: Environment) throws {
        let header: JSONObject = [
            "op": "begin", "kind": "custom", "mode": .string(mode.rawValue), "code": .string(code),
            "inputs": .array(inputNames.map(JSON.string)),
            "vars": .object(environment.variables), "execution": environment.execution,
        ]
        try begin(header)
    }

    /// Compiles the `function` conditions `functions` (id and function body receiving `item` and `ctx`).
    /// `now` is `ctx.now`.
    /// - Throws: `JavaScriptError` (`syntax`, naming the condition) when a body does not parse.
    public func beginConditions(_ functions: [(id: String, code: String)], environment: Environment, now: String) throws {
        var codes = JSONObject()
        for function in functions { codes[function.id] = .string(function.code) }
        let header: JSONObject = [
            "op": "begin", "kind": "conditions", "functions": .object(codes), "now": .string(now),
            "vars": .object(environment.variables), "execution": environment.execution,
        ]
        try begin(header)
    }

    private func begin(_ header: JSONObject) throws {
        var header = header
        header["cpuSeconds"] = .double(limits.cpuSeconds)
        header["outputBytes"] = .int(Int64(limits.outputBytes))
        header["logBytes"] = .int(Int64(limits.logBytes))
        SandboxMonitor.shared.add(watch)
        begun = true
        let reply = try request(header)
        try expect(reply, "ready")
    }

    /// Appends a page of items (the compact JSON text of an array) to `items` or, with a `name`, to
    /// `inputs[name]`, for the `all` mode's `run`.
    public func addInput(name: String? = nil, page: [UInt8]) throws {
        try checkUsable()
        var header: JSONObject = ["op": "input"]
        if let name { header["name"] = .string(name) }
        do {
            try page.withUnsafeBytes { buffer in try process.channel.write(header, body: buffer) }
        } catch let error as SandboxIOError {
            throw fail(ioError: error)
        }
    }

    /// Runs the `each` code on a page of items whose first has index `start`; returns the items produced.
    public func runEach(start: Int, page: [UInt8]) throws -> [JSON] {
        let reply = try request(["op": "each", "start": .int(Int64(start))], body: page)
        try expect(reply, "result")
        return try items(of: reply)
    }

    /// Runs the `all` code on the items added; `chunk` receives the items it returned, in order, a
    /// page at a time.
    public func runAll(_ chunk: ([JSON]) throws -> Void) throws {
        try checkUsable()
        do {
            try watch.busy {
                try process.channel.write(SandboxFrame(["op": "run"]))
                while true {
                    let reply = try receive()
                    if reply.op == "done" { return }
                    try expect(reply, "chunk")
                    try chunk(try items(of: reply))
                }
            }
        } catch let error as SandboxIOError {
            throw fail(ioError: error)
        }
    }

    /// Evaluates the conditions begun on a page of items whose first has index `start`.
    /// - Returns: per condition id, one result per item: `held`, `notHeld`, or `unevaluable` with
    ///   the exception thrown or the non-boolean value returned.
    public func evaluateConditions(start: Int, page: [UInt8]) throws -> [String: [ConditionResult]] {
        let reply = try request(["op": "conditions", "start": .int(Int64(start))], body: page)
        try expect(reply, "verdicts")
        guard case .object(let verdicts) = try parse(reply.body) else {
            throw fail(JavaScriptError(.crashed, "the sandbox answered verdicts that are not an object"))
        }
        var results: [String: [ConditionResult]] = [:]
        for (id, list) in verdicts {
            results[id] = (list.arrayValue ?? []).map { verdict in
                switch verdict {
                case .bool(true): return .held("function returned true")
                case .bool(false): return .notHeld("function returned false")
                default:
                    if let message = verdict["error"]?.stringValue { return .unevaluable("function threw \(message)") }
                    let value = verdict["value"]?.stringValue ?? "undefined"
                    return .unevaluable("function returned \(value), not a boolean")
                }
            }
        }
        return results
    }

    /// Ends the step in the helper: the context is thrown away. Returns the helper's resident memory
    /// afterwards, or `nil` when the helper cannot be reused.
    func end() -> Int? {
        SandboxMonitor.shared.remove(watch)
        guard failure == nil || !isBroken else { return nil }
        guard begun else { return process.residentBytes }
        guard let reply = try? request(["op": "end"]), reply.op == "ended" else { return nil }
        return reply.header["rss"]?.intValue.map { Int($0) } ?? process.residentBytes
    }

    /// Stops the session's helper: called when the step is cancelled.
    func cancel() {
        process.kill(for: .cancelled)
    }

    private func request(_ header: JSONObject, body: [UInt8] = []) throws -> SandboxFrame {
        try checkUsable()
        do {
            return try watch.busy {
                try body.withUnsafeBytes { buffer in try process.channel.write(header, body: buffer) }
                return try receive()
            }
        } catch let error as SandboxIOError {
            throw fail(ioError: error)
        }
    }

    /// Reads the next frame, keeping its console lines and turning an `error` frame into a thrown error.
    private func receive() throws -> SandboxFrame {
        guard let frame = try process.channel.read() else { throw SandboxIOError.closed }
        if case .array(let lines)? = frame.header["logs"] {
            for line in lines {
                guard case .array(let pair) = line, pair.count == 2,
                      let level = pair[0].stringValue, let text = pair[1].stringValue else { continue }
                consoleLines.append("[\(level)] \(text)")
            }
        }
        if frame.op == "error" {
            let details = frame.header["error"] ?? .null
            let kind = JavaScriptError.Kind(rawValue: details["kind"]?.stringValue ?? "") ?? .crashed
            var error = JavaScriptError(kind, details["message"]?.stringValue ?? "unknown error",
                                        line: details["line"]?.intValue.map { Int($0) },
                                        column: details["column"]?.intValue.map { Int($0) },
                                        stack: details["stack"]?.stringValue)
            error.itemIndex = details["itemIndex"]?.intValue.map { Int($0) }
            error.cpuSeconds = details["cpuSeconds"]?.doubleValue
            if kind == .cpu { error.message = cpuMessage }
            if kind == .output { error.message = outputMessage }
            throw fail(error)
        }
        outputBytes += frame.body.count
        if outputBytes > limits.outputBytes {
            process.kill(for: .output)
            throw fail(JavaScriptError(.output, outputMessage))
        }
        return frame
    }

    private func expect(_ frame: SandboxFrame, _ op: String) throws {
        guard frame.op == op else {
            throw fail(JavaScriptError(.crashed, "the sandbox answered '\(frame.op)' where '\(op)' was expected"))
        }
    }

    private func items(of frame: SandboxFrame) throws -> [JSON] {
        guard case .array(let items) = try parse(frame.body) else {
            throw fail(JavaScriptError(.crashed, "the sandbox answered items that are not an array"))
        }
        return items
    }

    private func parse(_ bytes: [UInt8]) throws -> JSON {
        do { return try JSON.parse(bytes) } catch {
            throw fail(JavaScriptError(.crashed, "the sandbox answered invalid JSON: \(error)"))
        }
    }

    private func checkUsable() throws {
        if let failure { throw failure }
    }

    private func fail(_ error: JavaScriptError) -> JavaScriptError {
        if failure == nil { failure = error }
        if error.retiresHelper { process.kill(for: error.kind) }
        return failure ?? error
    }

    private func fail(ioError: SandboxIOError) -> JavaScriptError {
        let reason = process.killedFor ?? {
            process.kill(for: .crashed)
            return .crashed
        }()
        switch reason {
        case .memory:
            return fail(JavaScriptError(.memory, "the JavaScript exceeded the memory limit of \(Self.describe(bytes: limits.memoryBytes)); its sandbox process was stopped"))
        case .cpu:
            return fail(JavaScriptError(.cpu, cpuMessage))
        case .cancelled:
            return fail(JavaScriptError(.cancelled, "the JavaScript was stopped: the step was cancelled or timed out"))
        case .output:
            return fail(JavaScriptError(.output, outputMessage))
        default:
            var message = "the JavaScript sandbox process ended unexpectedly"
            if let exit = process.exitDescription() { message += " (\(exit))" }
            if case .malformed(let problem) = ioError { message += ": \(problem)" }
            let stderr = process.stderrTail
            if !stderr.isEmpty { message += ": " + String(stderr.suffix(1_000)) }
            return fail(JavaScriptError(.crashed, message))
        }
    }

    private var cpuMessage: String {
        "the JavaScript exceeded its CPU time limit of \(Self.describe(seconds: limits.cpuSeconds)); its sandbox process was stopped"
    }

    private var outputMessage: String {
        "the JavaScript's output exceeded the limit of \(Self.describe(bytes: limits.outputBytes))"
    }

    /// `512 MB`, `1.5 GB`.
    static func describe(bytes: Int) -> String {
        let megabytes = Double(bytes) / Double(1 << 20)
        if megabytes >= 1_024 { return Self.trim(megabytes / 1_024) + " GB" }
        return Self.trim(megabytes) + " MB"
    }

    /// `30 s`, `0.2 s`.
    static func describe(seconds: Double) -> String { Self.trim(seconds) + " s" }

    private static func trim(_ value: Double) -> String { String(format: "%g", value) }
}
