import WeftEngine
import WeftModel

/// A JSONPath taken from a node parameter, compiled once per attempt.
///
/// Selection follows the rule the general nodes share: one selected value is that value, several
/// are an array of them, none is "missing" (`nil`).
struct ParameterPath: Sendable {
    let path: JSONPath

    /// Compiles `text`, an RFC 9535 query or the lenient `State.Code` form.
    /// - Throws: `NodeError` with code `invalidParameter`, naming `parameter`, when `text` is not a
    ///   valid JSONPath.
    init(_ text: String, parameter: String) throws(NodeError) {
        do {
            path = try JSONPath(key: text)
        } catch {
            throw NodeError("\(parameter): \"\(text)\" is not a valid JSONPath: \(error.message) (position \(error.position))",
                            code: "invalidParameter")
        }
    }

    /// The value selected in `item`: the match itself when there is one, an array of the matches
    /// when there are several, `nil` when there is none.
    func select(_ item: JSON) -> JSON? {
        let matches = path.query(item)
        switch matches.count {
        case 0: return nil
        case 1: return matches[0]
        default: return .array(matches)
        }
    }
}

extension JSON {
    /// This value with each node `path` selects replaced by `transform` of it.
    ///
    /// Nodes are replaced from the last selected to the first, so a node nested in another selected
    /// node is transformed before its ancestor. Throws whatever `transform` throws.
    func updating(_ path: JSONPath, _ transform: (JSON) throws -> JSON) rethrows -> JSON {
        var result = self
        for located in path.locate(self).reversed() {
            guard let steps = NormalizedPath.steps(located.path) else { continue }
            let replacement = try transform(located.value)
            result = result.setting(steps[...], to: replacement)
        }
        return result
    }

    private func setting(_ steps: ArraySlice<NormalizedPath.Step>, to value: JSON) -> JSON {
        guard let step = steps.first else { return value }
        switch (self, step) {
        case (.object(var members), .name(let name)):
            guard let member = members[name] else { return self }
            members[name] = member.setting(steps.dropFirst(), to: value)
            return .object(members)
        case (.array(var elements), .index(let index)):
            guard elements.indices.contains(index) else { return self }
            elements[index] = elements[index].setting(steps.dropFirst(), to: value)
            return .array(elements)
        default:
            return self
        }
    }
}

/// Reads the Normalized Paths (RFC 9535 §2.7) that `JSONPath.locate` produces.
enum NormalizedPath {
    enum Step: Equatable {
        case name(String)
        case index(Int)
    }

    /// The steps of `text`, such as `$['a'][0]`; `nil` when `text` is not a Normalized Path.
    static func steps(_ text: String) -> [Step]? {
        let scalars = Array(text.unicodeScalars)
        guard scalars.first == "$" else { return nil }
        var steps: [Step] = []
        var i = 1
        while i < scalars.count {
            guard scalars[i] == "[", i + 1 < scalars.count else { return nil }
            i += 1
            if scalars[i] == "'" {
                i += 1
                var name = String.UnicodeScalarView()
                while true {
                    guard i < scalars.count else { return nil }
                    let c = scalars[i]
                    if c == "'" { i += 1; break }
                    if c == "\\" {
                        guard i + 1 < scalars.count else { return nil }
                        let e = scalars[i + 1]
                        i += 2
                        switch e {
                        case "b": name.append("\u{08}")
                        case "f": name.append("\u{0C}")
                        case "n": name.append("\n")
                        case "r": name.append("\r")
                        case "t": name.append("\t")
                        case "'": name.append("'")
                        case "\\": name.append("\\")
                        case "u":
                            guard i + 4 <= scalars.count,
                                let code = UInt32(String(String.UnicodeScalarView(scalars[i..<(i + 4)])), radix: 16),
                                let scalar = Unicode.Scalar(code)
                            else { return nil }
                            name.append(scalar)
                            i += 4
                        default: return nil
                        }
                    } else {
                        name.append(c)
                        i += 1
                    }
                }
                steps.append(.name(String(name)))
            } else {
                let start = i
                while i < scalars.count, ("0"..."9").contains(scalars[i]) { i += 1 }
                guard i > start, let index = Int(String(String.UnicodeScalarView(scalars[start..<i]))) else { return nil }
                steps.append(.index(index))
            }
            guard i < scalars.count, scalars[i] == "]" else { return nil }
            i += 1
        }
        return steps
    }
}
