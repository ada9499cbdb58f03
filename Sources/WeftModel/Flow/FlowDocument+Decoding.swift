/// Reads the members of one JSON object, recording what was wrong and which keys were not expected.
struct ObjectReader {
    let object: JSONObject
    let pointer: String
    let nodeId: String?
    private(set) var consumed: Set<String> = []

    init?(_ value: JSON, pointer: String, nodeId: String? = nil, issues: inout [FlowIssue], what: String) {
        guard case .object(let object) = value else {
            issues.append(FlowIssue(nodeId: nodeId, pointer: pointer, message: "\(what) must be an object, found \(value.typeName)"))
            return nil
        }
        self.object = object; self.pointer = pointer; self.nodeId = nodeId
    }

    func path(_ key: String) -> String { JSONPointer.append(pointer, key) }

    mutating func raw(_ key: String) -> JSON? {
        consumed.insert(key)
        return object[key]
    }

    mutating func string(_ key: String, required: Bool = false, issues: inout [FlowIssue]) -> String? {
        guard let value = raw(key) else {
            if required { issues.append(issue(key, "missing required key '\(key)'")) }
            return nil
        }
        guard case .string(let s) = value else {
            issues.append(issue(key, "expected string, found \(value.typeName)"))
            return nil
        }
        return s
    }

    mutating func bool(_ key: String, issues: inout [FlowIssue]) -> Bool? {
        guard let value = raw(key) else { return nil }
        guard case .bool(let b) = value else {
            issues.append(issue(key, "expected boolean, found \(value.typeName)"))
            return nil
        }
        return b
    }

    mutating func int(_ key: String, range: ClosedRange<Int>, issues: inout [FlowIssue]) -> Int? {
        guard let value = raw(key) else { return nil }
        guard let i = value.intValue, let n = Int(exactly: i) else {
            issues.append(issue(key, "expected integer, found \(value.typeName)"))
            return nil
        }
        guard range.contains(n) else {
            issues.append(issue(key, "must be between \(range.lowerBound) and \(range.upperBound), found \(n)"))
            return nil
        }
        return n
    }

    mutating func strings(_ key: String, issues: inout [FlowIssue]) -> [String]? {
        guard let value = raw(key) else { return nil }
        guard case .array(let elements) = value else {
            issues.append(issue(key, "expected array of strings, found \(value.typeName)"))
            return nil
        }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            if case .string(let s) = element { result.append(s) } else {
                issues.append(FlowIssue(nodeId: nodeId, pointer: JSONPointer.append(path(key), index),
                                        message: "expected string, found \(element.typeName)"))
            }
        }
        return result
    }

    mutating func array(_ key: String, issues: inout [FlowIssue]) -> [JSON]? {
        guard let value = raw(key) else { return nil }
        guard case .array(let elements) = value else {
            issues.append(issue(key, "expected array, found \(value.typeName)"))
            return nil
        }
        return elements
    }

    func issue(_ key: String, _ message: String) -> FlowIssue {
        FlowIssue(nodeId: nodeId, pointer: path(key), message: message)
    }

    /// Reports every key that was never read.
    func reportUnknownKeys(_ issues: inout [FlowIssue], allowed: [String]) {
        for key in object.keys where !consumed.contains(key) {
            issues.append(FlowIssue(nodeId: nodeId, pointer: path(key),
                                    message: "unknown key '\(key)' (expected one of: \(allowed.joined(separator: ", ")))"))
        }
    }
}

