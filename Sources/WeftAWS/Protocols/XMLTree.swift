import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An XML element as botocore's parsers see it: a local name (namespace prefix removed), its
/// attributes under their qualified names, its children, and the text before its first child.
final class XMLNode {
    let name: String
    let attributes: [String: String]
    var children: [XMLNode] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// Parses a document; throws `XMLTreeError` for malformed XML.
    static func parse(_ bytes: [UInt8]) throws -> XMLNode {
        let data = Data(bytes)
        let parser: XMLParser
        if bytes.count > 9_000_000 {
            parser = XMLParser(stream: InputStream(data: data))
        } else {
            parser = XMLParser(data: data)
        }
        let builder = Builder()
        parser.delegate = builder
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let ok = parser.parse()
        if !ok || parser.parserError != nil || builder.root == nil {
            throw XMLTreeError(message: parser.parserError.map { "\($0)" } ?? "invalid XML")
        }
        return builder.root!
    }

    /// The children grouped by name, in order of first appearance.
    func childrenByName() -> [String: [XMLNode]] {
        var result: [String: [XMLNode]] = [:]
        for child in children { result[child.name, default: []].append(child) }
        return result
    }

    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLNode?
        var stack: [XMLNode] = []
        var sawChild: [Bool] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            let node = XMLNode(name: local, attributes: attributes)
            if let parent = stack.last {
                parent.children.append(node)
                sawChild[sawChild.count - 1] = true
            } else if root == nil {
                root = node
            }
            stack.append(node)
            sawChild.append(false)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
            qualifiedName: String?
        ) {
            stack.removeLast()
            sawChild.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard let node = stack.last, sawChild.last == false else { return }
            node.text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard let node = stack.last, sawChild.last == false else { return }
            node.text += String(decoding: CDATABlock, as: UTF8.self)
        }
    }
}

struct XMLTreeError: Error, CustomStringConvertible {
    var message: String
    var description: String { "invalid XML: \(message)" }
}
