import WeftAWS
import WeftEngine
import WeftModel

/// `aws.resource`: reads resources of any AWS service with a read operation, following every page,
/// and attaches up to two addons to each item (SPEC 4.4).
///
/// The items are the paginator's result keys (`DescribeDBInstances` → each DB instance), or the
/// output's only list member for operations without a paginator, or the whole output as one item;
/// `itemsPath` (a JSONPath on each page) chooses them explicitly. `DescribeInstances` defaults to
/// `$.Reservations[*].Instances[*]`, the instances rather than the reservations.
public enum AWSResourceNode: NodeType {
    public struct Parameters: Decodable, Sendable {
        public var service: String
        public var operation: String
        public var parameters: JSON?
        public var addons: [String]?
        public var maxItems: Int?
        public var itemsPath: String?
    }

    /// Default item paths where the paginator's result key is a wrapper rather than the resource.
    static let defaultItemsPaths: [String: String] = [
        "ec2:DescribeInstances": "$.Reservations[*].Instances[*]",
    ]

    public static let description = NodeDescription(
        type: "aws.resource",
        displayName: "AWS Resource",
        group: .aws,
        summary: "Reads resources of any AWS service — every page — for the execution's account and region, "
            + "with up to two addons (related resources such as an instance's security groups) attached to each item.",
        parameters: [
            Parameter("service", .string(.plain), required: true,
                      help: "The service, by its botocore name: ec2, rds, s3, iam, lambda, …"),
            Parameter("operation", .string(.plain), required: true,
                      help: "A read operation of the service (Describe…, List…, Get…), e.g. DescribeDBInstances."),
            Parameter("parameters", .map(of: .any), default: [:],
                      help: "Request parameters, as the API names them: {\"Filters\": [{\"Name\": \"vpc-id\", \"Values\": [\"vpc-1\"]}]}. "
                          + "Flow variables are allowed; the paging parameters are filled in by the node."),
            Parameter("addons", .array(of: .string(.plain), maxItems: 2), default: [],
                      help: "Related resources to attach to each item under their name, at most 2; the catalog lists "
                          + "those offered for the operation (RDS DBInstances: SecurityGroups, Tags; …)."),
            Parameter("maxItems", .integer(min: 1, max: nil),
                      help: "Stop after this many items. Default: all of them."),
            Parameter("itemsPath", .string(.jsonPath),
                      help: "A JSONPath applied to each page that selects the items. Default: the paginator's result key."),
        ],
        example: ["service": "rds", "operation": "DescribeDBInstances", "addons": ["SecurityGroups"]],
        check: { node, _ in AWSNodeChecks.check(node: node, kind: .read) }
    )

    public static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        let session = try AWSNodeSession(context: context)
        let addons = try parameters.addons.map { try AWSNodeChecks.addons($0, service: parameters.service, operation: parameters.operation) } ?? []
        var itemsPath: JSONPath?
        if let text = parameters.itemsPath ?? defaultItemsPaths["\(parameters.service):\(parameters.operation)"] {
            do { itemsPath = try JSONPath(key: text) } catch {
                throw NodeError("invalid itemsPath \"\(text)\": \(error.message)", code: "invalidParameter")
            }
        }
        var builder = ItemsBuilder()
        var count = 0
        let limit = parameters.maxItems ?? Int.max
        var pages = 0
        do {
            try await session.forEachPage(parameters.service, parameters.operation, parameters: parameters.parameters ?? [:]) { page in
                pages += 1
                try context.checkCancellation()
                let items = try itemsPath.map { $0.query(page) } ?? session.resultItems(parameters.service, parameters.operation, page: page)
                for item in items where count < limit {
                    builder.append(item)
                    count += 1
                }
                context.progress(done: count, total: nil)
                return count < limit
            }
        } catch let error as AWSServiceError {
            throw NodeError("\(parameters.service) \(parameters.operation) in \(session.region): \(error)", code: error.code)
        }
        context.log("\(count) item(s) from \(pages) page(s) of \(parameters.service) \(parameters.operation) in \(session.region)")
        var items = builder.finish()
        for addon in addons {
            items = try await AWSAddonFetcher(addon: addon, session: session, context: context).attach(to: items)
        }
        return NodeResult(main: items)
    }
}
