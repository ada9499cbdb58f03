/// Converts flows in the seed product's export shape into Weft flow documents (SPEC 4.6).
///
/// A seed flow is an object with `name`, `description`, `categories`, `variables`, `nodes` and
/// `edges` (`{source, target}` or `{from, to}`); each node has an `id` (`node-<8 hex>-<kind>`), a
/// `type` (or the kind in its id), a `name` or `label`, and its settings in `data`, `params` or
/// `config` or on the node itself:
/// - trigger: `manual`, `schedule {active, value}`, `cloudview {active}` (→ `scan`), `event {active,
///   value: {selectedServiceName, selectedEventsName, selectedFilters}}` (→ an EventBridge pattern);
/// - resource / action / raw: `nextAction` `"RDS:describeDBInstances"` (→ `aws.resource` with service
///   `rds`, operation `DescribeDBInstances`), `addons`, `additionalParams`;
/// - filter and the TotalCloud (control) node: `selectedResource {selectedResourceId, path, label}`
///   (→ `input`), `conditions`, `expression`; control evidence `resourceId`, `displayName`, `keys`;
/// - custom, http, largeHttp, report, formatter, joiner, loop: their settings by Weft's names.
///
/// Run context the seed records with a node (`executionId`, `credentials*`, `customer`, `region`,
/// `resourceGroup`, `project`, `previousOutputPath`) is not flow content and is left out. Whatever
/// else cannot be converted is reported as a `FlowIssue` with the node id and a pointer into the seed
/// flow — never dropped silently. A node that cannot be converted at all is left out and its upstream
/// nodes are connected to its downstream ones. Pure: no I/O.
public enum SeedFlowConverter {
    /// Whether `value` is a flow in the seed's shape: an object without `weft` whose nodes carry seed
    /// fields (`selectedResource`, `nextAction`, `conditionalSettings`, `cloudview`, settings under
    /// `data`/`config`, …) or whose edges are `{source, target}`.
    public static func isSeedFlow(_ value: JSON) -> Bool {
        guard case .object(let object) = value, object["weft"] == nil else { return false }
        if object["qflowName"] != nil { return true }
        if case .array(let edges)? = object["edges"] ?? object["connections"] {
            if edges.contains(where: { $0["source"] != nil || $0["target"] != nil }) { return true }
        }
        guard case .array(let nodes)? = object["nodes"] else { return false }
        return nodes.contains { node in
            guard case .object(let members) = node else { return false }
            if members["data"] != nil || members["config"] != nil || members["label"] != nil { return true }
            let settings = members["params"]?.objectValue ?? members
            return seedMarkers.contains { settings[$0] != nil || members[$0] != nil }
        }
    }

    /// Converts a seed flow. Returns the Weft document (to be validated like any other) and the parts
    /// that could not be converted.
    public static func convert(_ value: JSON) -> (document: JSON, notConverted: [FlowIssue]) {
        var conversion = Conversion()
        let document = conversion.flow(value)
        return (document, conversion.notes)
    }

    static let seedMarkers = ["selectedResource", "nextAction", "conditionalSettings", "cloudview", "previousOutputPath"]

    /// Keys of the run context the seed records with each node's settings; not flow content.
    static let contextKeys: Set<String> = [
        "executionId", "customer", "customerId", "region", "regions", "resourceGroup", "project", "previousOutputPath",
        "accountId", "account", "accounts", "connector", "connectorId", "connectors",
    ]

    /// Seed service names whose botocore name is not their lowercase form.
    static let serviceAliases: [String: String] = [
        "cloudwatchlogs": "logs", "elasticloadbalancing": "elb", "elasticloadbalancingv2": "elbv2",
        "configservice": "config", "elasticsearch": "es", "elasticsearchservice": "es", "cognito": "cognito-idp",
        "cognitouserpools": "cognito-idp", "stepfunction": "stepfunctions", "sfn": "stepfunctions",
    ]

    enum Kind: String {
        case trigger, resource, action, raw, filter, control, custom, http, largeHttp, report, formatter, joiner, loop
    }

    static let kindNames: [String: Kind] = [
        "trigger": .trigger, "start": .trigger,
        "resource": .resource, "awsresource": .resource,
        "action": .action, "awsaction": .action,
        "raw": .raw, "awsraw": .raw, "api": .raw,
        "filter": .filter,
        "control": .control, "totalcloud": .control, "cloudviewcontrol": .control, "cloudview": .control,
        "totalcloudcontrol": .control,
        "custom": .custom, "code": .custom,
        "http": .http, "largehttp": .largeHttp,
        "report": .report,
        "formatter": .formatter, "dataformatter": .formatter,
        "joiner": .joiner, "datajoiner": .joiner,
        "loop": .loop,
    ]

