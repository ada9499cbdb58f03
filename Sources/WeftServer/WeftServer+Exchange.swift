import Foundation
import Hummingbird
import NIOCore
import WeftEngine
import WeftModel

/// The separate grants of SPEC 8 that export, import and clone need.
public enum ExchangeGrant: String, Sendable, CaseIterable {
    case export, `import`, clone

    /// Whether `user` holds this grant: Managers and Admins by role, others when a Manager gave it
    /// (`UserRecord.grants`).
    public func isHeld(by user: UserRecord) -> Bool {
        switch user.role {
        case .manager, .admin: return true
        case .powerDeveloper, .developer, .deployer, .reader: return user.grants.contains(rawValue)
        }
    }
}

extension WeftServer {
    /// `POST /api/v1/flows/export {"flowIds": [...]}`: the export file of 1 to 10 flows (their latest
    /// versions), as an attachment named `weft-export-<epoch ms>.json`. Needs the `export` grant and
    /// read access to every flow (403 otherwise); an unknown flow is 404.
    func exportFlows(_ input: RouteInput) async throws -> Response {
        let user = try input.user
        guard ExchangeGrant.export.isHeld(by: user) else { throw APIError.forbidden("exporting flows needs the 'export' grant") }
        let body = try await JSONBody.read(input.request, limit: configuration.maxBodyBytes)
        try body.allowOnly(["flowIds"])
        guard let ids = try body.strings("flowIds") else { throw APIError.invalidRequest("'flowIds' is required") }
        var unique: [String] = []
        for id in ids where !unique.contains(id) { unique.append(id) }
        guard (1...FlowExport.maxFlows).contains(unique.count) else {
            throw APIError.invalidRequest("export 1 to \(FlowExport.maxFlows) flows at a time; \(unique.count) given")
        }
        var documents: [JSON] = []
        for id in unique {
            let flow = try await store.flow(id: id)
            guard AccessPolicy.allows(user, .read, flow: flow) else {
                throw APIError.forbidden("you may not read flow '\(id)'")
            }
            documents.append(try await store.flowVersion(flowId: flow.id, version: flow.latestVersion).document)
        }
        let now = Date()
        let file = try FlowExport.file(documents, exportedAt: now)
        return JSONResponse.make(
            file, headers: [.contentDisposition: "attachment; filename=\"\(FlowExport.fileName(exportedAt: now))\""])
    }

    /// `POST /api/v1/flows/import` with an export file as the body (at most 2 MB, else 413): each flow
    /// is validated on its own; those that pass are saved as new flows (new id, version 1) owned by
    /// the caller. Answers `{"imported", "rejected", "results": [...]}`, one result per flow in file
    /// order, with `flowId` for the imported ones. Needs the `import` grant and a role that creates
    /// flows. A file that is not an export (not JSON, wrong `weft` version, more than 10 flows) is 400.
    func importFlows(_ input: RouteInput) async throws -> Response {
        let user = try input.user
        guard ExchangeGrant.import.isHeld(by: user) else { throw APIError.forbidden("importing flows needs the 'import' grant") }
        guard AccessPolicy.mayCreateFlow(user) else { throw APIError.forbidden("your role cannot create flows") }
        let buffer: ByteBuffer
        do {
            buffer = try await input.request.body.collect(upTo: FlowImport.maxFileBytes)
        } catch is NIOTooManyBytesError {
            throw APIError(
                .contentTooLarge, code: "payload_too_large",
                message: "the import file is larger than 2 MB (\(FlowImport.maxFileBytes) bytes)")
        }
        let results: [FlowImport.Result]
        do {
            results = try FlowImport.read(Array(buffer.readableBytesView), validator: configuration.registry.validator)
        } catch {
            let status: HTTPResponse.Status = error.kind == .tooLarge ? .contentTooLarge : .badRequest
            throw APIError(
                status, code: error.kind == .tooLarge ? "payload_too_large" : "invalid_import_file", message: error.message,
                details: ["reason": .string(error.kind.rawValue)])
        }
        var answers: [JSON] = []
        for result in results {
            var answer = result.json
            if let document = result.document, let json = result.documentJSON {
                let id = Credentials.newId("flw")
                _ = try await store.saveFlow(
                    id: id, name: document.name, owner: user.id, categories: document.categories, tags: document.tags,
                    document: json, author: user.id)
                if case .object(var object) = answer {
                    object["flowId"] = .string(id)
                    answer = .object(object)
                }
            }
            answers.append(answer)
        }
        let imported = results.filter(\.isImported).count
        return JSONResponse.make([
            "imported": .int(Int64(imported)), "rejected": .int(Int64(results.count - imported)), "results": .array(answers),
        ])
    }

    /// `POST /api/v1/flows/{id}/clone`: 201 with a new flow (version 1) owned by the caller, named
    /// `<name>_cloned_<epoch ms>`, without connector bindings or HTTP credentials. Needs the `clone`
    /// grant, read access to the flow and a role that creates flows.
    func cloneFlow(_ input: RouteInput) async throws -> Response {
        let user = try input.user
        guard ExchangeGrant.clone.isHeld(by: user) else { throw APIError.forbidden("cloning flows needs the 'clone' grant") }
        let flow = try await authorizedFlow(input, .read)
        guard AccessPolicy.mayCreateFlow(user) else { throw APIError.forbidden("your role cannot create flows") }
        let original = try await store.flowVersion(flowId: flow.id, version: flow.latestVersion).document
        let copy = FlowClone.document(original, clonedAt: Date())
        let (document, _) = FlowDocument.decode(copy)
        let id = Credentials.newId("flw")
        let version = try await store.saveFlow(
            id: id, name: document?.name ?? copy["name"]?.stringValue ?? flow.name, owner: user.id,
            categories: document?.categories ?? flow.categories, tags: document?.tags ?? flow.tags, document: copy,
            author: user.id)
        return JSONResponse.make(
            ["flow": FlowJSON.flow(try await store.flow(id: id)), "version": FlowJSON.version(version, document: false)],
            status: .created, headers: [.location: "/api/v1/flows/\(id)"])
    }
}
