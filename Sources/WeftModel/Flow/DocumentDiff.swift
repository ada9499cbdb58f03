/// The differences between two JSON documents — typically two versions of a flow — as a list of
/// changes a person can read: what was added, removed or replaced, and where.
///
/// Paths are JSON pointers, except that in arrays whose elements are all objects with a unique
/// string `id` (a flow's nodes), or else a unique string `name` (its variables), the elements are
/// matched and named by it (`/nodes/filter-1/params/...`), so that inserting a node does not show
/// every later node as changed. Other arrays are compared element by element.
public enum DocumentDiff {
    public struct Change: Sendable, Equatable {
        public enum Kind: String, Sendable { case added, removed, replaced }
        public var kind: Kind
        public var path: String
        public var before: JSON?
        public var after: JSON?

        public var json: JSON {
            var object: JSONObject = ["change": .string(kind.rawValue), "path": .string(path)]
            if let before { object["before"] = before }
            if let after { object["after"] = after }
            return .object(object)
        }
    }

    /// The changes that turn `before` into `after`, in document order.
    public static func changes(from before: JSON, to after: JSON) -> [Change] {
        var changes: [Change] = []
        compare(before, after, path: "", into: &changes)
        return changes
    }

    private static func compare(_ before: JSON, _ after: JSON, path: String, into changes: inout [Change]) {
        switch (before, after) {
        case (.object(let old), .object(let new)):
            for (key, value) in old where new[key] == nil {
                changes.append(Change(kind: .removed, path: path + "/" + escape(key), before: value))
            }
            for (key, value) in new {
                if let previous = old[key] {
                    compare(previous, value, path: path + "/" + escape(key), into: &changes)
                } else {
                    changes.append(Change(kind: .added, path: path + "/" + escape(key), after: value))
                }
            }
        case (.array(let old), .array(let new)):
            if let oldById = identified(old), let newById = identified(new) {
                for (id, value) in oldById where !newById.contains(where: { $0.0 == id }) {
                    changes.append(Change(kind: .removed, path: path + "/" + escape(id), before: value))
                }
                for (id, value) in newById {
                    if let previous = oldById.first(where: { $0.0 == id })?.1 {
                        compare(previous, value, path: path + "/" + escape(id), into: &changes)
                    } else {
                        changes.append(Change(kind: .added, path: path + "/" + escape(id), after: value))
                    }
                }
                return
            }
            for index in 0..<max(old.count, new.count) {
                let elementPath = path + "/" + String(index)
                if index >= new.count {
                    changes.append(Change(kind: .removed, path: elementPath, before: old[index]))
                } else if index >= old.count {
                    changes.append(Change(kind: .added, path: elementPath, after: new[index]))
                } else {
                    compare(old[index], new[index], path: elementPath, into: &changes)
                }
            }
        default:
            if before != after {
                changes.append(Change(kind: .replaced, path: path.isEmpty ? "/" : path, before: before, after: after))
            }
        }
    }

    /// The elements keyed by their `id`, or else their `name`, when every element is an object with a
    /// unique string value there.
    private static func identified(_ elements: [JSON]) -> [(String, JSON)]? {
        guard !elements.isEmpty else { return nil }
        for key in ["id", "name"] {
            var seen = Set<String>()
            var result: [(String, JSON)] = []
            for element in elements {
                guard let id = element[key]?.stringValue, seen.insert(id).inserted else { break }
                result.append((id, element))
            }
            if result.count == elements.count { return result }
        }
        return nil
    }

    private static func escape(_ segment: String) -> String {
        segment.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
