import WeftModel

/// How a response body becomes the `body` of an output item.
public enum ResponseFormat: String, Sendable, Decodable, CaseIterable {
    /// JSON when the `Content-Type` says JSON (or the body starts like a JSON object or array and
    /// parses), XML when it says XML, text otherwise.
    case auto
    case json
    case text
    case xml

    /// The JSON value of `body`: `null` for an empty body, a string for text (invalid UTF-8 replaced).
    /// - Parameter xml: converts XML text to JSON (the `xmltodict` form); it throws for invalid XML.
    /// - Throws: `HTTPRequestError` (`.invalidBody`) when `json` or `xml` is asked for and the body
    ///   is not, or when the `Content-Type` says JSON or XML and the body is not.
    public func parse(_ body: [UInt8], contentType: String?, xml: (String) throws -> JSON) throws -> JSON {
        if body.isEmpty { return .null }
        let type = contentType?.lowercased() ?? ""
        switch self {
        case .text:
            return .string(String(decoding: body, as: UTF8.self))
        case .json:
            return try Self.json(body)
        case .xml:
            return try Self.xml(body, xml)
        case .auto:
            if type.contains("json") { return try Self.json(body) }
            if type.contains("xml") { return try Self.xml(body, xml) }
            if let first = body.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
               let value = try? JSON.parse(body) {
                return value
            }
            return .string(String(decoding: body, as: UTF8.self))
        }
    }

    private static func json(_ body: [UInt8]) throws -> JSON {
        do {
            return try JSON.parse(body)
        } catch {
            throw HTTPRequestError(.invalidBody, "the response body is not valid JSON: \(error)")
        }
    }

    private static func xml(_ body: [UInt8], _ convert: (String) throws -> JSON) throws -> JSON {
        do {
            return try convert(String(decoding: body, as: UTF8.self))
        } catch {
            throw HTTPRequestError(.invalidBody, "the response body is not valid XML: \(error)")
        }
    }
}
