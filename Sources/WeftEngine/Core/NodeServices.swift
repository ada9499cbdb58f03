/// Long-lived facilities that nodes use — cloud clients, the JavaScript sandbox pool, HTTP — looked up
/// by their type. The process that runs flows (`weft run`, `weft serve`) registers them once; a node
/// that needs a service that is not registered fails with a clear error.
public struct NodeServices: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    /// Registers `value` as the service of its type, replacing any earlier one.
    public mutating func register<Service: Sendable>(_ value: Service) {
        values[ObjectIdentifier(Service.self)] = value
    }

    public subscript<Service: Sendable>(_ type: Service.Type) -> Service? {
        values[ObjectIdentifier(type)] as? Service
    }
}
