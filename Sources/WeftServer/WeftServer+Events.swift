import Foundation
import HTTPTypes
import Hummingbird
import WeftEngine
import WeftModel

extension WeftServer {
    /// The most events one request accepts.
    static let maxEventsPerRequest = 100

    /// The path of a connector's webhook.
    static func webhookPath(_ connectorId: String) -> String { "/api/v1/webhooks/\(connectorId)" }

    /// `POST /api/v1/events` (Manager and Admin) with one EventBridge event or `{"events": [...]}` (at
    /// most `maxEventsPerRequest`): each event is stored, and every deployed flow whose trigger has an
    /// active event pattern matching it starts a run (trigger `event`) with one execution per fitting
    /// connector — a stored connector whose `accountId` is the event's `account`, among the
    /// deployment's targets when it has any — in the event's `region`. The trigger node outputs
    /// `{"type": "event", "firedAt", "event"}`. Answers 202 with the runs started (`[]` when no flow
    /// matches) and, per flow that matched but could not start, the reason.
    func ingestEvents(_ input: RouteInput) async throws -> Response {
        let user = try input.user
        guard user.role == .manager || user.role == .admin else { throw APIError.forbidden() }
        let events = try Self.events(in: try await JSONBody.readValue(input.request, limit: configuration.maxBodyBytes))
        return try await dispatch(events, via: "api", connector: nil).response
    }

    /// `POST /api/v1/webhooks/{id}`: events for connector `id`, authenticated by the connector's webhook
    /// token — in `X-Weft-Token`, `Authorization: Bearer`, as the password of Basic auth, or in the
    /// `token` query parameter (SNS subscriptions cannot send headers). A missing or wrong token, or a
    /// connector without a webhook, is 401 and nothing is stored.
    ///
    /// Accepts the body of an EventBridge API destination (one event, or `{"events": [...]}`) and SNS
    /// HTTPS deliveries (`x-amz-sns-message-type`): a `SubscriptionConfirmation` is confirmed by
    /// fetching its `SubscribeURL` — only an `https://sns.<region>.amazonaws.com` URL or one on the
    /// connector's own endpoint — and a `Notification` carrying an EventBridge event (an EventBridge
    /// rule with an SNS target) is handled as that event; other notifications become
    /// `aws.sns` / `SNS Notification` events. Events must be for the connector's account (when it has
    /// one) and run only on this connector. Answers as `POST /api/v1/events`.
    func receiveWebhook(_ input: RouteInput) async throws -> Response {
        let connector = try await webhookConnector(input)
        let body = try await JSONBody.readValue(input.request, limit: configuration.maxBodyBytes)
        let events: [JSON]
        var via = "webhook"
        switch input.request.headers[HTTPField.Name("x-amz-sns-message-type")!] {
        case "SubscriptionConfirmation"?:
            return try await confirmSubscription(body, connector: connector)
        case "UnsubscribeConfirmation"?:
            return JSONResponse.make(["acknowledged": "UnsubscribeConfirmation"])
        case "Notification"?:
            events = [try Self.snsEvent(body)]
            via = "sns"
        default:
            events = try Self.events(in: body)
        }
        if let account = connector.accountId {
            for (index, event) in events.enumerated() where event["account"]?.stringValue != account {
                throw APIError(
                    .unprocessableContent, code: "validation_failed",
                    message: "the event is for account '\(event["account"]?.stringValue ?? "")', not this connector's '\(account)'",
                    details: ["pointer": .string(events.count == 1 ? "/account" : "/events/\(index)/account")])
            }
        }
        return try await dispatch(events, via: via, connector: connector).response
    }

    /// The connector a webhook request names, when the request carries its token; 401 otherwise.
    private func webhookConnector(_ input: RouteInput) async throws -> ConnectorRecord {
        let refused = APIError(.unauthorized, code: "unauthenticated", message: "a webhook needs its connector's token")
        guard let connector = try? await store.connector(id: try input.parameter("id")),
              let expected = connector.webhookTokenHash, let token = Self.webhookToken(input.request),
              Credentials.constantTimeEquals(Credentials.hash(token), expected)
        else { throw refused }
        return connector
    }

