import Foundation
import Testing
import WeftEngine
import WeftModel
@testable import WeftNodes

/// Invariants every node type in the catalog keeps.
@Suite struct NodeCatalogTests {
    static let typeNames = NodeCatalog.types.map { $0.description.type }

    @Test func typeNamesAreUnique() {
        #expect(Set(Self.typeNames).count == Self.typeNames.count)
        #expect(NodeCatalog.registry.descriptions.count == NodeCatalog.types.count)
    }

    @Test func theCatalogHasTheGeneralNodes() {
        for name in ["trigger", "data", "filter", "formatter", "joiner", "loop", "report"] {
            #expect(NodeCatalog.registry.type(named: name) != nil, "\(name)")
        }
        #expect(NodeCatalog.registry.description(of: "trigger")?.takesInput == false)
        #expect(NodeCatalog.registry.description(of: "filter")?.outputs == ["main", "rejected"])
    }

    @Test(arguments: typeNames)
    func everyParameterHasHelpText(type: String) throws {
        let description = try #require(NodeCatalog.registry.description(of: type))
        #expect(!description.summary.isEmpty)
        #expect(!description.displayName.isEmpty)
        func check(_ parameters: [Parameter], path: String) {
            var names = Set<String>()
            for parameter in parameters {
                let here = path + "/" + parameter.name
                #expect(!parameter.help.trimmingCharacters(in: .whitespaces).isEmpty, "\(type)\(here) has no help")
                #expect(names.insert(parameter.name).inserted, "\(type)\(here) is declared twice")
                visit(parameter.type, path: here)
            }
        }
        func visit(_ type: ParameterType, path: String) {
            switch type {
            case .object(let fields): check(fields, path: path)
            case .array(let element, _), .map(let element): visit(element, path: path + "/*")
            case .oneOf(let types): types.forEach { visit($0, path: path) }
            default: break
            }
        }
        check(description.parameters, path: "")
    }

    @Test(arguments: typeNames)
    func everyExampleDecodes(type: String) throws {
        let nodeType = try #require(NodeCatalog.registry.type(named: type))
        try Self.decodeExample(nodeType)
    }

    static func decodeExample<N: NodeType>(_ type: N.Type) throws {
        let params = type.description.example.objectValue ?? [:]
        _ = try JSONValueDecoder().decode(N.Parameters.self, from: .object(type.description.applyingDefaults(to: params)))
    }

    @Test(arguments: typeNames)
    func everyExampleValidates(type: String) throws {
        let description = try #require(NodeCatalog.registry.description(of: type))
        let params = try #require(description.example.objectValue, "the example of \(type) is not an object")
        let document = Self.flow(around: description, params: params)
        let issues = NodeCatalog.registry.validator.validate(document)
        #expect(issues.isEmpty, "\(issues.map(\.description))")
    }

    @Test func theValidatorRejectsBrokenParameters() throws {
        let description = try #require(NodeCatalog.registry.description(of: "formatter"))
        let document = Self.flow(around: description, params: ["operations": [["op": "explode"]], "mode": "some"])
        let pointers = NodeCatalog.registry.validator.validate(document).map(\.pointer)
        #expect(pointers.contains("/nodes/1/params/operations/0/op"))
        #expect(pointers.contains("/nodes/1/params/mode"))
    }

    @Test func staticChecksReportNodeSpecificProblems() throws {
        func issues(_ type: String, _ params: JSONObject) throws -> [FlowIssue] {
            let description = try #require(NodeCatalog.registry.description(of: type))
            return NodeCatalog.registry.validator.validate(Self.flow(around: description, params: params))
        }
        #expect(try issues("data", [:]).map(\.message) == ["give either items or file"])
        #expect(try issues("data", ["items": [], "file": "a.csv"]).map(\.pointer) == ["/nodes/1/params/file"])
        #expect(try issues("joiner", ["left": ["node": "a"], "right": ["node": "b"], "mode": "outer"]).map(\.pointer)
            == ["/nodes/1/params/leftKey", "/nodes/1/params/rightKey"])
        #expect(try issues("joiner", ["left": ["node": "a"], "right": ["node": "b"], "mode": "append"]).isEmpty)
        #expect(try issues("trigger", ["schedule": ["active": true]]).map(\.pointer) == ["/nodes/0/params/schedule/expression"])
        #expect(try issues("trigger", ["schedule": ["active": false]]).isEmpty)
        let badSchedule = try issues("trigger", ["schedule": ["active": true, "expression": "0 3 * * 8", "timezone": "Mars/Olympus"]])
        #expect(badSchedule.map(\.pointer) == ["/nodes/0/params/schedule/expression", "/nodes/0/params/schedule/timezone"])
        #expect(badSchedule.first?.message == "invalid schedule expression: day-of-week: 8 is out of range 0-7", "\(badSchedule)")
        let badPattern = try issues("trigger", ["event": ["active": true, "pattern": ["detail": ["state": [["numeric": [">", "x"]]]]]]])
        #expect(badPattern.first?.pointer.hasPrefix("/nodes/0/params/event/pattern/detail/state") == true, "\(badPattern)")
        #expect(try issues("trigger", ["schedule": ["active": true, "expression": "cron(0 3 ? * MON-FRI *)",
                                                    "timezone": "America/New_York"],
                                       "event": ["pattern": ["source": ["aws.ec2"]]]]).isEmpty)
    }

    /// A flow holding a node of `description`'s type with `params`, the nodes its input references
    /// name upstream of it and the nodes its node references name downstream of it.
    static func flow(around description: NodeDescription, params: JSONObject) -> FlowDocument {
        if description.type == "trigger" {
            return FlowDocument(name: "example", nodes: [FlowNode(id: "trigger", type: "trigger", params: params)], edges: [])
        }
        var upstream: [String] = []
        var downstream: [String] = []
        func collect(_ value: JSON, _ type: ParameterType) {
            switch (type, value) {
            case (.inputReference, .object(let reference)):
                if let node = reference["node"]?.stringValue, !upstream.contains(node) { upstream.append(node) }
            case (.nodeReference, .string(let node)):
                if !downstream.contains(node) { downstream.append(node) }
            case (.array(let element, _), .array(let values)):
                values.forEach { collect($0, element) }
            case (.object(let fields), .object(let members)):
                for field in fields { if let member = members[field.name] { collect(member, field.type) } }
            default:
                break
            }
        }
        collect(.object(params), .object(description.parameters))
        var nodes = [FlowNode(id: "trigger", type: "trigger", params: ["manual": true]),
                     FlowNode(id: "subject", type: description.type, params: params)]
        var edges: [FlowEdge] = []
        for id in upstream {
            nodes.append(FlowNode(id: id, type: "data", params: ["items": []]))
            edges += [FlowEdge(from: "trigger", to: id), FlowEdge(from: id, to: "subject")]
        }
        if upstream.isEmpty { edges.append(FlowEdge(from: "trigger", to: "subject")) }
        for id in downstream {
            nodes.append(FlowNode(id: id, type: "data", params: ["items": []]))
            edges.append(FlowEdge(from: "subject", to: id))
        }
        return FlowDocument(name: "example", nodes: nodes, edges: edges)
    }
}
