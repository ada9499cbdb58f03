import CJavaScriptCore
import Foundation
import WeftJavaScript
import WeftModel

/// The sandbox helper: reads frames on standard input, runs user JavaScript on JavaScriptCore,
/// writes frames on standard output (see `SandboxFrame` for the protocol). It exits when its input
/// ends. The code gets no file system, network, process or environment access: a bare
/// JavaScriptCore context has none and the helper adds none.

/// Closes every descriptor above standard error that the helper inherited.
func closeInheritedDescriptors() {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
    for name in names {
        if let descriptor = Int32(name), descriptor > 2 { close(descriptor) }
    }
}

/// The URL user code is evaluated under; stack frames naming it are the user's.
let customSourceURL = "code"

/// The state of the step being run and the answers to each request.
final class Helper {
    let runtime = JSRuntime()
    private var internals: JSValueRef?
    private var pendingFailure: ScriptFailure?
    private var outputBytes = 0
    private var outputLimit = Int.max
    private var wrapperLines = 1
    /// The user's code of the current step, by source URL.
    private var sources: [String: String] = [:]

    func handle(_ frame: SandboxFrame) -> [SandboxFrame] {
        do {
            switch frame.op {
            case "begin":
                try begin(frame.header)
                return [reply(["op": "ready"])]
            case "input":
                do { try addInput(frame) } catch { if pendingFailure == nil { pendingFailure = error } }
                return []
            case "each":
                try checkPending()
                let start = Double(frame.header["start"]?.intValue ?? 0)
                let text = try settle(runtime.call(method("each"), [try runtime.parseJSON(terminated(frame.body)), runtime.number(start)]))
                return [try output(op: "result", body: runtime.utf8(text))]
            case "run":
                try checkPending()
                let count = Int(JSValueToNumber(runtime.context, try settle(runtime.call(method("run"), [])), nil))
                var frames: [SandboxFrame] = []
                var start = 0
                let size = 4_096
                while start < count {
                    let text = try runtime.call(method("chunk"), [runtime.number(Double(start)), runtime.number(Double(size))])
                    frames.append(try output(op: "chunk", body: runtime.utf8(text)))
                    start += size
                }
                frames.append(reply(["op": "done", "count": .int(Int64(count))]))
                return frames
            case "conditions":
                try checkPending()
                let start = Double(frame.header["start"]?.intValue ?? 0)
                let text = try settle(runtime.call(method("conditions"), [try runtime.parseJSON(terminated(frame.body)), runtime.number(start)]))
                return [reply(["op": "verdicts"], body: runtime.utf8(text))]
            case "end":
                runtime.endStep()
                internals = nil
                return [reply(["op": "ended", "rss": .int(Int64(residentBytes()))])]
            default:
                throw ScriptFailure(kind: "protocol", message: "unknown request '\(frame.op)'")
            }
        } catch {
            return [errorFrame(error)]
        }
    }

    private func begin(_ header: JSONObject) throws(ScriptFailure) {
        runtime.beginStep(cpuSeconds: header["cpuSeconds"]?.doubleValue ?? 30)
        pendingFailure = nil
        sources = [:]
        outputBytes = 0
        outputLimit = Int(header["outputBytes"]?.intValue ?? Int64(Int.max))
        let handle = try runtime.evaluate(prelude)
        let context = runtime.context!
        internals = try runtime.call(handle, [Natives.object(in: context)])
        runtime.protect(internals!)
        let config: JSON = [
            "logBytes": header["logBytes"] ?? .int(1 << 20),
            "now": header["now"] ?? .null,
            "vars": header["vars"] ?? .object([:]),
            "execution": header["execution"] ?? .object([:]),
            "inputs": header["inputs"] ?? .array([]),
        ]
        var configText = Array(config.serialized().utf8)
        configText.append(0)
        _ = try runtime.call(method("configure"), [try runtime.parseJSON(configText)])
        if header["kind"]?.stringValue == "conditions" {
            for (id, code) in header["functions"]?.objectValue ?? [:] {
                let function = try compile(code.stringValue ?? "", parameters: "item, ctx", sourceURL: "condition \(id)")
                _ = try runtime.call(method("setCondition"), [runtime.string(id), function])
            }
        } else {
            let mode = header["mode"]?.stringValue ?? "all"
            let parameters = mode == "each" ? "item, index, inputs, weft" : "items, inputs, weft"
            let function = try compile(header["code"]?.stringValue ?? "", parameters: parameters, sourceURL: customSourceURL)
            _ = try runtime.call(method("setCustom"), [function])
        }
    }

