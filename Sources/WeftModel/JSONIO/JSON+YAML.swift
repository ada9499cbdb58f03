import Yams

extension JSON {
    /// Parses a single YAML document into JSON, resolving plain scalars with the YAML 1.2 core
    /// schema: `null`/`~`/empty, `true`/`false` (any of the three cases), decimal, `0o` octal and
    /// `0x` hex integers (exact `Int64`, larger ones become doubles), floats including `.inf` and
    /// `.nan`; everything else, and every quoted or block scalar, is a string. Explicit `!!str`,
    /// `!!int`, `!!float`, `!!bool` and `!!null` tags are honoured; other tags are ignored.
    /// Mappings keep document order, keys must be scalars and are used as written, aliases are
    /// resolved, and `<<` merge keys copy the members of the merged mappings that the mapping does
    /// not set itself. An empty document is `null`.
    /// - Throws: `JSONParseError` with the line and column reported by the YAML parser.
    public static func parse(yaml: String) throws -> JSON {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml, Resolver.basic)
        } catch let error as YamlError {
            throw YAMLConversion.parseError(error, in: yaml)
        }
        guard let root else { return .null }
        return try YAMLConversion(text: yaml).convert(root, depth: 0)
    }

    /// Parses a JSON or YAML document, told apart by content: when the first byte that is not
    /// whitespace (after an optional UTF-8 byte order mark) is `{` or `[` the document is JSON,
    /// otherwise YAML.
    /// - Throws: `JSONParseError` with line and column.
    public static func parseDocument(_ bytes: [UInt8]) throws -> JSON {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var index = start
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") {
            let result = bytes.withUnsafeBytes { raw in
                Result { () throws(JSONParseError) -> JSON in
                    try parse(UnsafeRawBufferPointer(rebasing: raw[start...]))
                }
            }
            do {
                return try result.get()
            } catch {
                var shifted = error
                shifted.offset += start
                throw shifted
            }
        }
        let body = bytes[start...]
        if let bad = body.withContiguousStorageIfAvailable({
            JSONByteParser.firstInvalidUTF8($0.baseAddress!, count: $0.count)
        }) ?? nil {
            let location = bytes.withUnsafeBufferPointer {
                TextLocation.of(offset: start + bad, in: $0.baseAddress!, count: $0.count)
            }
            throw JSONParseError(
                message: "invalid UTF-8 byte", line: location.line, column: location.column, offset: start + bad)
        }
        return try parse(yaml: String(decoding: body, as: UTF8.self))
    }
}

/// Converts a composed YAML node tree to JSON.
private struct YAMLConversion {
    static let maximumDepth = 512

    let text: String

    func convert(_ node: Node, depth: Int) throws -> JSON {
        guard depth < Self.maximumDepth else {
            throw error("nesting is deeper than \(Self.maximumDepth) levels", at: node.mark)
        }
        switch node {
        case .scalar(let scalar):
            return try convert(scalar)
        case .sequence(let sequence):
            return .array(try sequence.map { try convert($0, depth: depth + 1) })
        case .mapping(let mapping):
            return .object(try convert(mapping, depth: depth))
        case .alias(let alias):
            throw error("unresolved alias", at: alias.mark)
        }
    }

    private func convert(_ mapping: Node.Mapping, depth: Int) throws -> JSONObject {
        var object = JSONObject()
        var explicitKeys = Set<String>()
        for (key, _) in mapping where !isMergeKey(key) {
            explicitKeys.insert(try keyString(key))
        }
        for (key, value) in mapping {
            if isMergeKey(key) {
                let sources: [Node]
                switch value {
                case .mapping: sources = [value]
                case .sequence(let sequence): sources = Array(sequence)
                default: throw error("a merge key needs a mapping or a sequence of mappings", at: value.mark)
                }
                for source in sources {
                    guard case .mapping(let merged) = source else {
                        throw error("a merge key needs a mapping or a sequence of mappings", at: source.mark)
                    }
                    for (name, member) in try convert(merged, depth: depth + 1)
                    where !explicitKeys.contains(name) && object[name] == nil {
                        object[name] = member
                    }
                }
            } else {
                let name = try keyString(key)
                object.updateValue(try convert(value, depth: depth + 1), forKey: name)
            }
        }
        return object
    }

    private func isMergeKey(_ key: Node) -> Bool {
        guard case .scalar(let scalar) = key else { return false }
        return scalar.string == "<<" && scalar.style == .plain
    }

    private func keyString(_ key: Node) throws -> String {
        guard case .scalar(let scalar) = key else {
            throw error("mapping keys must be scalars", at: key.mark)
        }
        return scalar.string
    }

