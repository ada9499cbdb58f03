extension JMESPath {
    /// Applies a parsed expression to a document, following the specification's evaluation rules
    /// (and the reference implementation where the specification is silent, such as ordering
    /// comparisons between strings).
    struct Evaluator {
        func evaluate(_ node: JMESPathNode, _ value: JSON) throws(JMESPathError) -> JSON {
            switch node.kind {
            case .current:
                return value
            case .field(let name):
                if case .object(let object) = value { return object[name] ?? .null }
                return .null
            case .index(let index):
                guard case .array(let array) = value else { return .null }
                let position = index < 0 ? array.count + index : index
                return array.indices.contains(position) ? array[position] : .null
            case .slice(let start, let stop, let step):
                guard case .array(let array) = value else { return .null }
                return .array(Self.slice(array, start: start, stop: stop, step: step))
            case .literal(let literal):
                return literal
            case .chain(let steps):
                var result = value
                for step in steps { result = try evaluate(step, result) }
                return result
            case .projection(let left, let right):
                guard case .array(let array) = try evaluate(left, value) else { return .null }
                return .array(try project(array, right))
            case .valueProjection(let left, let right):
                guard case .object(let object) = try evaluate(left, value) else { return .null }
                return .array(try project(object.values, right))
            case .filterProjection(let left, let right, let condition):
                guard case .array(let array) = try evaluate(left, value) else { return .null }
                var collected: [JSON] = []
                for element in array where Self.isTruthy(try evaluate(condition, element)) {
                    let result = try evaluate(right, element)
                    if !result.isNull { collected.append(result) }
                }
                return .array(collected)
            case .flatten(let operand):
                guard case .array(let array) = try evaluate(operand, value) else { return .null }
                var flattened: [JSON] = []
                flattened.reserveCapacity(array.count)
                for element in array {
                    if case .array(let inner) = element { flattened += inner } else { flattened.append(element) }
                }
                return .array(flattened)
            case .or(let left, let right):
                let result = try evaluate(left, value)
                return Self.isTruthy(result) ? result : try evaluate(right, value)
            case .and(let left, let right):
                let result = try evaluate(left, value)
                return Self.isTruthy(result) ? try evaluate(right, value) : result
            case .not(let operand):
                return .bool(!Self.isTruthy(try evaluate(operand, value)))
            case .comparison(let comparator, let left, let right):
                return Self.compare(comparator, try evaluate(left, value), try evaluate(right, value))
            case .multiSelectList(let elements):
                if value.isNull { return .null }
                var results: [JSON] = []
                results.reserveCapacity(elements.count)
                for element in elements { results.append(try evaluate(element, value)) }
                return .array(results)
            case .multiSelectHash(let pairs):
                if value.isNull { return .null }
                var object = JSONObject(minimumCapacity: pairs.count)
                for pair in pairs { object[pair.key] = try evaluate(pair.value, value) }
                return .object(object)
            case .function(let function, let arguments):
                var resolved: [JMESPathArgument] = []
                resolved.reserveCapacity(arguments.count)
                for argument in arguments {
                    if case .expressionReference(let body) = argument.kind {
                        resolved.append(.expression(body))
                    } else {
                        resolved.append(.value(try evaluate(argument, value)))
                    }
                }
                return try call(function, resolved, at: node.position)
            case .expressionReference:
                throw JMESPathError(
                    .invalidType, "an expression reference '&' can only be a function argument",
                    position: node.position)
            }
        }

        private func project<S: Sequence<JSON>>(_ elements: S, _ right: JMESPathNode) throws(JMESPathError) -> [JSON] {
            var collected: [JSON] = []
            collected.reserveCapacity(elements.underestimatedCount)
            if right.isCurrent {
                for element in elements where !element.isNull { collected.append(element) }
                return collected
            }
            for element in elements {
                let result = try evaluate(right, element)
                if !result.isNull { collected.append(result) }
            }
            return collected
        }

        /// False for `null`, `false`, `""`, `[]` and `{}`; true for everything else, including `0`.
        static func isTruthy(_ value: JSON) -> Bool {
            switch value {
            case .null: return false
            case .bool(let flag): return flag
            case .string(let text): return !text.isEmpty
            case .array(let array): return !array.isEmpty
            case .object(let object): return !object.isEmpty
            case .int, .double: return true
            }
        }

        /// `==`/`!=` compare any values (numbers by value); the ordering operators compare two
        /// numbers or two strings (by code point) and give `null` for anything else.
        static func compare(_ comparator: JMESPathComparator, _ left: JSON, _ right: JSON) -> JSON {
            switch comparator {
            case .equal: return .bool(left == right)
            case .notEqual: return .bool(left != right)
            default: break
            }
            guard let order = order(left, right) else { return .null }
            switch comparator {
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        }

        /// -1, 0 or 1 for two numbers or two strings; `nil` for any other pair.
        static func order(_ left: JSON, _ right: JSON) -> Int? {
            switch (left, right) {
            case (.int(let a), .int(let b)):
                return a < b ? -1 : (a == b ? 0 : 1)
            case (.string(let a), .string(let b)):
                return codePointOrder(a, b)
            default:
                guard let a = left.doubleValue, let b = right.doubleValue else { return nil }
                return a < b ? -1 : (a == b ? 0 : 1)
            }
        }

        /// Orders strings by Unicode code point, as the reference implementation does (UTF-8 byte
        /// order is code point order).
        static func codePointOrder(_ a: String, _ b: String) -> Int {
            var left = a.utf8.makeIterator()
            var right = b.utf8.makeIterator()
            while true {
                switch (left.next(), right.next()) {
                case (nil, nil): return 0
                case (nil, _): return -1
                case (_, nil): return 1
                case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
                }
            }
        }

        /// Python slice semantics: out-of-range bounds are clamped, negative bounds count from the end.
        static func slice(_ array: [JSON], start: Int?, stop: Int?, step: Int) -> [JSON] {
            let count = array.count
            let lower = step < 0 ? -1 : 0
            let upper = step < 0 ? count - 1 : count
            func bound(_ value: Int?, default fallback: Int) -> Int {
                guard let value else { return fallback }
                if value < 0 { return max(value + count, lower) }
                return min(value, upper)
            }
            var position = bound(start, default: step < 0 ? upper : lower)
            let end = bound(stop, default: step < 0 ? lower : upper)
            var result: [JSON] = []
            while step > 0 ? position < end : position > end {
                result.append(array[position])
                let (next, overflow) = position.addingReportingOverflow(step)
                if overflow { break }
                position = next
            }
            return result
        }
    }
}

/// An evaluated function argument: a value, or the expression behind `&`.
enum JMESPathArgument {
    case value(JSON)
    case expression(JMESPathNode)
}
