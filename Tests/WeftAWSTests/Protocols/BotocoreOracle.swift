import Foundation
import Testing
import WeftAWS
import WeftModel
import WeftTesting

/// Runs `botocore_oracle.py` once per batch of cases and returns one JSON result per case.
enum BotocoreOracle {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("botocore_oracle.py").path

    /// The shared botocore data, located as Weft locates it.
    static let data: BotocoreData? = try? BotocoreData.locate()

    /// The oracle's answer for each case, in order; python runs on a thread of its own.
    static func run(_ mode: String, _ cases: [JSON]) async throws -> [JSON] {
        try await offThePool { try runBlocking(mode, cases) }
    }

    private static func runBlocking(_ mode: String, _ cases: [JSON]) throws -> [JSON] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("weft-oracle-\(UUID().uuidString).jsonl")
        let text = cases.map { $0.serialized() }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, mode]
        process.standardInput = try FileHandle(forReadingFrom: input)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        return try lines.map { try JSON.parse(String($0)) }
    }

    /// Differences between a Swift request and the oracle's serialisation, empty when they agree.
    static func differences(_ request: AWSRequest, _ expected: JSON, wire: AWSProtocol) -> [String] {
        var problems: [String] = []
        if let error = expected["error"]?.stringValue { return ["oracle error: \(error)"] }
        if request.method != expected["method"]?.stringValue {
            problems.append("method \(request.method) != \(expected["method"]!)")
        }
        if request.path != expected["path"]?.stringValue {
            problems.append("path \(request.path) != \(expected["path"]?.stringValue ?? "-")")
        }
        let query = JSON.array(request.query.map { [.string($0.name), .string($0.value)] })
        if query != expected["query"] ?? .array([]) {
            problems.append("query \(query.serialized()) != \((expected["query"] ?? .null).serialized())")
        }
        let headers = JSON.array(request.headers.map { [.string($0.name), .string($0.value)] })
        if headers != expected["headers"] ?? .array([]) {
            problems.append("headers \(headers.serialized()) != \((expected["headers"] ?? .null).serialized())")
        }
        let expectedBody = Array(Data(base64Encoded: expected["bodyBase64"]?.stringValue ?? "") ?? Data())
        if request.body != expectedBody {
            let isJSON =
                wire == .json
                || wire == .restJSON
            let sameJSON =
                isJSON && (try? JSON.parse(request.body)) != nil
                && (try? JSON.parse(request.body)) == (try? JSON.parse(expectedBody))
            if !sameJSON {
                problems.append(
                    "body \(String(decoding: request.body, as: UTF8.self)) != \(String(decoding: expectedBody, as: UTF8.self))")
            }
        }
        if request.hostPrefix != expected["hostPrefix"]?.stringValue {
            problems.append("hostPrefix \(request.hostPrefix ?? "nil") != \(expected["hostPrefix"]?.stringValue ?? "nil")")
        }
        return problems
    }
}