    static let weftTypes: [Kind: String] = [
        .trigger: "trigger", .resource: "aws.resource", .action: "aws.action", .raw: "aws.raw", .filter: "filter",
        .control: "control", .custom: "custom", .http: "http", .largeHttp: "largeHttp", .report: "report",
        .formatter: "formatter", .joiner: "joiner", .loop: "loop",
    ]

    /// Weft parameters copied as they are, per kind.
    static let passThrough: [Kind: [String]] = [
        .custom: ["mode", "limits"],
        .http: ["method", "url", "body", "forEach", "concurrency", "timeoutSeconds", "response", "pagination",
                "maxRedirects", "maxRetries", "failOnErrorStatus"],
        .largeHttp: ["method", "url", "body", "forEach", "timeoutSeconds", "response", "maxBytes", "maxRedirects",
                     "maxRetries", "failOnErrorStatus"],
        .report: ["format", "columns", "fileName"],
        .formatter: ["fields", "mode", "operations", "keepOthers"],
        .joiner: ["mode", "leftKey", "rightKey", "as"],
        .loop: ["body", "maxIterations", "exitWhen"],
        .action: ["waitFor", "concurrency", "continueOnError"],
        .raw: ["forEach", "paginate"],
        .resource: ["maxItems", "itemsPath"],
        .control: ["criteriaMatch"],
    ]

    /// Lowercase letters and digits of `text`.
    static func normalized(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) })
    }

    /// `RDS:describeDBInstances` → (`rds`, `DescribeDBInstances`): the service's botocore name and
    /// the operation with its first letter raised; `nil` without a `:`.
    public static func awsCall(_ text: String) -> (service: String, operation: String)? {
        let parts = text.split(separator: ":", maxSplits: 1).map { String($0).trimmingWhitespace }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (botocoreName(parts[0]), parts[1].prefix(1).uppercased() + parts[1].dropFirst())
    }

    static func botocoreName(_ service: String) -> String {
        let key = normalized(service)
        return serviceAliases[key] ?? service.lowercased().replacingOccurrences(of: " ", with: "")
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}

/// One conversion's state: the notes so far and how seed node ids map to Weft ones.
private struct Conversion {
    typealias Kind = SeedFlowConverter.Kind
    var notes: [FlowIssue] = []
    /// Seed node id → Weft node id, for the nodes kept.
    var ids: [String: String] = [:]
    var kinds: [String: Kind] = [:]
    var names: [String: String] = [:]

    mutating func note(_ nodeId: String?, _ pointer: String, _ message: String) {
        notes.append(FlowIssue(nodeId: nodeId, pointer: pointer, message: message))
    }

    static let flowKeys: Set<String> = [
        "name", "qflowName", "title", "description", "categories", "category", "tags", "variables", "nodes", "edges",
        "connections",
    ]
    static let flowMetadata: Set<String> = [
        "id", "_id", "uuid", "qflowId", "customerId", "customer", "createdBy", "createdOn", "createdAt", "updatedBy",
        "updatedOn", "updatedAt", "modifiedOn", "version", "status", "lastExecutedOn", "lastExecuted", "executions",
        "accounts", "regions", "connectors", "connectorIds", "qualysApps", "type", "position", "viewport", "zoom",
        "templateId", "deployed", "isDeployed", "owner",
    ]

    mutating func flow(_ value: JSON) -> JSON {
        let object = value.objectValue ?? [:]
        var out: JSONObject = ["weft": 1]
        out["name"] = .string(object["name"]?.stringValue ?? object["qflowName"]?.stringValue
            ?? object["title"]?.stringValue ?? "Imported flow")
        if let description = object["description"]?.stringValue, !description.isEmpty {
            out["description"] = .string(description)
        }
        let categories = labels(object["categories"] ?? object["category"])
        if !categories.isEmpty { out["categories"] = .array(categories.map(JSON.string)) }
        let tags = labels(object["tags"])
        if !tags.isEmpty { out["tags"] = .array(tags.map(JSON.string)) }
        if case .array(let variables)? = object["variables"], !variables.isEmpty {
            out["variables"] = .array(variables.enumerated().compactMap { variable($1, pointer: "/variables/\($0)") })
        }
        for key in object.keys where !Self.flowKeys.contains(key) && !Self.flowMetadata.contains(key) {
            note(nil, "/\(JSONPointer.escape(key))", "the seed flow's '\(key)' has no Weft equivalent; not imported")
        }
        let seedNodes = object["nodes"]?.arrayValue ?? []
        var nodes = self.nodes(seedNodes)
        var edges = self.edges(object["edges"] ?? object["connections"])
        connectLooseNodes(&nodes, &edges, hadEdges: !(object["edges"] ?? object["connections"] ?? .null).isEmptyArray)
        resolveInputs(&nodes)
        out["nodes"] = .array(nodes.map { .object($0) })
        out["edges"] = .array(edges.map { edge in
            var object: JSONObject = ["from": .string(edge.from), "to": .string(edge.to)]
            if edge.output != "main" { object["output"] = .string(edge.output) }
            return .object(object)
        })
        return .object(out)
    }

