/// Text forms of JSON values used in rendered templates and in condition traces.
enum JSONText {
    /// The value as compact JSON text (`{"a":[1,2]}`); a string is quoted and escaped.
    static func compact(_ value: JSON) -> String {
        value.serialized()
    }

    /// The value as it is spliced into surrounding text: a string as is, anything else as compact JSON.
    static func inline(_ value: JSON) -> String {
        if case .string(let s) = value { return s }
        return value.serialized()
    }

    /// Compact JSON text cut to about `limit` characters with `…`, for messages and traces.
    static func brief(_ value: JSON, limit: Int = 80) -> String {
        let text = value.serialized()
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…"
    }
}
