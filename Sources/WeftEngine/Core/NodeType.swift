import Foundation
import WeftModel

/// A kind of node: its declaration and what it does.
///
/// Each node type lives in one file: a `Parameters` type decoded from the node's `params` (after
/// variable substitution and defaults, validated against `description.parameters`), the description
/// from which the editor form, validation and documentation are generated, and `execute`.
public protocol NodeType: Sendable {
    associatedtype Parameters: Decodable & Sendable
    static var description: NodeDescription { get }
    /// Runs one attempt of the node. Throwing fails the attempt; `StepError` keeps its item index and
    /// code, other errors are reported with their description.
    ///
    /// Timeouts and cancellation are cooperative: a node that loops over items calls
    /// `context.checkCancellation()` every thousand items or so (and before each call it sends), so
    /// that `settings.timeoutSeconds` and a cancelled execution stop it promptly.
    static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult
}

/// What a node attempt produced.
public struct NodeResult: Sendable {
    /// Items per output name; outputs the node declares but leaves out are empty.
    public var outputs: [String: Items]
    /// Figures added to the execution's summary, e.g. control counts `{"passed": 3, "failed": 1}`.
    public var summary: JSONObject
    /// Per-item explanations for the step details view (filters and controls).
    public var trace: JSON?

    public init(outputs: [String: Items], summary: JSONObject = [:], trace: JSON? = nil) {
        self.outputs = outputs; self.summary = summary; self.trace = trace
    }

    public init(main: Items, summary: JSONObject = [:], trace: JSON? = nil) {
        self.init(outputs: ["main": main], summary: summary, trace: trace)
    }
}

/// `{"node": "<id or name>", "path": "<JSONPath>"}`: the items a node reads from another node's output.
public struct InputReference: Sendable, Decodable, Equatable {
    public var node: String
    /// Applied to each output item; the results are concatenated. Empty means the items themselves.
    public var path: String?

    public init(node: String, path: String? = nil) { self.node = node; self.path = path }
}

/// An error in a node's configuration or data that the user must fix; reported with the node id.
public struct NodeError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var itemIndex: Int?
    public var code: String?
    public init(_ message: String, itemIndex: Int? = nil, code: String? = nil) {
        self.message = message; self.itemIndex = itemIndex; self.code = code
    }
    public var description: String { message }
}
