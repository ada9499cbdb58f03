import Foundation
import WeftModel

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Converts XML text into JSON, following the widely used `xmltodict` conventions.
///
/// - The document becomes `{"<root element name>": <root value>}`.
/// - An element with neither attributes nor child elements is its text, trimmed of surrounding
///   whitespace, or `null` when that is empty.
/// - Any other element is an object: its attributes as `"@name": "value"` (in name order), then its
///   child elements by name in the order first seen — a name that repeats holds an array of the
///   children in document order — then its trimmed text, if any, as `"#text"`.
/// - All values are strings; element and attribute names are kept as written, prefixes included
///   (`ns:tag`). CDATA is text. External entities are not loaded.
enum XMLConversion {
    struct ConversionError: Error, Equatable, CustomStringConvertible {
        var message: String
        var line: Int
        var column: Int
        var description: String { "invalid XML at line \(line), column \(column): \(message)" }
    }

    /// The JSON form of the XML document `text`.
    /// - Throws: `ConversionError` when `text` is not well-formed XML.
    static func json(fromXML text: String) throws(ConversionError) -> JSON {
        let data = Data(text.utf8)
        let parser: XMLParser
        if data.count < 8_000_000 {
            parser = XMLParser(data: data)
        } else {
            parser = XMLParser(stream: InputStream(data: data))
        }
        let builder = TreeBuilder()
        parser.delegate = builder
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        let succeeded = parser.parse()
        if !succeeded || parser.parserError != nil || builder.failure != nil {
            let message = builder.failure ?? parser.parserError.map { "\($0.localizedDescription)" } ?? "the document is not well-formed"
            throw ConversionError(message: message, line: parser.lineNumber, column: parser.columnNumber)
        }
        guard let root = builder.root else {
            throw ConversionError(message: "the document has no root element", line: parser.lineNumber, column: parser.columnNumber)
        }
        return .object([root.name: root.value])
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        struct Element {
            var name: String
            var attributes: [String: String]
            var children: JSONObject = [:]
            var text = ""

            var value: JSON {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if attributes.isEmpty, children.isEmpty {
                    return trimmed.isEmpty ? .null : .string(trimmed)
                }
                var object = JSONObject()
                for name in attributes.keys.sorted() { object["@" + name] = .string(attributes[name]!) }
                for (name, child) in children { object[name] = child }
                if !trimmed.isEmpty { object["#text"] = .string(trimmed) }
                return .object(object)
            }

            mutating func add(child name: String, value: JSON) {
                switch children[name] {
                case nil: children[name] = value
                case .array(var repeated)?:
                    repeated.append(value)
                    children[name] = .array(repeated)
                case let single?:
                    children[name] = .array([single, value])
                }
            }
        }

        var stack: [Element] = []
        var root: (name: String, value: JSON)?
        var failure: String?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            stack.append(Element(name: qName ?? elementName, attributes: attributeDict))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard let element = stack.popLast() else {
                failure = "unbalanced end tag </\(elementName)>"
                parser.abortParsing()
                return
            }
            if stack.isEmpty {
                root = (element.name, element.value)
            } else {
                stack[stack.count - 1].add(child: element.name, value: element.value)
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            if failure == nil { failure = parseError.localizedDescription }
        }
    }
}
