/// Limits applied to one step's user JavaScript (SPEC 4.5: 30 s of CPU and 512 MB by default).
///
/// The CPU limit bounds the CPU time the helper process spends on the step (JavaScriptCore's
/// execution time limit inside, the parent's watch of the process' CPU time outside). The memory
/// limit bounds the helper's resident memory, watched by the parent. The output and console limits
/// bound what the step may hand back.
public struct JavaScriptLimits: Sendable, Equatable {
    public var cpuSeconds: Double
    public var memoryBytes: Int
    /// The most JSON text the code may output over the step.
    public var outputBytes: Int
    /// The most console text kept for the step; later lines are dropped, with a note saying so.
    public var logBytes: Int

    public init(cpuSeconds: Double = 30, memoryBytes: Int = 512 << 20, outputBytes: Int = 1 << 30, logBytes: Int = 1 << 20) {
        self.cpuSeconds = cpuSeconds; self.memoryBytes = memoryBytes
        self.outputBytes = outputBytes; self.logBytes = logBytes
    }

    /// The largest values a flow may ask for: 10 minutes of CPU and 8 GiB of memory.
    public static let maximum = JavaScriptLimits(cpuSeconds: 600, memoryBytes: 8 << 30, outputBytes: 4 << 30, logBytes: 16 << 20)
}