    func labels(_ value: JSON?) -> [String] {
        switch value {
        case .string(let text)?: return text.isEmpty ? [] : [text]
        case .array(let list)?:
            return list.compactMap { $0.stringValue ?? $0["name"]?.stringValue ?? $0["label"]?.stringValue }
        default: return []
        }
    }

    mutating func variable(_ value: JSON, pointer: String) -> JSON? {
        guard case .object(let object) = value, let name = object["name"]?.stringValue else {
            note(nil, pointer, "a variable without a name cannot be imported")
            return nil
        }
        var out: JSONObject = ["name": .string(name)]
        let type = object["type"]?.stringValue.map(SeedFlowConverter.normalized) ?? "auto"
        out["type"] = .string(["auto", "array", "object", "string"].contains(type) ? type : "auto")
        out["value"] = object["value"] ?? .null
        if object["secret"] == true || object["isSecret"] == true { out["secret"] = true }
        if let description = object["description"]?.stringValue, !description.isEmpty {
            out["description"] = .string(description)
        }
        for key in object.keys where !["name", "type", "value", "secret", "isSecret", "description", "id"].contains(key) {
            note(nil, JSONPointer.append(pointer, key), "variable '\(name)': '\(key)' has no Weft equivalent; not imported")
        }
        return .object(out)
    }

    // MARK: - Nodes

    /// The node's settings: `data`, `params` or `config` merged over the node's own members.
    static let structuralKeys: Set<String> = [
        "id", "type", "name", "label", "title", "position", "data", "params", "config", "width", "height", "selected",
        "dragging", "positionAbsolute", "description", "nodeType", "kind",
    ]

    mutating func nodes(_ list: [JSON]) -> [JSONObject] {
        var out: [JSONObject] = []
        var usedIds: Set<String> = []
        var usedNames: Set<String> = []
        var sawTrigger = false
        for (index, element) in list.enumerated() {
            let pointer = "/nodes/\(index)"
            guard case .object(let node) = element else {
                note(nil, pointer, "a node must be an object; not imported")
                continue
            }
            let seedId = node["id"]?.stringValue ?? "node-\(index)"
            var settings: JSONObject = [:]
            var settingsPointer = pointer
            for (key, member) in node where !Self.structuralKeys.contains(key) { settings[key] = member }
            for key in ["data", "params", "config"] {
                if case .object(let nested)? = node[key] {
                    settingsPointer = JSONPointer.append(pointer, key)
                    for (name, member) in nested where name != "label" { settings[name] = member }
                }
            }
            guard let kind = kind(of: node, id: seedId) else {
                let type = node["type"]?.stringValue ?? node["nodeType"]?.stringValue ?? "unknown"
                let reason = ["azure", "gcp", "google"].contains { SeedFlowConverter.normalized(type + seedId).contains($0) }
                    ? "\(type) nodes (Azure, GCP) are not available in this Weft; not imported"
                    : "node type '\(type)' has no Weft equivalent; not imported"
                note(seedId, pointer, reason)
                continue
            }
            if kind == .trigger, sawTrigger {
                note(seedId, pointer, "a flow has one trigger; this second trigger was not imported")
                continue
            }
            var id = kind == .trigger ? "trigger" : Self.validId(seedId)
            while usedIds.contains(id) { id = String(id.prefix(60)) + "-\(index)" }
            guard var params = self.params(kind, settings, nodeId: seedId, pointer: settingsPointer) else { continue }
            if kind == .trigger { sawTrigger = true }
            usedIds.insert(id)
            ids[seedId] = id
            kinds[id] = kind
            var weft: JSONObject = ["id": .string(id), "type": .string(SeedFlowConverter.weftTypes[kind]!)]
            let label = node["name"]?.stringValue ?? node["label"]?.stringValue ?? node["data"]?["label"]?.stringValue
                ?? node["title"]?.stringValue
            if let label, !label.isEmpty, label != id {
                var name = label
                var counter = 2
                while usedNames.contains(name) {
                    name = "\(label)_\(counter)"
                    counter += 1
                }
                usedNames.insert(name)
                names[name] = id
                weft["name"] = .string(name)
            }
            weft["params"] = .object(params)
            if let position = node["position"], position.objectValue != nil { weft["ui"] = ["position": position] }
            out.append(weft)
        }
        if !sawTrigger {
            note(nil, "/nodes", "the seed flow has no trigger node; a manual trigger was added")
            out.insert(["id": "trigger", "type": "trigger", "params": ["manual": true]], at: 0)
            kinds["trigger"] = .trigger
        }
        return out
    }

