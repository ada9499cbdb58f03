import Crypto
import Foundation
import HummingbirdBcrypt
import WeftEngine

/// Secrets the server hands out and the hashes it keeps of them.
public enum Credentials {
    /// A new random secret: 32 bytes from the system's CSPRNG as lowercase hex, behind `prefix`.
    public static func newSecret(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + hex(bytes)
    }

    /// A new random identifier for records (`usr_…`, `tok_…`, `flw_…`): 16 random bytes as hex.
    public static func newId(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + "_" + hex(bytes)
    }

    /// Lowercase hex SHA-256 of `secret`, as tokens and sessions are stored.
    public static func hash(_ secret: String) -> String {
        hex(Array(SHA256.hash(data: Data(secret.utf8))))
    }

    /// A bcrypt hash of `password` at `cost` (4…31).
    public static func hashPassword(_ password: String, cost: UInt8) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    /// Checks `password` against a bcrypt hash; false for a `nil` hash.
    public static func verifyPassword(_ password: String, hash: String?) -> Bool {
        guard let hash else { return false }
        return Bcrypt.verify(password, hash: hash)
    }

    /// Constant-time comparison of two strings' bytes.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Counts failed logins per user name and refuses further attempts for a while once too many failed.
///
/// After `maxFailures` failures within `window`, logins for that name are refused until `window` has
/// passed since the first of them; a success clears the count.
public actor LoginThrottle {
    public let maxFailures: Int
    public let window: Duration
    private var failures: [String: (count: Int, since: ContinuousClock.Instant)] = [:]
    private let clock = ContinuousClock()

    public init(maxFailures: Int = 5, window: Duration = .seconds(900)) {
        self.maxFailures = maxFailures; self.window = window
    }

    /// The time left before `name` may try again, or `nil` when it may try now.
    public func retryAfter(_ name: String) -> Duration? {
        let key = name.lowercased()
        guard let entry = failures[key] else { return nil }
        let elapsed = entry.since.duration(to: clock.now)
        if elapsed >= window {
            failures[key] = nil
            return nil
        }
        return entry.count >= maxFailures ? window - elapsed : nil
    }

    public func recordFailure(_ name: String) {
        let key = name.lowercased()
        if let entry = failures[key], entry.since.duration(to: clock.now) < window {
            failures[key] = (entry.count + 1, entry.since)
        } else {
            failures[key] = (1, clock.now)
        }
    }

    public func recordSuccess(_ name: String) {
        failures[name.lowercased()] = nil
    }
}
