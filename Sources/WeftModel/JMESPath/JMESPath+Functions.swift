/// The 26 built-in functions of the JMESPath specification.
enum JMESPathFunction: String, CaseIterable, Sendable {
    case abs, avg, ceil, contains, floor, join, keys, length, map, max, merge, min, reverse, sort, sum
    case type, values
    case endsWith = "ends_with"
    case maxBy = "max_by"
    case minBy = "min_by"
    case notNull = "not_null"
    case sortBy = "sort_by"
    case startsWith = "starts_with"
    case toArray = "to_array"
    case toNumber = "to_number"
    case toString = "to_string"

    /// The types each parameter accepts; for a variadic function the last entry repeats.
    var parameters: [[JMESPathType]] {
        switch self {
        case .abs, .ceil, .floor: return [[.number]]
        case .avg, .sum: return [[.arrayNumber]]
        case .contains: return [[.array, .string], [.any]]
        case .endsWith, .startsWith: return [[.string], [.string]]
        case .join: return [[.string], [.arrayString]]
        case .keys, .values: return [[.object]]
        case .length: return [[.string, .array, .object]]
        case .map: return [[.expression], [.array]]
        case .max, .min, .sort: return [[.arrayNumber, .arrayString]]
        case .maxBy, .minBy, .sortBy: return [[.array], [.expression]]
        case .merge: return [[.object]]
        case .notNull: return [[.any]]
        case .reverse: return [[.array, .string]]
        case .toArray, .toNumber, .toString, .type: return [[.any]]
        }
    }

    var isVariadic: Bool { self == .merge || self == .notNull }
}

/// The argument types of function signatures.
enum JMESPathType: Sendable {
    case any, number, string, boolean, array, object, expression, arrayNumber, arrayString

    var name: String {
        switch self {
        case .any: return "any value"
        case .number: return "number"
        case .string: return "string"
        case .boolean: return "boolean"
        case .array: return "array"
        case .object: return "object"
        case .expression: return "expression reference (&...)"
        case .arrayNumber: return "array of numbers"
        case .arrayString: return "array of strings"
        }
    }
}

extension JMESPath.Evaluator {
    func call(_ function: JMESPathFunction, _ arguments: [JMESPathArgument], at position: Int) throws(JMESPathError) -> JSON {
        func fail(_ message: String) -> JMESPathError {
            JMESPathError(.invalidType, "\(function.rawValue)(): \(message)", position: position)
        }
        let parameters = function.parameters
        var values: [JSON] = []
        var expression: JMESPathNode?
        for (offset, argument) in arguments.enumerated() {
            let allowed = parameters[Swift.min(offset, parameters.count - 1)]
            let ordinal = "argument \(offset + 1)"
            switch argument {
            case .expression(let body):
                guard allowed == [.expression] else {
                    throw fail("\(ordinal) must be \(Self.describe(allowed)), not an expression reference")
                }
                expression = body
            case .value(let value):
                guard allowed != [.expression] else {
                    throw fail("\(ordinal) must be an expression reference (&...), got \(value.typeName)")
                }
                if let problem = Self.typeProblem(value, allowed) {
                    throw fail("\(ordinal) must be \(Self.describe(allowed)), got \(problem)")
                }
                values.append(value)
            }
        }

        switch function {
        case .abs:
            if case .int(let i) = values[0] { return i == .min ? .double(-Double(i)) : .int(Swift.abs(i)) }
            return .double(Swift.abs(values[0].doubleValue!))
        case .avg:
            let numbers = values[0].arrayValue!
            guard !numbers.isEmpty else { return .null }
            return .double(numbers.reduce(0) { $0 + $1.doubleValue! } / Double(numbers.count))
        case .ceil, .floor:
            guard case .double(let d) = values[0] else { return values[0] }
            let rounded = function == .ceil ? d.rounded(.up) : d.rounded(.down)
            return Int64(exactly: rounded).map(JSON.int) ?? .double(rounded)
        case .contains:
            switch values[0] {
            case .array(let array): return .bool(array.contains(values[1]))
            case .string(let text):
                guard case .string(let needle) = values[1] else { return .bool(false) }
                return .bool(Self.contains(Array(text.utf8), Array(needle.utf8)))
            default: return .bool(false)
            }
        case .endsWith:
            return .bool(values[0].stringValue!.utf8.reversed().starts(with: values[1].stringValue!.utf8.reversed()))
        case .startsWith:
            return .bool(values[0].stringValue!.utf8.starts(with: values[1].stringValue!.utf8))
        case .join:
            return .string(values[1].arrayValue!.map { $0.stringValue! }.joined(separator: values[0].stringValue!))
        case .keys:
            return .array(values[0].objectValue!.keys.map(JSON.string))
        case .values:
            return .array(Array(values[0].objectValue!.values))
        case .length:
            switch values[0] {
            case .string(let text): return .int(Int64(text.unicodeScalars.count))
            case .array(let array): return .int(Int64(array.count))
            case .object(let object): return .int(Int64(object.count))
            default: return .null
            }
        case .map:
            var results: [JSON] = []
            for element in values[0].arrayValue! { results.append(try evaluate(expression!, element)) }
            return .array(results)
        case .max, .min:
            let elements = values[0].arrayValue!
            guard var best = elements.first else { return .null }
            let sign = function == .max ? 1 : -1
            for element in elements.dropFirst() where Self.order(element, best)! * sign > 0 { best = element }
            return best
        case .maxBy, .minBy:
            let elements = values[0].arrayValue!
            let keys = try sortKeys(elements, expression!, fail: fail)
            guard !elements.isEmpty else { return .null }
            var best = 0
            let sign = function == .maxBy ? 1 : -1
            for index in keys.indices.dropFirst() where Self.order(keys[index], keys[best])! * sign > 0 { best = index }
            return elements[best]
        case .merge:
            var merged = JSONObject()
            for value in values {
                for (key, member) in value.objectValue! { merged[key] = member }
            }
            return .object(merged)
        case .notNull:
            return values.first { !$0.isNull } ?? .null
        case .reverse:
            if case .string(let text) = values[0] {
                return .string(String(String.UnicodeScalarView(text.unicodeScalars.reversed())))
            }
            return .array(values[0].arrayValue!.reversed())
        case .sort:
            return .array(values[0].arrayValue!.sorted { Self.order($0, $1)! < 0 })
        case .sortBy:
            let elements = values[0].arrayValue!
            let keys = try sortKeys(elements, expression!, fail: fail)
            let order = elements.indices.sorted { Self.order(keys[$0], keys[$1])! < 0 }
            return .array(order.map { elements[$0] })
        case .sum:
            var total: Int64 = 0
            var exact = true
            var approximate = 0.0
            for element in values[0].arrayValue! {
                if exact, case .int(let i) = element {
                    let (next, overflow) = total.addingReportingOverflow(i)
                    if !overflow {
                        total = next
                        continue
                    }
                }
                if exact {
                    exact = false
                    approximate = Double(total)
                }
                approximate += element.doubleValue!
            }
            return exact ? .int(total) : .double(approximate)
        case .toArray:
            if case .array = values[0] { return values[0] }
            return .array([values[0]])
        case .toNumber:
            switch values[0] {
            case .int, .double: return values[0]
            case .string(let text): return Self.number(from: text)
            default: return .null
            }
        case .toString:
            if case .string = values[0] { return values[0] }
            return .string(values[0].serialized())
        case .type:
            return .string(values[0].typeName)
        }
    }