    func kind(of node: JSONObject, id: String) -> Kind? {
        for key in ["type", "nodeType", "kind"] {
            if let type = node[key]?.stringValue, let kind = SeedFlowConverter.kindNames[SeedFlowConverter.normalized(type)] {
                return kind
            }
        }
        if id == "trigger" { return .trigger }
        let parts = id.split(separator: "-", maxSplits: 2)
        if parts.count == 3, parts[0] == "node" {
            return SeedFlowConverter.kindNames[SeedFlowConverter.normalized(String(parts[2]))]
        }
        return nil
    }

    static func validId(_ id: String) -> String {
        let cleaned = String(id.unicodeScalars.map { scalar -> Character in
            let ok = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "_" || scalar == "-"
            return ok ? Character(scalar) : "-"
        }.prefix(64))
        return cleaned.isEmpty ? "node" : cleaned
    }

    /// The Weft parameters of one node, or `nil` when it cannot be converted (noted).
    mutating func params(_ kind: Kind, _ settings: JSONObject, nodeId: String, pointer: String) -> JSONObject? {
        var fields = SeedFields(settings: settings, nodeId: nodeId, pointer: pointer)
        var params: JSONObject = [:]
        if let provider = fields.take("cloudProvider", "provider")?.stringValue.map(SeedFlowConverter.normalized),
            !provider.isEmpty, provider != "aws"
        {
            note(nodeId, fields.pointer("cloudProvider"), "\(provider) nodes are not available in this Weft; not imported")
            return nil
        }
        conditionalSettings(&fields)
        switch kind {
        case .trigger:
            params = trigger(&fields)
        case .resource, .action, .raw:
            guard let call = awsCall(&fields, kind: kind) else { return nil }
            params["service"] = .string(call.service)
            params["operation"] = .string(call.operation)
            if let parameters = fields.take("additionalParams", "additionalParameters", "parameters", "params") {
                params["parameters"] = keyValues(parameters)
            }
            if kind == .resource, let addons = fields.take("addons", "addOns") { params["addons"] = self.addons(addons, &fields) }
            if kind != .resource, let input = input(&fields) { params["input"] = input }
        case .filter:
            if let input = input(&fields) { params["input"] = input }
            let set = conditionSet(&fields)
            params["conditions"] = set["conditions"]
            if let expression = set["expression"] { params["expression"] = expression }
        case .control:
            if let input = input(&fields) { params["input"] = input }
            params["criteria"] = .object(conditionSet(&fields))
            var evidence: JSONObject = [:]
            if case .object(let given)? = fields.take("evidence") { evidence = given }
            if let id = fields.take("resourceId", "resourceID", "evidenceResourceId")?.stringValue, !id.isEmpty {
                evidence["resourceId"] = .string(id)
            }
            if let name = fields.take("displayName", "evidenceDisplayName")?.stringValue, !name.isEmpty {
                evidence["displayName"] = .string(name)
            }
            if case .array(let keys)? = fields.take("keys", "selectedKeys", "evidenceKeys") {
                evidence["keys"] = .array(keys.compactMap { $0.stringValue ?? $0["key"]?.stringValue }.map(JSON.string))
            }
            if !evidence.isEmpty { params["evidence"] = .object(evidence) }
        case .custom:
            if let input = input(&fields) { params["input"] = input }
            guard let code = fields.take("code", "script", "functionBody")?.stringValue else {
                note(nodeId, pointer, "a custom node without code cannot be converted; not imported")
                return nil
            }
            params["code"] = .string(code)
        case .http, .largeHttp:
            if let input = input(&fields) { params["input"] = input }
            if let headers = fields.take("headers") { params["headers"] = keyValues(headers) }
            if let query = fields.take("query", "queryParams", "queryParameters") { params["query"] = keyValues(query) }
            if let auth = fields.take("auth", "authentication"), !auth.isNull {
                let type = (auth["type"] ?? auth).stringValue ?? ""
                if ["basic", "bearer", "apiKey", "oauth2ClientCredentials"].contains(type) {
                    params["auth"] = ["type": .string(type)]
                }
                if !["", "none"].contains(type) {
                    note(nodeId, fields.pointer("auth"),
                         "HTTP authentication is not imported: create a named credential and set auth.credential")
                }
            }
        case .report, .formatter:
            if let input = input(&fields) { params["input"] = input }
        case .loop:
            break
        case .joiner:
            for side in ["left", "right"] {
                if let value = fields.take(side), let reference = reference(value) { params[side] = reference }
            }
        }
        for key in SeedFlowConverter.passThrough[kind] ?? [] {
            if let value = fields.take(key), !value.isNull { params[key] = value }
        }
        fields.reportLeftovers(type: SeedFlowConverter.weftTypes[kind]!, into: &notes)
        return params
    }

