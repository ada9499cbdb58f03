import Foundation

/// The result of one attempt, as the retry loop sees it.
public enum AWSAttemptOutcome: Sendable {
    /// The service answered and the classifier found no error.
    case success(AWSResponse)
    /// The service answered with an error.
    case serviceError(AWSServiceError)
    /// No response: timeout or connection failure.
    case transportError(AWSTransportError)
}

/// Why an attempt is retried.
public enum AWSRetryReason: Sendable, Equatable, CustomStringConvertible {
    case throttling(code: String)
    case transient(code: String, status: Int)
    case timeout
    case connection

    public var description: String {
        switch self {
        case .throttling(let code): "throttled (\(code))"
        case .transient(let code, let status): "transient error \(status)" + (code.isEmpty ? "" : " (\(code))")
        case .timeout: "timeout"
        case .connection: "connection error"
        }
    }

    /// Retry-quota tokens a retry for this reason costs.
    var quotaCost: Int {
        if case .timeout = self { return RetryQuota.timeoutRetryCost }
        return RetryQuota.retryCost
    }
}

/// The SDKs' standard retry mode, as pure decisions: which outcomes are retried and how long to wait.
public struct RetryPolicy: Sendable {
    /// Total attempts including the first (standard mode default 3).
    public var maxAttempts: Int
    /// The backoff base: the wait before retry `n` (1-based) is random in `0 ..< min(maxBackoff, base × 2^(n-1))`.
    public var baseDelay: Duration
    public var maxBackoff: Duration

    /// Error codes the SDKs treat as throttling.
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]
    /// Error codes the SDKs treat as transient.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "PriorRequestNotComplete",
    ]
    /// HTTP statuses the SDKs treat as transient.
    public static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    public init(maxAttempts: Int = 3, baseDelay: Duration = .seconds(1), maxBackoff: Duration = .seconds(20)) {
        self.maxAttempts = max(1, maxAttempts); self.baseDelay = baseDelay; self.maxBackoff = maxBackoff
    }

    /// Why `outcome` may be retried, or nil when it is final (success or a non-retryable error).
    public func retryReason(for outcome: AWSAttemptOutcome) -> AWSRetryReason? {
        switch outcome {
        case .success:
            return nil
        case .serviceError(let error):
            if RetryPolicy.throttlingCodes.contains(error.code) { return .throttling(code: error.code) }
            if RetryPolicy.transientCodes.contains(error.code) || RetryPolicy.transientStatuses.contains(error.statusCode) {
                return .transient(code: error.code, status: error.statusCode)
            }
            if error.statusCode == 429 { return .throttling(code: error.code) }
            return nil
        case .transportError(let error):
            switch error.kind {
            case .timeout: return .timeout
            case .connection: return .connection
            case .invalidRequest: return nil
            }
        }
    }

    /// The longest wait before retry number `retry` (1 for the first retry).
    public func backoffCeiling(retry: Int) -> Duration {
        let factor = Double(1 << min(max(retry - 1, 0), 30))
        let ceiling = baseDelay * factor
        return ceiling < maxBackoff ? ceiling : maxBackoff
    }

    /// A wait before retry number `retry`, drawn uniformly from `0 ..< backoffCeiling(retry:)` using `unit`
    /// (a number in `0 ..< 1`).
    public func delay(retry: Int, unit: Double) -> Duration {
        backoffCeiling(retry: retry) * min(max(unit, 0), 1)
    }
}

/// The SDKs' retry quota: retries draw tokens (5, or 10 after a timeout) from a shared bucket of 500;
/// a successful attempt puts back what its retries took (or 1 when it needed none). When the bucket
/// cannot pay for a retry, the error is returned instead of retried. Thread-safe.
public final class RetryQuota: @unchecked Sendable {
    public static let defaultCapacity = 500
    public static let retryCost = 5
    public static let timeoutRetryCost = 10
    public static let noRetryIncrement = 1

    public let capacity: Int
    private var tokens: Int
    private let lock = NSLock()

    public init(capacity: Int = RetryQuota.defaultCapacity) { self.capacity = capacity; tokens = capacity }

    /// Tokens left.
    public var available: Int { lock.lock(); defer { lock.unlock() }; return tokens }

    /// Takes `cost` tokens; false (and nothing taken) when fewer are left.
    public func acquire(_ cost: Int) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard tokens >= cost else { return false }
        tokens -= cost
        return true
    }

    /// Puts `amount` tokens back, up to the capacity.
    public func release(_ amount: Int) {
        lock.lock(); defer { lock.unlock() }
        tokens = min(capacity, tokens + amount)
    }
}

/// One retry about to happen, for logs and step journals.
public struct AWSRetryEvent: Sendable {
    /// The attempt that failed (1-based).
    public var attempt: Int
    public var reason: AWSRetryReason
    public var delay: Duration
}

/// Runs one logical AWS call with the standard retry mode.
public struct AWSRetrier: Sendable {
    public var policy: RetryPolicy
    public let quota: RetryQuota
    private let sleep: @Sendable (Duration) async throws -> Void
    private let random: @Sendable () -> Double

    /// `sleep` and `random` are injectable for tests; by default they are `Task.sleep` and a uniform draw.
    public init(policy: RetryPolicy = RetryPolicy(), quota: RetryQuota = RetryQuota(),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.policy = policy; self.quota = quota; self.sleep = sleep; self.random = random
    }

    /// Performs `attempt` (given the 1-based attempt number) until `classify` finds no error, the error is
    /// not retryable, attempts run out or the quota is empty.
    ///
    /// Returns the successful response. Throws the last `AWSServiceError` or `AWSTransportError`, any other
    /// error `attempt` throws (not retried), or `CancellationError`. `onRetry` is called before each wait.
    public func run(
        attempt: @Sendable (Int) async throws -> AWSResponse,
        classify: @Sendable (AWSResponse) -> AWSServiceError?,
        onRetry: @Sendable (AWSRetryEvent) -> Void = { _ in }
    ) async throws -> AWSResponse {
        var number = 1
        var heldCost = 0
        while true {
            try Task.checkCancellation()
            let outcome: AWSAttemptOutcome
            do {
                let response = try await attempt(number)
                if let error = classify(response) { outcome = .serviceError(error) } else { outcome = .success(response) }
            } catch let error as AWSTransportError {
                outcome = .transportError(error)
            }
            if case .success(let response) = outcome {
                quota.release(heldCost > 0 ? heldCost : RetryQuota.noRetryIncrement)
                return response
            }
            guard number < policy.maxAttempts, let reason = policy.retryReason(for: outcome),
                  quota.acquire(reason.quotaCost)
            else { throw AWSRetrier.error(of: outcome) }
            heldCost = reason.quotaCost
            let wait = policy.delay(retry: number, unit: random())
            onRetry(AWSRetryEvent(attempt: number, reason: reason, delay: wait))
            try await sleep(wait)
            number += 1
        }
    }

    private static func error(of outcome: AWSAttemptOutcome) -> any Error {
        switch outcome {
        case .serviceError(let error): error
        case .transportError(let error): error
        case .success: AWSTransportError(.invalidRequest, "no error")
        }
    }
}
