import Foundation
import Testing
import WeftModel

@Suite("Compression")
struct CompressionTests {
    @Test("gzip then gunzip gives the input back", arguments: [0, 1, 100, 65_535, 65_536, 65_537, 3_000_000])
    func roundTrip(size: Int) throws {
        let text = Array(String(repeating: "{\"BucketName\":\"logs-\(size)\",\"Public\":false}", count: size / 40 + 1).utf8)
        let compressible = Array(text.prefix(size))
        let random = randomBytes(size)
        for input in [compressible, random] {
            let compressed = Compression.gzip(input)
            #expect(Array(compressed.prefix(2)) == [0x1F, 0x8B])
            #expect(try Compression.gunzip(compressed) == input)
        }
    }

    @Test("output far larger than the chunk size decompresses whole")
    func largeExpansion() throws {
        let input = [UInt8](repeating: 7, count: 40 * 1024 * 1024)
        let compressed = Compression.gzip(input, level: 9)
        #expect(compressed.count < 100_000)
        #expect(try Compression.gunzip(compressed) == input)
    }

    @Test("every level round-trips; higher levels are not larger on text", arguments: [0, 1, 6, 9] as [Int32])
    func levels(level: Int32) throws {
        let input = Array(String(repeating: "security group sg-0123 allows 0.0.0.0/0 on port 22\n", count: 2_000).utf8)
        let compressed = Compression.gzip(input, level: level)
        #expect(try Compression.gunzip(compressed) == input)
        if level > 0 { #expect(compressed.count < input.count / 10) }
    }

    @Test("concatenated gzip members decompress in turn")
    func concatenatedMembers() throws {
        let first = Array("first member ".utf8)
        let second = Array("second member".utf8)
        #expect(try Compression.gunzip(Compression.gzip(first) + Compression.gzip(second)) == first + second)
    }

    @Test("system gzip reads our output and we read its output")
    func interoperatesWithGzipTool() throws {
        let input = Array(String(repeating: "interop ✓ ", count: 10_000).utf8)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weft-gzip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ours = directory.appendingPathComponent("ours.gz")
        try Data(Compression.gzip(input)).write(to: ours)
        #expect(try runGzip(["-dc", ours.path]) == input)

        let plain = directory.appendingPathComponent("plain.txt")
        try Data(input).write(to: plain)
        let theirs = try runGzip(["-c", "-9", plain.path])
        #expect(try Compression.gunzip(theirs) == input)
    }

    @Test("damaged or truncated data throws")
    func damagedInput() throws {
        let compressed = Compression.gzip(randomBytes(10_000))
        #expect(throws: Compression.Failure.self) { try Compression.gunzip(Array(compressed.prefix(compressed.count / 2))) }
        #expect(throws: Compression.Failure.self) { try Compression.gunzip([]) }
        #expect(throws: Compression.Failure.self) { try Compression.gunzip(Array("not gzip at all".utf8)) }
        var flipped = compressed
        flipped[flipped.count / 2] ^= 0xFF
        #expect(throws: Compression.Failure.self) { try Compression.gunzip(flipped) }
    }

    private func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    private func runGzip(_ arguments: [String]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return [UInt8](output)
    }
}