    mutating func conditionalSettings(_ fields: inout SeedFields) {
        guard let settings = fields.take("conditionalSettings") else { return }
        let conditions = settings["conditions"]?.arrayValue ?? []
        let expression = settings["expression"]?.stringValue ?? ""
        if !conditions.isEmpty || !expression.isEmpty {
            note(fields.nodeId, fields.pointer("conditionalSettings"),
                 "conditional settings (run this node only when conditions hold) have no Weft equivalent; not imported")
        }
    }

    mutating func trigger(_ fields: inout SeedFields) -> JSONObject {
        var params: JSONObject = ["manual": .bool(fields.take("manual")?.boolValue ?? true)]
        _ = fields.take("nextAction")
        if let schedule = fields.take("schedule"), case .object(let object) = schedule {
            let active = object["active"]?.boolValue ?? false
            var expression: String?
            switch object["value"] ?? object["expression"] ?? object["cron"] {
            case .string(let text)?: expression = text.isEmpty ? nil : text
            case .array(let list)? where list.count == 1: expression = list[0].stringValue
            case .array(let list)? where list.count > 1:
                note(fields.nodeId, fields.pointer("schedule") + "/value",
                     "a schedule with \(list.count) values cannot be converted; one expression is supported")
            case .object(let value)?: expression = (value["expression"] ?? value["cron"] ?? value["rate"])?.stringValue
            default: break
            }
            if let expression {
                var out: JSONObject = ["active": .bool(active), "expression": .string(expression)]
                if let zone = object["timezone"]?.stringValue ?? object["timeZone"]?.stringValue { out["timezone"] = .string(zone) }
                params["schedule"] = .object(out)
            } else if active {
                note(fields.nodeId, fields.pointer("schedule"), "the schedule is active but has no expression; not imported")
            }
        }
        if let cloudview = fields.take("cloudview", "totalcloud"), case .object(let object) = cloudview {
            if object["active"]?.boolValue == true { params["scan"] = ["active": true] }
        }
        if let event = fields.take("event"), case .object(let object) = event {
            self.event(object, &fields, into: &params)
        }
        return params
    }

    mutating func event(_ object: JSONObject, _ fields: inout SeedFields, into params: inout JSONObject) {
        let active = object["active"]?.boolValue ?? false
        let value = object["value"]?.objectValue ?? object
        if let pattern = value["pattern"], pattern.objectValue != nil {
            params["event"] = ["active": .bool(active), "provider": "aws", "pattern": pattern]
            return
        }
        let provider = SeedFlowConverter.normalized(value["cloudProvider"]?.stringValue ?? "")
        if !provider.isEmpty, provider != "aws" {
            note(fields.nodeId, fields.pointer("event"), "\(provider) events are not available in this Weft; not imported")
            return
        }
        var pattern: JSONObject = [:]
        if let service = value["selectedServiceName"]?.stringValue, !service.isEmpty {
            pattern["source"] = [.string("aws." + SeedFlowConverter.botocoreName(service))]
        }
        var events: [JSON] = []
        switch value["selectedEventsName"] {
        case .string(let text)?:
            events = text.split(separator: ",").map { .string(String($0).trimmingWhitespace) }.filter { $0 != "" }
        case .array(let list)?: events = list.filter { ($0.stringValue ?? "") != "" }
        default: break
        }
        var detail: JSONObject = [:]
        if !events.isEmpty {
            pattern["detail-type"] = ["AWS API Call via CloudTrail"]
            detail["eventName"] = .array(events)
        }
        for filter in value["selectedFilters"]?.arrayValue ?? [] {
            guard let key = filter["key"]?.stringValue, !key.isEmpty else { continue }
            let values = (filter["values"]?.arrayValue ?? []).filter { ($0.stringValue ?? "x") != "" }
            guard !values.isEmpty else { continue }
            detail = Self.setting(detail, path: key.split(separator: ".").map(String.init), to: .array(values))
        }
        if !detail.isEmpty { pattern["detail"] = .object(detail) }
        if pattern.isEmpty {
            if active {
                note(fields.nodeId, fields.pointer("event"), "the event trigger is active but names no service or event; not imported")
            }
            return
        }
        params["event"] = ["active": .bool(active), "provider": "aws", "pattern": .object(pattern)]
    }

