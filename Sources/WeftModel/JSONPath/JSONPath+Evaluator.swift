import Foundation

extension JSONPath {
    /// Walks a document for a parsed query (RFC 9535 §2.3–§2.5).
    struct Evaluator {
        /// The query argument: what `$` refers to, also inside filters.
        let root: JSON

        /// The nodelist produced by applying `segments` to the single node `value` at `path`.
        func select<Path: NodePath>(_ segments: [Segment], from value: JSON, path: Path) -> [(value: JSON, path: Path)] {
            var nodes = [(value: value, path: path)]
            for segment in segments {
                var next: [(value: JSON, path: Path)] = []
                for node in nodes {
                    if segment.isDescendant {
                        descend(segment.selectors, into: node.value, path: node.path, output: &next)
                    } else {
                        apply(segment.selectors, to: node.value, path: node.path, output: &next)
                    }
                }
                nodes = next
                if nodes.isEmpty { break }
            }
            return nodes
        }

        /// Applies `selectors` to `value` and then to each of its descendants, in document order
        /// with parents before children.
        private func descend<Path: NodePath>(
            _ selectors: [Selector], into value: JSON, path: Path, output: inout [(value: JSON, path: Path)]
        ) {
            apply(selectors, to: value, path: path, output: &output)
            switch value {
            case .array(let elements):
                for (index, element) in elements.enumerated() {
                    descend(selectors, into: element, path: path.appending(index), output: &output)
                }
            case .object(let members):
                for (name, member) in members {
                    descend(selectors, into: member, path: path.appending(name), output: &output)
                }
            default:
                break
            }
        }

        private func apply<Path: NodePath>(
            _ selectors: [Selector], to value: JSON, path: Path, output: inout [(value: JSON, path: Path)]
        ) {
            for selector in selectors {
                switch selector {
                case .name(let name):
                    if case .object(let members) = value, let member = Self.member(members, name) {
                        output.append((member, path.appending(name)))
                    }
                case .wildcard:
                    switch value {
                    case .array(let elements):
                        for (index, element) in elements.enumerated() {
                            output.append((element, path.appending(index)))
                        }
                    case .object(let members):
                        for (name, member) in members {
                            output.append((member, path.appending(name)))
                        }
                    default:
                        break
                    }
                case .index(let index):
                    if case .array(let elements) = value {
                        let resolved = index < 0 ? elements.count + index : index
                        if resolved >= 0, resolved < elements.count {
                            output.append((elements[resolved], path.appending(resolved)))
                        }
                    }
                case .slice(let start, let end, let step):
                    if case .array(let elements) = value {
                        for index in Self.sliceIndices(count: elements.count, start: start, end: end, step: step) {
                            output.append((elements[index], path.appending(index)))
                        }
                    }
                case .filter(let expression):
                    switch value {
                    case .array(let elements):
                        for (index, element) in elements.enumerated() where test(expression, current: element) {
                            output.append((element, path.appending(index)))
                        }
                    case .object(let members):
                        for (name, member) in members where test(expression, current: member) {
                            output.append((member, path.appending(name)))
                        }
                    default:
                        break
                    }
                }
            }
        }

        /// The indices a slice selects from an array of `count` elements (RFC 9535 §2.3.4.2.2).
        static func sliceIndices(count: Int, start: Int?, end: Int?, step: Int) -> StrideTo<Int> {
            func normalize(_ i: Int) -> Int { i >= 0 ? i : count + i }
            if step > 0 {
                let lower = min(max(normalize(start ?? 0), 0), count)
                let upper = min(max(normalize(end ?? count), 0), count)
                return stride(from: lower, to: max(lower, upper), by: step)
            }
            if step < 0 {
                let upper = min(max(normalize(start ?? count - 1), -1), count - 1)
                let lower = min(max(normalize(end ?? -count - 1), -1), count - 1)
                return stride(from: upper, to: min(upper, lower), by: step)
            }
            return stride(from: 0, to: 0, by: 1)
        }

        // MARK: Filters

