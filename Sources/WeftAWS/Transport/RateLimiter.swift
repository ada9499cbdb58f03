import Foundation

/// A token bucket bounding the request rate of one connector: `burst` requests at once, then
/// `requestsPerSecond` on average. Callers are served in arrival order.
public actor RateLimiter {
    public nonisolated let requestsPerSecond: Double
    public nonisolated let burst: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant
    private let clock = ContinuousClock()

    /// `requestsPerSecond` must be positive; `burst` is at least 1.
    public init(requestsPerSecond: Double, burst: Int) {
        precondition(requestsPerSecond > 0, "requestsPerSecond must be positive")
        self.requestsPerSecond = requestsPerSecond
        self.burst = Double(max(1, burst))
        tokens = Double(max(1, burst))
        updated = ContinuousClock().now
    }

    /// Waits until one request may start. Throws `CancellationError` if the task is cancelled while waiting
    /// (the reserved slot is then returned).
    public func acquire() async throws {
        let wait = reserve()
        guard wait > .zero else { return }
        do {
            try await Task.sleep(for: wait)
        } catch {
            tokens = min(burst, tokens + 1)
            throw error
        }
    }

    /// Takes a token now (the balance may go negative, queueing later callers behind this one) and
    /// returns how long the caller must wait for it.
    private func reserve() -> Duration {
        let now = clock.now
        let elapsed = updated.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(burst, tokens + seconds * requestsPerSecond)
        updated = now
        tokens -= 1
        if tokens >= 0 { return .zero }
        return .nanoseconds(Int64((-tokens / requestsPerSecond) * 1e9))
    }
}
