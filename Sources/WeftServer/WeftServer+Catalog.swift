import Foundation
import Hummingbird
import WeftEngine
import WeftModel
import WeftTemplates

extension WeftServer {
    // MARK: AWS catalog

    /// `GET /api/v1/node-types/aws/services`: every service's name, full name and protocol, by name.
    func listAWSServices(_ input: RouteInput) async throws -> Response {
        _ = try input.user
        let services = try await awsCatalog().services()
        return JSONResponse.make(["services": .array(services.map(\.json))])
    }

    /// `GET /api/v1/node-types/aws/services/{service}`: the service and its operations, read ones first.
    /// 404 for an unknown service.
    func readAWSService(_ input: RouteInput) async throws -> Response {
        _ = try input.user
        let name = try input.parameter("service")
        guard let (service, operations) = try await awsCatalog().service(name) else {
            throw APIError.notFound("unknown AWS service '\(name)'")
        }
        return JSONResponse.make(["service": service.json, "operations": .array(operations.map(\.json))])
    }

    /// `GET /api/v1/node-types/aws/services/{service}/operations/{operation}`: the operation's input
    /// shape, whether it reads, its paginator and its addons. 404 for an unknown service or operation.
    func readAWSOperation(_ input: RouteInput) async throws -> Response {
        _ = try input.user
        let service = try input.parameter("service")
        let operation = try input.parameter("operation")
        let catalog = try awsCatalog()
        guard let description = try await catalog.operation(service, operation) else {
            if try await catalog.service(service) == nil { throw APIError.notFound("unknown AWS service '\(service)'") }
            throw APIError.notFound("the AWS service '\(service)' has no operation '\(operation)'")
        }
        return JSONResponse.make(description)
    }

    private func awsCatalog() throws -> AWSCatalogProvider {
        guard let catalog = configuration.awsCatalog else {
            throw APIError(.serviceUnavailable, code: "unavailable", message: "the AWS catalog is not available")
        }
        return catalog
    }

    // MARK: Templates

    /// `GET /api/v1/templates`: every shipped template's name, title, description, categories, node
    /// types and whether it needs a connector.
    func listTemplates(_ input: RouteInput) async throws -> Response {
        _ = try input.user
        return JSONResponse.make(["templates": .array(try loadTemplates().map(templateSummary))])
    }

    /// `GET /api/v1/templates/{name}`: the template's summary and its flow document. 404 for an unknown name.
    func readTemplate(_ input: RouteInput) async throws -> Response {
        _ = try input.user
        let template = try namedTemplate(input)
        return JSONResponse.make(["template": templateSummary(template), "document": template.document.json])
    }

