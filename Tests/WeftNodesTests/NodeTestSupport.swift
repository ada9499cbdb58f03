import Foundation
import WeftEngine
import WeftModel
@testable import WeftNodes

/// The start time every test execution has.
let testStartedAt = Date(timeIntervalSince1970: 1_714_558_830.25)

/// A context for running one node directly.
func makeContext(input: [JSON] = [], nodeOutputs: [String: [JSON]] = [:], nodeIdsByName: [String: String] = [:],
                 flowDirectory: String? = nil, artifacts: (any ArtifactSink)? = nil,
                 now: Date = Date(timeIntervalSince1970: 1_714_558_830)) -> NodeContext {
    NodeContext(
        nodeId: "node-under-test", nodeName: "Under test",
        execution: ExecutionInfo(id: "exec-1", runId: "run-1", connector: "local", region: "eu-west-2",
                                 startedAt: testStartedAt),
        input: Items(input), nodeOutputs: nodeOutputs.mapValues { Items($0) }, nodeIdsByName: nodeIdsByName,
        flowDirectory: flowDirectory, artifacts: artifacts, now: now)
}

/// Decodes `params` as the runner does, then runs the node.
func run<N: NodeType>(_ type: N.Type, _ params: JSON, _ context: NodeContext) async throws -> NodeResult {
    try await N.execute(try decode(type, params), context: context)
}

func decode<N: NodeType>(_ type: N.Type, _ params: JSON) throws -> N.Parameters {
    try JSONValueDecoder().decode(N.Parameters.self, from: params)
}

extension NodeResult {
    func items(_ output: String = "main") throws -> [JSON] {
        try outputs[output]?.collect() ?? []
    }
}

/// Parses JSON text written in a test.
func json(_ text: String) -> JSON {
    do {
        return try JSON.parse(text)
    } catch {
        fatalError("invalid JSON in test: \(error)")
    }
}

/// The directory of the fixture files.
let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

/// Keeps the files written to it in memory.
final class CapturingSink: ArtifactSink {
    let files = LockedBox<[String: [UInt8]]>([:])

    func write(fileName: String, bytes: [UInt8], executionId: String) throws -> String {
        files.withLock { $0[fileName] = bytes }
        return "/artifacts/\(executionId)/\(fileName)"
    }

    func text(_ fileName: String) -> String? {
        files.withLock { $0[fileName] }.map { String(decoding: $0, as: UTF8.self) }
    }
}
