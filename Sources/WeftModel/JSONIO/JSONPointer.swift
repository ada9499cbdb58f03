import Foundation

/// RFC 6901 JSON Pointer helpers.
public enum JSONPointer {
    /// `token` escaped for use in a pointer: `~` becomes `~0` and `/` becomes `~1`.
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else {
            return token
        }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// The pointer `base` extended by the object key `token`.
    public static func append(_ base: String, _ token: String) -> String {
        base + "/" + escape(token)
    }

    /// The pointer `base` extended by the array index `index`.
    public static func append(_ base: String, _ index: Int) -> String {
        base + "/" + String(index)
    }

    /// The pointer of a coding path: integer keys of unkeyed containers become array indices.
    public static func pointer(for codingPath: [any CodingKey]) -> String {
        var pointer = ""
        for key in codingPath {
            if let index = arrayIndex(of: key) {
                pointer = append(pointer, index)
            } else {
                pointer = append(pointer, key.stringValue)
            }
        }
        return pointer
    }

    /// The index of an unkeyed-container key (`"3"`, or Foundation's `"Index 3"`), else nil.
    private static func arrayIndex(of key: any CodingKey) -> Int? {
        guard let index = key.intValue else { return nil }
        let name = key.stringValue
        return name == String(index) || name == "Index \(index)" ? index : nil
    }
}
