import CJavaScriptCore
import Foundation

/// Set by JavaScriptCore's execution-time-limit callback when it stops the code.
nonisolated(unsafe) var executionTimedOut = false

/// A JavaScript exception or a stop by the time limit, as the helper reports it.
struct ScriptFailure: Error {
    var kind: String
    var message: String
    var line: Int?
    var column: Int?
    var stack: String?
    /// The script the exception was thrown in.
    var sourceURL: String?
    /// The index of the item the code was handling (`each` mode).
    var itemIndex: Int?
    /// True once `line` and `column` were put in the user's code.
    var located = false
    /// The CPU time the step had used, for `cpu` failures.
    var cpuUsed: Double?
}

/// One JavaScriptCore context group for the helper's life, and the context of the current step.
///
/// Every call into JavaScript first sets the group's execution time limit to what is left of the
/// step's CPU budget (measured on this thread's CPU clock from the step's start); a call stopped by
/// the limit fails with kind `cpu`.
final class JSRuntime {
    let group: JSContextGroupRef
    private(set) var context: JSGlobalContextRef?
    private var cpuBudget: Double = 30
    private var cpuStart: Double = 0
    private var protected: [JSValueRef] = []

    init() {
        group = JSContextGroupCreate()
    }

    /// Creates a fresh context for a step with `cpuSeconds` of CPU time.
    func beginStep(cpuSeconds: Double) {
        endStep()
        context = JSGlobalContextCreateInGroup(group, nil)
        cpuBudget = cpuSeconds
        cpuStart = Self.threadCPUSeconds()
        executionTimedOut = false
    }

    /// Releases the step's context and collects its garbage.
    func endStep() {
        guard let context else { return }
        for value in protected { JSValueUnprotect(context, value) }
        protected = []
        JSGlobalContextRelease(context)
        JSGarbageCollect(nil)
        self.context = nil
    }

