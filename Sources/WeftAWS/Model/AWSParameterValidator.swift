import WeftModel

/// A problem with an operation's parameters.
public struct AWSParameterIssue: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        /// The request would be rejected (or cannot be built).
        case error
        /// Suspicious but sent as is, e.g. a value outside the model's enum (AWS adds values).
        case warning
    }

    public var severity: Severity
    /// A JSON pointer into the parameters (`/Filters/0/Name`); empty for the whole object.
    public var pointer: String
    public var message: String

    public init(_ severity: Severity, _ pointer: String, _ message: String) {
        self.severity = severity; self.pointer = pointer; self.message = message
    }

    public var description: String { "\(severity.rawValue) at \(pointer.isEmpty ? "/" : pointer): \(message)" }
}

/// Checks parameters against an operation's input shape, without I/O.
///
/// Reported: an unknown service or operation, unknown members, missing required members, values
/// of the wrong type (string, integer, number, boolean, list, map, structure, timestamp, blob), and
/// values outside an enum (as warnings). A string holding a template (`{{ … }}`) or a
/// `$wf.variables:` reference is accepted for any scalar; one that is entirely such a reference is
/// accepted for any type, since it is filled in later.
public enum AWSParameterValidator {
    /// Issues for `parameters` of `service`'s `operation`, looked up in `data`.
    public static func validate(service: String, operation: String, parameters: JSON, data: BotocoreData) -> [AWSParameterIssue] {
        guard data.hasService(service) else {
            return [AWSParameterIssue(.error, "", "unknown AWS service '\(service)'")]
        }
        do {
            return validate(operation: operation, parameters: parameters, model: try data.model(service))
        } catch {
            return [AWSParameterIssue(.error, "", "\(error)")]
        }
    }

    /// Issues for `parameters` of `operation` in `model`.
    public static func validate(operation operationName: String, parameters: JSON, model: ServiceModel) -> [AWSParameterIssue] {
        guard let operation = model.operations[operationName] else {
            return [AWSParameterIssue(.error, "", "AWS service '\(model.name)' has no operation '\(operationName)'")]
        }
        var issues: [AWSParameterIssue] = []
        guard let input = operation.input else {
            if case .object(let object) = parameters, let first = object.keys.first {
                issues.append(AWSParameterIssue(.error, "/" + escape(first), "\(operationName) takes no parameters"))
            }
            return issues
        }
        let value: JSON = parameters == .null ? .object([:]) : parameters
        check(value, input, "", model, &issues)
        return issues
    }

    static func isTemplated(_ text: String) -> Bool {
        text.contains("{{") || text.contains("$wf.variables:")
    }

    static func isWholeReference(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return (trimmed.hasPrefix("{{") && trimmed.hasSuffix("}}")) || trimmed.hasPrefix("$wf.variables:")
    }

    private static func check(
        _ value: JSON, _ ref: AWSShapeRef, _ pointer: String, _ model: ServiceModel,
        _ issues: inout [AWSParameterIssue]
    ) {
        guard let shape = model.shape(named: ref.shape) else { return }
        if case .string(let text) = value {
            if isWholeReference(text) { return }
            if isTemplated(text), !(shape.type == .structure || shape.type == .list || shape.type == .map) { return }
        }
        func wrong(_ expected: String) {
            issues.append(AWSParameterIssue(.error, pointer, "expected \(expected), got \(value.typeName)"))
        }
        switch shape.type {
        case .structure:
            if shape.document { return }
            guard case .object(let object) = value else { return wrong("an object (\(shape.name))") }
            for (key, member) in object {
                let memberPointer = pointer + "/" + escape(key)
                guard let memberRef = shape.members[key] else {
                    let known = shape.members.keys.prefix(12).joined(separator: ", ")
                    issues.append(
                        AWSParameterIssue(
                            .error, memberPointer,
                            "unknown parameter '\(key)'; expected one of: \(known)"
                                + (shape.members.count > 12 ? ", …" : "")))
                    continue
                }
                if member == .null { continue }
                check(member, memberRef, memberPointer, model, &issues)
            }
            for name in shape.required where object[name] == nil || object[name] == .null {
                issues.append(AWSParameterIssue(.error, pointer + "/" + escape(name), "missing required parameter '\(name)'"))
            }
        case .list:
            guard case .array(let items) = value else { return wrong("a list") }
            guard let member = shape.member else { return }
            for (index, item) in items.enumerated() where item != .null {
                check(item, member, "\(pointer)/\(index)", model, &issues)
            }
        case .map:
            guard case .object(let object) = value else { return wrong("a map (object)") }
            guard let valueRef = shape.value else { return }
            for (key, item) in object where item != .null {
                check(item, valueRef, pointer + "/" + escape(key), model, &issues)
            }
        case .string, .character:
            guard case .string(let text) = value else { return wrong("a string") }
            if !shape.enumValues.isEmpty, !shape.enumValues.contains(text) {
                issues.append(
                    AWSParameterIssue(
                        .warning, pointer,
                        "'\(text)' is not one of the known values: \(shape.enumValues.prefix(12).joined(separator: ", "))"))
            }
        case .integer, .long, .byte, .short, .biginteger:
            guard value.intValue != nil else { return wrong("an integer") }
        case .float, .double, .bigdecimal:
            guard value.isNumber else { return wrong("a number") }
        case .boolean:
            guard value.boolValue != nil else { return wrong("a boolean") }
        case .timestamp:
            guard WireTimestamp(parameter: value) != nil else {
                return wrong("a timestamp (ISO 8601 text or epoch seconds)")
            }
        case .blob:
            guard case .string = value else { return wrong("a blob (string)") }
        }
    }

    static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
