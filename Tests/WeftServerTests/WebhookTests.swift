import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import WeftEngine
import WeftModel
@testable import WeftServer
import WeftTesting

/// Per-connector webhooks: EventBridge API destinations and SNS HTTPS subscriptions.
@Suite("Webhooks")
struct WebhookTests {
    static let account = "222222222222"

    /// A connector for `account` with a webhook; returns its id, webhook path and token.
    static func webhookConnector(_ client: any TestClientProtocol, _ token: String, name: String = "events",
                                 endpoint: String? = nil) async throws -> (id: String, path: String, token: String) {
        var body: JSONObject = ["name": .string(name), "provider": "aws", "accountId": .string(account), "regions": ["eu-west-3"]]
        if let endpoint { body["endpoint"] = .string(endpoint) }
        let created = try await client.call(.post, "/api/v1/connectors", token: token, json: .object(body))
        let id = try #require(created.json["connector"]?["id"]?.stringValue, "\(created.json.serialized())")
        let webhook = try await client.call(.post, "/api/v1/connectors/\(id)/webhook", token: token, json: [:])
        #expect(webhook.status == 201)
        let path = try #require(webhook.json["webhook"]?["path"]?.stringValue)
        let secret = try #require(webhook.json["webhook"]?["token"]?.stringValue)
        #expect(try await client.call(.get, "/api/v1/connectors/\(id)", token: token).json["connector"]?["webhook"]
            == ["path": .string(path)])
        return (id, path, secret)
    }

    /// Sends `body` to a webhook with `headers` and no other credentials.
    static func send(_ client: any TestClientProtocol, _ uri: String, headers: HTTPFields = [:], body: JSON) async throws -> Reply {
        var headers = headers
        headers[.contentType] = headers[.contentType] ?? "application/json"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body.serialized())) { response in
            let bytes = Array(response.body.readableBytesView)
            return Reply(status: Int(response.status.code), headers: response.headers, json: bytes.isEmpty ? .null : try JSON.parse(bytes))
        }
    }

    static func tokenHeader(_ token: String) -> HTTPFields { [HTTPField.Name("X-Weft-Token")!: token] }

    @Test(arguments: StoreBackend.allCases)
    func anEventBridgeEventStartsExactlyTheDeployedMatchingFlowsAndABadTokenStoresNothing(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let admin = try await harness.user("ada", .admin).1
            let hook = try await Self.webhookConnector(client, admin)
            try await DeployEventTests.connector(client, admin, "same-account", account: Self.account, regions: ["eu-west-3"])
            let s3: JSON = ["source": ["aws.s3"], "detail-type": ["Object Created"]]
            let matching = try await RunControlTests.createFlow(client, admin, DeployEventTests.eventFlow("Matching", pattern: s3))
            let other = try await RunControlTests.createFlow(client, admin, DeployEventTests.eventFlow("Other", pattern: ["source": ["aws.ec2"]]))
            _ = try await RunControlTests.createFlow(client, admin, DeployEventTests.eventFlow("Undeployed", pattern: s3))
            try await TriggerTests.deploy(client, admin, matching)
            try await TriggerTests.deploy(client, admin, other)
            let eventsBefore = try await harness.store.events(limit: 100)
            let auditBefore = try await harness.store.auditEntries(limit: 1000, before: nil)

            for headers in [Self.tokenHeader("wwh_wrong"), [:], [.authorization: "Bearer \(admin)"]] as [HTTPFields] {
                let refused = try await Self.send(client, hook.path, headers: headers, body: DeployEventTests.bucketEvent)
                #expect(refused.status == 401 && refused.errorCode == "unauthenticated")
            }
            let unknown = try await Self.send(client, "/api/v1/webhooks/con_nothing", headers: Self.tokenHeader(hook.token),
                                              body: DeployEventTests.bucketEvent)
            #expect(unknown.status == 401)
            #expect(try await harness.store.events(limit: 100) == eventsBefore)
            #expect(try await harness.store.auditEntries(limit: 1000, before: nil) == auditBefore)
            #expect(try await DeployEventTests.allRuns(harness).isEmpty)

            let accepted = try await Self.send(client, hook.path, headers: Self.tokenHeader(hook.token), body: DeployEventTests.bucketEvent)
            #expect(accepted.status == 202, "\(accepted.json.serialized())")
            let runs = accepted.json["runs"]?.arrayValue ?? []
            #expect(runs.map { $0["flowId"] } == [.string(matching)])
            // Only the webhook's connector runs, though another connector has the same account.
            #expect(runs.first?["executions"]?.arrayValue?.map { [$0["connector"], $0["region"]] } == [["events", "eu-west-3"]])
            await harness.server.waitForRuns()
            let stored = try #require(try await harness.store.events(limit: 100).first)
            #expect(stored.via == "webhook" && stored.connectorId == hook.id && stored.event == DeployEventTests.bucketEvent)
            #expect(stored.runIds == [try #require(runs.first?["run"]?["id"]?.stringValue)])

            // The token also works as a query parameter (SNS) and as the password of Basic auth.
            let viaQuery = try await Self.send(client, hook.path + "?token=" + hook.token, body: DeployEventTests.bucketEvent)
            #expect(viaQuery.status == 202 && viaQuery.json["runs"]?.arrayValue?.count == 1)
            let basic = "Basic " + Data("weft:\(hook.token)".utf8).base64EncodedString()
            let viaBasic = try await Self.send(client, hook.path, headers: [.authorization: basic], body: DeployEventTests.bucketEvent)
            #expect(viaBasic.status == 202)

            // Another account's event is refused; a disabled webhook refuses everything.
            var foreign = DeployEventTests.bucketEvent.objectValue ?? [:]
            foreign["account"] = "999999999999"
            let wrongAccount = try await Self.send(client, hook.path, headers: Self.tokenHeader(hook.token), body: .object(foreign))
            #expect(wrongAccount.status == 422 && wrongAccount.json["error"]?["details"]?["pointer"] == "/account")
            #expect(try await client.call(.delete, "/api/v1/connectors/\(hook.id)/webhook", token: admin).status == 204)
            let disabled = try await Self.send(client, hook.path, headers: Self.tokenHeader(hook.token), body: DeployEventTests.bucketEvent)
            #expect(disabled.status == 401)
        }
    }

    @Test func snsSubscriptionsAreConfirmedOnlyAtTrustedURLsAndNotificationsCarryEvents() async throws {
        let calls = Mutex<[String]>([])
        let router = Router()
        for path in ["/", "/**"] {
            router.get(RouterPath(path)) { request, _ -> String in
                calls.withLock { $0.append(request.uri.description) }
                return "<ConfirmSubscriptionResponse/>"
            }
        }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            .test(.live) { endpointClient in
                let endpoint = "http://127.0.0.1:\(try #require(endpointClient.port))"
                try await ServerHarness.run(configure: { configuration in
                    configuration.confirmSubscription = { url in
                        let status = try await WebhookTests.get(url)
                        guard status == 200 else { throw APIError.invalidRequest("GET \(url) answered \(status)") }
                    }
                }) { harness, client in
                    let admin = try await harness.user("ada", .admin).1
                    let hook = try await Self.webhookConnector(client, admin, endpoint: endpoint)
                    let topic = "arn:aws:sns:eu-west-3:\(Self.account):security-events"
                    let snsType = HTTPField.Name("x-amz-sns-message-type")!
                    var headers = Self.tokenHeader(hook.token)
                    headers[snsType] = "SubscriptionConfirmation"
                    headers[.contentType] = "text/plain; charset=UTF-8"
                    let trusted = endpoint + "/?Action=ConfirmSubscription&TopicArn=\(topic)&Token=abc"
                    let confirmation: JSON = [
                        "Type": "SubscriptionConfirmation", "MessageId": "m-1", "Token": "abc", "TopicArn": .string(topic),
                        "Message": "You have chosen to subscribe", "SubscribeURL": .string(trusted), "Timestamp": "2026-11-29T10:00:00.000Z",
                    ]
                    let confirmed = try await Self.send(client, hook.path, headers: headers, body: confirmation)
                    #expect(confirmed.status == 200 && confirmed.json["confirmed"] == .string(topic), "\(confirmed.json.serialized())")
                    #expect(calls.withLock { $0 }.count == 1 && calls.withLock { $0 }.first?.contains("Action=ConfirmSubscription") == true)

                    var elsewhere = confirmation.objectValue ?? [:]
                    elsewhere["SubscribeURL"] = "http://127.0.0.1:1/?Action=ConfirmSubscription"
                    let refused = try await Self.send(client, hook.path, headers: headers, body: .object(elsewhere))
                    #expect(refused.status == 422 && refused.json["error"]?["details"]?["pointer"] == "/SubscribeURL")
                    #expect(calls.withLock { $0 }.count == 1)
                    #expect(try await harness.store.events(limit: 10).allSatisfy { $0.via == "weft" })

                    let flow = try await RunControlTests.createFlow(
                        client, admin, DeployEventTests.eventFlow("From SNS", pattern: ["source": ["aws.s3"]]))
                    try await TriggerTests.deploy(client, admin, flow)
                    headers[snsType] = "Notification"
                    let wrapped: JSON = [
                        "Type": "Notification", "MessageId": "m-2", "TopicArn": .string(topic),
                        "Message": .string(DeployEventTests.bucketEvent.serialized()), "Timestamp": "2026-11-29T10:01:00.000Z",
                    ]
                    let notified = try await Self.send(client, hook.path, headers: headers, body: wrapped)
                    #expect(notified.status == 202 && notified.json["runs"]?.arrayValue?.count == 1, "\(notified.json.serialized())")
                    let plain: JSON = [
                        "Type": "Notification", "MessageId": "m-3", "TopicArn": .string(topic), "Subject": "hello",
                        "Message": "plain text", "Timestamp": "2026-11-29T10:02:00.000Z",
                    ]
                    #expect(try await Self.send(client, hook.path, headers: headers, body: plain).status == 202)
                    await harness.server.waitForRuns()
                    let events = try await harness.store.events(limit: 10).filter { $0.via != "weft" }
                    #expect(events.map(\.via) == ["sns", "sns"])
                    #expect(events.first?.event["source"] == "aws.sns" && events.first?.event["region"] == "eu-west-3")
                    #expect(events.first?.event["detail"]?["Message"] == "plain text")
                    #expect(events.last?.event == DeployEventTests.bucketEvent)
                }
            }
    }

    @Test func snsConfirmationURLsAreTrustedOnlyOnSNSOrTheConnectorsEndpoint() throws {
        let endpoint = URL(string: "http://127.0.0.1:5000")
        for (text, trusted) in [
            ("https://sns.eu-west-3.amazonaws.com/?Action=ConfirmSubscription", true),
            ("https://sns.cn-north-1.amazonaws.com.cn/?Action=ConfirmSubscription", true),
            ("http://sns.eu-west-3.amazonaws.com/?Action=ConfirmSubscription", false),
            ("https://sns.eu-west-3.amazonaws.com.evil.example/", false),
            ("https://evil.example/sns.eu-west-3.amazonaws.com", false),
            ("https://sns.eu-west-3.amazonaws.com:8443/", false),
            ("http://127.0.0.1:5000/?Action=ConfirmSubscription", true),
            ("http://127.0.0.1:5001/", false),
            ("http://169.254.169.254/latest/meta-data/", false),
        ] {
            #expect(WeftServer.isTrustedSubscribeURL(try #require(URL(string: text)), endpoint: endpoint) == trusted, "\(text)")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func connectorChangesRaiseEventsThatRunDeployedFlows(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let admin = try await harness.user("ada", .admin).1
            let pattern: JSON = ["source": ["weft.connectors"], "detail-type": ["Connector Created", "Connector Deleted"]]
            let flow = try await RunControlTests.createFlow(client, admin, DeployEventTests.eventFlow("Onboarding", pattern: pattern))
            try await TriggerTests.deploy(client, admin, flow)
            try await DeployEventTests.connector(client, admin, "new-account", account: "333333333333", regions: ["us-east-1", "eu-west-1"])
            let connector = try await harness.store.connector(named: "new-account")
            let updated = try await client.call(.put, "/api/v1/connectors/\(connector.id)", token: admin, json: [
                "name": "new-account", "provider": "aws", "accountId": "333333333333", "regions": ["us-east-1"],
            ])
            #expect(updated.status == 200)
            #expect(try await client.call(.delete, "/api/v1/connectors/\(connector.id)", token: admin).status == 204)
            await harness.server.waitForRuns()

            let events = try await harness.store.events(limit: 10).reversed().map { $0.event["detail-type"]?.stringValue ?? "" }
            #expect(events == ["Connector Created", "Connector Updated", "Connector Deleted"])
            let runs = try await DeployEventTests.allRuns(harness).sorted { $0.createdAt < $1.createdAt }
            #expect(runs.count == 2)
            let created = try await harness.store.executions(runId: try #require(runs.first?.id))
            #expect(Set(created.map { "\($0.connector)/\($0.region)" }) == ["new-account/us-east-1", "new-account/eu-west-1"])
            let item = try await TriggerTests.triggerItem(harness, runId: try #require(runs.first?.id))
            #expect(item["event"]?["detail"]?["name"] == "new-account")
        }
    }

    /// GETs `url` on loopback and returns the status.
    static func get(_ url: String) async throws -> Int {
        try await offThePool {
            let done = DispatchSemaphore(value: 0)
            let status = Mutex(0)
            let task = URLSession.shared.dataTask(with: URL(string: url)!) { _, response, _ in
                status.withLock { $0 = (response as? HTTPURLResponse)?.statusCode ?? 0 }
                done.signal()
            }
            task.resume()
            done.wait()
            return status.withLock { $0 }
        }
    }
}
