/// Validates a pattern's JSON and turns it into clauses and matchers, collecting the field paths.
struct EventPatternCompiler {
    private(set) var pathPrefixes: Set<String> = []

    static let operators: Set<String> = [
        "prefix", "suffix", "anything-but", "numeric", "exists", "cidr", "equals-ignore-case", "wildcard",
    ]

    mutating func compileRoot(_ pattern: JSON) throws(EventPatternError) -> EventPatternClause {
        guard case .object(let object) = pattern else {
            throw EventPatternError(reason: "Filter is not an object", pointer: "")
        }
        return try compileObject(object, path: "", pointer: "")
    }

    private mutating func compileObject(
        _ object: JSONObject, path: String, pointer: String
    ) throws(EventPatternError) -> EventPatternClause {
        var clause = EventPatternClause()
        for (key, value) in object {
            let memberPointer = JSONPointer.append(pointer, key)
            if key == "$or" {
                clause.alternatives.append(try compileOr(value, path: path, pointer: memberPointer))
                continue
            }
            let child = path.isEmpty ? key : path + "." + key
            switch value {
            case .object(let nested):
                let sub = try compileObject(nested, path: child, pointer: memberPointer)
                clause.fields += sub.fields
                clause.alternatives += sub.alternatives
            case .array(let elements):
                guard !elements.isEmpty else {
                    throw EventPatternError(reason: "Empty arrays are not allowed", pointer: memberPointer)
                }
                var matchers: [EventValueMatcher] = []
                var wildcards: [EventWildcard] = []
                for (index, element) in elements.enumerated() {
                    let matcher = try compileMatcher(element, pointer: JSONPointer.append(memberPointer, index))
                    switch matcher {
                    case .wildcard(let wildcard): wildcards.append(wildcard)
                    case .anythingButWildcard(let list): wildcards += list
                    default: break
                    }
                    matchers.append(matcher)
                }
                if EventWildcard.complexity(of: wildcards) > EventWildcard.complexityLimit {
                    throw EventPatternError(
                        reason: "Rule is too complex - try using fewer wildcard characters or fewer repeating "
                            + "character sequences after a wildcard character",
                        pointer: memberPointer)
                }
                addPath(child)
                clause.fields.append(EventFieldTest(path: child, matchers: matchers))
            default:
                throw EventPatternError(reason: "\"\(key)\" must be an object or an array", pointer: memberPointer)
            }
        }
        return clause
    }

    private mutating func compileOr(
        _ value: JSON, path: String, pointer: String
    ) throws(EventPatternError) -> [EventPatternClause] {
        guard case .array(let branches) = value else {
            throw EventPatternError(reason: "\"$or\" must be an array of objects", pointer: pointer)
        }
        guard !branches.isEmpty else {
            throw EventPatternError(reason: "Empty arrays are not allowed", pointer: pointer)
        }
        var clauses: [EventPatternClause] = []
        for (index, branch) in branches.enumerated() {
            let branchPointer = JSONPointer.append(pointer, index)
            guard case .object(let object) = branch else {
                throw EventPatternError(reason: "\"$or\" must be an array of objects", pointer: branchPointer)
            }
            clauses.append(try compileObject(object, path: path, pointer: branchPointer))
        }
        return clauses
    }

    private mutating func addPath(_ path: String) {
        pathPrefixes.insert(path)
        var index = path.endIndex
        while let dot = path[..<index].lastIndex(of: ".") {
            pathPrefixes.insert(String(path[..<dot]))
            index = dot
        }
    }

    private func compileMatcher(_ element: JSON, pointer: String) throws(EventPatternError) -> EventValueMatcher {
        switch element {
        case .string(let text): return .string(Array(text.utf8))
        case .int, .double: return .number(element.doubleValue ?? 0)
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        case .array:
            throw EventPatternError(reason: "Match value must be String, number, true, false, or null", pointer: pointer)
        case .object(let object):
            guard object.count == 1, let member = object.elements.first else {
                throw EventPatternError(reason: "Only one key allowed in match expression", pointer: pointer)
            }
            let (name, operand) = (member.key, member.value)
            let operandPointer = JSONPointer.append(pointer, name)
            guard Self.operators.contains(name) else {
                throw EventPatternError(reason: "Unrecognized match type \(name)", pointer: operandPointer)
            }
            return try compileOperator(name, operand, pointer: operandPointer)
        }
    }

