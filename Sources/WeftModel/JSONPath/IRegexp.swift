import Foundation

/// An I-Regexp (RFC 9485) compiled for the JSONPath `match` (whole string) or `search`
/// (any substring) function.
///
/// The pattern is checked against the I-Regexp grammar and translated to the ICU syntax of
/// `NSRegularExpression`: `.` matches any character except `\n` and `\r`, literals are escaped, and
/// `^`/`$` anchor at the start/end of the string as in most JSONPath implementations.
struct IRegexp: @unchecked Sendable {
    // NSRegularExpression is immutable and documented as safe to use from several threads.
    private let regex: NSRegularExpression

    /// Compiles `pattern`; `nil` when it is not a valid I-Regexp.
    init?(_ pattern: String, wholeString: Bool) {
        guard let translated = IRegexpTranslator.translate(pattern) else { return nil }
        let source = wholeString ? "\\A(?:\(translated))\\z" : translated
        guard let regex = try? NSRegularExpression(pattern: source) else { return nil }
        self.regex = regex
    }

    /// True when the pattern matches `text` (the whole text for `match`, a part of it for `search`).
    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil
    }

    /// The compiled form of a pattern that comes from the document, from a bounded shared cache.
    static func cached(_ pattern: String, wholeString: Bool) -> IRegexp? {
        IRegexpCache.shared.regexp(pattern, wholeString: wholeString)
    }
}

private final class IRegexpCache: @unchecked Sendable {
    static let shared = IRegexpCache()

    private struct Key: Hashable {
        var pattern: String
        var wholeString: Bool
    }

    private let lock = NSLock()
    private var entries: [Key: IRegexp?] = [:]
    private let limit = 512

    func regexp(_ pattern: String, wholeString: Bool) -> IRegexp? {
        let key = Key(pattern: pattern, wholeString: wholeString)
        lock.lock()
        if let entry = entries[key] {
            lock.unlock()
            return entry
        }
        lock.unlock()
        let compiled = IRegexp(pattern, wholeString: wholeString)
        lock.lock()
        if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
        entries[key] = compiled
        lock.unlock()
        return compiled
    }
}

/// Checks a pattern against the RFC 9485 grammar and writes the equivalent ICU pattern.
private struct IRegexpTranslator {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var output = ""

    /// The ICU form of `pattern`, or `nil` when it is not a valid I-Regexp.
    static func translate(_ pattern: String) -> String? {
        var translator = IRegexpTranslator(scalars: Array(pattern.unicodeScalars))
        guard translator.regexp(), translator.position == translator.scalars.count else { return nil }
        return translator.output
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    private var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private func peek(at offset: Int) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private mutating func regexp() -> Bool {
        guard branch() else { return false }
        while peek == "|" {
            position += 1
            output += "|"
            guard branch() else { return false }
        }
        return true
    }

    private mutating func branch() -> Bool {
        while let c = peek, c != "|", c != ")" {
            guard atom(), quantifier() else { return false }
        }
        return true
    }

    private mutating func atom() -> Bool {
        guard let c = peek else { return false }
        switch c {
        case "(":
            position += 1
            output += "(?:"
            guard regexp(), peek == ")" else { return false }
            position += 1
            output += ")"
        case ".":
            position += 1
            output += "[^\\n\\r]"
        case "[":
            return characterClass()
        case "\\":
            if peek(at: 1) == "p" || peek(at: 1) == "P" { return categoryEscape() }
            guard let literal = singleCharacterEscape() else { return false }
            output += Self.literal(literal)
        case "^":
            position += 1
            output += "\\A"
        case "$":
            position += 1
            output += "\\z"
        case ")", "*", "+", "?", "{", "}", "|", "]":
            return false
        default:
            position += 1
            output += Self.literal(c)
        }
        return true
    }

    private mutating func quantifier() -> Bool {
        switch peek {
        case "*", "+", "?":
            output.unicodeScalars.append(peek!)
            position += 1
        case "{":
            position += 1
            guard let minimum = number() else { return false }
            var text = "{\(minimum)"
            if peek == "," {
                position += 1
                text += ","
                if let c = peek, ("0"..."9").contains(c) {
                    guard let maximum = number(), maximum >= minimum else { return false }
                    text += "\(maximum)"
                }
            }
            guard peek == "}" else { return false }
            position += 1
            output += text + "}"
        default:
            break
        }
        return true
    }

    private mutating func number() -> Int? {
        var value = 0
        var digits = 0
        while let c = peek, ("0"..."9").contains(c) {
            value = value * 10 + Int(c.value - 0x30)
            digits += 1
            guard value <= Int(Int32.max) else { return nil }
            position += 1
        }
        return digits > 0 ? value : nil
    }

    private mutating func characterClass() -> Bool {
        position += 1
        output += "["
        if peek == "^" {
            position += 1
            output += "^"
        }
        var isFirst = true
        while true {
            guard let c = peek else { return false }
            switch c {
            case "]":
                guard !isFirst else { return false }
                position += 1
                output += "]"
                return true
            case "-":
                guard isFirst || peek(at: 1) == "]" else { return false }
                position += 1
                output += "\\-"
            case "\\" where peek(at: 1) == "p" || peek(at: 1) == "P":
                guard categoryEscape() else { return false }
            default:
                guard let low = classCharacter() else { return false }
                if peek == "-", let next = peek(at: 1), next != "]" {
                    position += 1
                    guard let high = classCharacter(), low.value <= high.value else { return false }
                    output += Self.literal(low) + "-" + Self.literal(high)
                } else {
                    output += Self.literal(low)
                }
            }
            isFirst = false
        }
    }

    /// A `CCchar`: a character other than `-`, `[`, `\`, `]`, or a single-character escape.
    private mutating func classCharacter() -> Unicode.Scalar? {
        guard let c = peek else { return nil }
        switch c {
        case "\\": return singleCharacterEscape()
        case "-", "[", "]": return nil
        default:
            position += 1
            return c
        }
    }

    private mutating func singleCharacterEscape() -> Unicode.Scalar? {
        guard let c = peek(at: 1) else { return nil }
        let scalar: Unicode.Scalar
        switch c {
        case "(", ")", "*", "+", "-", ".", "?", "[", "\\", "]", "^", "{", "|", "}": scalar = c
        case "n": scalar = "\n"
        case "r": scalar = "\r"
        case "t": scalar = "\t"
        default: return nil
        }
        position += 2
        return scalar
    }

    private static let categories: Set<String> = [
        "L", "Ll", "Lm", "Lo", "Lt", "Lu",
        "M", "Mc", "Me", "Mn",
        "N", "Nd", "Nl", "No",
        "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps",
        "Z", "Zl", "Zp", "Zs",
        "S", "Sc", "Sk", "Sm", "So",
        "C", "Cc", "Cf", "Cn", "Co",
    ]

    /// `\p{Cat}` or `\P{Cat}` with one of the general categories I-Regexp allows.
    private mutating func categoryEscape() -> Bool {
        guard let kind = peek(at: 1), peek(at: 2) == "{" else { return false }
        position += 3
        var name = ""
        while let c = peek, c != "}" {
            name.unicodeScalars.append(c)
            position += 1
        }
        guard peek == "}", Self.categories.contains(name) else { return false }
        position += 1
        output += "\\\(kind){\(name)}"
        return true
    }

    private static func literal(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return String(scalar)
        default: return "\\x{\(String(scalar.value, radix: 16))}"
        }
    }
}
