import Foundation

/// Warm sandbox helpers shared by the steps of a process, at most `size` running at once.
///
/// `withSession` lends a helper to one step: an idle one, or a new one when none is idle. After
/// the step the helper goes back to the pool unless it failed in a way that retires it (a limit,
/// a crash, a cancellation), or still holds more than `retainedMemoryBytes` of resident memory;
/// a retired helper is killed and a later step starts a new one. Steps beyond `size` wait.
public final class JavaScriptSandboxPool: Sendable {
    /// The pool of the process, used when no other is registered with the run.
    public static let shared = JavaScriptSandboxPool()

    /// The most helpers running at once.
    public let size: Int
    /// A helper holding more resident memory than this after a step is not kept.
    public let retainedMemoryBytes: Int
    private let executable: String?
    private let state = SandboxLock<State>(State())

    private struct State {
        var idle: [SandboxProcess] = []
        var active = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// - Parameters:
    ///   - executable: the helper's path; by default `locateHelper()` finds it at first use.
    ///   - size: the most helpers at once; by default the number of processor cores.
    public init(executable: String? = nil, size: Int = ProcessInfo.processInfo.activeProcessorCount,
                retainedMemoryBytes: Int = 256 << 20) {
        self.executable = executable
        self.size = max(1, size)
        self.retainedMemoryBytes = retainedMemoryBytes
    }

    /// The helper executable: `WEFT_SANDBOX` when set, else `weft-sandbox` in the folder of the
    /// running executable.
    /// - Throws: `JavaScriptError` (`crashed`) when it is not there.
    public static func locateHelper() throws -> String {
        if let path = ProcessInfo.processInfo.environment["WEFT_SANDBOX"], !path.isEmpty { return path }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? ""
        let path = ((executable as NSString).deletingLastPathComponent as NSString).appendingPathComponent("weft-sandbox")
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw JavaScriptError(.crashed, "the JavaScript sandbox helper is not installed: no executable \(path) (set WEFT_SANDBOX to its path)")
        }
        return path
    }

    /// Runs `body` with a session on a helper, on a thread of its own (the session's calls block).
    ///
    /// Cancelling the calling task kills the helper, which makes the session's pending call throw
    /// `JavaScriptError` (`cancelled`).
    public func withSession<T: Sendable>(limits: JavaScriptLimits = JavaScriptLimits(),
                                         _ body: @escaping @Sendable (JavaScriptSession) throws -> T) async throws -> T {
        await acquireSlot()
        defer { releaseSlot() }
        try Task.checkCancellation()
        let process: SandboxProcess
        if let warm = state.withLock({ $0.idle.popLast() }) {
            process = warm
        } else {
            process = try SandboxProcess.launch(executable: executable ?? Self.locateHelper())
        }
        let session = JavaScriptSession(process: process, limits: limits)
        let result: Result<T, any Error> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    continuation.resume(returning: Result { try body(session) })
                }
                thread.name = "weft-javascript"
                thread.stackSize = 4 << 20
                thread.start()
            }
        } onCancel: {
            session.cancel()
        }
        if let resident = session.end(), resident <= retainedMemoryBytes {
            state.withLock { $0.idle.append(process) }
        } else {
            process.terminate(for: .crashed)
        }
        return try result.get()
    }

    /// Stops the idle helpers.
    public func shutdown() {
        let idle = state.withLock { current -> [SandboxProcess] in
            defer { current.idle = [] }
            return current.idle
        }
        for process in idle { process.closeChannel() }
    }

    private func acquireSlot() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { current -> Bool in
                if current.active < size {
                    current.active += 1
                    return true
                }
                current.waiters.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    private func releaseSlot() {
        let next = state.withLock { current -> CheckedContinuation<Void, Never>? in
            if current.waiters.isEmpty {
                current.active -= 1
                return nil
            }
            return current.waiters.removeFirst()
        }
        next?.resume()
    }
}
