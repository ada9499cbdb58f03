import Foundation
import WeftModel

/// How to turn XML into JSON for one shape and every shape it reaches, compiled once per model and
/// shape from the model (member names as UTF-8, XML names resolved, header members left out), so
/// that decoding a response compares bytes and builds only the output.
///
/// Decoding follows botocore's `BaseXMLResponseParser`: a structure's members are found among the
/// children by XML name (a repeated name gives a list of nodes); a list is its element's children,
/// or the nodes themselves when flattened or repeated; a map's entries hold key and value
/// elements; an `xmlAttribute` member comes from an attribute when no child has its name.
final class XMLOutputPlan: Sendable {
    struct Slot: Sendable {
        var node: Int
        var flattened: Bool
        var jsonvalue: Bool
    }

    struct Member: Sendable {
        var name: String
        var xmlName: [UInt8]
        var slot: Slot
        /// The attribute to read when no child has the member's name (`xmlAttribute` members).
        var attribute: String?
    }

    enum Kind: Sendable {
        case structure([Member])
        case list(Slot?)
        case map(key: Slot, value: Slot, keyName: [UInt8], valueName: [UInt8])
        case emptyMap
        case scalar(AWSShapeType)
    }

    let nodes: [Kind]

    /// The plan rooted at the shape named `shape` (node 0).
    ///
    /// Throws `BotocoreDataError` when a reachable shape is missing or malformed.
    init(model: ServiceModel, shape: String) throws {
        var nodes: [Kind] = []
        var indexes: [String: Int] = [:]
        func compile(_ name: String) throws -> Int {
            if let index = indexes[name] { return index }
            guard let shape = try model.store.shape(name) else {
                throw BotocoreDataError("shape '\(name)' is not in the model", service: model.name)
            }
            let index = nodes.count
            indexes[name] = index
            nodes.append(.scalar(.string))
            func slot(_ ref: AWSShapeRef) throws -> Slot {
                Slot(node: try compile(ref.shape), flattened: ref.flattened, jsonvalue: ref.jsonvalue)
            }
            switch shape.type {
            case .structure:
                var members: [Member] = []
                for (memberName, ref) in shape.members {
                    if let location = ref.location, ["header", "headers", "statusCode"].contains(location) { continue }
                    var xmlName = ref.locationName ?? memberName
                    let memberShape = try model.shape(ref)
                    if memberShape.type == .list, ref.flattened, let listName = memberShape.member?.locationName {
                        xmlName = listName
                    }
                    members.append(Member(name: memberName, xmlName: Array(xmlName.utf8), slot: try slot(ref),
                                          attribute: ref.xmlAttribute ? (ref.locationName ?? memberName) : nil))
                }
                nodes[index] = .structure(members)
            case .list:
                nodes[index] = .list(try shape.member.map(slot))
            case .map:
                if let key = shape.key, let value = shape.value {
                    nodes[index] = .map(key: try slot(key), value: try slot(value),
                                        keyName: Array((key.locationName ?? "key").utf8),
                                        valueName: Array((value.locationName ?? "value").utf8))
                } else {
                    nodes[index] = .emptyMap
                }
            default:
                nodes[index] = .scalar(shape.type)
            }
            return index
        }
        _ = try compile(shape)
        self.nodes = nodes
    }

    /// The elements a member matched: one, or several when its name repeats.
    struct Matches {
        var first: Int
        var more: [Int]?
        var count: Int { 1 + (more?.count ?? 0) }
    }

    /// The JSON for `matches` read as `slot`; `rest` decodes `jsonvalue` strings (rest-xml).
    func decode(_ tree: XMLTree, _ matches: Matches, _ slot: Slot, rest: Bool) -> JSON {
        let element = matches.first
        switch nodes[slot.node] {
        case .structure(let members):
            return structure(tree, element, members, rest: rest)
        case .list(let itemSlot):
            guard let itemSlot else { return .array([]) }
            var items: [JSON] = []
            if slot.flattened || matches.count > 1 {
                items.reserveCapacity(matches.count)
                items.append(decode(tree, Matches(first: element), itemSlot, rest: rest))
                for more in matches.more ?? [] { items.append(decode(tree, Matches(first: more), itemSlot, rest: rest)) }
            } else {
                items.reserveCapacity(tree.children(element).reduce(0) { count, _ in count + 1 })
                for child in tree.children(element) { items.append(decode(tree, Matches(first: child), itemSlot, rest: rest)) }
            }
            return .array(items)
        case .map(let keySlot, let valueSlot, let keyName, let valueName):
            var entries: [Int] = []
            if slot.flattened || matches.count > 1 {
                entries = [element] + (matches.more ?? [])
            } else {
                entries = Array(tree.children(element))
            }
            var result: JSONObject = [:]
            for entry in entries {
                var key: String?
                var value: JSON = .null
                for pair in tree.children(entry) {
                    if tree.hasName(pair, keyName) {
                        key = decode(tree, Matches(first: pair), keySlot, rest: rest).stringValue ?? tree.text(pair)
                    } else if tree.hasName(pair, valueName) {
                        value = decode(tree, Matches(first: pair), valueSlot, rest: rest)
                    }
                }
                if let key { result[key] = value }
            }
            return .object(result)
        case .emptyMap:
            return .object([:])
        case .scalar(let type):
            return Self.scalar(tree.text(element), type, jsonvalue: rest && slot.jsonvalue)
        }
    }

    private func structure(_ tree: XMLTree, _ element: Int, _ members: [Member], rest: Bool) -> JSON {
        var result: JSONObject = [:]
        if members.isEmpty { return .object(result) }
        var present = 0
        withUnsafeTemporaryAllocation(of: Int.self, capacity: members.count) { firsts in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: members.count) { counts in
                firsts.initialize(repeating: -1)
                counts.initialize(repeating: 0)
                for child in tree.children(element) {
                    for index in members.indices where tree.hasName(child, members[index].xmlName) {
                        if firsts[index] < 0 {
                            firsts[index] = child
                            present += 1
                        }
                        counts[index] += 1
                    }
                }
                result.reserveCapacity(present)
                for index in members.indices {
                    let member = members[index]
                    if counts[index] > 0 {
                        var matches = Matches(first: firsts[index])
                        if counts[index] > 1 {
                            matches.more = tree.children(element).filter { $0 != firsts[index] && tree.hasName($0, member.xmlName) }
                        }
                        result[member.name] = decode(tree, matches, member.slot, rest: rest)
                    } else if let attribute = member.attribute, let value = tree.attribute(element, attribute) {
                        result[member.name] = .string(value)
                    }
                }
            }
        }
        return .object(result)
    }

    /// A scalar from text, as botocore converts XML content and header values.
    static func scalar(_ text: String, _ type: AWSShapeType, jsonvalue: Bool) -> JSON {
        switch type {
        case .boolean:
            return .bool(text.lowercased() == "true")
        case .integer, .long, .byte, .short, .biginteger:
            if let value = Int64(text) { return .int(value) }
            if let value = Int64(text.trimmingCharacters(in: .whitespaces)) { return .int(value) }
            return Double(text).map(JSON.double) ?? .string(text)
        case .float, .double, .bigdecimal:
            return Double(text.trimmingCharacters(in: .whitespaces)).map(JSON.double) ?? .string(text)
        case .timestamp:
            return WireTimestamp(text: text).map { .string($0.iso8601Output) } ?? .string(text)
        case .blob:
            return .string(AWSResponseParser.rebase64(text))
        default:
            if jsonvalue, let data = Data(base64Encoded: text), let value = try? JSON.parse([UInt8](data)) {
                return value
            }
            return .string(text)
        }
    }
}
