import WeftEngine
import WeftModel

/// `joiner`: combines the items of two nodes — by matching keys, by position, or one after the other.
///
/// Key modes are a hash join built on the right side. Keys are compared as JSON values (`1` equals
/// `1.0`, objects regardless of key order); an item whose key is missing or `null` matches nothing.
/// Output order: by left item, and for one left item by the right order of its matches; then, for
/// `right` and `outer`, the right items that matched nothing, in order.
///
/// Merging adds the right item's keys to the left item's; on a key both have, the right value wins.
/// A left item with several matches gives one output per match, as in SQL, unless `as` is set: then
/// each left item is output once with the array of its matches under that key (empty for unmatched
/// left items in `left`/`outer` mode). `byIndex` merges the n-th left item with the n-th right item
/// (with `as`: nests `[right]`, or `[]` past the right side's end) and keeps the longer side's extra
/// items as they are. Merging and nesting need object items; anything else fails the step.
public enum JoinerNode: NodeType {
    public enum Mode: String, Decodable, Sendable, CaseIterable {
        case inner, left, right, outer, append, byIndex

        var usesKeys: Bool { self != .append && self != .byIndex }
    }

    public struct Parameters: Decodable, Sendable {
        public var left: InputReference
        public var right: InputReference
        public var mode: Mode
        public var leftKey: String?
        public var rightKey: String?
        public var `as`: String?

