import CJavaScriptCore
import Foundation
import WeftModel

/// The native half of `weft.jsonpath`, `weft.cidr` and `weft.date.parse`: pure functions over
/// strings, so that the sandbox uses the same JSONPath, CIDR and date rules as the engine.
enum Natives {
    /// An object with the native functions, handed to the prelude.
    static func object(in context: JSContextRef) -> JSObjectRef {
        let object = JSObjectMake(context, nil, nil)!
        add("jsonpath", jsonpath, to: object, in: context)
        add("cidr", cidr, to: object, in: context)
        add("date", date, to: object, in: context)
        return object
    }

    private static func add(_ name: String, _ callback: JSObjectCallAsFunctionCallback, to object: JSObjectRef, in context: JSContextRef) {
        let key = JSStringCreateWithUTF8CString(name)
        defer { JSStringRelease(key) }
        let function = JSObjectMakeFunctionWithCallback(context, key, callback)
        JSObjectSetProperty(context, object, key, function, JSPropertyAttributes(kJSPropertyAttributeReadOnly), nil)
    }

    private static func argument(_ context: JSContextRef?, _ count: Int, _ arguments: UnsafePointer<JSValueRef?>?, _ index: Int) -> String {
        guard index < count, let value = arguments?[index], let string = JSValueToStringCopy(context, value, nil) else { return "" }
        defer { JSStringRelease(string) }
        return JSRuntime.swiftString(string)
    }

    private static func string(_ context: JSContextRef?, _ text: String) -> JSValueRef? {
        let value = JSStringCreateWithUTF8CString(text)
        defer { JSStringRelease(value) }
        return JSValueMakeString(context, value)
    }

    private static func raise(_ context: JSContextRef?, _ exception: UnsafeMutablePointer<JSValueRef?>?, _ message: String) -> JSValueRef? {
        var arguments: [JSValueRef?] = [string(context, message)]
        exception?.pointee = JSObjectMakeError(context, 1, &arguments, nil)
        return nil
    }

    /// `jsonpath(valueJSON, path)` → the JSON text of the array of values `path` selects.
    private static let jsonpath: JSObjectCallAsFunctionCallback = { context, _, _, count, arguments, exception in
        let text = argument(context, count, arguments, 0)
        let pathText = argument(context, count, arguments, 1)
        let path: JSONPath
        do { path = try JSONPath(key: pathText) } catch {
            return raise(context, exception, "weft.jsonpath: \(error)")
        }
        guard let value = try? JSON.parse(text) else { return raise(context, exception, "weft.jsonpath: the value cannot be converted to JSON") }
        return string(context, JSON.array(path.query(value)).serialized())
    }

    /// `cidr("contains", outer, inner)` or `cidr("isPublic", range, "")` → a boolean.
    private static let cidr: JSObjectCallAsFunctionCallback = { context, _, _, count, arguments, exception in
        let operation = argument(context, count, arguments, 0)
        let first = argument(context, count, arguments, 1)
        guard let outer = CIDR(first) else { return raise(context, exception, "weft.cidr: \"\(first)\" is not a CIDR range or address") }
        if operation == "isPublic" { return JSValueMakeBoolean(context, outer.containsPublicAddress) }
        let second = argument(context, count, arguments, 2)
        guard let inner = CIDR(second) else { return raise(context, exception, "weft.cidr: \"\(second)\" is not a CIDR range or address") }
        return JSValueMakeBoolean(context, outer.contains(inner))
    }

    /// `date(valueJSON)` → milliseconds since 1970, or NaN when the value is not a date.
    private static let date: JSObjectCallAsFunctionCallback = { context, _, _, count, arguments, _ in
        let text = argument(context, count, arguments, 0)
        guard let value = try? JSON.parse(text), let date = ISODate.date(from: value) else { return JSValueMakeNumber(context, .nan) }
        return JSValueMakeNumber(context, date.timeIntervalSince1970 * 1000)
    }
}
