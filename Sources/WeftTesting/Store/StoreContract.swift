import Foundation
import Testing
import WeftEngine
import WeftModel

/// One test of the store contract: a body that any `Store` must pass, given a fresh, empty store.
public struct StoreContractCase: Sendable, CustomTestStringConvertible {
    public var name: String
    public var body: @Sendable (any Store) async throws -> Void

    public init(_ name: String, body: @escaping @Sendable (any Store) async throws -> Void) {
        self.name = name
        self.body = body
    }

    public var testDescription: String { name }
}

/// The contract every `Store` implementation passes, written once and run against each backend:
///
/// ```swift
/// @Test(arguments: StoreContract.cases)
/// func sqlite(_ contractCase: StoreContractCase) async throws {
///     try await StoreBackend.sqlite.withFreshStore { try await contractCase.body($0) }
/// }
/// ```
///
/// Beyond the protocols' doc comments, the suite holds stores to these rules: dates come back rounded
/// to the millisecond (ms-precise dates round-trip exactly); missing things throw `StoreError.notFound`
/// with kind `flow`, `flow version` (id `<flowId>@<version>`), `run`, `execution` or `blob`; list
/// methods return `[]` for an unknown parent; a taken run or execution id is `StoreError.conflict`;
/// steps, executions and blobs must name an existing execution or run.
public enum StoreContract {
    public static let cases: [StoreContractCase] = flowCases + runCases + journalCases + userCases + connectorCases + auditCases + deploymentCases
        + triggerCases
}

// MARK: - Fixtures shared by the cases

/// A date with millisecond precision, `seconds` after 1970.
func ms(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

func makeRun(_ id: String, flowId: String? = nil, createdAt: Date = ms(1_700_000_000.000)) -> RunRecord {
    RunRecord(
        id: id, flowId: flowId, flowVersion: flowId == nil ? nil : 1, flowName: "flow \(flowId ?? "file")",
        trigger: "manual", dryRun: false, status: .running, createdAt: createdAt)
}

func makeExecution(_ id: String, runId: String, region: String = "eu-west-1") -> ExecutionRecord {
    ExecutionRecord(id: id, runId: runId, connector: "aws-prod", region: region, status: .running)
}

/// Creates a run and one execution in it, for cases that only need somewhere to write steps.
func prepareExecution(_ store: any Store, run runId: String = "run-1", execution executionId: String = "exe-1")
    async throws
{
    try await store.createRun(makeRun(runId))
    try await store.createExecution(makeExecution(executionId, runId: runId))
}

/// Expects `body` to throw `StoreError.conflict`.
func expectConflict(
    _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("\(what): expected StoreError.conflict, nothing was thrown", sourceLocation: sourceLocation)
    } catch StoreError.conflict {
    } catch {
        Issue.record("\(what): expected StoreError.conflict, got \(error)", sourceLocation: sourceLocation)
    }
}

/// Bytes from a fixed xorshift generator: incompressible, every byte value present, same on every run.
func pseudoRandomBytes(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed
    var bytes = [UInt8](repeating: 0, count: count)
    var index = 0
    while index < count {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        var word = state
        for _ in 0..<8 where index < count {
            bytes[index] = UInt8(truncatingIfNeeded: word)
            word >>= 8
            index += 1
        }
    }
    return bytes
}

/// JSON values that a naive encoding would mangle.
let awkwardJSON: JSON = [
    "name": "awkward ✓ — naïve",
    "quotes": "she said \"hi\" \\ back\\slash / slash",
    "whitespace": "line 1\nline 2\r\n\ttabbed",
    "control": "\u{01}\u{1F}",
    "emoji": "🙂👩‍💻",
    "int max": .int(Int64.max),
    "int min": .int(Int64.min),
    "zero": 0,
    "negative": -42,
    "fraction": 0.1,
    "small": -2.5e-8,
    "large": 1.5e300,
    "true": true,
    "false": false,
    "null": nil,
    "empty object": [:],
    "empty array": [],
    "nested": ["a": [1, [2, [3, ["deep": "yes"]]]], "b.c": ["$ref": "#/x"]],
    "": "empty key",
]
