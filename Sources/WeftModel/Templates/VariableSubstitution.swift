/// Replaces flow-variable references in a parameter tree by the variables' values.
///
/// Two forms are replaced in every string of the tree (object keys are left alone):
/// - `$wf.variables:name` (the seed's syntax), anywhere in a string;
/// - `{{ $wf.variables.name }}` (or `{{ $wf.variables:name }}`), a template holding only the reference.
///
/// A name is `[A-Za-z0-9_]+`, read greedily. A string that is exactly one reference (surrounding
/// whitespace ignored) becomes the variable's JSON value, keeping its type; references inside a
/// longer string are replaced by the value's text (a string as is, other values as compact JSON).
/// Templates that do more than name a variable (`{{ $wf.variables.cfg.region }}`, `{{ $.Id }}`) are
/// left for `Template` to render per item. Replaced text is not scanned again.
public struct VariableSubstitution: Sendable {
    public var variables: [String: JSON]

    public init(_ variables: [String: JSON]) {
        self.variables = variables
    }

    /// `value` with every reference replaced.
    /// - Parameter pointer: the pointer of `value` in its document, used in errors.
    /// - Throws: `VariableError` for the first reference to a variable not in `variables`.
    public func apply(to value: JSON, pointer: String = "") throws(VariableError) -> JSON {
        switch value {
        case .string(let text):
            return try apply(to: text, pointer: pointer)
        case .array(let elements):
            var result: [JSON] = []
            result.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                result.append(try apply(to: element, pointer: JSONPointer.append(pointer, index)))
            }
            return .array(result)
        case .object(let members):
            var result = JSONObject(minimumCapacity: members.count)
            for (key, member) in members {
                result[key] = try apply(to: member, pointer: JSONPointer.append(pointer, key))
            }
            return .object(result)
        default:
            return value
        }
    }

    /// One string with its references replaced: the variable's value when the string is exactly
    /// one reference, else a string.
    /// - Throws: `VariableError` naming the first unknown variable.
    public func apply(to text: String, pointer: String = "") throws(VariableError) -> JSON {
        guard text.contains("$wf.variables") else { return .string(text) }
        let pieces = Self.scan(text)
        let significant = pieces.filter { piece in
            if case .text(let literal) = piece { return !literal.allSatisfy(\.isWhitespace) }
            return true
        }
        if significant.count == 1, case .reference(let name) = significant[0] {
            return try lookup(name, pointer: pointer)
        }
        var output = ""
        for piece in pieces {
            switch piece {
            case .text(let literal): output += literal
            case .reference(let name): output += JSONText.inline(try lookup(name, pointer: pointer))
            }
        }
        return .string(output)
    }

    /// Every variable reference in `value`, with the pointer of the string holding it, in document
    /// order. Includes names used inside longer templates (`{{ $wf.variables.cfg.region }}`).
    public static func references(in value: JSON, pointer: String = "") -> [VariableUse] {
        var uses: [VariableUse] = []
        collect(value, pointer: pointer, into: &uses)
        return uses
    }

    private static func collect(_ value: JSON, pointer: String, into uses: inout [VariableUse]) {
        switch value {
        case .string(let text):
            for name in VariableReference.names(in: text) {
                uses.append(VariableUse(name: name, pointer: pointer))
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                collect(element, pointer: JSONPointer.append(pointer, index), into: &uses)
            }
        case .object(let members):
            for (key, member) in members {
                collect(member, pointer: JSONPointer.append(pointer, key), into: &uses)
            }
        default:
            break
        }
    }

    /// Whether `value` holds a variable reference anywhere.
    public static func containsReference(_ value: JSON) -> Bool {
        switch value {
        case .string(let text): return !VariableReference.names(in: text).isEmpty
        case .array(let elements): return elements.contains(where: containsReference)
        case .object(let members): return members.values.contains(where: containsReference)
        default: return false
        }
    }

    private func lookup(_ name: String, pointer: String) throws(VariableError) -> JSON {
        guard let value = variables[name] else {
            throw VariableError(name: name, pointer: pointer)
        }
        return value
    }

    enum Piece: Equatable {
        case text(String)
        case reference(String)
    }

    /// Splits `text` into literal text and the references this type replaces.
    static func scan(_ text: String) -> [Piece] {
        let scalars = Array(text.unicodeScalars)
        var pieces: [Piece] = []
        var literal = String.UnicodeScalarView()
        var i = 0
        let seed = Array("$wf.variables:".unicodeScalars)
        while i < scalars.count {
            if scalars[i] == "{", i + 1 < scalars.count, scalars[i + 1] == "{",
                let (name, end) = templateReference(scalars, from: i)
            {
                flush(&literal, into: &pieces)
                pieces.append(.reference(name))
                i = end
            } else if scalars[i] == "$", matches(scalars, at: i, seed) {
                var j = i + seed.count
                while j < scalars.count, isNameScalar(scalars[j]) { j += 1 }
                if j > i + seed.count {
                    flush(&literal, into: &pieces)
                    pieces.append(.reference(String(String.UnicodeScalarView(scalars[(i + seed.count)..<j]))))
                    i = j
                } else {
                    literal.append(scalars[i])
                    i += 1
                }
            } else {
                literal.append(scalars[i])
                i += 1
            }
        }
        flush(&literal, into: &pieces)
        return pieces
    }

    /// `{{ $wf.variables.name }}` starting at `start`: the name and the index after `}}`.
    private static func templateReference(_ s: [Unicode.Scalar], from start: Int) -> (String, Int)? {
        var i = start + 2
        while i < s.count, s[i].properties.isWhitespace { i += 1 }
        let prefix = Array("$wf.variables".unicodeScalars)
        guard matches(s, at: i, prefix) else { return nil }
        i += prefix.count
        guard i < s.count, s[i] == "." || s[i] == ":" else { return nil }
        i += 1
        let nameStart = i
        while i < s.count, isNameScalar(s[i]) { i += 1 }
        guard i > nameStart else { return nil }
        let name = String(String.UnicodeScalarView(s[nameStart..<i]))
        while i < s.count, s[i].properties.isWhitespace { i += 1 }
        guard i + 1 < s.count, s[i] == "}", s[i + 1] == "}" else { return nil }
        return (name, i + 2)
    }

    private static func matches(_ s: [Unicode.Scalar], at index: Int, _ pattern: [Unicode.Scalar]) -> Bool {
        guard index + pattern.count <= s.count else { return false }
        for k in 0..<pattern.count where s[index + k] != pattern[k] { return false }
        return true
    }

    private static func isNameScalar(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && VariableReference.isNameByte(UInt8(c.value))
    }

    private static func flush(_ literal: inout String.UnicodeScalarView, into pieces: inout [Piece]) {
        guard !literal.isEmpty else { return }
        pieces.append(.text(String(literal)))
        literal = String.UnicodeScalarView()
    }
}

/// One reference to a flow variable in a parameter tree.
public struct VariableUse: Sendable, Equatable {
    public var name: String
    /// Pointer to the string that holds the reference.
    public var pointer: String

    public init(name: String, pointer: String) {
        self.name = name
        self.pointer = pointer
    }
}

/// A reference to a variable that does not exist.
public struct VariableError: Error, Sendable, Equatable, CustomStringConvertible {
    public var name: String
    /// Pointer to the string that holds the reference.
    public var pointer: String

    public init(name: String, pointer: String) {
        self.name = name
        self.pointer = pointer
    }

    public var message: String { "unknown variable \"\(name)\"" }

    /// `/params/value: unknown variable "allowedCidrs"`.
    public var description: String { pointer.isEmpty ? message : "\(pointer): \(message)" }
}
