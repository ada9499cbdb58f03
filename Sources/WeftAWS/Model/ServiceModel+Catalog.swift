import WeftModel

extension ServiceModel {
    /// Name prefixes of read operations; the next character must be upper case (`Describe` matches
    /// `DescribeInstances`, not `Describer`).
    static let readPrefixes = ["Describe", "List", "Get", "Search", "Lookup", "BatchGet", "Head"]

    /// Whether `operationName` only reads: its name starts with Describe, List, Get, Search, Lookup,
    /// BatchGet or Head (followed by a capital) or is exactly `Scan` or `Query`, and, for rest
    /// protocols, its HTTP method is GET, HEAD or POST. Everything else counts as mutating.
    public func isRead(_ operationName: String) -> Bool {
        guard let operation = operations[operationName] else { return false }
        let name = operation.name
        guard name == "Scan" || name == "Query" || Self.readPrefix(of: name) != nil else { return false }
        if self.protocol == .restJSON || self.protocol == .restXML {
            return ["GET", "HEAD", "POST"].contains(operation.httpMethod.uppercased())
        }
        return true
    }

    /// The read operations' names, in model order.
    public var readOperations: [String] { operations.keys.filter { isRead($0) } }

    /// The mutating operations' names, in model order.
    public var mutatingOperations: [String] { operations.keys.filter { !isRead($0) } }

    static func readPrefix(of name: String) -> String? {
        for prefix in readPrefixes where name.hasPrefix(prefix) && name.count > prefix.count {
            let next = name[name.index(name.startIndex, offsetBy: prefix.count)]
            if next.isUppercase { return prefix }
        }
        return nil
    }

    /// A display name for an operation: a read operation's name without its verb, other names
    /// whole, split into words with acronyms kept (`DescribeDBInstances` → `DB Instances`,
    /// `ListBuckets` → `Buckets`, `GetBucketPolicy` → `Bucket Policy`, `CreateDBInstance` →
    /// `Create DB Instance`).
    public func friendlyName(_ operationName: String) -> String {
        var name = operationName
        if isRead(operationName), let prefix = Self.readPrefix(of: operationName) {
            name = String(operationName.dropFirst(prefix.count))
        }
        return Self.words(name).joined(separator: " ")
    }

    /// Splits a CamelCase name into words, keeping acronyms (`DBInstances` → `DB`, `Instances`;
    /// `ACLs` stays one word; `IPv6` stays one word).
    static func words(_ name: String) -> [String] {
        let chars = Array(name)
        var words: [String] = []
        var current = ""
        var index = 0
        while index < chars.count {
            let char = chars[index]
            if char.isUppercase, !current.isEmpty {
                let previous = chars[index - 1]
                let next: Character? = index + 1 < chars.count ? chars[index + 1] : nil
                let afterNext: Character? = index + 2 < chars.count ? chars[index + 2] : nil
                let pluralAcronym =
                    next == "s" && (afterNext == nil || afterNext!.isUppercase)
                    && previous.isUppercase
                let versionSuffix = next == "v" && afterNext?.isNumber == true
                if previous.isLowercase || previous.isNumber {
                    words.append(current)
                    current = ""
                } else if previous.isUppercase, let next, next.isLowercase, !pluralAcronym, !versionSuffix {
                    words.append(current)
                    current = ""
                }
            }
            current.append(char)
            index += 1
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// A description of an operation's input for building forms: JSON with `type`, `required`,
    /// `members` (structures), `member` (lists), `key`/`value` (maps), `enum`, `min`, `max`,
    /// `pattern`, `location` (rest members), `idempotencyToken`, `deprecated` and `document`.
    /// Nesting stops at `depth` levels and at recursive shapes, marked `"truncated": true`.
    ///
    /// Throws `AWSModelError.unknownOperation` when the service has no such operation.
    public func inputDescription(_ operationName: String, depth: Int = 6) throws -> JSON {
        let operation = try self.operation(operationName)
        guard let input = operation.input else { return ["type": "structure", "members": .object([:]), "required": []] }
        return describe(input, depth: depth, visiting: [])
    }

    private func describe(_ ref: AWSShapeRef, depth: Int, visiting: Set<String>) -> JSON {
        guard let shape = shape(named: ref.shape) else { return ["type": "unknown"] }
        var result: JSONObject = ["type": .string(shape.type.rawValue)]
        if let location = ref.location { result["location"] = .string(location) }
        if ref.idempotencyToken { result["idempotencyToken"] = true }
        if ref.deprecated || shape.deprecated { result["deprecated"] = true }
        if !shape.enumValues.isEmpty { result["enum"] = .array(shape.enumValues.map(JSON.string)) }
        if let min = shape.min { result["min"] = number(min) }
        if let max = shape.max { result["max"] = number(max) }
        if let pattern = shape.pattern { result["pattern"] = .string(pattern) }
        let nested = shape.type == .structure || shape.type == .list || shape.type == .map
        if nested && (depth <= 0 || visiting.contains(shape.name)) {
            result["truncated"] = true
            return .object(result)
        }
        var inside = visiting
        inside.insert(shape.name)
        switch shape.type {
        case .structure:
            if shape.document {
                result["document"] = true
                break
            }
            var members: JSONObject = [:]
            for (name, member) in shape.members where member.location != "statusCode" {
                members[name] = describe(member, depth: depth - 1, visiting: inside)
            }
            result["members"] = .object(members)
            result["required"] = .array(shape.required.map(JSON.string))
        case .list:
            if let member = shape.member { result["member"] = describe(member, depth: depth - 1, visiting: inside) }
        case .map:
            if let key = shape.key { result["key"] = describe(key, depth: depth - 1, visiting: inside) }
            if let value = shape.value { result["value"] = describe(value, depth: depth - 1, visiting: inside) }
        default:
            break
        }
        return .object(result)
    }

    private func number(_ value: Double) -> JSON {
        if let integer = Int64(exactly: value) { return .int(integer) }
        return .double(value)
    }
}