    static func setting(_ object: JSONObject, path: [String], to value: JSON) -> JSONObject {
        guard let first = path.first else { return object }
        var object = object
        if path.count == 1 {
            object[first] = value
        } else {
            object[first] = .object(setting(object[first]?.objectValue ?? [:], path: Array(path.dropFirst()), to: value))
        }
        return object
    }

    mutating func awsCall(_ fields: inout SeedFields, kind: Kind) -> (service: String, operation: String)? {
        if let text = fields.take("nextAction", "action", "method")?.stringValue, !text.isEmpty {
            if let call = SeedFlowConverter.awsCall(text) {
                _ = fields.take("service", "operation")
                return call
            }
            if let service = fields.take("service")?.stringValue, !service.isEmpty {
                return (SeedFlowConverter.botocoreName(service), text.prefix(1).uppercased() + text.dropFirst())
            }
            note(fields.nodeId, fields.pointer("nextAction"),
                 "'\(text)' does not name a service and operation (\"RDS:describeDBInstances\"); node not imported")
            return nil
        }
        if let service = fields.take("service")?.stringValue, let operation = fields.take("operation")?.stringValue,
            !service.isEmpty, !operation.isEmpty
        {
            return (SeedFlowConverter.botocoreName(service), operation.prefix(1).uppercased() + operation.dropFirst())
        }
        note(fields.nodeId, fields.pointer, "the \(kind.rawValue) node names no AWS operation (nextAction); node not imported")
        return nil
    }

    mutating func addons(_ value: JSON, _ fields: inout SeedFields) -> JSON {
        let names = (value.arrayValue ?? [value]).compactMap { addon -> String? in
            let text = addon.stringValue ?? addon["name"]?.stringValue ?? addon["value"]?.stringValue ?? addon["label"]?.stringValue
            return text.map { String($0.filter { !$0.isWhitespace }) }
        }.filter { !$0.isEmpty }
        if names.count > 2 {
            note(fields.nodeId, fields.pointer("addons"),
                 "at most 2 addons per resource node; not imported: \(names.dropFirst(2).joined(separator: ", "))")
        }
        return .array(names.prefix(2).map(JSON.string))
    }

    /// `[{key, value}]` lists as objects; objects as they are.
    func keyValues(_ value: JSON) -> JSON {
        guard case .array(let list) = value else { return value }
        var object: JSONObject = [:]
        for entry in list {
            guard let key = (entry["key"] ?? entry["name"])?.stringValue, !key.isEmpty else { continue }
            object[key] = entry["value"] ?? .null
        }
        return .object(object)
    }

    /// `selectedResource` (or `input`) as an input reference; resolved against the converted nodes later.
    mutating func input(_ fields: inout SeedFields) -> JSON? {
        guard let value = fields.take("selectedResource", "input"), !value.isNull else { return nil }
        return reference(value)
    }

    func reference(_ value: JSON) -> JSON? {
        if case .string(let node) = value { return node.isEmpty ? nil : ["node": .string(node)] }
        guard case .object(let object) = value else { return nil }
        if let node = object["node"]?.stringValue { return ["node": .string(node), "path": object["path"] ?? ""] }
        var path = object["path"]?.stringValue ?? ""
        if path.isEmpty { path = object["content"]?["outputPath"]?.stringValue ?? "" }
        if let id = object["selectedResourceId"]?.stringValue, !id.isEmpty {
            return ["node": .string(id), "path": .string(path), "label": object["label"] ?? .null]
        }
        if let label = object["label"]?.stringValue, !label.isEmpty {
            let parts = label.split(separator: ".", maxSplits: 1).map(String.init)
            return ["node": .string(parts[0]), "path": .string(path.isEmpty && parts.count == 2 ? parts[1] : path), "label": .string(label)]
        }
        return nil
    }