    /// Keeps `value` alive until the step ends.
    func protect(_ value: JSValueRef) {
        guard let context else { return }
        JSValueProtect(context, value)
        protected.append(value)
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The CPU time this thread spent since the step began.
    var stepCPUSeconds: Double { Self.threadCPUSeconds() - cpuStart }

    private func armTimeLimit() throws(ScriptFailure) {
        let remaining = cpuBudget - (Self.threadCPUSeconds() - cpuStart)
        guard remaining > 0 else { throw ScriptFailure(kind: "cpu", message: "CPU time limit exceeded", cpuUsed: stepCPUSeconds) }
        JSContextGroupSetExecutionTimeLimit(group, remaining, { _, _ in
            executionTimedOut = true
            return true
        }, nil)
    }

    /// Evaluates `source` as a script named `sourceURL`.
    func evaluate(_ source: String, sourceURL: String = "weft-internal") throws(ScriptFailure) -> JSValueRef {
        let context = self.context!
        try armTimeLimit()
        let script = JSStringCreateWithUTF8CString(source)
        let url = JSStringCreateWithUTF8CString(sourceURL)
        defer { JSStringRelease(script); JSStringRelease(url) }
        var exception: JSValueRef?
        let result = JSEvaluateScript(context, script, nil, url, 1, &exception)
        if let exception { throw failure(exception) }
        guard let result else { throw ScriptFailure(kind: "exception", message: "the script produced no value") }
        return result
    }

    /// Calls the function `function` with `arguments`.
    func call(_ function: JSValueRef, _ arguments: [JSValueRef]) throws(ScriptFailure) -> JSValueRef {
        let context = self.context!
        try armTimeLimit()
        var exception: JSValueRef?
        let object = JSValueToObject(context, function, nil)
        let result: JSValueRef? = arguments.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: Optional<JSValueRef>.self) { optional in
                JSObjectCallAsFunction(context, object, nil, arguments.count, optional.baseAddress, &exception)
            }
        }
        if let exception { throw failure(exception) }
        return result ?? JSValueMakeUndefined(context)
    }

    /// The member `name` of `object`.
    func property(_ object: JSValueRef, _ name: String) -> JSValueRef {
        let context = self.context!
        let key = JSStringCreateWithUTF8CString(name)
        defer { JSStringRelease(key) }
        return JSObjectGetProperty(context, JSValueToObject(context, object, nil), key, nil)!
    }

    /// The value of the JSON text in `bytes` (which must end with a zero byte).
    func parseJSON(_ bytes: [UInt8]) throws(ScriptFailure) -> JSValueRef {
        let context = self.context!
        let text = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { JSStringCreateWithUTF8CString($0.baseAddress) }
        }
        defer { JSStringRelease(text) }
        guard let value = JSValueMakeFromJSONString(context, text) else {
            throw ScriptFailure(kind: "protocol", message: "the items sent are not valid JSON")
        }
        return value
    }

    func string(_ text: String) -> JSValueRef {
        let value = JSStringCreateWithUTF8CString(text)
        defer { JSStringRelease(value) }
        return JSValueMakeString(context!, value)
    }

    func number(_ value: Double) -> JSValueRef { JSValueMakeNumber(context!, value) }

    func isUndefined(_ value: JSValueRef) -> Bool { JSValueIsUndefined(context!, value) }

    func bool(_ value: JSValueRef) -> Bool { JSValueToBoolean(context!, value) }

    /// The UTF-8 bytes of a JavaScript string value.
    func utf8(_ value: JSValueRef) -> [UInt8] {
        let context = self.context!
        guard let string = JSValueToStringCopy(context, value, nil) else { return [] }
        defer { JSStringRelease(string) }
        return Self.utf8(string)
    }

    static func utf8(_ string: JSStringRef) -> [UInt8] {
        let capacity = JSStringGetMaximumUTF8CStringSize(string)
        var bytes = [UInt8](repeating: 0, count: capacity)
        let written = bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { JSStringGetUTF8CString(string, $0.baseAddress, capacity) }
        }
        bytes.removeSubrange(max(0, written - 1)...)
        return bytes
    }

    static func swiftString(_ string: JSStringRef) -> String {
        String(decoding: utf8(string), as: UTF8.self)
    }

    /// Describes a thrown value: its name and message, line and column, and stack.
    func failure(_ exception: JSValueRef) -> ScriptFailure {
        let context = self.context!
        if executionTimedOut { return ScriptFailure(kind: "cpu", message: "CPU time limit exceeded", cpuUsed: stepCPUSeconds) }
        var failure = ScriptFailure(kind: "exception", message: describe(exception))
        guard JSValueIsObject(context, exception) else { return failure }
        func member(_ name: String) -> JSValueRef? {
            let value = property(exception, name)
            return JSValueIsUndefined(context, value) ? nil : value
        }
        if let stack = member("stack") { failure.stack = String(decoding: utf8(stack), as: UTF8.self) }
        if let line = member("line") { failure.line = Int(JSValueToNumber(context, line, nil)) }
        if let column = member("column") { failure.column = Int(JSValueToNumber(context, column, nil)) }
        if let index = member("weftItemIndex") { failure.itemIndex = Int(JSValueToNumber(context, index, nil)) }
        if let url = member("sourceURL") { failure.sourceURL = String(decoding: utf8(url), as: UTF8.self) }
        return failure
    }

    /// `TypeError: message`, or the thrown value as text.
    func describe(_ value: JSValueRef) -> String {
        let context = self.context!
        if JSValueIsObject(context, value) {
            let name = property(value, "name"), message = property(value, "message")
            if !JSValueIsUndefined(context, message) {
                let nameText = JSValueIsUndefined(context, name) ? "Error" : String(decoding: utf8(name), as: UTF8.self)
                return nameText + ": " + String(decoding: utf8(message), as: UTF8.self)
            }
        }
        return String(decoding: utf8(value), as: UTF8.self)
    }
}
