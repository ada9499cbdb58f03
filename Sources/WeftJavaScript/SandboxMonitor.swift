import Foundation

/// Watches the helpers that are running a step and kills those past their limits.
///
/// Every 20 ms it reads each watched helper's resident memory and CPU time from `/proc`: a helper
/// whose resident memory passes `memoryBytes`, whose CPU time since the step began passes
/// `cpuSeconds` plus a grace (JavaScriptCore's own limit normally stops the code first; built-in
/// functions ignore it), or that has been busy on requests for longer than twice `cpuSeconds` plus
/// 5 s of wall-clock time is killed, and the kill's reason is kept on the process.
final class SandboxMonitor: @unchecked Sendable {
    static let shared = SandboxMonitor()

    static let interval: useconds_t = 20_000

    private let condition = NSCondition()
    private var watches: [ObjectIdentifier: SandboxWatch] = [:]
    private var started = false

    func add(_ watch: SandboxWatch) {
        condition.lock()
        watches[ObjectIdentifier(watch)] = watch
        if !started {
            started = true
            let thread = Thread { [self] in run() }
            thread.name = "weft-sandbox-monitor"
            thread.start()
        }
        condition.signal()
        condition.unlock()
    }

    func remove(_ watch: SandboxWatch) {
        condition.lock()
        watches[ObjectIdentifier(watch)] = nil
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while watches.isEmpty { condition.wait() }
            let current = Array(watches.values)
            condition.unlock()
            for watch in current { watch.check() }
            usleep(Self.interval)
        }
    }
}

/// The limits of one step on one helper, and how long the helper has been busy on it.
final class SandboxWatch: @unchecked Sendable {
    let process: SandboxProcess
    let limits: JavaScriptLimits
    private let cpuBaseline: Double
    private let timing = SandboxLock<(busySince: Date?, busyTotal: Double)>((nil, 0))

    init(process: SandboxProcess, limits: JavaScriptLimits) {
        self.process = process
        self.limits = limits
        cpuBaseline = process.cpuSeconds ?? 0
    }

    /// The CPU time allowed past `cpuSeconds` before the parent kills the helper.
    var cpuGrace: Double { max(0.5, limits.cpuSeconds * 0.1) }

    /// The wall-clock time a helper may spend busy on the step's requests.
    var wallSeconds: Double { limits.cpuSeconds * 2 + 5 }

    /// Runs `body` counting its time as busy.
    func busy<T>(_ body: () throws -> T) rethrows -> T {
        timing.withLock { $0.busySince = Date() }
        defer {
            timing.withLock { state in
                if let since = state.busySince { state.busyTotal += Date().timeIntervalSince(since) }
                state.busySince = nil
            }
        }
        return try body()
    }

    func check() {
        if let resident = process.residentBytes, resident > limits.memoryBytes {
            process.kill(for: .memory)
            return
        }
        if let used = process.cpuSeconds, used - cpuBaseline > limits.cpuSeconds + cpuGrace {
            process.kill(for: .cpu)
            return
        }
        let busy = timing.withLock { state in state.busyTotal + (state.busySince.map { Date().timeIntervalSince($0) } ?? 0) }
        if busy > wallSeconds { process.kill(for: .cpu) }
    }
}
