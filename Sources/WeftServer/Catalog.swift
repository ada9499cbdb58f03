import Foundation
import WeftModel

/// An AWS service as the catalog lists it.
public struct AWSServiceSummary: Sendable, Equatable {
    /// The botocore name, e.g. `rds`: what an `aws.*` node's `service` parameter takes.
    public var name: String
    public var fullName: String
    /// The wire protocol: `query`, `ec2`, `json`, `rest-json` or `rest-xml`.
    public var protocolName: String

    public init(name: String, fullName: String, protocolName: String) {
        self.name = name; self.fullName = fullName; self.protocolName = protocolName
    }

    var json: JSON { ["name": .string(name), "fullName": .string(fullName), "protocol": .string(protocolName)] }
}

/// An operation as a service's operation list shows it.
public struct AWSOperationSummary: Sendable, Equatable {
    /// The API name, e.g. `DescribeDBInstances`.
    public var operation: String
    /// The display name, e.g. `DB Instances`.
    public var friendlyName: String
    /// Whether the operation only reads (what `aws.resource` nodes list).
    public var read: Bool

    public init(operation: String, friendlyName: String, read: Bool) {
        self.operation = operation; self.friendlyName = friendlyName; self.read = read
    }

    var json: JSON { ["operation": .string(operation), "name": .string(friendlyName), "read": .bool(read)] }
}

/// The AWS catalog the editor's pickers are built from, supplied by whoever links the AWS models
/// (`weft serve` fills it from botocore's data and the addon catalog); `WeftServer` reads no AWS
/// model itself.
///
/// The closures are called only when a catalog route is requested, never at start, on a thread that
/// may block; they may read files. The list of services is computed once and kept.
public final class AWSCatalogProvider: @unchecked Sendable {
    /// Every service's name, sorted.
    let serviceNames: @Sendable () throws -> [String]
    /// One service's name, full name and protocol; `nil` for an unknown service. Called for every
    /// service, concurrently, the first time the services are listed.
    let summarizeService: @Sendable (_ service: String) throws -> AWSServiceSummary?
    /// One service and its operations, read ones first; `nil` for an unknown service.
    let describeService: @Sendable (_ service: String) throws -> (AWSServiceSummary, [AWSOperationSummary])?
    /// One operation as `weft aws SERVICE OPERATION --json` prints it (`service`, `operation`, `name`,
    /// `read`, `input`, `addons`) plus `paginator` (botocore's definition, or null); `nil` for an
    /// unknown service or operation.
    let describeOperation: @Sendable (_ service: String, _ operation: String) throws -> JSON?

    private let lock = NSLock()
    private var cachedServices: [AWSServiceSummary]?

    public init(
        serviceNames: @escaping @Sendable () throws -> [String],
        summary: @escaping @Sendable (_ service: String) throws -> AWSServiceSummary?,
        service: @escaping @Sendable (_ service: String) throws -> (AWSServiceSummary, [AWSOperationSummary])?,
        operation: @escaping @Sendable (_ service: String, _ operation: String) throws -> JSON?
    ) {
        self.serviceNames = serviceNames; self.summarizeService = summary; self.describeService = service
        self.describeOperation = operation
    }

    /// Every service, computed on the first call and kept.
    func services() async throws -> [AWSServiceSummary] {
        if let cached = lock.withLock({ cachedServices }) { return cached }
        let services = try await Self.offThePool { [serviceNames, summarizeService] in
            let names = try serviceNames()
            let results = ResultSlots<AWSServiceSummary?>(count: names.count)
            DispatchQueue.concurrentPerform(iterations: names.count) { index in
                results.set(index, Result { try summarizeService(names[index]) })
            }
            return try results.values().compactMap { $0 }
        }
        lock.withLock { cachedServices = services }
        return services
    }

    func service(_ name: String) async throws -> (AWSServiceSummary, [AWSOperationSummary])? {
        try await Self.offThePool { try self.describeService(name) }
    }

    func operation(_ service: String, _ operation: String) async throws -> JSON? {
        try await Self.offThePool { try self.describeOperation(service, operation) }
    }

    /// Runs blocking work (file reads, model parsing) on a dispatch queue, not on Swift's cooperative
    /// pool; an error other than `APIError` becomes 503 `unavailable` with its description.
    private static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global(qos: .userInitiated).async {
                    continuation.resume(with: Result { try work() })
                }
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.serviceUnavailable, code: "unavailable", message: "the AWS catalog is not available: \(error)")
        }
    }
}

/// Results written by concurrent workers, one slot each.
private final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, any Error>) { lock.withLock { slots[index] = result } }

    /// The values in slot order; rethrows the first slot's error.
    func values() throws -> [Value] { try lock.withLock { slots }.map { try $0!.get() } }
}
