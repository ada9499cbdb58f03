/// The conditions of a filter, control or loop: `{"conditions": [...], "expression": "c1 && c2"}`.
///
/// Each condition is an object with an `id` (`[A-Za-z0-9_.-]+`, unique, not `and`/`or`/`not`), a
/// `type` from the registry (`ConditionTypes.builtIn`) and that type's fields. The expression combines
/// condition ids (see `BooleanExpression`); an empty one means all conditions ANDed.
///
/// Static validation (`validate`) runs before variables are substituted and reports every problem
/// with its pointer; `compile` runs after substitution and throws the first problem.
public struct ConditionSet: Sendable, Equatable {
    /// The condition objects as written.
    public var conditions: [JSON]
    /// The expression as written; empty means all conditions ANDed.
    public var expression: String

    /// The keys of a condition set object.
    public static let keys: Set<String> = ["conditions", "expression"]

    public init(conditions: [JSON], expression: String = "") {
        self.conditions = conditions
        self.expression = expression
    }

    /// Reads a set from a parameter value.
    ///
    /// - Parameter otherKeys: keys of `value` that belong to the enclosing object (a filter's
    ///   `input`) and are skipped; any other unknown key is an error.
    /// - Throws: `ConditionError` when `value` is not an object, has an unknown key, lacks
    ///   `conditions`, or has members of the wrong type. The conditions themselves are checked by `compile`.
    public init(_ value: JSON, otherKeys: Set<String> = []) throws(ConditionError) {
        var problems: [Located] = []
        let shape = Self.readShape(value, pointer: "", otherKeys: otherKeys, problems: &problems)
        if let first = problems.first { throw first.error }
        self.conditions = shape.conditions ?? []
        self.expression = shape.expression ?? ""
    }

    /// Checks a condition set before variables are substituted.
    ///
    /// Reports unknown keys, missing fields, unknown types and operators, duplicate or invalid ids,
    /// invalid JSONPaths, regular expressions, dates and values written literally, ids in the
    /// expression that name no condition, and references to variables not in `variables`.
    /// Fields holding a variable reference are checked only for the variable's existence.
    /// - Parameters:
    ///   - pointer: the pointer of `value` in its document; issues point below it
    ///     (`<pointer>/conditions/1/operator`).
    ///   - otherKeys: keys of `value` that belong to the enclosing object and are not checked.
    public static func validate(_ value: JSON, pointer: String, variables: Set<String>,
                                otherKeys: Set<String> = [],
                                types: [any ConditionType.Type] = ConditionTypes.builtIn) -> [ModelIssue] {
        var problems: [Located] = []
        let shape = readShape(value, pointer: pointer, otherKeys: otherKeys, problems: &problems)
        let entries = readConditions(shape.conditions ?? [], pointer: JSONPointer.append(pointer, "conditions"),
                                     deferringVariables: true, types: types, problems: &problems)
        if let expression = shape.expression {
            _ = readExpression(expression, ids: entries.map(\.id), pointer: JSONPointer.append(pointer, "expression"),
                               problems: &problems)
        }
        var own = value
        if case .object(let members) = value {
            own = .object(members.filter { keys.contains($0.key) })
        }
        for use in VariableSubstitution.references(in: own, pointer: pointer) where !variables.contains(use.name) {
            let conditionId = conditionId(at: use.pointer, base: pointer, conditions: shape.conditions ?? [])
            let field = field(of: use.pointer)
            let message = "refers to unknown variable \"\(use.name)\""
            problems.append(Located(pointer: use.pointer,
                                    error: ConditionError(conditionId: conditionId, field: field,
                                                          message: conditionId == nil ? "\(field) \(message)" : message)))
        }
        return problems.map { ModelIssue(pointer: $0.pointer, message: $0.error.description) }
    }

    /// Builds the conditions for evaluation, after variables are substituted.
    /// - Throws: `ConditionError` for the first problem: an invalid field value (a bad regex, date
    ///   or number, perhaps coming from a variable), an unknown type, an invalid expression.
    public func compile(types: [any ConditionType.Type] = ConditionTypes.builtIn) throws(ConditionError) -> CompiledConditions {
        var problems: [Located] = []
        let entries = Self.readConditions(conditions, pointer: "/conditions", deferringVariables: false,
                                          types: types, problems: &problems)
        let parsed = Self.readExpression(expression, ids: entries.map(\.id), pointer: "/expression", problems: &problems)
        if let first = problems.first { throw first.error }
        let compiled = entries.compactMap { entry -> CompiledConditions.Entry? in
            guard let condition = entry.condition else { return nil }
            return CompiledConditions.Entry(id: entry.id, type: entry.type, condition: condition)
        }
        let resolved = parsed ?? .and(compiled.map { .condition($0.id) })
        return CompiledConditions(conditions: compiled, expression: resolved)
    }

    // MARK: - Reading

    struct Located {
        var pointer: String
        var error: ConditionError
    }

    struct Entry {
        var id: String
        var type: String
        var condition: (any ConditionType)?
    }