extension FlowDocument {
    /// Decodes a flow document from its JSON form, strictly: unknown keys and wrong types are issues.
    /// Returns the document when its structure could be read (it may still have issues) and every issue found.
    public static func decode(_ value: JSON) -> (document: FlowDocument?, issues: [FlowIssue]) {
        var issues: [FlowIssue] = []
        guard var reader = ObjectReader(value, pointer: "", issues: &issues, what: "a flow document") else {
            return (nil, issues)
        }
        let format = reader.int("weft", range: 1...Int.max, issues: &issues)
        if format == nil, reader.object["weft"] == nil {
            issues.append(FlowIssue(pointer: "/weft", message: "missing required key 'weft' (the format version, 1)"))
        } else if let format, format > FlowDocument.currentFormat {
            issues.append(FlowIssue(pointer: "/weft", message: "format version \(format) is newer than this Weft reads (\(FlowDocument.currentFormat))"))
        }
        let name = reader.string("name", required: true, issues: &issues) ?? ""
        let description = reader.string("description", issues: &issues) ?? ""
        let categories = reader.strings("categories", issues: &issues) ?? []
        let tags = reader.strings("tags", issues: &issues) ?? []
        let variables = (reader.array("variables", issues: &issues) ?? []).enumerated().compactMap { index, element in
            FlowVariable.decode(element, pointer: "/variables/\(index)", issues: &issues)
        }
        let targets = (reader.array("targets", issues: &issues) ?? []).enumerated().compactMap { index, element in
            FlowTarget.decode(element, pointer: "/targets/\(index)", issues: &issues)
        }
        let nodes = (reader.array("nodes", issues: &issues) ?? []).enumerated().compactMap { index, element in
            FlowNode.decode(element, pointer: "/nodes/\(index)", issues: &issues)
        }
        if reader.object["nodes"] == nil {
            issues.append(FlowIssue(pointer: "/nodes", message: "missing required key 'nodes'"))
        }
        let edges = (reader.array("edges", issues: &issues) ?? []).enumerated().compactMap { index, element in
            FlowEdge.decode(element, pointer: "/edges/\(index)", issues: &issues)
        }
        var tolerated: ToleratedFailures?
        if let value = reader.raw("toleratedFailures") {
            tolerated = ToleratedFailures.decode(value, pointer: "/toleratedFailures", issues: &issues)
        }
        let ui = reader.raw("ui")
        reader.reportUnknownKeys(&issues, allowed: ["weft", "name", "description", "categories", "tags", "variables",
                                                    "targets", "nodes", "edges", "toleratedFailures", "ui"])
        let document = FlowDocument(weft: format ?? FlowDocument.currentFormat, name: name, description: description,
                                    categories: categories, tags: tags, variables: variables, targets: targets,
                                    nodes: nodes, edges: edges, toleratedFailures: tolerated, ui: ui)
        return (document, issues)
    }

    /// The JSON form of the document, keys in the documented order; defaults are left out.
    public var json: JSON {
        var object: JSONObject = ["weft": .int(Int64(weft)), "name": .string(name)]
        if !description.isEmpty { object["description"] = .string(description) }
        if !categories.isEmpty { object["categories"] = .array(categories.map(JSON.string)) }
        if !tags.isEmpty { object["tags"] = .array(tags.map(JSON.string)) }
        if !variables.isEmpty { object["variables"] = .array(variables.map(\.json)) }
        if !targets.isEmpty { object["targets"] = .array(targets.map(\.json)) }
        object["nodes"] = .array(nodes.map(\.json))
        object["edges"] = .array(edges.map(\.json))
        if let toleratedFailures {
            switch toleratedFailures {
            case .count(let n): object["toleratedFailures"] = .int(Int64(n))
            case .percent(let p): object["toleratedFailures"] = .string("\(p)%")
            }
        }
        if let ui { object["ui"] = ui }
        return .object(object)
    }
}

extension ToleratedFailures {
    static func decode(_ value: JSON, pointer: String, issues: inout [FlowIssue]) -> ToleratedFailures? {
        if let n = value.intValue, n >= 0 { return .count(Int(n)) }
        if case .string(let s) = value, s.hasSuffix("%"), let p = Double(s.dropLast()), p >= 0, p <= 100 {
            return .percent(p)
        }
        issues.append(FlowIssue(pointer: pointer, message: "expected a count (0 or more) or a percentage such as \"10%\""))
        return nil
    }
}