    /// `POST /api/v1/templates/{name}/instantiate {"name"?, "targets"?, "variables"?}`: creates a flow
    /// from the template, as `POST /api/v1/flows` does (201, version 1, owned by the caller, the same
    /// roles). Each target's connector must exist; each variable must be one the template declares.
    /// Unknown connectors or variables, and a result that does not validate, are 422 `validation_failed`.
    func instantiateTemplate(_ input: RouteInput) async throws -> Response {
        let user = try input.user
        guard AccessPolicy.mayCreateFlow(user) else { throw APIError.forbidden() }
        let template = try namedTemplate(input)
        let body = try await Self.optionalBody(input.request, limit: configuration.maxBodyBytes)
        try body.allowOnly(["name", "targets", "variables"])
        var document = template.document
        if let name = try body.string("name") {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError.invalidRequest("'name' must not be empty")
            }
            document.name = name
        }
        if let targets = body.object["targets"], !targets.isNull {
            document.targets = try await instantiationTargets(targets)
        }
        if let variables = body.object["variables"], !variables.isNull {
            guard let values = variables.objectValue else {
                throw APIError.invalidRequest("'variables' must be an object of variable names and values")
            }
            let unknown = values.keys.filter { name in !document.variables.contains { $0.name == name } }
            guard unknown.isEmpty else {
                let declared = document.variables.map(\.name)
                throw APIError(
                    .unprocessableContent, code: "validation_failed",
                    message: "the template '\(template.name)' has no variable named "
                        + unknown.map { "'\($0)'" }.joined(separator: ", ")
                        + (declared.isEmpty ? " (it declares none)" : " (it declares \(declared.joined(separator: ", ")))"),
                    details: ["unknown": .array(unknown.map(JSON.string)), "declared": .array(declared.map(JSON.string))])
            }
            for index in document.variables.indices {
                if let value = values[document.variables[index].name] { document.variables[index].value = value }
            }
        }
        let value = document.json
        var (decoded, issues) = FlowDocument.decode(value)
        if let decoded { issues += configuration.registry.validator.validate(decoded) }
        guard let decoded, issues.isEmpty else {
            throw APIError(
                .unprocessableContent, code: "validation_failed",
                message: "the flow made from the template is invalid (\(issues.count) issue\(issues.count == 1 ? "" : "s"))",
                details: ["issues": .array(issues.map(FlowJSON.issue))])
        }
        let id = Credentials.newId("flw")
        let version = try await store.saveFlow(
            id: id, name: decoded.name, owner: user.id, categories: decoded.categories, tags: decoded.tags,
            document: value, author: user.id)
        return JSONResponse.make(
            ["flow": FlowJSON.flow(try await store.flow(id: id)), "version": FlowJSON.version(version, document: false)],
            status: .created, headers: [.location: "/api/v1/flows/\(id)"])
    }

    /// The `targets` of an instantiation: `[{connector, regions?}]`, each connector stored.
    private func instantiationTargets(_ value: JSON) async throws -> [FlowTarget] {
        let shape = "'targets' must be an array of {\"connector\": name, \"regions\": [region, …]}"
        guard let entries = value.arrayValue else { throw APIError.invalidRequest(shape) }
        let known = Set(try await store.connectors().map(\.name))
        var targets: [FlowTarget] = []
        var unknown: [String] = []
        for entry in entries {
            guard let object = entry.objectValue, object.keys.allSatisfy({ $0 == "connector" || $0 == "regions" }),
                let connector = object["connector"]?.stringValue, !connector.isEmpty
            else { throw APIError.invalidRequest(shape) }
            var regions: [String] = []
            if let raw = object["regions"], !raw.isNull {
                guard let list = raw.arrayValue?.compactMap(\.stringValue), list.count == raw.arrayValue?.count,
                    list.allSatisfy({ !$0.isEmpty })
                else { throw APIError.invalidRequest(shape) }
                regions = list
            }
            if !known.contains(connector) { unknown.append(connector) }
            targets.append(FlowTarget(connector: connector, regions: regions))
        }
        guard unknown.isEmpty else {
            throw APIError(
                .unprocessableContent, code: "validation_failed",
                message: "no connector named " + unknown.map { "'\($0)'" }.joined(separator: ", "),
                details: ["unknown": .array(unknown.map(JSON.string))])
        }
        return targets
    }

    /// The body as a JSON object; an empty body is an empty object.
    private static func optionalBody(_ request: Request, limit: Int) async throws -> JSONBody {
        if request.headers[.contentLength] == "0" { return JSONBody(object: [:]) }
        let buffer = try await request.body.collect(upTo: limit)
        guard buffer.readableBytes > 0 else { return JSONBody(object: [:]) }
        let value: JSON
        do { value = try JSON.parse(Array(buffer.readableBytesView)) } catch {
            throw APIError(.badRequest, code: "invalid_json", message: "invalid JSON: \(error)")
        }
        guard let object = value.objectValue else {
            throw APIError(.badRequest, code: "invalid_json", message: "the body must be a JSON object")
        }
        return JSONBody(object: object)
    }

    private func loadTemplates() throws -> [FlowTemplate] {
        do { return try TemplateLibrary.all() } catch {
            throw APIError(.serviceUnavailable, code: "unavailable", message: "the templates are not available: \(error)")
        }
    }

    private func namedTemplate(_ input: RouteInput) throws -> FlowTemplate {
        let name = try input.parameter("name")
        let templates = try loadTemplates()
        guard let template = templates.first(where: { $0.name == name }) else {
            throw APIError.notFound(
                "unknown template '\(name)' (known: \(templates.map(\.name).joined(separator: ", ")))")
        }
        return template
    }

    private func templateSummary(_ template: FlowTemplate) -> JSON {
        let document = template.document
        var nodeTypes: [String] = []
        for node in document.nodes where !nodeTypes.contains(node.type) { nodeTypes.append(node.type) }
        let cloudGroups: Set<NodeGroup> = [.aws, .azure, .gcp]
        let needsConnector = nodeTypes.contains { type in
            if let group = configuration.registry.description(of: type)?.group { return cloudGroups.contains(group) }
            return ["aws.", "azure.", "gcp."].contains { type.hasPrefix($0) }
        }
        return [
            "name": .string(template.name), "title": .string(template.title), "description": .string(document.description),
            "categories": .array(document.categories.map(JSON.string)), "nodeTypes": .array(nodeTypes.map(JSON.string)),
            "needsConnector": .bool(needsConnector),
            "variables": .array(
                document.variables.map { variable in
                    [
                        "name": .string(variable.name), "type": .string(variable.type.rawValue),
                        "value": variable.secret ? .null : variable.value, "secret": .bool(variable.secret),
                        "description": .string(variable.description),
                    ]
                }),
        ]
    }
}