    private func compileOperator(
        _ name: String, _ operand: JSON, pointer: String
    ) throws(EventPatternError) -> EventValueMatcher {
        switch name {
        case "prefix", "suffix":
            if case .object(let inner) = operand {
                guard inner.count == 1, let ignoringCase = inner["equals-ignore-case"] else {
                    throw EventPatternError(reason: "Unsupported \(name) pattern", pointer: pointer)
                }
                guard case .string(let text) = ignoringCase else {
                    throw EventPatternError(
                        reason: "equals-ignore-case match pattern must be a string",
                        pointer: JSONPointer.append(pointer, "equals-ignore-case"))
                }
                let folded = EventValueMatcher.folded(text)
                return name == "prefix" ? .prefixIgnoringCase(folded) : .suffixIgnoringCase(folded)
            }
            guard case .string(let text) = operand else {
                throw EventPatternError(reason: "\(name) match pattern must be a string", pointer: pointer)
            }
            return name == "prefix" ? .prefix(Array(text.utf8)) : .suffix(Array(text.utf8))
        case "equals-ignore-case":
            guard case .string(let text) = operand else {
                throw EventPatternError(reason: "equals-ignore-case match pattern must be a string", pointer: pointer)
            }
            return .equalsIgnoringCase(EventValueMatcher.folded(text))
        case "exists":
            guard case .bool(let flag) = operand else {
                throw EventPatternError(reason: "exists match pattern must be either true or false.", pointer: pointer)
            }
            return .exists(flag)
        case "cidr":
            return .cidr(try Self.compileCIDR(operand, pointer: pointer))
        case "wildcard":
            guard case .string(let text) = operand else {
                throw EventPatternError(reason: "wildcard match pattern must be a string", pointer: pointer)
            }
            return .wildcard(try Self.compileWildcard(text, pointer: pointer))
        case "numeric":
            return .numeric(try Self.compileNumeric(operand, pointer: pointer))
        default:
            return try Self.compileAnythingBut(operand, pointer: pointer)
        }
    }

    private static func compileWildcard(_ text: String, pointer: String) throws(EventPatternError) -> EventWildcard {
        do {
            return try EventWildcard(text)
        } catch {
            throw EventPatternError(reason: error.reason, pointer: pointer)
        }
    }