    /// The keys `expression` gives for `elements`; throws unless they are all numbers or all strings.
    private func sortKeys(
        _ elements: [JSON], _ expression: JMESPathNode, fail: (String) -> JMESPathError
    ) throws(JMESPathError) -> [JSON] {
        var keys: [JSON] = []
        keys.reserveCapacity(elements.count)
        for element in elements {
            let key = try evaluate(expression, element)
            switch key {
            case .int, .double, .string: break
            default: throw fail("the expression must give numbers or strings, got \(key.typeName)")
            }
            if let first = keys.first, first.typeName != key.typeName {
                throw fail("the expression must give only numbers or only strings, got \(first.typeName) and \(key.typeName)")
            }
            keys.append(key)
        }
        return keys
    }

    /// What is wrong with `value` for a parameter accepting `allowed`, or `nil` when it fits.
    static func typeProblem(_ value: JSON, _ allowed: [JMESPathType]) -> String? {
        var elementTypes: [JMESPathType] = []
        for type in allowed {
            switch (type, value) {
            case (.any, _), (.number, .int), (.number, .double), (.string, .string), (.boolean, .bool),
                (.array, .array), (.object, .object):
                return nil
            case (.arrayNumber, .array): elementTypes.append(.number)
            case (.arrayString, .array): elementTypes.append(.string)
            default: continue
            }
        }
        guard case .array(let array) = value, !elementTypes.isEmpty else { return value.typeName }
        guard let first = array.first else { return nil }
        guard let elementType = elementTypes.first(where: { typeProblem(first, [$0]) == nil }) else {
            return "an array containing \(first.typeName)"
        }
        for element in array where typeProblem(element, [elementType]) != nil {
            return "an array containing \(elementType.name) and \(element.typeName)"
        }
        return nil
    }

    static func describe(_ allowed: [JMESPathType]) -> String {
        allowed.map { type -> String in
            switch type {
            case .any, .array, .object, .expression, .arrayNumber, .arrayString: return "an \(type.name)"
            case .number, .string, .boolean: return "a \(type.name)"
            }
        }.joined(separator: " or ")
    }

    /// True when `needle` occurs in `haystack`, both UTF-8.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count)
        where haystack[start] == needle[0] && haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }

    /// The number a string spells: an integer (optionally signed) or a decimal with an optional
    /// exponent, surrounded by optional whitespace; `null` for anything else.
    static func number(from text: String) -> JSON {
        let whitespace: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"]
        let scalars = text.unicodeScalars.drop { whitespace.contains($0) }
        let trimmed = String(String.UnicodeScalarView(scalars.reversed().drop { whitespace.contains($0) }.reversed()))
        guard !trimmed.isEmpty,
            trimmed.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || "+-.eE".unicodeScalars.contains($0) }),
            trimmed.unicodeScalars.contains(where: { ("0"..."9").contains($0) })
        else { return .null }
        if let integer = Int64(trimmed) { return .int(integer) }
        if let double = Double(trimmed), double.isFinite { return .double(double) }
        return .null
    }
}
