import Testing
import WeftJavaScript

@Suite("JavaScript limits")
struct JavaScriptLimitsTests {
    @Test("defaults follow SPEC 4.5")
    func defaults() {
        let limits = JavaScriptLimits()
        #expect(limits.cpuSeconds == 30)
        #expect(limits.memoryBytes == 512 * 1024 * 1024)
    }
}
