extension NodeDescription {
    /// The declaration as `weft nodes --json` and `GET /api/v1/node-types` print it: parameters as a
    /// JSON Schema (draft 2020-12) with editor hints under `x-weft-*` keys.
    public var json: JSON {
        [
            "type": .string(type), "displayName": .string(displayName), "group": .string(group.rawValue),
            "summary": .string(summary), "takesInput": .bool(takesInput),
            "outputs": .array(outputs.map(JSON.string)),
            "permissions": .array(permissions.map(JSON.string)),
            "parameters": Parameter.objectSchema(parameters),
            "example": example,
        ]
    }
}

extension ConditionTypes {
    /// The condition types as `GET /api/v1/node-types` lists them for the editor's condition builder:
    /// `{"type", "summary", "fields"}` with the fields (besides `id` and `type`) as a JSON Schema.
    public static func json(_ types: [any ConditionType.Type] = builtIn) -> JSON {
        .array(types.map { type in
            ["type": .string(type.name), "summary": .string(type.summary), "fields": Parameter.objectSchema(type.fields)]
        })
    }
}

extension Parameter {
    static func objectSchema(_ fields: [Parameter]) -> JSON {
        var properties = JSONObject()
        for field in fields { properties[field.name] = field.schema }
        let required = fields.filter(\.required).map { JSON.string($0.name) }
        var schema: JSONObject = ["type": "object", "properties": .object(properties), "additionalProperties": false]
        if !required.isEmpty { schema["required"] = .array(required) }
        return .object(schema)
    }

    /// This parameter's JSON Schema, with its title, help and default.
    public var schema: JSON {
        guard case .object(var schema) = type.schema else { return type.schema }
        schema["title"] = .string(displayName)
        schema["description"] = .string(help)
        if let defaultValue { schema["default"] = defaultValue }
        return .object(schema)
    }
}

extension ParameterType {
    /// The JSON Schema of values of this type; `x-weft-editor` names the editor widget.
    public var schema: JSON {
        switch self {
        case .string(let format):
            var schema: JSONObject = ["type": "string"]
            if format != .plain { schema["x-weft-editor"] = .string(format.rawValue) }
            return .object(schema)
        case .integer(let min, let max):
            var schema: JSONObject = ["type": "integer"]
            if let min { schema["minimum"] = .int(min) }
            if let max { schema["maximum"] = .int(max) }
            return .object(schema)
        case .number: return ["type": "number"]
        case .boolean: return ["type": "boolean"]
        case .choice(let options): return ["type": "string", "enum": .array(options.map(JSON.string))]
        case .array(let element, let maxItems):
            var schema: JSONObject = ["type": "array", "items": element.schema]
            if let maxItems { schema["maxItems"] = .int(Int64(maxItems)) }
            return .object(schema)
        case .object(let fields): return Parameter.objectSchema(fields)
        case .map(let element): return ["type": "object", "additionalProperties": element.schema]
        case .any: return ["x-weft-editor": "json"]
        case .inputReference:
            return [
                "type": "object", "x-weft-editor": "input",
                "properties": ["node": ["type": "string"], "path": ["type": "string", "x-weft-editor": "jsonPath"]],
                "required": ["node"], "additionalProperties": false,
            ]
        case .nodeReference: return ["type": "string", "x-weft-editor": "node"]
        case .conditions: return ["type": "object", "x-weft-editor": "conditions"]
        case .conditionList: return ["type": "array", "items": ["type": "object"], "x-weft-editor": "conditions"]
        case .oneOf(let types): return ["oneOf": .array(types.map(\.schema))]
        }
    }
}
