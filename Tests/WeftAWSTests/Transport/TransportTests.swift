import Foundation
import Testing

@testable import WeftAWS

/// A tiny classifier for tests: any status ≥ 300 is an error whose code is the body text.
@Sendable func testClassifier(_ response: AWSResponse) -> AWSServiceError? {
    guard response.status >= 300 else { return nil }
    return AWSServiceError(code: String(decoding: response.body, as: UTF8.self), message: "test",
                           statusCode: response.status)
}

/// Collects retry events.
final class RetryEventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [AWSRetryEvent] = []
    func append(_ event: AWSRetryEvent) { lock.lock(); events.append(event); lock.unlock() }
    var all: [AWSRetryEvent] { lock.lock(); defer { lock.unlock() }; return events }
}

@Suite struct TransportTests {
    static let fastRetries = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5))

    func endpoint(_ server: LoopbackHTTPServer) -> AWSEndpoint {
        AWSEndpoint(url: server.url, signingRegion: "us-east-1", signingName: "ec2", isOverride: true)!
    }

    @Test func sendsSignedRequestAndReturnsResponse() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            .text(200, "ok:" + String(decoding: request.body, as: UTF8.self), headers: [AWSField("x-amzn-RequestId", "r1")])
        }
        let endpoint = endpoint(server)
        let request = AWSRequest(method: "POST", path: "/a%20b", query: [AWSField("q", "x y")],
                                 headers: [AWSField("Content-Type", "text/plain")], body: Array("hi".utf8))
        let signed = SigV4Signer(signingRegion: "us-east-1", signingName: "ec2").sign(
            request, endpoint: endpoint, credentials: SigningFixtures.keys, date: Date())
        let response = try await AWSHTTPTransport.shared.send(signed, to: endpoint)
        await server.shutdown()
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "ok:hi")
        #expect(response.header("X-AMZN-REQUESTID") == "r1")
        let received = try #require(server.requests.first)
        #expect(received.uri == "/a%20b?q=x%20y")
        #expect(received.header("Host") == "127.0.0.1:\(server.port)")
        #expect(received.header("Authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") == true)
        #expect(received.header("Content-Type") == "text/plain")
    }

    @Test(arguments: [(503, "ServiceUnavailable"), (400, "ThrottlingException"), (400, "RequestLimitExceeded")])
    func retriesUntilSuccess(status: Int, code: String) async throws {
        let calls = LoopbackCounter()
        let server = try await LoopbackHTTPServer.start { _ in
            calls.next() <= 2 ? .text(status, code) : .text(200, "done")
        }
        let endpoint = endpoint(server)
        let quota = RetryQuota()
        let log = RetryEventLog()
        let response = try await AWSRetrier(policy: TransportTests.fastRetries, quota: quota).run(
            attempt: { _ in try await AWSHTTPTransport.shared.send(AWSRequest(method: "GET"), to: endpoint) },
            classify: testClassifier, onRetry: { log.append($0) })
        await server.shutdown()
        #expect(response.status == 200)
        #expect(server.requests.count == 3)
        #expect(log.all.map(\.attempt) == [1, 2])
        #expect(quota.available == RetryQuota.defaultCapacity - RetryQuota.retryCost)
    }

    @Test func givesUpAfterMaxAttemptsAndOnFinalErrors() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            request.path == "/denied" ? .text(403, "AccessDenied") : .text(500, "InternalError")
        }
        let endpoint = endpoint(server)
        let retrier = AWSRetrier(policy: TransportTests.fastRetries)
        await #expect(throws: AWSServiceError(code: "InternalError", message: "test", statusCode: 500)) {
            try await retrier.run(
                attempt: { _ in try await AWSHTTPTransport.shared.send(AWSRequest(method: "GET"), to: endpoint) },
                classify: testClassifier)
        }
        #expect(server.requests.count == 3)
        await #expect(throws: AWSServiceError(code: "AccessDenied", message: "test", statusCode: 403)) {
            try await retrier.run(
                attempt: { _ in
                    try await AWSHTTPTransport.shared.send(AWSRequest(method: "GET", path: "/denied"), to: endpoint)
                },
                classify: testClassifier)
        }
        #expect(server.requests.count == 4)
        await server.shutdown()
    }

    @Test func timeoutsAreRetriedAndCostMore() async throws {
        let calls = LoopbackCounter()
        // The first reply comes far past the 2 s timeout: AsyncHTTPClient's deadline cancels the request
        // through an actor, and a test process whose concurrency pool is busy with other suites can run
        // that hop many seconds late; a reply due within that time would win.
        let server = try await LoopbackHTTPServer.start { _ in
            calls.next() == 1 ? LoopbackReply(status: 200, body: Array("late".utf8), delay: .seconds(600)) : .text(200, "fast")
        }
        let endpoint = endpoint(server)
        let quota = RetryQuota()
        let log = RetryEventLog()
        let response = try await AWSRetrier(policy: RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(5)), quota: quota).run(
            attempt: { _ in
                try await AWSHTTPTransport.shared.send(AWSRequest(method: "GET"), to: endpoint, timeout: .seconds(2))
            },
            classify: testClassifier, onRetry: { log.append($0) })
        await server.shutdown()
        #expect(String(decoding: response.body, as: UTF8.self) == "fast")
        // On a loaded machine a later attempt may time out too; every retry must be for a timeout.
        let reasons = log.all.map(\.reason)
        #expect(!reasons.isEmpty && reasons.allSatisfy { $0 == .timeout })
        // Each timeout retry takes 10 tokens; the success gives back the last retry's cost.
        #expect(quota.available == RetryQuota.defaultCapacity - reasons.count * RetryQuota.timeoutRetryCost + RetryQuota.timeoutRetryCost)
    }

    @Test func connectionRefusedIsAConnectionError() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .text(200, "") }
        let endpoint = endpoint(server)
        await server.shutdown()
        // A refused connection must fail as `.connection`, never wait out the timeout as `.timeout`.
        await #expect {
            try await AWSHTTPTransport.shared.send(AWSRequest(method: "GET"), to: endpoint, timeout: .seconds(10))
        } throws: { error in
            (error as? AWSTransportError)?.kind == .connection
        }
    }

    @Test func policyClassifiesLikeStandardMode() {
        let policy = RetryPolicy()
        func service(_ code: String, _ status: Int) -> AWSAttemptOutcome {
            .serviceError(AWSServiceError(code: code, message: "", statusCode: status))
        }
        #expect(policy.retryReason(for: service("Throttling", 400)) == .throttling(code: "Throttling"))
        #expect(policy.retryReason(for: service("EC2ThrottledException", 503)) == .throttling(code: "EC2ThrottledException"))
        #expect(policy.retryReason(for: service("Whatever", 502)) == .transient(code: "Whatever", status: 502))
        #expect(policy.retryReason(for: service("RequestTimeout", 400)) == .transient(code: "RequestTimeout", status: 400))
        #expect(policy.retryReason(for: service("AccessDenied", 403)) == nil)
        #expect(policy.retryReason(for: service("ValidationError", 400)) == nil)
        #expect(policy.retryReason(for: .transportError(AWSTransportError(.timeout, ""))) == .timeout)
        #expect(policy.retryReason(for: .transportError(AWSTransportError(.connection, ""))) == .connection)
        #expect(policy.retryReason(for: .transportError(AWSTransportError(.invalidRequest, ""))) == nil)
        #expect(policy.retryReason(for: .success(AWSResponse(status: 200))) == nil)
        #expect(policy.backoffCeiling(retry: 1) == .seconds(1))
        #expect(policy.backoffCeiling(retry: 3) == .seconds(4))
        #expect(policy.backoffCeiling(retry: 10) == .seconds(20))
        #expect(policy.delay(retry: 2, unit: 0.5) == .seconds(1))
    }

    @Test func quotaRunsOutAndRefillsOnSuccess() async throws {
        let quota = RetryQuota(capacity: 12)
        let retrier = AWSRetrier(policy: RetryPolicy(maxAttempts: 10), quota: quota, sleep: { _ in })
        let calls = LoopbackCounter()
        await #expect(throws: AWSServiceError.self) {
            try await retrier.run(attempt: { _ in calls.next(); return AWSResponse(status: 503, body: Array("SlowDown".utf8)) },
                                  classify: testClassifier)
        }
        #expect(calls.current == 3)
        #expect(quota.available == 2)
        _ = try await retrier.run(attempt: { _ in AWSResponse(status: 200) }, classify: testClassifier)
        #expect(quota.available == 3)
    }

    @Test func rateLimiterBoundsRequestRate() async throws {
        let limiter = RateLimiter(requestsPerSecond: 20, burst: 5)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<15 { group.addTask { try await limiter.acquire() } }
            try await group.waitForAll()
        }
        // 15 requests at 20/s with a burst of 5: the last 10 wait for tokens, 0.5 s at least. Only lower
        // bounds are checked; a loaded machine makes everything slower, never faster.
        #expect(ContinuousClock.now - started >= .milliseconds(450))

        let burst = RateLimiter(requestsPerSecond: 2, burst: 3)
        for _ in 0..<3 { try await burst.acquire() }
        let fourth = ContinuousClock.now
        try await burst.acquire()
        #expect(ContinuousClock.now - fourth >= .milliseconds(400))
    }
}
