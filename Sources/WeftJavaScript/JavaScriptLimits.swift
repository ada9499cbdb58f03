/// Limits applied to one step's user JavaScript (SPEC 4.5: 30 s of CPU and 512 MB by default).
public struct JavaScriptLimits: Sendable, Equatable {
    public var cpuSeconds: Double
    public var memoryBytes: Int

    public init(cpuSeconds: Double = 30, memoryBytes: Int = 512 << 20) {
        self.cpuSeconds = cpuSeconds; self.memoryBytes = memoryBytes
    }
}