extension FlowVariable {
    static let keys = ["name", "type", "value", "secret", "description"]

    static func decode(_ value: JSON, pointer: String, issues: inout [FlowIssue]) -> FlowVariable? {
        guard var reader = ObjectReader(value, pointer: pointer, issues: &issues, what: "a variable") else { return nil }
        let name = reader.string("name", required: true, issues: &issues)
        var type = VariableType.auto
        if let raw = reader.string("type", issues: &issues) {
            if let t = VariableType(rawValue: raw) { type = t } else {
                issues.append(reader.issue("type", "unknown variable type \"\(raw)\" (expected auto, array, object or string)"))
            }
        }
        let value = reader.raw("value") ?? .null
        let secret = reader.bool("secret", issues: &issues) ?? false
        let description = reader.string("description", issues: &issues) ?? ""
        reader.reportUnknownKeys(&issues, allowed: keys)
        guard let name else { return nil }
        if name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            issues.append(reader.issue("name", "variable name \"\(name)\" must be letters, digits and _"))
        }
        switch (type, value) {
        case (.array, .array), (.object, .object), (.string, .string), (.auto, _), (_, .null): break
        default:
            issues.append(reader.issue("value", "variable '\(name)' is declared \(type.rawValue) but its value is \(value.typeName)"))
        }
        return FlowVariable(name: name, type: type, value: value, secret: secret, description: description)
    }

    var json: JSON {
        var object: JSONObject = ["name": .string(name), "type": .string(type.rawValue), "value": value]
        if secret { object["secret"] = true }
        if !description.isEmpty { object["description"] = .string(description) }
        return .object(object)
    }
}

extension FlowTarget {
    static func decode(_ value: JSON, pointer: String, issues: inout [FlowIssue]) -> FlowTarget? {
        guard var reader = ObjectReader(value, pointer: pointer, issues: &issues, what: "a target") else { return nil }
        let connector = reader.string("connector", required: true, issues: &issues)
        let regions = reader.strings("regions", issues: &issues) ?? []
        reader.reportUnknownKeys(&issues, allowed: ["connector", "regions"])
        return connector.map { FlowTarget(connector: $0, regions: regions) }
    }

    var json: JSON {
        var object: JSONObject = ["connector": .string(connector)]
        if !regions.isEmpty { object["regions"] = .array(regions.map(JSON.string)) }
        return .object(object)
    }
}

extension FlowEdge {
    static func decode(_ value: JSON, pointer: String, issues: inout [FlowIssue]) -> FlowEdge? {
        guard var reader = ObjectReader(value, pointer: pointer, issues: &issues, what: "an edge") else { return nil }
        let from = reader.string("from", required: true, issues: &issues)
        let to = reader.string("to", required: true, issues: &issues)
        let output = reader.string("output", issues: &issues) ?? "main"
        reader.reportUnknownKeys(&issues, allowed: ["from", "to", "output"])
        guard let from, let to else { return nil }
        return FlowEdge(from: from, to: to, output: output)
    }

    var json: JSON {
        var object: JSONObject = ["from": .string(from), "to": .string(to)]
        if output != "main" { object["output"] = .string(output) }
        return .object(object)
    }
}

extension FlowNode {
    static func decode(_ value: JSON, pointer: String, issues: inout [FlowIssue]) -> FlowNode? {
        let id = value["id"]?.stringValue
        guard var reader = ObjectReader(value, pointer: pointer, nodeId: id, issues: &issues, what: "a node") else { return nil }
        _ = reader.string("id", required: true, issues: &issues)
        let type = reader.string("type", required: true, issues: &issues)
        let name = reader.string("name", issues: &issues)
        var params: JSONObject = [:]
        if let raw = reader.raw("params") {
            if case .object(let o) = raw { params = o } else {
                issues.append(reader.issue("params", "expected object, found \(raw.typeName)"))
            }
        }
        var settings = NodeSettings()
        if let raw = reader.raw("settings") {
            settings = NodeSettings.decode(raw, pointer: reader.path("settings"), nodeId: id, issues: &issues)
        }
        let ui = reader.raw("ui")
        reader.reportUnknownKeys(&issues, allowed: ["id", "type", "name", "params", "settings", "ui"])
        guard let id, let type else { return nil }
        return FlowNode(id: id, type: type, name: name, params: params, settings: settings, ui: ui)
    }

