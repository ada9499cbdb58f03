import Foundation

/// Checks a flow document against the node catalog: graph shape, node parameters, references.
///
/// Every problem is reported, each with its node id and JSON pointer; validation never stops at the first.
public struct FlowValidator: Sendable {
    public let descriptions: [String: NodeDescription]

    public init(descriptions: [NodeDescription]) {
        self.descriptions = Dictionary(descriptions.map { ($0.type, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// All problems of `document`; empty when it can run.
    public func validate(_ document: FlowDocument) -> [FlowIssue] {
        var issues: [FlowIssue] = []
        let variableNames = Set(document.variables.map(\.name))
        checkVariables(document, &issues)
        let indexById = checkNodes(document, &issues)
        let graph = checkEdges(document, indexById: indexById, &issues)
        for (index, node) in document.nodes.enumerated() {
            let pointer = "/nodes/\(index)/params"
            guard let description = descriptions[node.type] else { continue }
            var context = ParameterCheck(nodeId: node.id, variables: variableNames, document: document,
                                         ancestors: graph.ancestors(of: node.id))
            context.checkObject(.object(node.params), fields: description.parameters, pointer: pointer)
            issues += context.issues
            if context.issues.isEmpty, let check = description.check {
                for issue in check(node, document) {
                    issues.append(FlowIssue(nodeId: node.id, pointer: pointer + issue.pointer, message: issue.message))
                }
            }
        }
        return issues
    }

    private func checkVariables(_ document: FlowDocument, _ issues: inout [FlowIssue]) {
        var seen: Set<String> = []
        for (index, variable) in document.variables.enumerated() where !seen.insert(variable.name).inserted {
            issues.append(FlowIssue(pointer: "/variables/\(index)/name", message: "duplicate variable name '\(variable.name)'"))
        }
    }

    private func checkNodes(_ document: FlowDocument, _ issues: inout [FlowIssue]) -> [String: Int] {
        var indexById: [String: Int] = [:]
        var names: [String: String] = [:]
        var triggers: [Int] = []
        for (index, node) in document.nodes.enumerated() {
            let pointer = "/nodes/\(index)"
            if !FlowValidator.isValidNodeId(node.id) {
                issues.append(FlowIssue(nodeId: node.id, pointer: pointer + "/id",
                                        message: "node id \"\(node.id)\" must be 1–64 characters of A–Z, a–z, 0–9, _ and -"))
            }
            if indexById[node.id] != nil {
                issues.append(FlowIssue(nodeId: node.id, pointer: pointer + "/id", message: "duplicate node id '\(node.id)'"))
            } else {
                indexById[node.id] = index
            }
            if node.name != node.id {
                if let other = names[node.name] {
                    issues.append(FlowIssue(nodeId: node.id, pointer: pointer + "/name",
                                            message: "node name '\(node.name)' is also used by node '\(other)'"))
                } else {
                    names[node.name] = node.id
                }
            }
            if node.type == "trigger" { triggers.append(index) }
            if descriptions[node.type] == nil {
                let known = descriptions.keys.sorted().joined(separator: ", ")
                issues.append(FlowIssue(nodeId: node.id, pointer: pointer + "/type",
                                        message: "unknown node type '\(node.type)' (known types: \(known))"))
            }
        }
        if triggers.isEmpty {
            issues.append(FlowIssue(pointer: "/nodes", message: "the flow has no trigger node (a node with id 'trigger' and type 'trigger')"))
        }
        for index in triggers.dropFirst() {
            issues.append(FlowIssue(nodeId: document.nodes[index].id, pointer: "/nodes/\(index)",
                                    message: "a flow has exactly one trigger node; this is another"))
        }
        if let index = triggers.first, document.nodes[index].id != "trigger" {
            issues.append(FlowIssue(nodeId: document.nodes[index].id, pointer: "/nodes/\(index)/id",
                                    message: "the trigger node's id must be 'trigger'"))
        }
        return indexById
    }

    private func checkEdges(_ document: FlowDocument, indexById: [String: Int], _ issues: inout [FlowIssue]) -> FlowGraph {
        var valid: [FlowEdge] = []
        var seen: Set<FlowEdge> = []
        for (index, edge) in document.edges.enumerated() {
            let pointer = "/edges/\(index)"
            var ok = true
            guard let fromIndex = indexById[edge.from] else {
                issues.append(FlowIssue(pointer: pointer + "/from", message: "edge from unknown node '\(edge.from)'"))
                if indexById[edge.to] == nil {
                    issues.append(FlowIssue(pointer: pointer + "/to", message: "edge to unknown node '\(edge.to)'"))
                }
                continue
            }
            if indexById[edge.to] == nil {
                issues.append(FlowIssue(nodeId: edge.from, pointer: pointer + "/to", message: "edge to unknown node '\(edge.to)'"))
                ok = false
            }
            let from = document.nodes[fromIndex]
            if let description = descriptions[from.type] {
                var outputs = description.outputs
                if from.settings.onError == .errorOutput { outputs.append("error") }
                if !outputs.contains(edge.output) {
                    let hint = edge.output == "error" ? " (set the node's settings.onError to \"errorOutput\")" : ""
                    issues.append(FlowIssue(nodeId: from.id, pointer: pointer + "/output",
                                            message: "node '\(from.id)' has no output '\(edge.output)' (outputs: \(outputs.joined(separator: ", ")))\(hint)"))
                    ok = false
                }
            }
            if edge.to == "trigger" {
                issues.append(FlowIssue(nodeId: edge.to, pointer: pointer + "/to", message: "no edge may lead into the trigger"))
                ok = false
            }
            if edge.from == edge.to {
                issues.append(FlowIssue(nodeId: edge.from, pointer: pointer, message: "edge from node '\(edge.from)' to itself"))
                ok = false
            }
            if !seen.insert(edge).inserted {
                issues.append(FlowIssue(nodeId: edge.from, pointer: pointer, message: "duplicate edge \(edge.from) → \(edge.to)"))
                ok = false
            }
            if ok { valid.append(edge) }
        }
        let graph = FlowGraph(nodeIds: document.nodes.map(\.id), edges: valid)
        let cycle = graph.cycle()
        if !cycle.isEmpty {
            let first = cycle[0]
            issues.append(FlowIssue(nodeId: first, pointer: "/nodes/\(indexById[first] ?? 0)",
                                    message: "the edges form a cycle: \((cycle + [first]).joined(separator: " → "))"))
        } else if indexById["trigger"] != nil {
            let reachable = graph.descendants(of: "trigger")
            for (index, node) in document.nodes.enumerated() where node.id != "trigger" && !reachable.contains(node.id) {
                issues.append(FlowIssue(nodeId: node.id, pointer: "/nodes/\(index)",
                                        message: "node '\(node.id)' cannot be reached from the trigger (add an edge into it)"))
            }
        }
        return graph
    }

    public static func isValidNodeId(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
        }
    }
}

/// Walks a parameter value against its declared type, collecting issues.
struct ParameterCheck {
    let nodeId: String
    let variables: Set<String>
    let document: FlowDocument
    let ancestors: Set<String>
    var issues: [FlowIssue] = []

    init(nodeId: String, variables: Set<String>, document: FlowDocument, ancestors: Set<String>) {
        self.nodeId = nodeId; self.variables = variables; self.document = document; self.ancestors = ancestors
    }

    mutating func add(_ pointer: String, _ message: String) {
        issues.append(FlowIssue(nodeId: nodeId, pointer: pointer, message: message))
    }

    mutating func checkObject(_ value: JSON, fields: [Parameter], pointer: String) {
        guard case .object(let object) = value else {
            add(pointer, "expected object, found \(value.typeName)")
            return
        }
        for field in fields {
            let fieldPointer = JSONPointer.append(pointer, field.name)
            if case .conditionList = field.type {
                let others = Set(fields.map(\.name)).subtracting(ConditionSet.keys)
                for issue in ConditionSet.validate(value, pointer: pointer, variables: variables, otherKeys: others) {
                    add(issue.pointer, issue.message)
                }
                continue
            }
            if let member = object[field.name] {
                check(member, field.type, pointer: fieldPointer)
            } else if field.required {
                add(fieldPointer, "missing required parameter '\(field.name)'")
            }
        }
        let known = Set(fields.map(\.name))
        for key in object.keys where !known.contains(key) {
            let allowed = fields.map(\.name).joined(separator: ", ")
            add(JSONPointer.append(pointer, key), "unknown parameter '\(key)' (expected one of: \(allowed))")
        }
    }

    mutating func check(_ value: JSON, _ type: ParameterType, pointer: String) {
        checkVariableReferences(in: value, pointer: pointer)
        if case .string(let s) = value, let name = VariableReference.wholeReference(s) {
            checkVariableValue(name, against: type, pointer: pointer)
            return
        }
        switch type {
        case .string(let format):
            guard case .string(let s) = value else { return add(pointer, "expected string, found \(value.typeName)") }
            checkString(s, format: format, pointer: pointer)
        case .integer(let min, let max):
            guard let n = value.intValue else { return add(pointer, "expected integer, found \(describe(value))") }
            if let min, n < min { add(pointer, "must be at least \(min), found \(n)") }
            if let max, n > max { add(pointer, "must be at most \(max), found \(n)") }
        case .number:
            if !value.isNumber { add(pointer, "expected number, found \(describe(value))") }
        case .boolean:
            if value.boolValue == nil { add(pointer, "expected boolean, found \(describe(value))") }
        case .choice(let options):
            guard case .string(let s) = value, options.contains(s) else {
                return add(pointer, "expected one of \(options.map { "\"\($0)\"" }.joined(separator: ", ")), found \(describe(value))")
            }
        case .array(let element, let maxItems):
            guard case .array(let elements) = value else { return add(pointer, "expected array, found \(value.typeName)") }
            if let maxItems, elements.count > maxItems { add(pointer, "at most \(maxItems) items allowed, found \(elements.count)") }
            for (i, e) in elements.enumerated() { check(e, element, pointer: JSONPointer.append(pointer, i)) }
        case .object(let fields):
            checkObject(value, fields: fields, pointer: pointer)
        case .map(let element):
            guard case .object(let object) = value else { return add(pointer, "expected object, found \(value.typeName)") }
            for (key, member) in object { check(member, element, pointer: JSONPointer.append(pointer, key)) }
        case .any:
            break
        case .inputReference:
            checkInputReference(value, pointer: pointer)
        case .nodeReference:
            guard case .string(let s) = value else { return add(pointer, "expected a node id, found \(value.typeName)") }
            if document.node(s) == nil { add(pointer, "unknown node '\(s)'") }
        case .conditionList:
            break
        case .conditions:
            for issue in ConditionSet.validate(value, pointer: pointer, variables: variables) {
                add(issue.pointer, issue.message)
            }
        case .oneOf(let types):
            var best: [FlowIssue]?
            for candidate in types {
                var trial = ParameterCheck(nodeId: nodeId, variables: variables, document: document, ancestors: ancestors)
                trial.check(value, candidate, pointer: pointer)
                if trial.issues.isEmpty { return }
                if best == nil || trial.issues.count < best!.count { best = trial.issues }
            }
            issues += best ?? []
        }
    }

    mutating func checkString(_ s: String, format: StringFormat, pointer: String) {
        guard !s.contains("{{"), !s.contains("$wf.variables") else { return }
        switch format {
        case .jsonPath:
            do { _ = try JSONPath(key: s) } catch { add(pointer, "invalid JSONPath \"\(s)\": \(error.message)") }
        case .regex:
            do { _ = try NSRegularExpression(pattern: s) } catch { add(pointer, "invalid regular expression \"\(s)\"") }
        case .plain, .template, .javascript, .multiline:
            break
        }
    }

    mutating func checkInputReference(_ value: JSON, pointer: String) {
        guard case .object(let object) = value else { return add(pointer, "expected {\"node\": …, \"path\": …}, found \(value.typeName)") }
        for key in object.keys where key != "node" && key != "path" {
            add(JSONPointer.append(pointer, key), "unknown key '\(key)' (expected node, path)")
        }
        guard case .string(let ref)? = object["node"] else {
            return add(JSONPointer.append(pointer, "node"), "missing required key 'node' (the id or name of a node)")
        }
        if let node = document.node(ref) {
            if !ancestors.contains(node.id) {
                add(JSONPointer.append(pointer, "node"), "node '\(ref)' is not upstream of '\(nodeId)', so its output is not available (connect it with edges)")
            }
        } else {
            add(JSONPointer.append(pointer, "node"), "unknown node '\(ref)'")
        }
        if let path = object["path"] {
            guard case .string(let p) = path else { return add(JSONPointer.append(pointer, "path"), "expected string, found \(path.typeName)") }
            if !p.isEmpty { checkString(p, format: .jsonPath, pointer: JSONPointer.append(pointer, "path")) }
        }
    }

    /// A parameter that is one variable reference takes the variable's value: it must fit the type.
    /// A secret variable's value is never quoted.
    mutating func checkVariableValue(_ name: String, against type: ParameterType, pointer: String) {
        guard let variable = document.variables.first(where: { $0.name == name }), !variable.value.isNull else { return }
        var trial = ParameterCheck(nodeId: nodeId, variables: variables, document: document, ancestors: ancestors)
        trial.check(variable.value, type, pointer: pointer)
        guard let first = trial.issues.first else { return }
        if variable.secret {
            add(pointer, "the value of secret variable '\(name)' does not fit this parameter")
        } else {
            add(pointer, "variable '\(name)': \(first.message)")
        }
    }

    mutating func checkVariableReferences(in value: JSON, pointer: String) {
        guard case .string(let s) = value else { return }
        for name in VariableReference.names(in: s) where !variables.contains(name) {
            add(pointer, "unknown variable '\(name)'")
        }
    }

    func describe(_ value: JSON) -> String {
        switch value {
        case .string(let s): return "string \"\(s)\""
        case .int, .double: return "number \(value.serialized())"
        default: return value.typeName
        }
    }
}
