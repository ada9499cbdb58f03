import Foundation
import WeftEngine
import WeftModel

extension WeftServer {
    /// A run a schedule or a scan started.
    public struct TriggeredRun: Sendable, Equatable {
        /// `flow:<id>` for a flow's schedule, `scan:<connector id>` for a connector's scan.
        public var source: String
        public var dueAt: Date
        public var runId: String
    }

    /// Fires every schedule of a deployed flow and every connector scan that is due at `now` (see
    /// `ScheduleExpression.dueFirings`; `configuration.scheduleGrace` is how late a due time may be and
    /// still count as on time) and that no process has fired yet: each due time is claimed in the store
    /// first, so several servers on one database fire it once. A flow's schedule starts a run (trigger
    /// `schedule`) on its deployment's targets; a scan runs the deployed flows with an active scan
    /// trigger on the scanned connector. Returns the runs started; failures are logged.
    @discardableResult
    public func fireDueTriggers(now: Date) async -> [TriggeredRun] {
        var started: [TriggeredRun] = []
        do {
            for (deployment, document) in try await deployedFlows() {
                started += await fireSchedule(of: deployment, document: document, now: now)
            }
            for connector in try await store.connectors() {
                started += await fireScan(of: connector, now: now)
            }
        } catch {
            logger.error("scheduler: cannot read deployments or connectors: \(APIError.from(error).message)")
        }
        return started
    }

    /// Calls `fireDueTriggers` every `interval` with the time `clock` gives, until cancelled.
    func runScheduler(interval: Duration, clock: @escaping @Sendable () -> Date) async {
        while !Task.isCancelled {
            await fireDueTriggers(now: clock())
            try? await Task.sleep(for: interval)
        }
    }

    private func fireSchedule(of deployment: DeploymentRecord, document: FlowDocument, now: Date) async -> [TriggeredRun] {
        let source = "flow:\(deployment.flowId)"
        do {
            guard let schedule = Self.activeSchedule(in: document) else { return [] }
            let due = schedule.expression.dueFirings(
                since: deployment.deployedAt, lastFired: try await store.lastClaimedFiring(source: source), now: now,
                grace: configuration.scheduleGrace, in: schedule.timeZone, anchor: deployment.deployedAt,
                catchUp: schedule.catchUp)
            var started: [TriggeredRun] = []
            for dueAt in due where try await claim(source, dueAt: dueAt, now: now) {
                let targets = try await deploymentTargets(deployment, document: document)
                var options = RunOptions(targets: targets, trigger: "schedule", flowId: deployment.flowId,
                                         flowVersion: deployment.version)
                options.triggerItem = [
                    "type": "schedule", "firedAt": .string(ISODate.format(now)), "scheduledFor": .string(ISODate.format(dueAt)),
                ]
                let (run, _) = try await launch(document, options: options)
                started.append(TriggeredRun(source: source, dueAt: dueAt, runId: run.id))
            }
            return started
        } catch {
            logger.error("scheduler: \(source): \(APIError.from(error).message)")
            return []
        }
    }

    private func fireScan(of connector: ConnectorRecord, now: Date) async -> [TriggeredRun] {
        guard let schedule = connector.scan, schedule.active, let expression = try? ScheduleExpression(schedule.expression),
              let timeZone = TimeZone(identifier: schedule.timezone)
        else { return [] }
        let source = "scan:\(connector.id)"
        do {
            let due = expression.dueFirings(
                since: connector.createdAt, lastFired: try await store.lastClaimedFiring(source: source), now: now,
                grace: configuration.scheduleGrace, in: timeZone, anchor: connector.createdAt, catchUp: .one)
            var started: [TriggeredRun] = []
            for dueAt in due where try await claim(source, dueAt: dueAt, now: now) {
                let runs = try await scan(connector, firedAt: now, scheduledFor: dueAt)
                started += runs.map { TriggeredRun(source: source, dueAt: dueAt, runId: $0.id) }
            }
            return started
        } catch {
            logger.error("scheduler: \(source): \(APIError.from(error).message)")
            return []
        }
    }

