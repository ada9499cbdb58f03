import WeftAWS
import WeftEngine
import WeftModel

/// `aws.raw`: calls any operation of any AWS service with the given parameters — once, or once per
/// input item with parameters templated from it (SPEC 4.4). Each call's output is one item; with
/// `paginate`, each page is. Unlike `aws.action`, a raw call that mutates is not held back in dry runs
/// unless it is a mutating operation (not Describe/List/Get…), which is then planned like an action.
public enum AWSRawNode: NodeType {
    public struct Parameters: Decodable, Sendable {
        public var input: InputReference?
        public var service: String
        public var operation: String
        public var parameters: JSON?
        public var forEach: Bool?
        public var paginate: Bool?
    }

    public static let description = NodeDescription(
        type: "aws.raw",
        displayName: "AWS RAW",
        group: .aws,
        summary: "Calls any operation of any AWS service with the parameters given, once or per input item, "
            + "and outputs the raw response.",
        parameters: [
            Parameter("input", .inputReference, help: "With forEach: the items to call once each. Default: the upstream node's output."),
            Parameter("service", .string(.plain), required: true, help: "The service, by its botocore name."),
            Parameter("operation", .string(.plain), required: true, help: "Any operation of the service."),
            Parameter("parameters", .map(of: .any), default: [:],
                      help: "Request parameters; with forEach, templated per item ({{ $.Name }})."),
            Parameter("forEach", .boolean, default: false, help: "Call once per input item instead of once."),
            Parameter("paginate", .boolean, default: false, help: "Follow every page; each page becomes an item."),
        ],
        example: ["service": "sts", "operation": "GetCallerIdentity"],
        check: { node, _ in AWSNodeChecks.check(node: node, kind: .any) }
    )

    public static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        let template: TemplateTree
        do { template = try TemplateTree(parameters.parameters ?? [:]) } catch {
            throw NodeError("parameters: \(error.message)", code: "invalidParameter")
        }
        let requests: [JSON]
        if parameters.forEach == true {
            var rendered: [JSON] = []
            try context.items(parameters.input).enumerated { index, item in
                do { rendered.append(try template.render(context.templateContext(item: item))) } catch {
                    throw NodeError("item \(index): parameters: \(error)", itemIndex: index, code: "invalidParameter")
                }
            }
            requests = rendered
        } else {
            requests = [parameters.parameters ?? [:]]
        }
        let mutating = !AWSNodeChecks.isRead(service: parameters.service, operation: parameters.operation)
        if mutating, context.execution.dryRun, !context.execution.allowActions {
            context.log("dry run: \(requests.count) \(parameters.operation) call(s) planned, none sent")
            return NodeResult(main: Items(requests.map { ["status": "planned", "request": $0] }))
        }
        let session = try AWSNodeSession(context: context)
        var outputs = ItemsBuilder()
        for (index, request) in requests.enumerated() {
            try context.checkCancellation()
            do {
                if parameters.paginate == true {
                    try await session.forEachPage(parameters.service, parameters.operation, parameters: request) { page in
                        outputs.append(page)
                        return true
                    }
                } else {
                    outputs.append(try await session.call(parameters.service, parameters.operation, parameters: request))
                }
            } catch let error as AWSServiceError {
                throw NodeError("\(requests.count > 1 ? "item \(index): " : "")\(error)", itemIndex: requests.count > 1 ? index : nil,
                                code: error.code)
            }
        }
        return NodeResult(main: outputs.finish())
    }
}
