/// Finds flow-variable references in parameter strings: the seed's `$wf.variables:name` and
/// `{{ $wf.variables.name }}`.
public enum VariableReference {
    /// Names referenced in `text`, in order of appearance.
    public static func names(in text: String) -> [String] {
        guard text.contains("$wf.variables") else { return [] }
        var names: [String] = []
        let bytes = Array(text.utf8)
        let marker = Array("$wf.variables".utf8)
        var i = 0
        while i + marker.count < bytes.count {
            if bytes[i] == UInt8(ascii: "$"), Array(bytes[i..<(i + marker.count)]) == marker {
                let separator = bytes[i + marker.count]
                var j = i + marker.count + 1
                if separator == UInt8(ascii: ":") || separator == UInt8(ascii: ".") {
                    let start = j
                    while j < bytes.count, isNameByte(bytes[j]) { j += 1 }
                    if j > start { names.append(String(decoding: bytes[start..<j], as: UTF8.self)) }
                }
                i = j
            } else {
                i += 1
            }
        }
        return names
    }

    /// The variable name when `text` is exactly one reference — `$wf.variables:name`,
    /// `{{ $wf.variables.name }}` or `{{ $wf.variables:name }}` — so the value keeps its JSON type.
    public static func wholeReference(_ text: String) -> String? {
        var t = Substring(text).trimmingWhitespace()
        if t.hasPrefix("{{"), t.hasSuffix("}}") {
            t = t.dropFirst(2).dropLast(2).trimmingWhitespace()
            guard t.hasPrefix("$wf.variables.") || t.hasPrefix("$wf.variables:") else { return nil }
            let name = t.dropFirst("$wf.variables.".count)
            return !name.isEmpty && name.utf8.allSatisfy(isNameByte) ? String(name) : nil
        }
        guard t.hasPrefix("$wf.variables:") else { return nil }
        let name = t.dropFirst("$wf.variables:".count)
        return !name.isEmpty && name.utf8.allSatisfy(isNameByte) ? String(name) : nil
    }

    public static func isWholeReference(_ text: String) -> Bool { wholeReference(text) != nil }

    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var s = self
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return s
    }
}
