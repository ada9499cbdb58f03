import WeftModel

/// An operation's pagination, from botocore's `paginators-1.json`, as pure functions over pages.
///
/// A page's next input copies the current input and sets each input token from its output token
/// expression (JMESPath, e.g. `"NextMarker || Contents[-1].Key"`); tokens that come out null are
/// removed. Paging ends when the `more_results` expression is false, every token is null (or another
/// false value: `""`, `0`, `[]`), or the tokens equal the ones just sent (a repeating token would
/// loop forever; botocore raises an error there).
public struct AWSPaginator: Sendable {
    public var inputTokens: [String]
    public var outputTokens: [JMESPath]
    public var moreResults: JMESPath?
    /// Expressions selecting the result items of a page (e.g. `Reservations[].Instances[]`).
    public var resultKeys: [JMESPath]
    /// The input member giving the page size.
    public var limitKey: String?

    /// The paginator of `operation` in `model`, or `nil` when the operation is not paginated.
    ///
    /// Throws `BotocoreDataError` when the definition is malformed.
    public init?(model: ServiceModel, operation: String) throws {
        guard let definition = model.paginators[operation] else { return nil }
        do {
            try self.init(definition: definition)
        } catch {
            throw BotocoreDataError("paginator of \(operation): \(error)", service: model.name)
        }
    }

    /// A paginator from one entry of `paginators-1.json`; throws on a malformed JMESPath expression.
    public init(definition: JSON) throws {
        func strings(_ value: JSON?) -> [String] {
            switch value {
            case .string(let text): return [text]
            case .array(let items): return items.compactMap(\.stringValue)
            default: return []
            }
        }
        inputTokens = strings(definition["input_token"])
        outputTokens = try strings(definition["output_token"]).map { try JMESPath($0) }
        moreResults = try definition["more_results"]?.stringValue.map { try JMESPath($0) }
        resultKeys = try strings(definition["result_key"]).map { try JMESPath($0) }
        limitKey = definition["limit_key"]?.stringValue
    }

    /// The input for the page after `output`, which answered `current`; `nil` when there is none.
    public func nextParameters(after output: JSON, current: JSON) -> JSON? {
        if let moreResults, !Self.truthy(moreResults.search(output)) { return nil }
        var next = current.objectValue ?? [:]
        var anyToken = false
        var changed = false
        for (index, name) in inputTokens.enumerated() where index < outputTokens.count {
            let token = outputTokens[index].search(output)
            if !Self.truthy(token) {
                if next[name] != nil { next[name] = nil }
                continue
            }
            anyToken = true
            if current[name] != token { changed = true }
            next[name] = token
        }
        guard anyToken, changed else { return nil }
        return .object(next)
    }

    /// The result items of a page: each result key's array elements (a non-array value counts as one item).
    public func items(in output: JSON) -> [JSON] {
        var items: [JSON] = []
        for key in resultKeys {
            switch key.search(output) {
            case .array(let elements): items.append(contentsOf: elements.filter { $0 != .null })
            case .null: continue
            case let value: items.append(value)
            }
        }
        return items
    }

    /// `parameters` with the page size set through `limit_key` (unchanged when there is none).
    public func withPageSize(_ size: Int, in parameters: JSON) -> JSON {
        guard let limitKey else { return parameters }
        var object = parameters.objectValue ?? [:]
        object[limitKey] = .int(Int64(size))
        return .object(object)
    }

    static func truthy(_ value: JSON) -> Bool {
        switch value {
        case .null: return false
        case .bool(let b): return b
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        }
    }
}