    /// Input references now that node ids and names are known: seed ids become Weft ids; a path that
    /// only names the list a resource node's page holds (`DBInstances`) is dropped, as `aws.resource`
    /// already outputs one item per resource.
    mutating func resolveInputs(_ nodes: inout [JSONObject]) {
        for index in nodes.indices {
            guard case .object(var params)? = nodes[index]["params"] else { continue }
            let nodeId = nodes[index]["id"]?.stringValue
            for key in ["input", "left", "right"] {
                guard case .object(let reference)? = params[key], let target = reference["node"]?.stringValue else { continue }
                guard let id = ids[target] ?? names[target] ?? (kinds[target] != nil ? target : nil) else {
                    note(nodeId, "", "the input '\(target)' names no node that was imported; the node reads its upstream output instead")
                    params.removeValue(forKey: key)
                    continue
                }
                var out: JSONObject = ["node": .string(id)]
                let path = reference["path"]?.stringValue ?? ""
                let isListName = !path.isEmpty && path.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
                if !path.isEmpty, !(kinds[id] == .resource && isListName) { out["path"] = .string(path) }
                params[key] = .object(out)
            }
            nodes[index]["params"] = .object(params)
        }
    }

    // MARK: - Conditions

    static let conditionTypeNames: [String: String] = [
        "param": "param", "params": "param", "parameter": "param", "date": "date", "tag": "tags", "tags": "tags",
        "securitygroup": "securityGroup", "securitygroups": "securityGroup", "sg": "securityGroup",
        "networkacl": "networkAcl", "networkacls": "networkAcl", "nacl": "networkAcl", "function": "function",
    ]
    static let conditionAliases: [String: String] = [
        "portRange": "ports", "port": "ports", "ipOrSg": "value", "ipSg": "value", "ip": "value", "sg": "value",
        "filterType": "type", "selectedKey": "key", "code": "code", "sourceType": "source",
    ]
    static let valuelessOperators: Set<String> = ["exists", "notExists", "isEmpty", "isNotEmpty"]

    /// `conditions` + `expression` (or a `criteria` object holding them) in Weft's form.
    mutating func conditionSet(_ fields: inout SeedFields) -> JSONObject {
        var list: [JSON] = []
        var expression = ""
        var pointer = fields.pointer("conditions")
        if case .object(let criteria)? = fields.take("criteria") {
            list = criteria["conditions"]?.arrayValue ?? []
            expression = criteria["expression"]?.stringValue ?? ""
            pointer = fields.pointer("criteria") + "/conditions"
        }
        if case .array(let given)? = fields.take("conditions") { list = given }
        if let given = fields.take("expression")?.stringValue { expression = given }
        var converted: [JSON] = []
        for (index, element) in list.enumerated() {
            if let condition = condition(element, index: index, pointer: JSONPointer.append(pointer, index), nodeId: fields.nodeId) {
                converted.append(condition)
            }
        }
        var set: JSONObject = ["conditions": .array(converted)]
        if !expression.trimmingWhitespace.isEmpty { set["expression"] = .string(expression) }
        return set
    }

    mutating func condition(_ value: JSON, index: Int, pointer: String, nodeId: String) -> JSON? {
        guard case .object(let object) = value else {
            note(nodeId, pointer, "condition \(index + 1) is not an object; not imported")
            return nil
        }
        let id = object["id"]?.stringValue ?? "c\(index + 1)"
        let rawType = (object["type"] ?? object["filterType"])?.stringValue ?? ""
        guard let type = Self.conditionTypeNames[SeedFlowConverter.normalized(rawType)],
            let declaration = ConditionTypes.named(type)
        else {
            note(nodeId, pointer, "condition \(id): type '\(rawType)' has no Weft equivalent; not imported")
            return nil
        }
        let allowed = Set(declaration.fields.map(\.name))
        var out: JSONObject = ["id": .string(id), "type": .string(type)]
        for (key, member) in object where key != "id" && key != "type" && key != "filterType" {
            let name = allowed.contains(key) ? key : Self.conditionAliases[key] ?? key
            guard allowed.contains(name) else {
                if !member.isBlank {
                    note(nodeId, JSONPointer.append(pointer, key),
                         "condition \(id): '\(key)' is not a field of a \(type) condition; not imported")
                }
                continue
            }
            out[name] = member
        }
        if type == "param", let op = out["operator"]?.stringValue, Self.valuelessOperators.contains(op), out["value"]?.isBlank == true {
            out.removeValue(forKey: "value")
        }
        if type == "securityGroup" || type == "networkAcl" { normalizeRule(&out) }
        return .object(out)
    }