    private static func readShape(_ value: JSON, pointer: String, otherKeys: Set<String>,
                                  problems: inout [Located]) -> (conditions: [JSON]?, expression: String?) {
        func problem(_ at: String, _ field: String, _ message: String) {
            problems.append(Located(pointer: at, error: ConditionError(conditionId: nil, field: field, message: message)))
        }
        guard case .object(let members) = value else {
            problem(pointer, "conditions", "conditions must be an object with conditions and expression, not \(ConditionFields.describeType(value))")
            return (nil, nil)
        }
        for key in members.keys where !keys.contains(key) && !otherKeys.contains(key) {
            problem(JSONPointer.append(pointer, key), key, "unknown key \"\(key)\"; expected conditions or expression")
        }
        var conditions: [JSON]?
        switch members["conditions"] {
        case nil:
            problem(pointer, "conditions", "conditions is required")
        case .array(let list)?:
            conditions = list
        case let other?:
            problem(JSONPointer.append(pointer, "conditions"), "conditions",
                    "conditions must be an array, not \(ConditionFields.describeType(other))")
        }
        var expression: String?
        switch members["expression"] {
        case nil, .null?:
            expression = ""
        case .string(let text)?:
            expression = text
        case let other?:
            problem(JSONPointer.append(pointer, "expression"), "expression",
                    "expression must be a string, not \(ConditionFields.describeType(other))")
        }
        return (conditions, expression)
    }

    private static func readConditions(_ list: [JSON], pointer: String, deferringVariables: Bool,
                                       types: [any ConditionType.Type], problems: inout [Located]) -> [Entry] {
        var entries: [Entry] = []
        var seen = Set<String>()
        for (index, element) in list.enumerated() {
            let here = JSONPointer.append(pointer, index)
            /// A problem with `field`, pointed at the field when it is present, else at the condition.
            func problem(_ id: String?, _ field: String, _ message: String, present: Bool = true) {
                let at = present ? JSONPointer.append(here, field) : here
                problems.append(Located(pointer: at, error: ConditionError(conditionId: id, field: field, message: message)))
            }
            guard case .object(let object) = element else {
                problem(nil, "conditions", "conditions[\(index)] must be an object, not \(ConditionFields.describeType(element))",
                        present: false)
                continue
            }
            guard case .string(let id)? = object["id"] else {
                if let given = object["id"] {
                    problem(nil, "id", "conditions[\(index)]: id must be a string, not \(ConditionFields.describeType(given))")
                } else {
                    problem(nil, "id", "conditions[\(index)] has no id", present: false)
                }
                continue
            }
            if !isValidId(id) {
                problem(id, "id", "must be letters, digits, '_', '-' or '.', and not and, or or not")
            } else if !seen.insert(id).inserted {
                problem(id, "id", "is used by more than one condition")
            }
            guard let typeValue = object["type"] else {
                problem(id, "type", "is required", present: false)
                continue
            }
            guard case .string(let typeName) = typeValue else {
                problem(id, "type", "must be a string, not \(ConditionFields.describeType(typeValue))")
                continue
            }
            guard let type = ConditionTypes.named(typeName, in: types) else {
                let known = types.map { $0.name }.joined(separator: ", ")
                problem(id, "type", "\"\(typeName)\" is not a condition type; expected one of \(known)")
                entries.append(Entry(id: id, type: typeName, condition: nil))
                continue
            }
            let allowed = Set(type.fields.map(\.name)).union(["id", "type"])
            for key in object.keys where !allowed.contains(key) {
                problem(id, key, "is not a field of a \(typeName) condition")
            }
            var fields = ConditionFields(id: id, object: object, deferringVariables: deferringVariables)
            let condition = type.init(fields: &fields)
            for error in fields.problems {
                problems.append(Located(pointer: JSONPointer.append(here, error.field), error: error))
            }
            if condition == nil, fields.problems.isEmpty, !deferringVariables {
                problem(id, "type", "could not be read", present: false)
            }
            entries.append(Entry(id: id, type: typeName, condition: condition))
        }
        return entries
    }

    private static func readExpression(_ text: String, ids: [String], pointer: String,
                                       problems: inout [Located]) -> BooleanExpression? {
        func problem(_ message: String) {
            problems.append(Located(pointer: pointer, error: ConditionError(conditionId: nil, field: "expression", message: message)))
        }
        let parsed: BooleanExpression?
        do {
            parsed = try BooleanExpression.parse(text)
        } catch {
            problem(error.description)
            return nil
        }
        guard let parsed else { return nil }
        let known = Set(ids)
        let unknown = parsed.conditionIds.filter { !known.contains($0) }
        if !unknown.isEmpty {
            let names = unknown.joined(separator: ", ")
            problem("expression names unknown condition\(unknown.count == 1 ? "" : "s") \(names)")
        }
        return parsed
    }

    private static func isValidId(_ id: String) -> Bool {
        guard !id.isEmpty, !["and", "or", "not"].contains(id.lowercased()) else { return false }
        return id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }
    }

    /// The id of the condition a pointer below `<base>/conditions/<i>` falls in.
    private static func conditionId(at pointer: String, base: String, conditions: [JSON]) -> String? {
        let prefix = JSONPointer.append(base, "conditions") + "/"
        guard pointer.hasPrefix(prefix) else { return nil }
        let rest = pointer.dropFirst(prefix.count)
        guard let index = Int(rest.prefix { $0 != "/" }), conditions.indices.contains(index) else { return nil }
        return conditions[index]["id"]?.stringValue
    }

    /// The first token after `conditions/<i>` (the field name), or `expression`.
    private static func field(of pointer: String) -> String {
        let tokens = pointer.split(separator: "/", omittingEmptySubsequences: false)
        if let index = tokens.lastIndex(of: "conditions"), index + 2 < tokens.count {
            return String(tokens[index + 2])
        }
        return String(tokens.last ?? "")
    }
}

extension ConditionSet: Decodable {
    /// Decodes `{conditions, expression}` as `init(_:otherKeys:)` reads it (unknown keys are errors).
    /// A problem is a `DecodingError.dataCorrupted` at the set's coding path, with the
    /// `ConditionError`'s description.
    public init(from decoder: any Decoder) throws {
        let value = try JSON(from: decoder)
        do {
            try self.init(value)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }
}
