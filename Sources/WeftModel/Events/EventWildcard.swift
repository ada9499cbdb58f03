/// A `wildcard` operand: `*` matches any run of bytes (none included); `\*` and `\\` are a literal
/// `*` and `\`. Matching is over UTF-8 bytes.
struct EventWildcard: Sendable {
    /// A literal byte (0–255) or `star` for `*`.
    let tokens: [Int16]
    static let star: Int16 = -1

    /// The largest complexity (see `complexity(of:)`) EventBridge accepts for one field's
    /// wildcard operands. Calibrated on the AWS-checked cases: `["*/init/*", "*/dir/*"]` (10) is
    /// accepted and `"*:*:*:*:*:event-bus/*"` (13) rejected.
    static let complexityLimit = 10

    /// Reads `text`.
    /// - Throws: the reason when `text` has two `*` in a row or a `\` not followed by `*` or `\`.
    init(_ text: String) throws(EventPatternError) {
        var tokens: [Int16] = []
        var escaped = false
        var previousWasStar = false
        for (position, byte) in text.utf8.enumerated() {
            if escaped {
                guard byte == UInt8(ascii: "*") || byte == UInt8(ascii: "\\") else {
                    throw EventPatternError(reason: "Invalid escape character at pos \(position - 1)", pointer: "")
                }
                tokens.append(Int16(byte))
                escaped = false
                previousWasStar = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "*") {
                if previousWasStar {
                    throw EventPatternError(reason: "Consecutive wildcard characters at pos \(position)", pointer: "")
                }
                tokens.append(Self.star)
                previousWasStar = true
            } else {
                tokens.append(Int16(byte))
                previousWasStar = false
            }
        }
        if escaped {
            throw EventPatternError(reason: "Invalid escape character at pos \(text.utf8.count - 1)", pointer: "")
        }
        self.tokens = tokens
    }

    /// Whether the whole of `bytes` matches.
    func matches(_ bytes: [UInt8]) -> Bool {
        var t = 0
        var b = 0
        var starToken = -1
        var starByte = 0
        while b < bytes.count {
            if t < tokens.count, tokens[t] != Self.star, tokens[t] == Int16(bytes[b]) {
                t += 1
                b += 1
            } else if t < tokens.count, tokens[t] == Self.star {
                starToken = t
                starByte = b
                t += 1
            } else if starToken >= 0 {
                t = starToken + 1
                starByte += 1
                b = starByte
            } else {
                return false
            }
        }
        while t < tokens.count, tokens[t] == Self.star { t += 1 }
        return t == tokens.count
    }

    /// The largest number of positions that matching `wildcards` side by side can be in at once,
    /// over all inputs: a measure of the work a value costs, which grows with the number of `*`
    /// and with repeated sequences after one (EventBridge's "Rule is too complex"). Exploration
    /// stops as soon as the count exceeds `limit`.
    static func complexity(of wildcards: [EventWildcard], limit: Int = complexityLimit) -> Int {
        guard !wildcards.isEmpty else { return 0 }
        var offsets: [Int] = []
        var total = 0
        var alphabet: Set<Int16> = [256]
        for wildcard in wildcards {
            offsets.append(total)
            total += wildcard.tokens.count + 1
            for token in wildcard.tokens where token != star { alphabet.insert(token) }
        }
        func closure(_ states: Set<Int>) -> [Int] {
            var result = states
            var pending = Array(states)
            while let state = pending.popLast() {
                let (pattern, index) = locate(state)
                let tokens = wildcards[pattern].tokens
                if index < tokens.count, tokens[index] == star, result.insert(state + 1).inserted {
                    pending.append(state + 1)
                }
            }
            return result.sorted()
        }
        func locate(_ state: Int) -> (Int, Int) {
            var pattern = offsets.count - 1
            while offsets[pattern] > state { pattern -= 1 }
            return (pattern, state - offsets[pattern])
        }
        let start = closure(Set(offsets))
        var seen: Set<[Int]> = [start]
        var pending = [start]
        var largest = start.count
        while let active = pending.popLast(), seen.count < 4096 {
            for byte in alphabet {
                var next: Set<Int> = []
                for state in active {
                    let (pattern, index) = locate(state)
                    let tokens = wildcards[pattern].tokens
                    guard index < tokens.count else { continue }
                    if tokens[index] == star {
                        next.insert(state)
                    } else if tokens[index] == byte {
                        next.insert(state + 1)
                    }
                }
                let closed = closure(next)
                largest = max(largest, closed.count)
                if largest > limit { return largest }
                if !closed.isEmpty, seen.insert(closed).inserted { pending.append(closed) }
            }
        }
        return largest
    }
}
