import Foundation

/// One running sandbox helper: its process id, the socket it reads and writes frames on, and the
/// tail of what it wrote to standard error.
///
/// The helper gets an empty environment, its own standard error pipe, and no other descriptor
/// meant for it (it closes any it inherited). A thread per helper drains standard error and reaps
/// the process when it exits.
final class SandboxProcess: @unchecked Sendable {
    let pid: pid_t
    let channel: SandboxChannel
    private let socketDescriptor: Int32
    private let state = SandboxLock<State>(State())

    private struct State {
        var stderrTail: [UInt8] = []
        var exitStatus: Int32?
        var killedFor: JavaScriptError.Kind?
        var closed = false
    }

    /// The most standard error text kept.
    static let stderrTailLength = 8_192

    private init(pid: pid_t, socketDescriptor: Int32, stderr: Int32) {
        self.pid = pid
        self.socketDescriptor = socketDescriptor
        channel = SandboxChannel(read: socketDescriptor, write: socketDescriptor)
        let thread = Thread { [state] in
            var buffer = [UInt8](repeating: 0, count: 4_096)
            while true {
                let got = buffer.withUnsafeMutableBytes { Foundation.read(stderr, $0.baseAddress, $0.count) }
                if got < 0, errno == EINTR { continue }
                if got <= 0 { break }
                state.withLock { current in
                    current.stderrTail.append(contentsOf: buffer[0..<got])
                    if current.stderrTail.count > Self.stderrTailLength {
                        current.stderrTail.removeFirst(current.stderrTail.count - Self.stderrTailLength)
                    }
                }
            }
            Foundation.close(stderr)
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0, errno == EINTR {}
            state.withLock { current in
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                current.exitStatus = status
            }
        }
        thread.name = "weft-sandbox-\(pid)"
        thread.start()
    }

    /// Starts the helper at `executable`.
    /// - Throws: `JavaScriptError` (`crashed`) when it cannot be started.
    static func launch(executable: String) throws -> SandboxProcess {
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw JavaScriptError(.crashed, "cannot create a socket pair for the JavaScript sandbox: \(String(cString: strerror(errno)))")
        }
        var errPipe: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &errPipe) == 0 else {
            Foundation.close(pair[0]); Foundation.close(pair[1])
            throw JavaScriptError(.crashed, "cannot create a pipe for the JavaScript sandbox: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pair[1], 0)
        posix_spawn_file_actions_adddup2(&actions, pair[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable), nil]
        defer { for pointer in argv { free(pointer) } }
        let envp: [UnsafeMutablePointer<CChar>?] = [nil]
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        Foundation.close(pair[1])
        Foundation.close(errPipe[1])
        guard status == 0 else {
            Foundation.close(pair[0]); Foundation.close(errPipe[0])
            throw JavaScriptError(.crashed, "cannot start the JavaScript sandbox helper \(executable): \(String(cString: strerror(status)))")
        }
        return SandboxProcess(pid: pid, socketDescriptor: pair[0], stderr: errPipe[0])
    }

    /// The limit or event for which the parent killed the helper, if it did.
    var killedFor: JavaScriptError.Kind? { state.withLock { $0.killedFor } }

    /// Kills the helper (SIGKILL), remembering `reason` when it is the first one.
    func kill(for reason: JavaScriptError.Kind) {
        state.withLock { current in
            guard current.exitStatus == nil else { return }
            if current.killedFor == nil { current.killedFor = reason }
            _ = Foundation.kill(pid, SIGKILL)
        }
    }

    /// Closes the parent's end; the helper exits when it reads the end of its input.
    func closeChannel() {
        let wasOpen = state.withLock { current -> Bool in
            defer { current.closed = true }
            return !current.closed
        }
        if wasOpen { Foundation.shutdown(socketDescriptor, Int32(SHUT_RDWR)); Foundation.close(socketDescriptor) }
    }

    /// Kills the helper and closes the parent's end.
    func terminate(for reason: JavaScriptError.Kind) {
        kill(for: reason)
        closeChannel()
    }

    /// How the helper ended — `exit status 3`, `signal 6` — waiting up to `timeout` seconds for it.
    func exitDescription(waiting timeout: Double = 1) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let status = state.withLock({ $0.exitStatus }) {
                let signal = status & 0x7f
                return signal == 0 ? "exit status \((status >> 8) & 0xff)" : "signal \(signal)"
            }
            if Date() > deadline { return nil }
            usleep(2_000)
        }
    }

    /// The last lines the helper wrote to standard error, trimmed.
    var stderrTail: String {
        let bytes = state.withLock { $0.stderrTail }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The helper's resident memory in bytes, from `/proc/PID/statm`.
    var residentBytes: Int? {
        guard let text = Self.readSmallFile("/proc/\(pid)/statm") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The CPU time (user + system, all threads) the helper used so far, from `/proc/PID/stat`.
    var cpuSeconds: Double? {
        guard let text = Self.readSmallFile("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { Foundation.close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1_024)
        let got = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
        guard got > 0 else { return nil }
        return String(decoding: buffer[0..<got], as: UTF8.self)
    }
}

/// A value guarded by a lock.
final class SandboxLock<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
