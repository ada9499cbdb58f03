import Foundation
import WeftAWS
import WeftEngine
import WeftModel

/// `aws.action`: calls a mutating operation once per input item, parameters templated from the item
/// (SPEC 4.4). Each item gives one result `{status: ok/error/planned, request, response, error}`.
///
/// In a dry run (run-till) without `allowActions`, nothing is sent: every result is `planned`, with the
/// request that would have been sent. With `waitFor`, each successful call is followed by polling the
/// model's waiter (e.g. `DBInstanceAvailable`) until it reports success, failure or runs out of attempts.
/// Items are processed `concurrency` at a time. When any call fails the step fails after all items
/// were tried, naming the first failure, unless `continueOnError` is set; the results are kept either way.
public enum AWSActionNode: NodeType {
    public struct Parameters: Decodable, Sendable {
        public var input: InputReference?
        public var service: String
        public var operation: String
        public var parameters: JSON?
        public var waitFor: WaitFor?
        public var concurrency: Int?
        public var continueOnError: Bool?
    }

    public struct WaitFor: Decodable, Sendable {
        /// A waiter of the service's model, e.g. `InstanceStopped`.
        public var waiter: String
        /// The waiter's request parameters, templated from the item; default: the action's parameters.
        public var parameters: JSON?
        public var maxAttempts: Int?
        public var delaySeconds: Double?
    }

    public static let description = NodeDescription(
        type: "aws.action",
        displayName: "AWS Action",
        group: .aws,
        summary: "Calls a mutating AWS operation once per input item — revoke a rule, stop an instance, tag a "
            + "resource — with parameters templated from the item; planned only in dry runs; optionally waits "
            + "for the change to complete using the API's waiters.",
        parameters: [
            Parameter("input", .inputReference, help: "The items to act on. Default: the output of the upstream node."),
            Parameter("service", .string(.plain), required: true, help: "The service, by its botocore name: ec2, rds, s3, …"),
            Parameter("operation", .string(.plain), required: true,
                      help: "The operation to call, e.g. RevokeSecurityGroupIngress, StopInstances."),
            Parameter("parameters", .map(of: .any), default: [:],
                      help: "Request parameters, templated per item: {\"GroupId\": \"{{ $.GroupId }}\"}."),
            Parameter("waitFor", .object([
                Parameter("waiter", .string(.plain), required: true, help: "A waiter of the service, e.g. InstanceStopped."),
                Parameter("parameters", .map(of: .any), help: "The waiter's parameters, templated per item. Default: the action's."),
                Parameter("maxAttempts", .integer(min: 1, max: 200), help: "Polls at most this many times. Default: the waiter's."),
                Parameter("delaySeconds", .number, help: "Seconds between polls. Default: the waiter's."),
            ]), help: "Wait until the change has taken effect, polling a read operation as the API's waiter does."),
            Parameter("concurrency", .integer(min: 1, max: 32), default: 4, help: "Calls in flight at once."),
            Parameter("continueOnError", .boolean, default: false,
                      help: "Succeed even when some calls fail; the failures are in the results with status error."),
        ],
        example: [
            "service": "ec2", "operation": "RevokeSecurityGroupIngress",
            "parameters": ["GroupId": "{{ $.GroupId }}", "IpPermissions": "{{ $.IpPermissions }}"],
        ],
        check: { node, _ in AWSNodeChecks.check(node: node, kind: .any) }
    )

    public static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        let template: TemplateTree
        let waitTemplate: TemplateTree?
        do {
            template = try TemplateTree(parameters.parameters ?? [:])
            waitTemplate = try parameters.waitFor.map { try TemplateTree($0.parameters ?? parameters.parameters ?? [:]) }
        } catch {
            throw NodeError("parameters: \(error)", code: "invalidParameter")
        }
        let planned = context.execution.dryRun && !context.execution.allowActions
        let session: AWSNodeSession? = planned ? nil : try AWSNodeSession(context: context)
        let items = try context.items(parameters.input)
        var results = ItemsBuilder()
        var counts: [String: Int] = ["ok": 0, "error": 0, "planned": 0]
        var firstFailure: String?
        var offset = 0
        let concurrency = max(1, parameters.concurrency ?? 4)
        try await items.forEachBatch(size: concurrency) { batch in
            try context.checkCancellation()
            let base = offset
            offset += batch.count
            var outcomes = [JSON](repeating: .null, count: batch.count)
            try await withThrowingTaskGroup(of: (Int, JSON).self) { group in
                for (position, item) in batch.enumerated() {
                    let index = base + position
                    let request: JSON
                    do { request = try template.render(context.templateContext(item: item)) } catch {
                        throw NodeError("item \(index): parameters: \(error)", itemIndex: index, code: "invalidParameter")
                    }
                    guard let session else {
                        outcomes[position] = ["status": "planned", "request": request, "response": nil, "error": nil]
                        continue
                    }
                    let wait = try waitTemplate.map { tree in
                        do { return try tree.render(context.templateContext(item: item)) } catch {
                            throw NodeError("item \(index): waitFor.parameters: \(error)", itemIndex: index, code: "invalidParameter")
                        }
                    }
                    group.addTask {
                        (position, await perform(parameters, request: request, waitParameters: wait, session: session))
                    }
                }
                for try await (position, outcome) in group { outcomes[position] = outcome }
            }
            for (position, outcome) in outcomes.enumerated() {
                let status = outcome["status"]?.stringValue ?? "error"
                counts[status, default: 0] += 1
                if status == "error", firstFailure == nil {
                    firstFailure = "item \(base + position): \(outcome["error"]?["code"]?.stringValue ?? "error"): \(outcome["error"]?["message"]?.stringValue ?? "")"
                }
                results.append(outcome)
            }
            context.progress(done: offset, total: items.count)
        }
        context.log("\(parameters.service) \(parameters.operation): \(counts["ok"]!) ok, \(counts["error"]!) failed, \(counts["planned"]!) planned")
        if let firstFailure, parameters.continueOnError != true {
            throw NodeError("\(counts["error"]!) of \(items.count) \(parameters.operation) call(s) failed; first: \(firstFailure)",
                            code: "actionFailed")
        }
        let summary: JSONObject = ["actionsOk": .int(Int64(counts["ok"]!)), "actionsFailed": .int(Int64(counts["error"]!)),
                                   "actionsPlanned": .int(Int64(counts["planned"]!))]
        return NodeResult(main: results.finish(), summary: summary)
    }

    /// One call, then the waiter if asked; errors become `status: error` results.
    private static func perform(_ parameters: Parameters, request: JSON, waitParameters: JSON?, session: AWSNodeSession) async -> JSON {
        do {
            let response = try await session.call(parameters.service, parameters.operation, parameters: request)
            if let waitFor = parameters.waitFor, let waitParameters {
                try await session.client.wait(parameters.service, waiter: waitFor.waiter, parameters: waitParameters,
                                              region: session.region, maxAttempts: waitFor.maxAttempts, delaySeconds: waitFor.delaySeconds)
            }
            return ["status": "ok", "request": request, "response": response, "error": nil]
        } catch let error as AWSServiceError {
            return ["status": "error", "request": request, "response": nil,
                    "error": ["code": .string(error.code), "message": .string(error.message),
                              "requestId": error.requestId.map(JSON.string) ?? .null]]
        } catch {
            return ["status": "error", "request": request, "response": nil,
                    "error": ["code": "clientError", "message": .string(String(describing: error)), "requestId": nil]]
        }
    }
}
