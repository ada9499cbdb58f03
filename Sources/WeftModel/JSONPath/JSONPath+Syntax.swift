extension JSONPath {
    /// A parsed query: `$` or `@` followed by segments.
    struct Query: Sendable {
        let isRelative: Bool
        let segments: [Segment]
        /// The name/index steps when the query is singular, `nil` otherwise.
        let singularSteps: [SingularStep]?

        init(isRelative: Bool, segments: [Segment]) {
            self.isRelative = isRelative
            self.segments = segments
            singularSteps = Self.singularSteps(of: segments)
        }

        private static func singularSteps(of segments: [Segment]) -> [SingularStep]? {
            var steps: [SingularStep] = []
            steps.reserveCapacity(segments.count)
            for segment in segments {
                guard !segment.isDescendant, segment.selectors.count == 1 else { return nil }
                switch segment.selectors[0] {
                case .name(let name): steps.append(.name(name))
                case .index(let index): steps.append(.index(index))
                default: return nil
                }
            }
            return steps
        }
    }

    /// A child segment (`[...]`, `.name`, `.*`) or a descendant segment (`..`).
    struct Segment: Sendable {
        var isDescendant: Bool
        var selectors: [Selector]
    }

    enum Selector: Sendable {
        case name(String)
        case wildcard
        case index(Int)
        case slice(start: Int?, end: Int?, step: Int)
        case filter(LogicalExpression)
    }

    /// One step of a singular query.
    enum SingularStep: Sendable {
        case name(String)
        case index(Int)
    }

    /// A singular query used where a value is expected: `@.a[0]` or `$.b`.
    struct SingularQuery: Sendable {
        var isRelative: Bool
        var steps: [SingularStep]
    }

    /// An expression of the RFC's LogicalType.
    indirect enum LogicalExpression: Sendable {
        case or([LogicalExpression])
        case and([LogicalExpression])
        case not(LogicalExpression)
        case comparison(ValueExpression, ComparisonOperator, ValueExpression)
        /// A filter query used as a test: true when it selects at least one node.
        case exists(Query)
        /// A function whose declared result type is LogicalType.
        case function(FunctionCall)
    }

    /// An expression of the RFC's ValueType; evaluates to a JSON value or to Nothing (`nil`).
    indirect enum ValueExpression: Sendable {
        case literal(JSON)
        case singular(SingularQuery)
        case function(FunctionCall)
    }

    enum ComparisonOperator: String, Sendable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    /// A call of one of the RFC 9535 function extensions, with arguments already type-checked.
    indirect enum FunctionCall: Sendable {
        case length(ValueExpression)
        case count(Query)
        case match(ValueExpression, RegexArgument)
        case search(ValueExpression, RegexArgument)
        case value(Query)

        /// The declared result type: LogicalType for `match`/`search`, ValueType for the others.
        var returnsLogical: Bool {
            switch self {
            case .match, .search: return true
            case .length, .count, .value: return false
            }
        }
    }

    /// The pattern argument of `match` or `search`: compiled when parsing if it is a string literal.
    enum RegexArgument: Sendable {
        case compiled(IRegexp?)
        case dynamic(ValueExpression)
    }
}