    /// The seed's display values for security-group and network-ACL rules in Weft's words.
    func normalizeRule(_ condition: inout JSONObject) {
        for key in ["direction", "protocol", "action"] {
            if let text = condition[key]?.stringValue { condition[key] = .string(text.lowercased()) }
        }
        if let ports = condition["ports"]?.stringValue {
            let compact = ports.filter { !$0.isWhitespace }
            condition["ports"] = .string(["all", "any", "0-65535"].contains(compact.lowercased()) ? "all" : compact)
        }
        if let source = condition["source"]?.stringValue {
            let hasValue = !(condition["value"]?.isBlank ?? true)
            switch SeedFlowConverter.normalized(source) {
            case "publicipv4", "anypublicipv4": condition["source"] = hasValue ? "cidr" : "anyPublicIPv4"
            case "publicipv6", "anypublicipv6": condition["source"] = hasValue ? "cidr" : "anyPublicIPv6"
            case "cidr", "ip", "custom": condition["source"] = "cidr"
            case "securitygroup", "sg": condition["source"] = "securityGroup"
            case "outsidecidrs": condition["source"] = "outsideCidrs"
            default: break
            }
        }
    }

    // MARK: - Edges

    mutating func edges(_ value: JSON?) -> [FlowEdge] {
        var parents: [String: [FlowEdge]] = [:]
        var raw: [(from: String, to: String, output: String)] = []
        for (index, element) in (value?.arrayValue ?? []).enumerated() {
            guard let from = (element["source"] ?? element["from"])?.stringValue,
                let to = (element["target"] ?? element["to"])?.stringValue
            else {
                note(nil, "/edges/\(index)", "an edge without source and target; not imported")
                continue
            }
            let handle = (element["sourceHandle"] ?? element["output"])?.stringValue ?? "main"
            raw.append((from, to, ["rejected", "error"].contains(handle) ? handle : "main"))
        }
        for edge in raw { parents[edge.to, default: []].append(FlowEdge(from: edge.from, to: edge.to, output: edge.output)) }
        let ids = self.ids
        /// The kept ancestors an edge from `id` stands for: `id` itself, or a dropped node's parents.
        func keptSources(_ id: String, output: String, seen: Set<String>) -> [(String, String)] {
            if let kept = ids[id] { return [(kept, output)] }
            guard !seen.contains(id) else { return [] }
            return (parents[id] ?? []).flatMap { keptSources($0.from, output: $0.output, seen: seen.union([id])) }
        }
        var result: [FlowEdge] = []
        for edge in raw {
            guard let to = ids[edge.to] else { continue }
            for (from, output) in keptSources(edge.from, output: edge.output, seen: []) where from != to {
                let converted = FlowEdge(from: from, to: to, output: output)
                if !result.contains(converted) { result.append(converted) }
            }
        }
        return result
    }

    /// Without edges, nodes are chained in list order; nodes nothing leads into hang off the trigger.
    mutating func connectLooseNodes(_ nodes: inout [JSONObject], _ edges: inout [FlowEdge], hadEdges: Bool) {
        let order = ["trigger"] + nodes.compactMap { $0["id"]?.stringValue }.filter { $0 != "trigger" }
        if !hadEdges, order.count > 1 {
            note(nil, "/edges", "the seed flow has no edges; its nodes were connected in the order listed")
            for (from, to) in zip(order, order.dropFirst()) { edges.append(FlowEdge(from: from, to: to)) }
            return
        }
        let targets = Set(edges.map(\.to))
        for id in order where id != "trigger" && !targets.contains(id) {
            edges.append(FlowEdge(from: "trigger", to: id))
        }
    }
}

/// A node's seed settings, read key by key; what is never read is reported.
private struct SeedFields {
    var settings: JSONObject
    let nodeId: String
    let pointer: String
    private var taken: Set<String> = []

    init(settings: JSONObject, nodeId: String, pointer: String) {
        self.settings = settings; self.nodeId = nodeId; self.pointer = pointer
    }

    func pointer(_ key: String) -> String { JSONPointer.append(pointer, key) }

    /// The first of `keys` present; marks all of them read.
    mutating func take(_ keys: String...) -> JSON? {
        var found: JSON?
        for key in keys {
            taken.insert(key)
            if found == nil, let value = settings[key] { found = value }
        }
        return found
    }

    func reportLeftovers(type: String, into notes: inout [FlowIssue]) {
        for (key, value) in settings where !taken.contains(key) {
            if SeedFlowConverter.contextKeys.contains(key) || FlowExport.isCredentialName(key) || value.isBlank { continue }
            notes.append(FlowIssue(nodeId: nodeId, pointer: pointer(key),
                                   message: "'\(key)' has no equivalent in Weft's \(type) node; not imported"))
        }
    }
}

extension JSON {
    /// `null`, `""`, `[]` or `{}`.
    fileprivate var isBlank: Bool {
        switch self {
        case .null: return true
        case .string(let text): return text.isEmpty
        case .array(let list): return list.isEmpty
        case .object(let object): return object.isEmpty
        default: return false
        }
    }

    fileprivate var isEmptyArray: Bool {
        if case .array(let list) = self { return list.isEmpty }
        return true
    }
}