    /// The token a webhook request carries, wherever it carries it.
    static func webhookToken(_ request: Request) -> String? {
        if let header = request.headers[HTTPField.Name("X-Weft-Token")!], !header.isEmpty { return header }
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return parts[1] }
            if parts.count == 2, parts[0].lowercased() == "basic", let data = Data(base64Encoded: parts[1]),
               let decoded = String(data: data, encoding: .utf8), let colon = decoded.firstIndex(of: ":") {
                return String(decoded[decoded.index(after: colon)...])
            }
        }
        if let query = request.uri.queryParameters["token"], !query.isEmpty { return String(query) }
        return nil
    }

    /// Confirms an SNS subscription by fetching its `SubscribeURL`, when that URL is SNS's own or on
    /// the connector's endpoint; stores nothing.
    private func confirmSubscription(_ body: JSON, connector: ConnectorRecord) async throws -> Response {
        guard let text = body["SubscribeURL"]?.stringValue, let url = URL(string: text) else {
            throw APIError.invalidRequest("a SubscriptionConfirmation needs a 'SubscribeURL'", details: ["pointer": "/SubscribeURL"])
        }
        guard Self.isTrustedSubscribeURL(url, endpoint: connector.endpoint.flatMap(URL.init(string:))) else {
            throw APIError(
                .unprocessableContent, code: "validation_failed",
                message: "the SubscribeURL is neither an https://sns.<region>.amazonaws.com URL nor on the connector's endpoint",
                details: ["pointer": "/SubscribeURL"])
        }
        guard let confirm = configuration.confirmSubscription else {
            throw APIError(.serviceUnavailable, code: "unavailable", message: "this server cannot confirm SNS subscriptions")
        }
        do {
            try await confirm(text)
        } catch {
            throw APIError(.badGateway, code: "confirmation_failed", message: "confirming the subscription failed: \(error)")
        }
        return JSONResponse.make(["confirmed": body["TopicArn"] ?? .null])
    }

    /// SNS's own confirmation URLs (`https://sns.<region>.amazonaws.com[.cn]/…`), or any URL on the
    /// connector's endpoint (same scheme, host and port — moto, LocalStack, private endpoints).
    static func isTrustedSubscribeURL(_ url: URL, endpoint: URL?) -> Bool {
        guard let host = url.host?.lowercased() else { return false }
        if url.scheme == "https", url.port == nil || url.port == 443,
           host.range(of: #"^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$"#, options: .regularExpression) != nil {
            return true
        }
        guard let endpoint, let endpointHost = endpoint.host?.lowercased() else { return false }
        return url.scheme == endpoint.scheme && host == endpointHost && url.port == endpoint.port
    }

    /// The event an SNS notification carries: its `Message` when that is an EventBridge event, else an
    /// `aws.sns` event in the topic's account and region with the notification as `detail`.
    static func snsEvent(_ body: JSON) throws -> JSON {
        guard let message = body["Message"]?.stringValue, let topic = body["TopicArn"]?.stringValue else {
            throw APIError.invalidRequest("an SNS Notification needs 'Message' and 'TopicArn'", details: ["pointer": "/Message"])
        }
        let inner = try? JSON.parse(Array(message.utf8))
        if let inner, (try? events(in: inner))?.count == 1, inner["source"] != nil { return inner }
        let arn = topic.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard arn.count >= 6, arn[0] == "arn" else {
            throw APIError.invalidRequest("'TopicArn' is not an ARN", details: ["pointer": "/TopicArn"])
        }
        return [
            "version": "0", "id": body["MessageId"] ?? .string(UUID().uuidString.lowercased()),
            "detail-type": "SNS Notification", "source": "aws.sns", "account": .string(arn[4]), "region": .string(arn[3]),
            "time": body["Timestamp"] ?? .string(ISODate.format(Date())), "resources": [.string(topic)],
            "detail": [
                "TopicArn": .string(topic), "Subject": body["Subject"] ?? .null, "Message": inner ?? .string(message),
                "MessageAttributes": body["MessageAttributes"] ?? .null,
            ],
        ]
    }

    /// `POST /api/v1/connectors/{id}/webhook` (Manager, Admin): a new webhook token for the connector,
    /// replacing the old one, shown only in this answer: `{"webhook": {"path", "token"}}`.
    func rotateWebhook(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.managesConnectors(try input.user) else { throw APIError.forbidden() }
        var connector = try await store.connector(id: try input.parameter("id"))
        let token = Credentials.newSecret(prefix: "wwh_")
        connector.webhookTokenHash = Credentials.hash(token)
        connector.updatedAt = Date()
        try await store.updateConnector(connector)
        return JSONResponse.make(["webhook": ["path": .string(Self.webhookPath(connector.id)), "token": .string(token)]],
                                 status: .created)
    }

    /// `DELETE /api/v1/connectors/{id}/webhook` (Manager, Admin): the connector's webhook stops
    /// accepting events; 204.
    func disableWebhook(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.managesConnectors(try input.user) else { throw APIError.forbidden() }
        var connector = try await store.connector(id: try input.parameter("id"))
        connector.webhookTokenHash = nil
        connector.updatedAt = Date()
        try await store.updateConnector(connector)
        return JSONResponse.noContent()
    }

    /// `POST /api/v1/connectors/{id}/scan` (Manager, Admin): scans the connector now (see `scan`);
    /// 202 with the runs started.
    func scanConnector(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.managesConnectors(try input.user) else { throw APIError.forbidden() }
        let connector = try await store.connector(id: try input.parameter("id"))
        let runs = try await scan(connector, firedAt: Date(), scheduledFor: nil)
        return JSONResponse.make(["runs": .array(runs.map(RunJSON.run))], status: .accepted)
    }

    /// `GET /api/v1/events?limit=N` (Manager, Admin): the stored events, newest first (default 50, at
    /// most 500), each with how it arrived and the runs it started.
    func listEvents(_ input: RouteInput) async throws -> Response {
        guard AccessPolicy.readsOperations(try input.user) else { throw APIError.forbidden() }
        let limit = try input.intQuery("limit", default: 50, range: 1...500)
        return JSONResponse.make(["events": .array(try await store.events(limit: limit).map { record in
            [
                "id": .string(record.id), "receivedAt": DateJSON.json(record.receivedAt), "via": .string(record.via),
                "connectorId": record.connectorId.map(JSON.string) ?? .null, "event": record.event,
                "runIds": .array(record.runIds.map(JSON.string)),
            ]
        })])
    }

    /// Raises a Weft event about a connector (`weft.connectors`, `detail-type` such as "Connector
    /// Created", `detail` with its id, name, provider and regions): stored, and matched against the
    /// deployed flows, which run on that connector (none when it was deleted). Failures are logged.
    func raiseConnectorEvent(_ detailType: String, _ connector: ConnectorRecord) async {
        let event: JSON = [
            "version": "0", "id": .string(UUID().uuidString.lowercased()), "detail-type": .string(detailType),
            "source": "weft.connectors", "account": .string(connector.accountId ?? ""), "region": "global",
            "time": .string(ISODate.format(Date())), "resources": [],
            "detail": [
                "id": .string(connector.id), "name": .string(connector.name), "provider": .string(connector.provider),
                "regions": .array(connector.regions.map(JSON.string)),
            ],
        ]
        let deleted = detailType == "Connector Deleted"
        do {
            _ = try await dispatch([event], via: "weft", connector: deleted ? nil : connector, allRegions: !deleted)
        } catch {
            logger.error("connector event '\(detailType)' for \(connector.name): \(APIError.from(error).message)")
        }
    }

    /// What dispatching events started.
    struct Dispatched {
        var accepted: Int
        var runs: [JSON] = []
        var failures: [JSON] = []

        var response: Response {
            var answer: JSONObject = ["accepted": .int(Int64(accepted)), "runs": .array(runs)]
            if !failures.isEmpty { answer["failed"] = .array(failures) }
            return JSONResponse.make(.object(answer), status: .accepted)
        }
    }

    /// Stores each event and starts a run of every deployed flow whose active pattern matches it.
    ///
    /// Executions: with `connector`, on that connector only — in the event's region, or in all its
    /// regions with `allRegions` — and otherwise on every stored connector of the event's account in
    /// the event's region; always limited to the deployment's targets when it has any. Weft's own
    /// events without a connector run without targets.
    func dispatch(_ events: [JSON], via: String, connector: ConnectorRecord?, allRegions: Bool = false) async throws
        -> Dispatched
    {
        let listeners = try await eventListeners()
        let stored = try await store.connectors()
        var outcome = Dispatched(accepted: events.count)
        for event in events {
            var runIds: [String] = []
            for listener in listeners where listener.pattern.matches(event) {
                let targets: [ExecutionTarget]
                if let connector {
                    let regions = allRegions ? connector.regions : [event["region"]?.stringValue ?? ""]
                    targets = Self.eventTargets(regions: regions, deployment: listener.deployment, connectors: [connector])
                } else if event["source"]?.stringValue?.hasPrefix("weft.") == true {
                    targets = []
                } else {
                    let account = event["account"]?.stringValue ?? ""
                    targets = Self.eventTargets(
                        regions: [event["region"]?.stringValue ?? ""], deployment: listener.deployment,
                        connectors: stored.filter { $0.accountId == account })
                    if targets.isEmpty { continue }
                }
                if connector != nil, targets.isEmpty { continue }
                var options = RunOptions(targets: targets, trigger: "event", flowId: listener.deployment.flowId,
                                         flowVersion: listener.deployment.version)
                options.triggerItem = ["type": "event", "firedAt": .string(ISODate.format(Date())), "event": event]
                do {
                    let (run, executions) = try await launch(listener.document, options: options)
                    runIds.append(run.id)
                    outcome.runs.append([
                        "flowId": .string(listener.deployment.flowId), "eventId": event["id"] ?? .null,
                        "run": RunJSON.run(run), "executions": .array(executions.map(RunJSON.execution)),
                    ])
                } catch {
                    outcome.failures.append([
                        "flowId": .string(listener.deployment.flowId), "eventId": event["id"] ?? .null,
                        "error": .string(APIError.from(error).message),
                    ])
                }
            }
            try await store.recordEvent(EventRecord(
                id: Credentials.newId("evt"), receivedAt: Date(), via: via, connectorId: connector?.id, event: event,
                runIds: runIds))
        }
        return outcome
    }

    /// A deployed flow listening for events: its deployment, the deployed document and its pattern.
    struct EventListener: Sendable {
        var deployment: DeploymentRecord
        var document: FlowDocument
        var pattern: EventPattern
    }

    /// The deployed flows whose trigger has an active event pattern; flows whose deployed version no
    /// longer decodes or whose pattern is invalid are left out.
    func eventListeners() async throws -> [EventListener] {
        try await deployedFlows().compactMap { deployment, document in
            guard let event = Self.trigger(in: document)?["event"], event["active"] == true,
                  let raw = event["pattern"], let pattern = try? EventPattern(raw)
            else { return nil }
            return EventListener(deployment: deployment, document: document, pattern: pattern)
        }
    }

    /// The events of a request body: one event object, or `{"events": [...]}`; each must be an object
    /// with string `source`, `detail-type`, `account` and `region`.
    static func events(in body: JSON) throws -> [JSON] {
        guard let object = body.objectValue else {
            throw APIError.invalidRequest("the body must be an EventBridge event or {\"events\": [...]}")
        }
        let events: [JSON]
        let prefix: String
        if let list = object["events"], object["source"] == nil {
            guard let array = list.arrayValue, !array.isEmpty, array.count <= maxEventsPerRequest else {
                throw APIError.invalidRequest("'events' must be an array of 1 to \(maxEventsPerRequest) events",
                                              details: ["pointer": "/events"])
            }
            events = array
            prefix = "/events/"
        } else {
            events = [body]
            prefix = ""
        }
        for (index, event) in events.enumerated() {
            let pointer = prefix.isEmpty ? "" : prefix + String(index)
            guard event.objectValue != nil else {
                throw APIError.invalidRequest("an event must be an object", details: ["pointer": .string(pointer)])
            }
            for key in ["source", "detail-type", "account", "region"] where event[key]?.stringValue == nil {
                throw APIError.invalidRequest("an event needs a string '\(key)'", details: ["pointer": .string(pointer + "/" + key)])
            }
        }
        return events
    }

    /// One target per connector in each of `regions` it has — limited to the deployment's target
    /// connectors (and their regions, when listed) when it has targets.
    static func eventTargets(regions: [String], deployment: DeploymentRecord, connectors: [ConnectorRecord]) -> [ExecutionTarget] {
        connectors.flatMap { connector in
            regions.filter { deployment.covers(connector: connector.name, region: $0) }.map {
                ExecutionTarget(connector: connector.name, accountId: connector.accountId, region: $0, provider: connector.provider)
            }
        }
    }
}
