/// A node of a parsed JMESPath expression, with the depth of the tree below it and the offset of
/// the token it came from (used in runtime error messages).
struct JMESPathNode: Sendable {
    indirect enum Kind: Sendable {
        /// `@`, and the implicit right side of a projection.
        case current
        case field(String)
        case index(Int)
        case slice(start: Int?, stop: Int?, step: Int)
        case literal(JSON)
        /// Sub-expressions, index expressions and pipes: each step is applied to the previous result.
        case chain([JMESPathNode])
        /// `left[*]`, `left[]`, `left[1:2]`: `right` is applied to each element of the array `left`.
        case projection(JMESPathNode, JMESPathNode)
        /// `left.*`: `right` is applied to each member value of the object `left`.
        case valueProjection(JMESPathNode, JMESPathNode)
        /// `left[?condition]`.
        case filterProjection(JMESPathNode, JMESPathNode, condition: JMESPathNode)
        case flatten(JMESPathNode)
        case or(JMESPathNode, JMESPathNode)
        case and(JMESPathNode, JMESPathNode)
        case not(JMESPathNode)
        case comparison(JMESPathComparator, JMESPathNode, JMESPathNode)
        case multiSelectList([JMESPathNode])
        case multiSelectHash([(key: String, value: JMESPathNode)])
        case function(JMESPathFunction, [JMESPathNode])
        case expressionReference(JMESPathNode)
    }

    var kind: Kind
    var depth: Int
    var position: Int

    init(_ kind: Kind, position: Int, children: [JMESPathNode] = []) {
        self.kind = kind
        self.position = position
        depth = 1 + (children.lazy.map(\.depth).max() ?? 0)
    }

    init(_ kind: Kind, depth: Int, position: Int) {
        self.kind = kind
        self.depth = depth
        self.position = position
    }

    static func current(at position: Int) -> JMESPathNode { JMESPathNode(.current, position: position) }

    var isCurrent: Bool { if case .current = kind { return true } else { return false } }
}

enum JMESPathComparator: Sendable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
}
