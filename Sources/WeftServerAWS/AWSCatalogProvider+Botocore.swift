import WeftAWS
import WeftCloudNodes
import WeftModel
import WeftServer

extension AWSCatalogProvider {
    /// The AWS catalog from botocore's models (located on the first catalog request, as `weft aws`
    /// locates them) and the addon catalog, as `weft serve` serves it.
    public static func botocore(environment: [String: String]) -> AWSCatalogProvider {
        AWSCatalogProvider(
            serviceNames: { try BotocoreData.locate(environment: environment).serviceNames() },
            summary: { name in
                let data = try BotocoreData.locate(environment: environment)
                guard data.hasService(name) else { return nil }
                let model = try BotocoreData(root: data.root).model(name)
                return AWSServiceSummary(name: name, fullName: model.serviceFullName, protocolName: model.protocol.rawValue)
            },
            service: { name in
                let data = try BotocoreData.locate(environment: environment)
                guard data.hasService(name) else { return nil }
                let model = try data.model(name)
                let operations = (model.readOperations + model.mutatingOperations).map {
                    AWSOperationSummary(operation: $0, friendlyName: model.friendlyName($0), read: model.isRead($0))
                }
                return (
                    AWSServiceSummary(name: name, fullName: model.serviceFullName, protocolName: model.protocol.rawValue),
                    operations
                )
            },
            operation: { service, operation in
                let data = try BotocoreData.locate(environment: environment)
                guard data.hasService(service) else { return nil }
                let model = try data.model(service)
                guard model.operations[operation] != nil else { return nil }
                return [
                    "service": .string(service), "operation": .string(operation),
                    "name": .string(model.friendlyName(operation)), "read": .bool(model.isRead(operation)),
                    "input": try model.inputDescription(operation),
                    "paginator": model.paginators[operation] ?? .null,
                    "addons": .array(AWSAddons.offered(service: service, operation: operation).map(\.json)),
                ]
            })
    }
}
