import Foundation
import WeftEngine
import WeftModel

/// The files of a local run: report files kept in the data directory, and with `--out DIR` each
/// step's outputs as `DIR/<connector>/<region>/<node id>.json` and report files beside them.
final class LocalRunFiles: ArtifactSink, RunObserver {
    let dataDirectory: String
    let outDirectory: String?
    private let targets = LockedBox<[String: String]>([:])
    private let failedWrites = LockedBox<[String]>([])

    /// The output files that could not be written.
    var failures: [String] { failedWrites.withLock { $0 } }

    init(dataDirectory: String, outDirectory: String?) {
        self.dataDirectory = dataDirectory
        self.outDirectory = outDirectory
    }

    func runStarted(_ run: RunRecord, executions: [ExecutionRecord]) {
        targets.withLock { map in
            for e in executions { map[e.id] = "\(Self.safe(e.connector))/\(Self.safe(e.region))" }
        }
    }

    func write(fileName: String, bytes: [UInt8], executionId: String) throws -> String {
        let directory = "\(dataDirectory)/artifacts/\(executionId)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/\(fileName)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        if let outDirectory, let target = targets.withLock({ $0[executionId] }) {
            let outPath = "\(outDirectory)/\(target)"
            try FileManager.default.createDirectory(atPath: outPath, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: "\(outPath)/\(fileName)"))
        }
        return path
    }

    func stepFinished(_ execution: ExecutionRecord, record: StepRecord, outputs: [String: Items]) {
        guard let outDirectory, record.status != .running, !outputs.isEmpty else { return }
        let directory = "\(outDirectory)/\(Self.safe(execution.connector))/\(Self.safe(execution.region))"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (name, items) in outputs {
                let file = name == "main" ? "\(record.nodeId).json" : "\(record.nodeId).\(name).json"
                try Self.writeArray(items, to: "\(directory)/\(file)")
            }
        } catch {
            failedWrites.withLock { $0.append("\(directory)/\(record.nodeId)") }
            printError("cannot write the output of \(record.nodeId) under \(directory): \(error)")
        }
    }

    /// Writes the items as a pretty JSON array, one item at a time through a small buffer.
    static func writeArray(_ items: Items, to path: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
        defer { try? handle.close() }
        var buffer: [UInt8] = [UInt8(ascii: "[")]
        buffer.reserveCapacity(Self.flushSize + 4096)
        var first = true
        try items.forEach { item in
            buffer.append(contentsOf: first ? "\n  ".utf8 : ",\n  ".utf8)
            first = false
            item.write(to: &buffer, pretty: true, indent: 1)
            if buffer.count >= Self.flushSize {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer.append(contentsOf: (first ? "]\n" : "\n]\n").utf8)
        try handle.write(contentsOf: buffer)
    }

    /// How many bytes `writeArray` gathers before writing them out.
    private static let flushSize = 64 << 10

    /// A path component safe to use as a directory name.
    static func safe(_ name: String) -> String {
        let cleaned = name.map { c -> Character in c == "/" || c == "\\" ? "_" : c }
        let text = String(cleaned)
        return text == "." || text == ".." || text.isEmpty ? "_" : text
    }
}