        func test(_ expression: LogicalExpression, current: JSON) -> Bool {
            switch expression {
            case .or(let terms):
                return terms.contains { test($0, current: current) }
            case .and(let terms):
                return terms.allSatisfy { test($0, current: current) }
            case .not(let inner):
                return !test(inner, current: current)
            case .comparison(let left, let comparison, let right):
                return Self.compare(evaluate(left, current: current), comparison, evaluate(right, current: current))
            case .exists(let query):
                let start = query.isRelative ? current : root
                if let steps = query.singularSteps {
                    return Self.walk(steps, from: start) != nil
                }
                return !select(query.segments, from: start, path: UntrackedPath()).isEmpty
            case .function(let call):
                return testFunction(call, current: current)
            }
        }

        /// The value of a ValueType expression; `nil` is the RFC's Nothing.
        func evaluate(_ expression: ValueExpression, current: JSON) -> JSON? {
            switch expression {
            case .literal(let value):
                return value
            case .singular(let query):
                return Self.walk(query.steps, from: query.isRelative ? current : root)
            case .function(let call):
                return evaluateFunction(call, current: current)
            }
        }

        private func nodes(_ query: Query, current: JSON) -> [(value: JSON, path: UntrackedPath)] {
            select(query.segments, from: query.isRelative ? current : root, path: UntrackedPath())
        }

        private func evaluateFunction(_ call: FunctionCall, current: JSON) -> JSON? {
            switch call {
            case .length(let argument):
                switch evaluate(argument, current: current) {
                case .string(let text): return .int(Int64(text.unicodeScalars.count))
                case .array(let elements): return .int(Int64(elements.count))
                case .object(let members): return .int(Int64(members.count))
                default: return nil
                }
            case .count(let query):
                return .int(Int64(nodes(query, current: current).count))
            case .value(let query):
                let selected = nodes(query, current: current)
                guard selected.count == 1 else { return nil }
                return selected[0].value
            case .match, .search:
                return nil
            }
        }

        private func testFunction(_ call: FunctionCall, current: JSON) -> Bool {
            switch call {
            case .match(let subject, let pattern):
                return testRegex(subject, pattern, wholeString: true, current: current)
            case .search(let subject, let pattern):
                return testRegex(subject, pattern, wholeString: false, current: current)
            case .length, .count, .value:
                return false
            }
        }

        private func testRegex(
            _ subject: ValueExpression, _ pattern: RegexArgument, wholeString: Bool, current: JSON
        ) -> Bool {
            guard case .string(let text) = evaluate(subject, current: current) else { return false }
            let regex: IRegexp?
            switch pattern {
            case .compiled(let compiled):
                regex = compiled
            case .dynamic(let expression):
                guard case .string(let source) = evaluate(expression, current: current) else { return false }
                regex = IRegexp.cached(source, wholeString: wholeString)
            }
            return regex?.matches(text) ?? false
        }

        // MARK: Values

        /// The node a singular query's steps reach from `value`, `nil` when there is none.
        static func walk(_ steps: [SingularStep], from value: JSON) -> JSON? {
            var node = value
            for step in steps {
                switch step {
                case .name(let name):
                    guard case .object(let members) = node, let member = member(members, name) else { return nil }
                    node = member
                case .index(let index):
                    guard case .array(let elements) = node else { return nil }
                    let resolved = index < 0 ? elements.count + index : index
                    guard resolved >= 0, resolved < elements.count else { return nil }
                    node = elements[resolved]
                }
            }
            return node
        }

        /// The member named exactly `name` (same code points; Swift's `String ==` would also
        /// accept canonically equivalent names).
        static func member(_ members: JSONObject, _ name: String) -> JSON? {
            guard let index = members.index(forKey: name), sameScalars(members.keys[index], name) else {
                return nil
            }
            return members.values[index]
        }

        /// True when the two strings have the same code points (not merely canonically equivalent).
        @inline(__always)
        static func sameScalars(_ a: String, _ b: String) -> Bool {
            guard a.utf8.count == b.utf8.count else { return false }
            let contiguous = a.utf8.withContiguousStorageIfAvailable { x in
                b.utf8.withContiguousStorageIfAvailable { y in
                    x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0
                }
            }
            return (contiguous ?? nil) ?? a.utf8.elementsEqual(b.utf8)
        }