    /// Compiles a function body; `await` in it makes the function async.
    private func compile(_ code: String, parameters: String, sourceURL: String) throws(ScriptFailure) -> JSValueRef {
        let isAsync = code.range(of: #"\bawait\b"#, options: .regularExpression) != nil
        sources[sourceURL] = code
        let source = "(\(isAsync ? "async " : "")function (\(parameters)) {\n\(code)\n})"
        let function: JSValueRef
        do {
            function = try runtime.evaluate(source, sourceURL: sourceURL)
        } catch {
            throw locate(error, sourceURL: sourceURL)
        }
        guard JSObjectIsFunction(runtime.context, JSValueToObject(runtime.context, function, nil)) else {
            throw ScriptFailure(kind: "syntax", message: "SyntaxError: the code must be the body of a function")
        }
        runtime.protect(function)
        return function
    }

    private func addInput(_ frame: SandboxFrame) throws(ScriptFailure) {
        var arguments = [try runtime.parseJSON(terminated(frame.body))]
        if let name = frame.header["name"]?.stringValue { arguments.append(runtime.string(name)) }
        _ = try runtime.call(method("addInput"), arguments)
    }

    private func checkPending() throws(ScriptFailure) {
        if let pendingFailure { throw pendingFailure }
    }

    private func method(_ name: String) throws(ScriptFailure) -> JSValueRef {
        guard let internals else { throw ScriptFailure(kind: "protocol", message: "no step was begun") }
        return runtime.property(internals, name)
    }

    /// The value of `value`, or of the promise it is, once settled.
    private func settle(_ value: JSValueRef) throws(ScriptFailure) -> JSValueRef {
        let context = runtime.context!
        guard JSValueIsObject(context, value), JSValueIsObject(context, runtime.property(value, "then")) else { return value }
        let box = try runtime.call(method("settle"), [value])
        var attempts = 0
        while !runtime.bool(runtime.property(box, "done")) {
            attempts += 1
            if attempts > 10 {
                throw ScriptFailure(kind: "exception", message: "Error: the code's promise never settled (there are no timers or I/O in the sandbox)")
            }
            _ = try runtime.evaluate("void 0")
        }
        if runtime.bool(runtime.property(box, "failed")) {
            throw runtime.failure(runtime.property(box, "error"))
        }
        return runtime.property(box, "value")
    }

    private func output(op: String, body: [UInt8]) throws(ScriptFailure) -> SandboxFrame {
        outputBytes += body.count
        if outputBytes > outputLimit { throw ScriptFailure(kind: "output", message: "output limit exceeded") }
        return reply(["op": .string(op)], body: body)
    }

    private func terminated(_ bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        copy.append(0)
        return copy
    }

    /// A frame with the console lines logged since the last one.
    private func reply(_ header: JSONObject, body: [UInt8] = []) -> SandboxFrame {
        var header = header
        if internals != nil, let logs = try? runtime.call(method("takeLogs"), []) {
            let text = runtime.utf8(logs)
            if !text.isEmpty, let parsed = try? JSON.parse(text) { header["logs"] = parsed }
        }
        return SandboxFrame(header, body: body)
    }

    private func errorFrame(_ error: any Error) -> SandboxFrame {
        let failure = (error as? ScriptFailure).map { locate($0, sourceURL: customSourceURL) }
            ?? ScriptFailure(kind: "protocol", message: "\(error)")
        var details: JSONObject = ["kind": .string(failure.kind), "message": .string(failure.message)]
        if let line = failure.line { details["line"] = .int(Int64(line)) }
        if let column = failure.column { details["column"] = .int(Int64(column)) }
        if let stack = failure.stack { details["stack"] = .string(stack) }
        if let index = failure.itemIndex { details["itemIndex"] = .int(Int64(index)) }
        if let used = failure.cpuUsed { details["cpuSeconds"] = .double(used) }
        return reply(["op": "error", "error": .object(details)])
    }

    /// Puts the failure's line and column in the user's code: those of the exception when it was
    /// thrown there, else those of the innermost stack frame in it; `nil` when none is.
    private func locate(_ failure: ScriptFailure, sourceURL: String) -> ScriptFailure {
        var failure = failure
        guard !failure.located, failure.kind == "exception" || failure.kind == "syntax" else { return failure }
        failure.located = true
        if failure.message.hasPrefix("SyntaxError") { failure.kind = "syntax" }
        if failure.sourceURL == sourceURL, let line = failure.line {
            failure.line = max(1, line - wrapperLines)
            if failure.column == nil, failure.kind == "syntax" { failure.column = syntaxColumn(failure.message, line: failure.line!, code: sources[sourceURL] ?? "") }
            return failure
        }
        failure.line = nil
        failure.column = nil
        for frame in (failure.stack ?? "").split(separator: "\n") {
            guard let at = frame.range(of: "@" + sourceURL + ":") else { continue }
            let numbers = frame[at.upperBound...].split(separator: ":").compactMap { Int($0) }
            if numbers.count >= 1 { failure.line = max(1, numbers[0] - wrapperLines) }
            if numbers.count >= 2 { failure.column = numbers[1] }
            break
        }
        return failure
    }

    /// The column of the token a syntax error names (`Unexpected token ';'`) on `line` of `code`,
    /// or the end of the line for `Unexpected end of script`.
    private func syntaxColumn(_ message: String, line: Int, code: String) -> Int? {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        let text = lines[line - 1]
        if message.contains("end of script") { return text.count + 1 }
        guard let open = message.firstIndex(of: "'"), let close = message.lastIndex(of: "'"), open < close else { return nil }
        let token = message[message.index(after: open)..<close]
        guard !token.isEmpty, let found = text.range(of: token) else { return nil }
        return text.distance(from: text.startIndex, to: found.lowerBound) + 1
    }

    private func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

closeInheritedDescriptors()
var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &noCore)

let channel = SandboxChannel(read: 0, write: 1)
let helper = Helper()
while true {
    let frame: SandboxFrame?
    do { frame = try channel.read() } catch {
        FileHandle.standardError.write(Data("weft-sandbox: \(error)\n".utf8))
        exit(2)
    }
    guard let frame else { exit(0) }
    for answer in helper.handle(frame) {
        do { try channel.write(answer) } catch { exit(0) }
    }
}
