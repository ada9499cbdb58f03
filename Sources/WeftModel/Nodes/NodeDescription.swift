/// The group a node type is listed under in the editor's palette.
public enum NodeGroup: String, Sendable, Codable, CaseIterable {
    case trigger = "Trigger"
    case aws = "AWS"
    case azure = "Azure"
    case gcp = "GCP"
    case general = "General"
}

/// What a node type declares about itself. The editor's forms, `weft validate`, `weft nodes` and the
/// API documentation are all derived from this one declaration.
public struct NodeDescription: Sendable {
    /// The registered type name used in flow documents, e.g. `filter`, `aws.resource`.
    public var type: String
    public var displayName: String
    public var group: NodeGroup
    /// One or two sentences for the palette and `weft nodes`.
    public var summary: String
    public var parameters: [Parameter]
    /// Names of the node's outputs; the first is the default (`main`). `error` is added by the engine
    /// for nodes whose `onError` is `errorOutput`.
    public var outputs: [String]
    /// Cloud permissions the node needs (e.g. `rds:DescribeDBInstances`); empty for general nodes.
    public var permissions: [String]
    /// Example `params` for a node of this type; it must validate.
    public var example: JSON
    /// False for nodes that read no items (the trigger).
    public var takesInput: Bool
    /// Checks that need the whole flow (e.g. a loop's body), run by `FlowValidator` after the
    /// parameters passed their schema; issues point below the node's `params`.
    public var check: (@Sendable (_ node: FlowNode, _ document: FlowDocument) -> [ModelIssue])?

    public init(type: String, displayName: String, group: NodeGroup, summary: String, parameters: [Parameter],
                outputs: [String] = ["main"], permissions: [String] = [], example: JSON, takesInput: Bool = true,
                check: (@Sendable (_ node: FlowNode, _ document: FlowDocument) -> [ModelIssue])? = nil) {
        self.type = type; self.displayName = displayName; self.group = group; self.summary = summary
        self.parameters = parameters; self.outputs = outputs; self.permissions = permissions
        self.example = example; self.takesInput = takesInput; self.check = check
    }
}

/// One declared parameter of a node type (or a field of an object parameter).
public struct Parameter: Sendable {
    public var name: String
    public var type: ParameterType
    public var required: Bool
    /// The value used when the parameter is absent.
    public var defaultValue: JSON?
    public var displayName: String
    public var help: String

    public init(_ name: String, _ type: ParameterType, required: Bool = false, default defaultValue: JSON? = nil,
                displayName: String? = nil, help: String) {
        self.name = name; self.type = type; self.required = required; self.defaultValue = defaultValue
        self.displayName = displayName ?? Parameter.displayName(for: name); self.help = help
    }

    /// "maxIterations" → "Max iterations".
    static func displayName(for name: String) -> String {
        var words: [String] = []
        var current = ""
        for ch in name {
            if ch.isUppercase, !current.isEmpty { words.append(current); current = "" }
            current.append(ch)
        }
        if !current.isEmpty { words.append(current) }
        let joined = words.map { $0.lowercased() }.joined(separator: " ")
        return joined.prefix(1).uppercased() + joined.dropFirst()
    }
}

/// What kind of text a string parameter holds; drives validation and the editor widget.
public enum StringFormat: String, Sendable {
    case plain
    /// A JSONPath (RFC 9535, or the lenient `State.Code` form); validated when written literally.
    case jsonPath
    /// A regular expression; validated when written literally.
    case regex
    /// Text with `{{ … }}` templates evaluated per item.
    case template
    /// JavaScript source.
    case javascript
    /// A multi-line text.
    case multiline
}

/// The type of a parameter value.
public indirect enum ParameterType: Sendable {
    case string(StringFormat)
    case integer(min: Int64?, max: Int64?)
    case number
    case boolean
    /// One of a fixed set of strings.
    case choice([String])
    case array(of: ParameterType, maxItems: Int?)
    /// An object with declared fields; unknown keys are errors.
    case object([Parameter])
    /// An object with free-form keys, each value of one type.
    case map(of: ParameterType)
    /// Any JSON value.
    case any
    /// `{"node": "<id or name>", "path": "<JSONPath>"}`: items read from another node's output.
    case inputReference
    /// The id of another node of the flow.
    case nodeReference
    /// `{"conditions": [...], "expression": "..."}`, shared by filter, control and loop.
    case conditions
    /// The `conditions` array of a condition set written at the node's top level, as the seed's filter
    /// does; its `expression` is the sibling parameter of that name.
    case conditionList
    /// Any one of several types (e.g. a JSON array or a string).
    case oneOf([ParameterType])

    public static let string = ParameterType.string(.plain)
    public static let integer = ParameterType.integer(min: nil, max: nil)
}