        static func compare(_ left: JSON?, _ comparison: ComparisonOperator, _ right: JSON?) -> Bool {
            switch comparison {
            case .equal: return equal(left, right)
            case .notEqual: return !equal(left, right)
            case .less: return less(left, right)
            case .lessOrEqual: return less(left, right) || equal(left, right)
            case .greater: return less(right, left)
            case .greaterOrEqual: return less(right, left) || equal(left, right)
            }
        }

        /// RFC equality: Nothing equals only Nothing; strings compare by code points; numbers by value.
        static func equal(_ left: JSON?, _ right: JSON?) -> Bool {
            switch (left, right) {
            case (nil, nil): return true
            case (let left?, let right?): return equal(left, right)
            default: return false
            }
        }

        private static func equal(_ left: JSON, _ right: JSON) -> Bool {
            switch (left, right) {
            case (.string(let a), .string(let b)):
                return sameScalars(a, b)
            case (.array(let a), .array(let b)):
                return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
            case (.object(let a), .object(let b)):
                guard a.count == b.count else { return false }
                for (name, value) in a {
                    guard let other = member(b, name), equal(value, other) else { return false }
                }
                return true
            default:
                return left == right
            }
        }

        /// RFC ordering: defined only between two numbers or two strings; false otherwise.
        static func less(_ left: JSON?, _ right: JSON?) -> Bool {
            switch (left, right) {
            case (.int(let a), .int(let b)): return a < b
            case (.double(let a), .double(let b)): return a < b
            case (.int(let a), .double(let b)): return compare(a, b) == .less
            case (.double(let a), .int(let b)): return compare(b, a) == .greater
            case (.string(let a), .string(let b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
            default: return false
            }
        }

        private enum Order { case less, equal, greater, unordered }

        /// Exact order of an integer and a double, without rounding the integer.
        private static func compare(_ integer: Int64, _ double: Double) -> Order {
            if double.isNaN { return .unordered }
            if double >= 9_223_372_036_854_775_808.0 { return .less }
            if double < -9_223_372_036_854_775_808.0 { return .greater }
            let floor = double.rounded(.down)
            let whole = Int64(floor)
            if integer < whole { return .less }
            if integer > whole { return .greater }
            return double > floor ? .less : .equal
        }
    }

    /// How the evaluator records where a node is: not at all for `query`, fully for `locate`.
    protocol NodePath {
        func appending(_ name: String) -> Self
        func appending(_ index: Int) -> Self
    }

    struct UntrackedPath: NodePath {
        @inline(__always) func appending(_ name: String) -> UntrackedPath { self }
        @inline(__always) func appending(_ index: Int) -> UntrackedPath { self }
    }

    /// A node's location as a persistent list from the node back to the root.
    indirect enum TrackedPath: NodePath {
        case root
        case name(TrackedPath, String)
        case index(TrackedPath, Int)

        func appending(_ name: String) -> TrackedPath { .name(self, name) }
        func appending(_ index: Int) -> TrackedPath { .index(self, index) }

        /// The Normalized Path (RFC 9535 §2.7), e.g. `$['a'][0]`.
        var normalized: String {
            var elements: [TrackedPath] = []
            var cursor = self
            while true {
                switch cursor {
                case .root:
                    var text = "$"
                    for element in elements.reversed() {
                        switch element {
                        case .name(_, let name): Self.appendName(name, to: &text)
                        case .index(_, let index): text += "[\(index)]"
                        case .root: break
                        }
                    }
                    return text
                case .name(let parent, _), .index(let parent, _):
                    elements.append(cursor)
                    cursor = parent
                }
            }
        }

        private static func appendName(_ name: String, to text: inout String) {
            text += "['"
            for scalar in name.unicodeScalars {
                switch scalar {
                case "\u{08}": text += "\\b"
                case "\u{0C}": text += "\\f"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case "'": text += "\\'"
                case "\\": text += "\\\\"
                case "\u{00}"..."\u{1F}":
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u00" + (hex.count == 1 ? "0" + hex : hex)
                default: text.unicodeScalars.append(scalar)
                }
            }
            text += "']"
        }
    }
}
