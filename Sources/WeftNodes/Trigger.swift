import Foundation
import WeftEngine
import WeftModel

/// `trigger`: the start of every flow; says how runs are fired and outputs one item describing the
/// firing.
///
/// Schedules, events and scans are validated and stored here; they fire only while the flow is
/// deployed (SPEC §6). A run started by hand outputs `{"type": "manual", "firedAt": <ISO 8601>}`,
/// where `firedAt` is the execution's start time; a run given a `TriggerFiring` service (a run's
/// `RunOptions.triggerItem`) outputs that item instead.
public enum TriggerNode: NodeType {
    public struct Parameters: Decodable, Sendable, Equatable {
        public var manual: Bool
        public var schedule: Schedule?
        public var event: Event?
        public var scan: Scan?

        public struct Schedule: Decodable, Sendable, Equatable {
            public var active: Bool
            /// A 5-field cron, AWS `cron(…)` with 6 fields, or `rate(…)`.
            public var expression: String?
            public var timezone: String
            /// What a server that was down does with missed due times: `one` fires the latest once.
            public var catchUp: String

            private enum CodingKeys: String, CodingKey { case active, expression, timezone, catchUp }

            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                active = try container.decodeIfPresent(Bool.self, forKey: .active) ?? false
                expression = try container.decodeIfPresent(String.self, forKey: .expression)
                timezone = try container.decodeIfPresent(String.self, forKey: .timezone) ?? "UTC"
                catchUp = try container.decodeIfPresent(String.self, forKey: .catchUp) ?? "one"
            }
        }

        public struct Event: Decodable, Sendable, Equatable {
            public var active: Bool
            public var provider: String
            /// An EventBridge event pattern.
            public var pattern: JSON?

            private enum CodingKeys: String, CodingKey { case active, provider, pattern }

            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                active = try container.decodeIfPresent(Bool.self, forKey: .active) ?? false
                provider = try container.decodeIfPresent(String.self, forKey: .provider) ?? "aws"
                pattern = try container.decodeIfPresent(JSON.self, forKey: .pattern)
            }
        }

        public struct Scan: Decodable, Sendable, Equatable {
            public var active: Bool

            private enum CodingKeys: String, CodingKey { case active }

            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                active = try container.decodeIfPresent(Bool.self, forKey: .active) ?? false
            }
        }

        private enum CodingKeys: String, CodingKey { case manual, schedule, event, scan }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            manual = try container.decodeIfPresent(Bool.self, forKey: .manual) ?? true
            schedule = try container.decodeIfPresent(Schedule.self, forKey: .schedule)
            event = try container.decodeIfPresent(Event.self, forKey: .event)
            scan = try container.decodeIfPresent(Scan.self, forKey: .scan)
        }
    }

    public static let description = NodeDescription(
        type: "trigger",
        displayName: "Trigger",
        group: .trigger,
        summary: "Starts the flow: by hand, on a schedule, on a cloud event or after a connector's scan. "
            + "Outputs one item describing the firing.",
        parameters: [
            Parameter("manual", .boolean, default: true,
                      help: "Whether the flow may be run by hand. Manual runs work whether or not the flow is deployed."),
            Parameter("schedule", .object([
                Parameter("active", .boolean, default: false, help: "Fire on this schedule while the flow is deployed."),
                Parameter("expression", .string, help: "When to fire: a 5-field cron (`0 3 * * *`), an AWS cron "
                          + "(`cron(0 3 * * ? *)`) or a rate (`rate(6 hours)`)."),
                Parameter("timezone", .string, default: "UTC",
                          help: "The IANA time zone the cron expression is read in, such as `Europe/London`."),
                Parameter("catchUp", .choice(["one", "none"]), default: "one",
                          help: "Due times missed while no server was running: `one` fires the latest of them once "
                          + "when a server is back, `none` skips them."),
            ]), help: "A schedule on which the deployed flow runs."),
            Parameter("event", .object([
                Parameter("active", .boolean, default: false, help: "Fire on matching cloud events while the flow is deployed."),
                Parameter("provider", .choice(["aws"]), default: "aws", help: "The cloud the events come from."),
                Parameter("pattern", .map(of: .any),
                          help: "An EventBridge event pattern; the flow runs for each event it matches, in the event's account and region."),
            ]), help: "Cloud events that start the deployed flow."),
            Parameter("scan", .object([
                Parameter("active", .boolean, default: false, help: "Fire after each scheduled scan of a target connector."),
            ]), help: "Runs the deployed flow after each scan of its connectors."),
        ],
        example: [
            "manual": true,
            "schedule": ["active": true, "expression": "0 3 * * *", "timezone": "UTC"],
        ],
        takesInput: false,
        check: { node, _ in
            var issues: [ModelIssue] = []
            if case .object(let schedule)? = node.params["schedule"] {
                if schedule["active"] == true, schedule["expression"] == nil {
                    issues.append(ModelIssue(pointer: "/schedule/expression", message: "an active schedule needs an expression"))
                }
                if let text = schedule["expression"]?.stringValue, !text.contains("$wf.") {
                    do { _ = try ScheduleExpression(text) } catch {
                        issues.append(ModelIssue(pointer: "/schedule/expression", message: "invalid schedule expression: \(error)"))
                    }
                }
                if let zone = schedule["timezone"]?.stringValue, !zone.contains("$wf."), TimeZone(identifier: zone) == nil {
                    issues.append(ModelIssue(pointer: "/schedule/timezone",
                                             message: "unknown time zone '\(zone)' (an IANA name such as Europe/Berlin)"))
                }
            }
            if case .object(let event)? = node.params["event"], let pattern = event["pattern"] {
                do { _ = try EventPattern(pattern) } catch let error as EventPatternError {
                    issues.append(ModelIssue(pointer: "/event/pattern" + error.pointer, message: "invalid event pattern: \(error.reason)"))
                } catch {
                    issues.append(ModelIssue(pointer: "/event/pattern", message: "invalid event pattern: \(error)"))
                }
            }
            return issues
        }
    )

    public static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        try validate(parameters)
        if let firing = context.services[TriggerFiring.self] {
            return NodeResult(main: Items([firing.item]))
        }
        let firing: JSON = ["type": "manual", "firedAt": .string(ISODate.format(context.execution.startedAt))]
        return NodeResult(main: Items([firing]))
    }

    /// Checks what the engine can check before triggers fire.
    /// - Throws: `NodeError` (`invalidParameter`) for an active schedule without an expression, a
    ///   blank expression, or an event provider other than `aws`.
    static func validate(_ parameters: Parameters) throws {
        if let schedule = parameters.schedule {
            let expression = schedule.expression?.trimmingCharacters(in: .whitespaces)
            if schedule.expression != nil, expression?.isEmpty == true {
                throw NodeError("schedule.expression: the schedule expression is empty", code: "invalidParameter")
            }
            if schedule.active, expression == nil {
                throw NodeError("schedule.expression: an active schedule needs an expression", code: "invalidParameter")
            }
            if schedule.timezone.isEmpty {
                throw NodeError("schedule.timezone: the time zone is empty", code: "invalidParameter")
            }
        }
        if let event = parameters.event, event.provider != "aws" {
            throw NodeError("event.provider: \"\(event.provider)\" is not supported; events come from \"aws\"", code: "invalidParameter")
        }
    }
}