    var json: JSON {
        var object: JSONObject = ["id": .string(id), "type": .string(type)]
        if name != id { object["name"] = .string(name) }
        object["params"] = .object(params)
        if settings != NodeSettings() { object["settings"] = settings.json }
        if let ui { object["ui"] = ui }
        return .object(object)
    }
}

extension NodeSettings {
    static func decode(_ value: JSON, pointer: String, nodeId: String?, issues: inout [FlowIssue]) -> NodeSettings {
        var settings = NodeSettings()
        guard var reader = ObjectReader(value, pointer: pointer, nodeId: nodeId, issues: &issues, what: "settings") else {
            return settings
        }
        if let raw = reader.raw("retry") {
            settings.retry = RetryPolicy.decode(raw, pointer: reader.path("retry"), nodeId: nodeId, issues: &issues)
        }
        if let raw = reader.raw("timeoutSeconds") {
            if let t = raw.doubleValue, t > 0, t <= NodeSettings.maximumTimeoutSeconds { settings.timeoutSeconds = t } else {
                issues.append(reader.issue("timeoutSeconds", "expected a number of seconds greater than 0 and at most \(Int(NodeSettings.maximumTimeoutSeconds))"))
            }
        }
        if let raw = reader.string("onError", issues: &issues) {
            if let onError = OnError(rawValue: raw) { settings.onError = onError } else {
                issues.append(reader.issue("onError", "unknown value \"\(raw)\" (expected stop, continue or errorOutput)"))
            }
        }
        settings.disabled = reader.bool("disabled", issues: &issues) ?? false
        reader.reportUnknownKeys(&issues, allowed: ["retry", "timeoutSeconds", "onError", "disabled"])
        return settings
    }

    var json: JSON {
        var object: JSONObject = [:]
        if let retry {
            object["retry"] = ["maxAttempts": .int(Int64(retry.maxAttempts)), "initialDelayMs": .int(Int64(retry.initialDelayMs)),
                               "maxDelayMs": .int(Int64(retry.maxDelayMs)), "backoff": .string(retry.backoff.rawValue)]
        }
        if let timeoutSeconds { object["timeoutSeconds"] = .double(timeoutSeconds) }
        if onError != .stop { object["onError"] = .string(onError.rawValue) }
        if disabled { object["disabled"] = true }
        return .object(object)
    }
}

extension RetryPolicy {
    static func decode(_ value: JSON, pointer: String, nodeId: String?, issues: inout [FlowIssue]) -> RetryPolicy? {
        guard var reader = ObjectReader(value, pointer: pointer, nodeId: nodeId, issues: &issues, what: "retry") else { return nil }
        var policy = RetryPolicy()
        policy.maxAttempts = reader.int("maxAttempts", range: 1...10, issues: &issues) ?? policy.maxAttempts
        policy.initialDelayMs = reader.int("initialDelayMs", range: 0...3_600_000, issues: &issues) ?? policy.initialDelayMs
        policy.maxDelayMs = reader.int("maxDelayMs", range: 0...3_600_000, issues: &issues) ?? max(policy.maxDelayMs, policy.initialDelayMs)
        if let raw = reader.string("backoff", issues: &issues) {
            if let b = Backoff(rawValue: raw) { policy.backoff = b } else {
                issues.append(reader.issue("backoff", "unknown value \"\(raw)\" (expected exponential or fixed)"))
            }
        }
        reader.reportUnknownKeys(&issues, allowed: ["maxAttempts", "initialDelayMs", "maxDelayMs", "backoff"])
        return policy
    }
}