        private enum CodingKeys: String, CodingKey { case left, right, mode, leftKey, rightKey, `as` }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            left = try container.decode(InputReference.self, forKey: .left)
            right = try container.decode(InputReference.self, forKey: .right)
            mode = try container.decodeIfPresent(Mode.self, forKey: .mode) ?? .inner
            leftKey = try container.decodeIfPresent(String.self, forKey: .leftKey)
            rightKey = try container.decodeIfPresent(String.self, forKey: .rightKey)
            `as` = try container.decodeIfPresent(String.self, forKey: .as)
        }
    }

    public static let description = NodeDescription(
        type: "joiner",
        displayName: "Data Joiner",
        group: .general,
        summary: "Joins the items of two nodes: by matching keys (inner, left, right or outer join), "
            + "pairwise by position, or one list after the other.",
        parameters: [
            Parameter("left", .inputReference, required: true, help: "The left items: a node and an optional JSONPath applied to each of its items."),
            Parameter("right", .inputReference, required: true, help: "The right items: a node and an optional JSONPath applied to each of its items."),
            Parameter("mode", .choice(Mode.allCases.map(\.rawValue)), default: "inner",
                      help: "inner: left items with a match; left: every left item; right: matches, then right items "
                          + "without a match; outer: every item of both sides; append: left items then right items; "
                          + "byIndex: the n-th left item merged with the n-th right item, up to the longer side."),
            Parameter("leftKey", .string(.jsonPath),
                      help: "The key of a left item, compared with rightKey; required for inner, left, right and outer. "
                          + "Items whose key is missing or null match nothing."),
            Parameter("rightKey", .string(.jsonPath), help: "The key of a right item; required for inner, left, right and outer."),
            Parameter("as", .string,
                      help: "Nest the matching right items as an array under this key of the left item, instead of "
                          + "merging each match into a copy of the left item (where right's values win)."),
        ],
        example: [
            "left": ["node": "instances"],
            "right": ["node": "volumes"],
            "mode": "left",
            "leftKey": "$.InstanceId",
            "rightKey": "$.Attachments[0].InstanceId",
            "as": "Volumes",
        ],
        check: { node, _ in
            let mode = node.params["mode"]?.stringValue ?? Mode.inner.rawValue
            guard Mode(rawValue: mode)?.usesKeys == true else { return [] }
            return ["leftKey", "rightKey"].compactMap { key in
                node.params[key] == nil ? ModelIssue(pointer: "/\(key)", message: "\(key) is required for mode \(mode)") : nil
            }
        }
    )

    public static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        let left = try context.items(parameters.left)
        let right = try context.items(parameters.right)
        let output: Items
        switch parameters.mode {
        case .append:
            output = try Items.concatenate([left, right])
        case .byIndex:
            output = try joinByIndex(left, right, nestAs: parameters.as, context: context)
        case .inner, .left, .right, .outer:
            guard let leftKey = parameters.leftKey, !leftKey.isEmpty else {
                throw NodeError("leftKey is required for mode \(parameters.mode.rawValue)", code: "invalidParameter")
            }
            guard let rightKey = parameters.rightKey, !rightKey.isEmpty else {
                throw NodeError("rightKey is required for mode \(parameters.mode.rawValue)", code: "invalidParameter")
            }
            output = try joinByKey(left, right, mode: parameters.mode,
                                   leftKey: try ParameterPath(leftKey, parameter: "leftKey"),
                                   rightKey: try ParameterPath(rightKey, parameter: "rightKey"),
                                   nestAs: parameters.as, context: context)
        }
        return NodeResult(main: output)
    }

    private static func joinByKey(_ left: Items, _ right: Items, mode: Mode, leftKey: ParameterPath, rightKey: ParameterPath,
                                  nestAs: String?, context: NodeContext) throws -> Items {
        let rightItems = try right.collect()
        var index: [JSON: [Int]] = [:]
        for (position, item) in rightItems.enumerated() {
            if position % 1024 == 0 { try context.checkCancellation() }
            guard let key = rightKey.select(item), !key.isNull else { continue }
            index[key, default: []].append(position)
        }
        var rightMatched = [Bool](repeating: false, count: rightItems.count)
        var output = ItemsBuilder()
        try left.enumerated { position, item in
            if position % 1024 == 0 { try context.checkCancellation() }
            let matches = leftKey.select(item).flatMap { $0.isNull ? nil : index[$0] } ?? []
            for match in matches { rightMatched[match] = true }
            if let nestAs {
                guard !matches.isEmpty || mode == .left || mode == .outer else { return }
                output.append(try nest(matches.map { rightItems[$0] }, into: item, as: nestAs, leftIndex: position))
            } else if matches.isEmpty {
                if mode == .left || mode == .outer { output.append(item) }
            } else {
                for match in matches {
                    output.append(try merge(item, rightItems[match], leftIndex: position, rightIndex: match))
                }
            }
        }
        if mode == .right || mode == .outer {
            for (position, item) in rightItems.enumerated() where !rightMatched[position] { output.append(item) }
        }
        return output.finish()
    }

    private static func joinByIndex(_ left: Items, _ right: Items, nestAs: String?, context: NodeContext) throws -> Items {
        let leftItems = try left.collect()
        let rightItems = try right.collect()
        var output = ItemsBuilder()
        for position in 0..<max(leftItems.count, rightItems.count) {
            if position % 1024 == 0 { try context.checkCancellation() }
            let l: JSON? = position < leftItems.count ? leftItems[position] : Optional.none
            let r: JSON? = position < rightItems.count ? rightItems[position] : Optional.none
            switch (l, r) {
            case (let l?, let r?):
                if let nestAs {
                    output.append(try nest([r], into: l, as: nestAs, leftIndex: position))
                } else {
                    output.append(try merge(l, r, leftIndex: position, rightIndex: position))
                }
            case (let l?, nil):
                output.append(try nestAs.map { try nest([], into: l, as: $0, leftIndex: position) } ?? l)
            case (nil, let r?):
                output.append(r)
            case (nil, nil):
                break
            }
        }
        return output.finish()
    }

    /// `left` with the keys of `right` added; right's values win.
    static func merge(_ left: JSON, _ right: JSON, leftIndex: Int, rightIndex: Int) throws -> JSON {
        guard case .object(var merged) = left else {
            throw NodeError("left item \(leftIndex) is \(left.typeName), not an object, so it cannot be merged; set `as` to nest instead",
                            itemIndex: leftIndex, code: "invalidData")
        }
        guard case .object(let extra) = right else {
            throw NodeError("right item \(rightIndex) is \(right.typeName), not an object, so it cannot be merged; set `as` to nest instead",
                            itemIndex: leftIndex, code: "invalidData")
        }
        for (key, value) in extra { merged[key] = value }
        return .object(merged)
    }

    private static func nest(_ matches: [JSON], into left: JSON, as key: String, leftIndex: Int) throws -> JSON {
        guard case .object(var object) = left else {
            throw NodeError("left item \(leftIndex) is \(left.typeName), not an object, so matches cannot be nested under \"\(key)\"",
                            itemIndex: leftIndex, code: "invalidData")
        }
        object[key] = .array(matches)
        return .object(object)
    }
}