    private static func compileCIDR(_ operand: JSON, pointer: String) throws(EventPatternError) -> CIDR {
        guard case .string(let text) = operand else {
            throw EventPatternError(reason: "prefix match pattern must be a string", pointer: pointer)
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw EventPatternError(reason: "Malformed CIDR, one '/' required", pointer: pointer)
        }
        guard !parts[1].isEmpty, parts[1].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw EventPatternError(reason: "Malformed CIDR, mask bits must be an integer", pointer: pointer)
        }
        guard let range = CIDR(text) else {
            throw EventPatternError(reason: "Nonstandard IP address: \(parts[0])", pointer: pointer)
        }
        return range
    }

    private static func compileNumeric(
        _ operand: JSON, pointer: String
    ) throws(EventPatternError) -> EventNumericRange {
        guard case .array(let terms) = operand else {
            throw EventPatternError(reason: "Value of numeric must be an array.", pointer: pointer)
        }
        guard !terms.isEmpty else {
            throw EventPatternError(reason: "Invalid member in numeric match: ]", pointer: pointer)
        }
        var range = EventNumericRange()
        var index = 0
        while index < terms.count {
            let termPointer = JSONPointer.append(pointer, index)
            guard case .string(let op) = terms[index] else {
                let reason = index == 0 ? "Invalid member in numeric match" : "Bad value in numeric range"
                throw EventPatternError(reason: "\(reason): \(terms[index])", pointer: termPointer)
            }
            guard index + 1 < terms.count, let value = terms[index + 1].doubleValue else {
                let label = op == "=" ? "equals" : op
                throw EventPatternError(
                    reason: "Value of \(label) must be numeric", pointer: JSONPointer.append(pointer, index + 1))
            }
            switch (index, op) {
            case (0, "="):
                range.lower = (value, true)
                range.upper = (value, true)
            case (0, ">"), (0, ">="):
                range.lower = (value, op == ">=")
            case (0, "<"), (0, "<="), (2, "<"), (2, "<="):
                if index == 2, let lower = range.lower, value <= lower.value {
                    throw EventPatternError(reason: "Bottom must be less than top", pointer: termPointer)
                }
                range.upper = (value, op == "<=")
            case (0, _):
                throw EventPatternError(reason: "Unrecognized numeric range operator: \(op)", pointer: termPointer)
            case (2, _):
                throw EventPatternError(reason: "Bad numeric range operator: \(op)", pointer: termPointer)
            default:
                throw EventPatternError(reason: "Too many terms in numeric range expression", pointer: termPointer)
            }
            if index == 0, terms.count > 2, range.upper != nil {
                throw EventPatternError(
                    reason: "Too many elements in numeric expression", pointer: JSONPointer.append(pointer, 2))
            }
            index += 2
        }
        return range
    }

    private static func compileAnythingBut(
        _ operand: JSON, pointer: String
    ) throws(EventPatternError) -> EventValueMatcher {
        switch operand {
        case .string, .int, .double:
            return try anythingBut([operand], pointer: pointer)
        case .array(let values):
            guard !values.isEmpty else {
                throw EventPatternError(reason: "Empty arrays are not allowed", pointer: pointer)
            }
            return try anythingBut(values, pointer: pointer)
        case .object(let inner):
            guard inner.count == 1, let member = inner.elements.first else {
                throw EventPatternError(reason: "Only one key allowed in match expression", pointer: pointer)
            }
            let (name, value) = (member.key, member.value)
            let innerPointer = JSONPointer.append(pointer, name)
            switch name {
            case "prefix", "suffix":
                if case .object = value {
                    throw EventPatternError(
                        reason: "Value of anything-but must be an array or single string/number value.",
                        pointer: innerPointer)
                }
                let operands = try stringList(
                    value, reason: "prefix/suffix match pattern must be a string", pointer: innerPointer)
                if let empty = operands.firstIndex(where: { $0.isEmpty }) {
                    let at = value.arrayValue == nil ? innerPointer : JSONPointer.append(innerPointer, empty)
                    throw EventPatternError(reason: "Null prefix/suffix not allowed", pointer: at)
                }
                return .anythingButString(name == "prefix" ? .prefix : .suffix, operands.map { Array($0.utf8) })
            case "equals-ignore-case":
                let operands = try stringList(
                    value, reason: "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
                    pointer: innerPointer)
                return .anythingButString(.equalsIgnoringCase, operands.map(EventValueMatcher.folded))
            case "wildcard":
                let operands = try stringList(
                    value, reason: "wildcard match pattern must be a string", pointer: innerPointer)
                var wildcards: [EventWildcard] = []
                for operand in operands { wildcards.append(try compileWildcard(operand, pointer: innerPointer)) }
                return .anythingButWildcard(wildcards)
            default:
                throw EventPatternError(reason: "Unsupported anything-but pattern: \(name)", pointer: innerPointer)
            }
        default:
            throw EventPatternError(
                reason: "Value of anything-but must be an array or single string/number value.", pointer: pointer)
        }
    }

    private static func anythingBut(_ values: [JSON], pointer: String) throws(EventPatternError) -> EventValueMatcher {
        var strings: Set<[UInt8]> = []
        var numbers: [Double] = []
        for (index, value) in values.enumerated() {
            switch value {
            case .string(let text): strings.insert(Array(text.utf8))
            case .int, .double: numbers.append(value.doubleValue ?? 0)
            default:
                throw EventPatternError(
                    reason: "Inside anything but list, start|null|boolean is not supported.",
                    pointer: JSONPointer.append(pointer, index))
            }
        }
        return .anythingBut(strings: strings, numbers: numbers)
    }

    /// `value` as a list of strings: one string, or a non-empty array of strings.
    private static func stringList(_ value: JSON, reason: String, pointer: String) throws(EventPatternError) -> [String] {
        switch value {
        case .string(let text):
            return [text]
        case .array(let elements):
            guard !elements.isEmpty else {
                throw EventPatternError(reason: "Empty arrays are not allowed", pointer: pointer)
            }
            var strings: [String] = []
            for (index, element) in elements.enumerated() {
                guard case .string(let text) = element else {
                    throw EventPatternError(reason: reason, pointer: JSONPointer.append(pointer, index))
                }
                strings.append(text)
            }
            return strings
        default:
            throw EventPatternError(reason: reason, pointer: pointer)
        }
    }
}