    private func convert(_ scalar: Node.Scalar) throws -> JSON {
        let text = scalar.string
        switch scalar.tag.rawValue {
        case "":
            return scalar.style == .plain ? Self.resolvePlain(text) : .string(text)
        case Tag.Name.str.rawValue, Tag.Name.nonSpecific.rawValue:
            return .string(text)
        case Tag.Name.null.rawValue:
            return .null
        case Tag.Name.bool.rawValue:
            if case .bool(let flag) = Self.resolvePlain(text) { return .bool(flag) }
            throw error("invalid !!bool value \"\(text)\"", at: scalar.mark)
        case Tag.Name.int.rawValue:
            if let integer = Self.integer(text) { return integer }
            throw error("invalid !!int value \"\(text)\"", at: scalar.mark)
        case Tag.Name.float.rawValue:
            switch Self.integer(text) ?? Self.float(text) {
            case .int(let integer)?: return .double(Double(integer))
            case .double(let number)?: return .double(number)
            default: throw error("invalid !!float value \"\(text)\"", at: scalar.mark)
            }
        default:
            return scalar.style == .plain ? Self.resolvePlain(text) : .string(text)
        }
    }

    /// The YAML 1.2 core schema resolution of a plain scalar.
    static func resolvePlain(_ text: String) -> JSON {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        guard let first = text.utf8.first,
            first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return .string(text) }
        return integer(text) ?? float(text) ?? .string(text)
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`.
    static func integer(_ text: String) -> JSON? {
        var body = Substring(text)
        if body.hasPrefix("0o") {
            return UInt64(body.dropFirst(2), radix: 8).map(unsignedValue)
        }
        if body.hasPrefix("0x") {
            return UInt64(body.dropFirst(2), radix: 16).map(unsignedValue)
        }
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        if let integer = Int64(negative ? "-" + body : String(body)) { return .int(integer) }
        return Double(negative ? "-" + body : String(body)).map(JSON.double)
    }

    private static func unsignedValue(_ value: UInt64) -> JSON {
        Int64(exactly: value).map(JSON.int) ?? .double(Double(value))
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?.inf` or `.nan` in the three cases.
    static func float(_ text: String) -> JSON? {
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        switch body {
        case ".inf", ".Inf", ".INF": return .double(negative ? -.infinity : .infinity)
        case ".nan", ".NaN", ".NAN": return text.first == "+" || text.first == "-" ? nil : .double(.nan)
        default: break
        }
        let bytes = Array(body.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }
        let integerDigits = digits()
        var fractionDigits = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fractionDigits = digits()
        }
        guard integerDigits > 0 || fractionDigits > 0 else { return nil }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                index += 1
            }
            guard digits() > 0 else { return nil }
        }
        guard index == bytes.count else { return nil }
        var normalized = String(body)
        if normalized.hasPrefix(".") { normalized = "0" + normalized }
        guard let value = Double(normalized) else { return nil }
        return .double(negative ? -value : value)
    }

    private func error(_ message: String, at mark: Mark?) -> JSONParseError {
        YAMLConversion.error(message, line: mark?.line ?? 0, column: mark?.column ?? 0, in: text)
    }

    static func error(_ message: String, line: Int, column: Int, in text: String) -> JSONParseError {
        JSONParseError(message: message, line: line, column: column, offset: offset(line: line, column: column, in: text))
    }

    /// The UTF-8 offset of a 1-based line and column (columns counted in Unicode scalars).
    static func offset(line: Int, column: Int, in text: String) -> Int {
        guard line >= 1 else { return 0 }
        var offset = 0
        var currentLine = 1
        var currentColumn = 1
        for scalar in text.unicodeScalars {
            if currentLine == line && currentColumn >= column { break }
            if currentLine > line { break }
            offset += UTF8.width(scalar)
            if scalar == "\n" {
                currentLine += 1
                currentColumn = 1
            } else {
                currentColumn += 1
            }
        }
        return offset
    }

    static func parseError(_ error: YamlError, in text: String) -> JSONParseError {
        func describe(_ context: YamlError.Context?, _ problem: String) -> String {
            guard let context, !context.text.isEmpty else { return problem }
            return "\(problem) (\(context.text))"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return Self.error(describe(context, problem), line: mark.line, column: mark.column, in: text)
        case .reader(let problem, let offset, _, _):
            let characterOffset = offset ?? 0
            let prefix = text.prefix(characterOffset)
            let line = prefix.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            let column =
                prefix.split(separator: "\n", omittingEmptySubsequences: false).last.map { $0.unicodeScalars.count + 1 } ?? 1
            return JSONParseError(message: problem, line: line, column: column, offset: prefix.utf8.count)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Self.error(
                "duplicate key \(names) in mapping", line: context.mark.line, column: context.mark.column, in: text)
        default:
            return JSONParseError(message: "\(error)", line: 0, column: 0, offset: 0)
        }
    }
}
