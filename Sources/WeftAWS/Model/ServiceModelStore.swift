import Foundation
import WeftModel

/// The shapes and operations of one service model, kept as JSON text with an index of byte ranges
/// and parsed one at a time on first use (EC2's model is 4 MB of JSON, most of it documentation; a
/// run needs a few dozen of its 4,000 shapes). Parsed values are cached for the life of the store,
/// which every copy of the `ServiceModel` shares; safe to use from any thread.
final class ServiceModelStore: @unchecked Sendable {
    let service: String
    /// The `shapes` object, without the shapes' documentation.
    private let shapesText: [UInt8]
    /// The `operations` object.
    private let operationsText: [UInt8]
    private let shapeIndex: RawJSONIndex
    private let operationIndex: RawJSONIndex
    /// `merge.shapes` of `service-2.sdk-extras.json`, merged into each shape as botocore's `merge_dicts` does.
    private let extraShapes: JSONObject
    /// Operation names in model order.
    let operationNames: [String]

    private let lock = NSLock()
    /// Shapes with the traits their own definitions give.
    private var declared: [String: AWSShape] = [:]
    /// Shapes whose references have the referenced shapes' traits merged in.
    private var resolved: [String: AWSShape] = [:]
    private var operations: [String: AWSOperation] = [:]
    private var xmlPlans: [String: XMLOutputPlan] = [:]

    /// Indexes `text`, a `service-2.json` document, keeping copies of its `operations` and `shapes`
    /// members (at the ranges given) and dropping the rest.
    ///
    /// Throws `RawJSONIndex.Malformed` when those members cannot be indexed.
    init(service: String, text: [UInt8], operations: Range<Int>?, shapes: Range<Int>?, extraShapes: JSONObject) throws {
        self.service = service
        (shapesText, operationsText) = try text.withUnsafeBytes { bytes in
            (try shapes.map { try RawJSONIndex.compacted(bytes, range: $0, dropping: "documentation") } ?? Array("{}".utf8),
             operations.map { Array(bytes[$0]) } ?? Array("{}".utf8))
        }
        shapeIndex = try shapesText.withUnsafeBytes { try RawJSONIndex($0, range: 0..<$0.count) }
        operationIndex = try operationsText.withUnsafeBytes { try RawJSONIndex($0, range: 0..<$0.count) }
        self.extraShapes = extraShapes
        operationNames = operationIndex.names
    }

    private func cached<Value>(_ keyPath: KeyPath<ServiceModelStore, [String: Value]>, _ name: String) -> Value? {
        lock.lock(); defer { lock.unlock() }
        return self[keyPath: keyPath][name]
    }

    private static func parse(_ text: [UInt8], _ range: Range<Int>) throws -> JSON {
        try text.withUnsafeBytes { bytes in try JSON.parse(UnsafeRawBufferPointer(rebasing: bytes[range])) }
    }

    /// Whether the model defines a shape named `name`.
    func hasShape(_ name: String) -> Bool {
        shapeIndex.ranges[name] != nil || extraShapes[name] != nil
    }

    /// The shape as its own definition gives it; `nil` when there is none.
    ///
    /// Throws `BotocoreDataError` when the definition is malformed.
    func declaredShape(_ name: String) throws -> AWSShape? {
        if let shape = cached(\.declared, name) { return shape }
        var object: JSON?
        if let range = shapeIndex.ranges[name] {
            do { object = try Self.parse(shapesText, range) } catch {
                throw BotocoreDataError("shape '\(name)' is not valid JSON: \(error)", service: service)
            }
        }
        if let extra = extraShapes[name] { object = object.map { BotocoreData.merge($0, extra) } ?? extra }
        guard let object else { return nil }
        let shape = try AWSShape(name: name, object: object.objectValue ?? [:])
        lock.lock(); defer { lock.unlock() }
        declared[name] = shape
        return shape
    }

    /// The shape with the traits of the shapes its references point to merged into them
    /// (see `AWSShapeRef.merged`); `nil` when the model has no such shape.
    func shape(_ name: String) throws -> AWSShape? {
        if let shape = cached(\.resolved, name) { return shape }
        guard var shape = try declaredShape(name) else { return nil }
        for (memberName, ref) in shape.members { shape.members[memberName] = try merge(ref) }
        shape.member = try shape.member.map(merge)
        shape.key = try shape.key.map(merge)
        shape.value = try shape.value.map(merge)
        lock.lock(); defer { lock.unlock() }
        resolved[name] = shape
        return shape
    }

    func merge(_ ref: AWSShapeRef) throws -> AWSShapeRef {
        guard let target = try declaredShape(ref.shape), target.hasInheritedTraits else { return ref }
        return ref.merged(with: target)
    }

    /// The operation named `name` (its key in the model), input and output references merged.
    func operation(_ name: String) -> AWSOperation? {
        if let operation = cached(\.operations, name) { return operation }
        guard let range = operationIndex.ranges[name], let object = try? Self.parse(operationsText, range) else { return nil }
        let http = object["http"]?.objectValue ?? [:]
        let operation = AWSOperation(
            name: object["name"]?.stringValue ?? name,
            httpMethod: http["method"]?.stringValue ?? "POST",
            requestUri: http["requestUri"]?.stringValue ?? "/",
            responseCode: http["responseCode"]?.intValue.map { Int($0) },
            input: try? object["input"]?.objectValue.map { try merge(AWSShapeRef($0)) },
            output: try? object["output"]?.objectValue.map { try merge(AWSShapeRef($0)) },
            errors: (object["errors"]?.arrayValue ?? []).compactMap { $0["shape"]?.stringValue },
            hostPrefix: object["endpoint"]?["hostPrefix"]?.stringValue,
            deprecated: object["deprecated"]?.boolValue ?? false,
            documentation: object["documentation"]?.stringValue,
            checksumRequired: object["httpChecksumRequired"]?.boolValue == true
                || object["httpChecksum"]?["requestChecksumRequired"]?.boolValue == true)
        lock.lock(); defer { lock.unlock() }
        operations[name] = operation
        return operation
    }

    /// The XML decoding plan of the shape named `name`, compiled on first use.
    func xmlPlan(_ name: String, build: () throws -> XMLOutputPlan) rethrows -> XMLOutputPlan {
        if let plan = cached(\.xmlPlans, name) { return plan }
        let plan = try build()
        lock.lock(); defer { lock.unlock() }
        xmlPlans[name] = plan
        return plan
    }
}

/// The operations of a service model by name, in model order; each is parsed on first use.
public struct AWSOperations: Sequence, Sendable {
    let store: ServiceModelStore

    /// The operation names in model order.
    public var keys: [String] { store.operationNames }
    public var count: Int { store.operationNames.count }
    public var isEmpty: Bool { store.operationNames.isEmpty }

    /// The operation keyed `name` in the model, with the traits of its input and output shapes
    /// merged into their references; `nil` when there is none.
    public subscript(name: String) -> AWSOperation? { store.operation(name) }

    public func makeIterator() -> AnyIterator<(key: String, value: AWSOperation)> {
        var names = store.operationNames.makeIterator()
        return AnyIterator { [store] in
            while let name = names.next() {
                if let operation = store.operation(name) { return (name, operation) }
            }
            return nil
        }
    }
}