    private func claim(_ source: String, dueAt: Date, now: Date) async throws -> Bool {
        try await store.claimFiring(source: source, dueAt: dueAt, claimant: configuration.instanceId, claimedAt: now)
    }

    /// Runs every deployed flow whose trigger has an active scan on `connector` — in the connector's
    /// regions, limited to the deployment's target regions for it; deployments targeting other
    /// connectors only are left out. The trigger node outputs `{"type": "scan", "firedAt", "scan":
    /// {"connector", "scheduledFor"?}}`. The scan is stored as an event (`weft.scan`, "Scan Completed")
    /// naming the runs it started.
    func scan(_ connector: ConnectorRecord, firedAt: Date, scheduledFor: Date?) async throws -> [RunRecord] {
        var scanDetail: JSONObject = ["connector": .string(connector.name)]
        if let scheduledFor { scanDetail["scheduledFor"] = .string(ISODate.format(scheduledFor)) }
        var runs: [RunRecord] = []
        for (deployment, document) in try await deployedFlows() where Self.trigger(in: document)?["scan"]?["active"] == true {
            let regions = connector.regions.filter { deployment.covers(connector: connector.name, region: $0) }
            let targets = regions.map {
                ExecutionTarget(connector: connector.name, accountId: connector.accountId, region: $0, provider: connector.provider)
            }
            guard !targets.isEmpty else { continue }
            var options = RunOptions(targets: targets, trigger: "scan", flowId: deployment.flowId, flowVersion: deployment.version)
            options.triggerItem = ["type": "scan", "firedAt": .string(ISODate.format(firedAt)), "scan": .object(scanDetail)]
            do {
                runs.append(try await launch(document, options: options).0)
            } catch {
                logger.error("scan of \(connector.name): flow \(deployment.flowId): \(APIError.from(error).message)")
            }
        }
        try await store.recordEvent(EventRecord(
            id: Credentials.newId("evt"), receivedAt: firedAt, via: "weft", connectorId: connector.id,
            event: [
                "id": .string(UUID().uuidString.lowercased()), "source": "weft.scan", "detail-type": "Scan Completed",
                "account": .string(connector.accountId ?? ""), "region": "global", "time": .string(ISODate.format(firedAt)),
                "detail": .object(scanDetail),
            ],
            runIds: runs.map(\.id)))
        return runs
    }

    /// The deployed flows with their deployed documents; versions that no longer decode are left out.
    func deployedFlows() async throws -> [(deployment: DeploymentRecord, document: FlowDocument)] {
        var flows: [(deployment: DeploymentRecord, document: FlowDocument)] = []
        for deployment in try await store.deployments() {
            guard let document = try? await savedDocument(flowId: deployment.flowId, version: deployment.version) else { continue }
            flows.append((deployment, document))
        }
        return flows
    }

    /// A deployed flow's targets: the deployment's, or else the flow's own, resolved against the
    /// stored connectors.
    func deploymentTargets(_ deployment: DeploymentRecord, document: FlowDocument) async throws -> [ExecutionTarget] {
        let connectors = try await connectorsForTargets()
        do {
            return try ExecutionTarget.resolve(requested: deployment.targetRequests, flowTargets: document.targets,
                                               connectors: connectors)
        } catch {
            throw APIError(.unprocessableContent, code: "validation_failed", message: error.description)
        }
    }

    /// The parameters of the flow's trigger node.
    static func trigger(in document: FlowDocument) -> JSON? {
        document.nodes.first { $0.type == "trigger" }.map { .object($0.params) }
    }

    /// The flow's active, valid schedule.
    static func activeSchedule(in document: FlowDocument)
        -> (expression: ScheduleExpression, timeZone: TimeZone, catchUp: ScheduleCatchUp)?
    {
        guard let schedule = trigger(in: document)?["schedule"], schedule["active"] == true,
              let text = schedule["expression"]?.stringValue, let expression = try? ScheduleExpression(text),
              let timeZone = TimeZone(identifier: schedule["timezone"]?.stringValue ?? "UTC")
        else { return nil }
        let catchUp = schedule["catchUp"]?.stringValue.flatMap(ScheduleCatchUp.init(rawValue:)) ?? .one
        return (expression, timeZone, catchUp)
    }
}
