import WeftAWS
import WeftEngine
import WeftModel

/// Fetches one addon's related resources for a set of items and attaches them (see `AWSAddon`).
struct AWSAddonFetcher {
    var addon: AWSAddon
    var session: AWSNodeSession
    var context: NodeContext

    func attach(to items: Items) async throws -> Items {
        switch addon.fetch {
        case .batch(let keys, let parameter, let filter, let match, let batchSize):
            return try await attachBatch(to: items, keys: try path(keys), parameter: parameter, filter: filter,
                                         match: try path(match), batchSize: batchSize)
        case .perItem(let parameters, let result, let absentOn):
            return try await attachPerItem(to: items, parameters: parameters, result: try result.map(path), absentOn: absentOn)
        }
    }

    private func path(_ text: String) throws -> JSONPath {
        do { return try JSONPath(text) } catch { throw NodeError("addon \(addon.name): invalid path \(text): \(error.message)") }
    }

    private static func keyStrings(_ values: [JSON]) -> [String] {
        values.compactMap { $0.stringValue }
    }

    private func attachBatch(to items: Items, keys: JSONPath, parameter: String, filter: String?, match: JSONPath,
                             batchSize: Int) async throws -> Items {
        var wanted: OrderedSet<String> = []
        try items.forEach { wanted.formUnion(Self.keyStrings(keys.query($0))) }
        var related: [String: [JSON]] = [:]
        let all = Array(wanted)
        for start in stride(from: 0, to: all.count, by: max(1, batchSize)) {
            try context.checkCancellation()
            let batch = Array(all[start..<min(all.count, start + batchSize)])
            for item in try await fetch(batch, parameter: parameter, filter: filter) {
                for key in Self.keyStrings(match.query(item)) { related[key, default: []].append(item) }
            }
        }
        context.log("addon \(addon.name): \(related.values.reduce(0) { $0 + $1.count }) related item(s) for \(all.count) key(s)")
        var builder = ItemsBuilder()
        try items.forEach { item in
            var attached: [JSON] = []
            for key in OrderedSet(Self.keyStrings(keys.query(item))) { attached += related[key] ?? [] }
            builder.append(Self.attaching(.array(attached), as: addon.name, to: item))
        }
        return builder.finish()
    }

    /// The related items for `keys`, all pages. When the service rejects the batch because one key does
    /// not exist (`InvalidGroup.NotFound`, …), the keys are fetched one by one and the missing ones skipped.
    private func fetch(_ keys: [String], parameter: String, filter: String?) async throws -> [JSON] {
        let values: JSON = .array(keys.map { .string($0) })
        let parameters: JSON = filter.map { [parameter: [["Name": .string($0), "Values": values]]] } ?? [parameter: values]
        var results: [JSON] = []
        do {
            try await session.forEachPage(addon.relatedService, addon.relatedOperation, parameters: parameters) { page in
                results += try session.resultItems(addon.relatedService, addon.relatedOperation, page: page)
                return true
            }
        } catch let error as AWSServiceError where error.code.hasSuffix("NotFound") && keys.count > 1 {
            results = []
            for key in keys { results += (try? await fetch([key], parameter: parameter, filter: filter)) ?? [] }
        }
        return results
    }

    private func attachPerItem(to items: Items, parameters: JSONObject, result: JSONPath?, absentOn: [String]) async throws -> Items {
        let template: TemplateTree
        do { template = try TemplateTree(.object(parameters)) } catch { throw NodeError("addon \(addon.name): \(error.message)") }
        var cache: [String: JSON] = [:]
        var builder = ItemsBuilder()
        var index = 0
        try await items.forEachAsync { item in
            defer { index += 1 }
            try context.checkCancellation()
            let request: JSON
            do { request = try template.render(context.templateContext(item: item)) } catch {
                throw NodeError("addon \(addon.name): item \(index): \(error)", itemIndex: index)
            }
            let key = request.serialized()
            if cache[key] == nil {
                do {
                    let output = try await session.call(addon.relatedService, addon.relatedOperation, parameters: request)
                    cache[key] = result.map { $0.query(output).first ?? .null } ?? output
                } catch let error as AWSServiceError where absentOn.contains(error.code) {
                    cache[key] = .null
                }
            }
            builder.append(Self.attaching(cache[key] ?? .null, as: addon.name, to: item))
        }
        context.log("addon \(addon.name): \(cache.count) call(s) for \(items.count) item(s)")
        return builder.finish()
    }

    private static func attaching(_ value: JSON, as name: String, to item: JSON) -> JSON {
        guard case .object(var object) = item else { return item }
        object[name] = value
        return .object(object)
    }
}
