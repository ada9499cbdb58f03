import Foundation
import WeftModel

/// Why an endpoint could not be resolved.
public enum AWSEndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    case botocoreNotFound(String)
    case invalidData(String)
    case invalidOverride(String)
    case missingRegion(service: String)

    public var description: String {
        switch self {
        case .botocoreNotFound(let message): message
        case .invalidData(let message): "botocore endpoints.json: \(message)"
        case .invalidOverride(let url): "endpoint override is not an http(s) URL with a host: \(url)"
        case .missingRegion(let service): "no region given for \(service)"
        }
    }
}

/// Resolves service endpoints from botocore's `endpoints.json`, as botocore's partition-based resolver does:
/// the partition is chosen by region (listed or matching its `regionRegex`), the hostname comes from the
/// service's endpoint entry or the partition's template, `credentialScope` sets the signing region and
/// name, and global services (`isRegionalized: false`) use their `partitionEndpoint`.
///
/// An endpoint override (a connector's `endpoint`, `AWS_ENDPOINT_URL_<SERVICE_ID>`, `AWS_ENDPOINT_URL`,
/// in that order) replaces the URL; the signing region is then the requested region.
public struct AWSEndpointResolver: Sendable {
    struct EndpointData: Sendable {
        var hostname: String?
        var scopeRegion: String?
        var scopeService: String?

        init(_ json: JSON?) {
            hostname = json?["hostname"]?.stringValue
            scopeRegion = json?["credentialScope"]?["region"]?.stringValue
            scopeService = json?["credentialScope"]?["service"]?.stringValue
        }

        func merged(over base: EndpointData?) -> EndpointData {
            guard let base else { return self }
            var out = self
            out.hostname = hostname ?? base.hostname
            out.scopeRegion = scopeRegion ?? base.scopeRegion
            out.scopeService = scopeService ?? base.scopeService
            return out
        }
    }

    struct Service: Sendable {
        var endpoints: [String: EndpointData]
        var defaults: EndpointData?
        var partitionEndpoint: String?
        var isRegionalized: Bool

        init(_ value: JSON) {
            var endpoints: [String: EndpointData] = [:]
            for (endpointName, data) in value["endpoints"]?.objectValue ?? [:] {
                endpoints[endpointName] = EndpointData(data)
            }
            self.endpoints = endpoints
            defaults = value["defaults"].map { EndpointData($0) }
            partitionEndpoint = value["partitionEndpoint"]?.stringValue
            isRegionalized = value["isRegionalized"]?.boolValue ?? true
        }
    }

    struct Partition: Sendable {
        var name: String
        var dnsSuffix: String
        var regionPattern: RegionPattern
        var regions: Set<String>
        var defaults: EndpointData
        var services: ServiceTable

        /// The partition described by `item` (one element of `partitions`), its services given apart.
        init(_ item: JSON, services: ServiceTable) throws {
            guard let name = item["partition"]?.stringValue, let suffix = item["dnsSuffix"]?.stringValue,
                  let regex = item["regionRegex"]?.stringValue
            else { throw AWSEndpointError.invalidData("partition without partition, dnsSuffix or regionRegex") }
            self.name = name
            dnsSuffix = suffix
            regionPattern = try RegionPattern(regex)
            regions = Set((item["regions"]?.objectValue ?? [:]).keys)
            defaults = EndpointData(item["defaults"])
            self.services = services
        }

        func matches(_ region: String) -> Bool { regions.contains(region) || regionPattern.matches(region) }
    }

    /// A partition's services, each parsed from the text of `endpoints.json` when first asked for.
    final class ServiceTable: @unchecked Sendable {
        private let text: [UInt8]
        private let index: RawJSONIndex
        private let lock = NSLock()
        private var parsed: [String: Service?] = [:]

        /// The services of a parsed `services` object.
        init(_ services: JSONObject) {
            text = []
            index = RawJSONIndex()
            for (key, value) in services { parsed[key] = Service(value) }
        }

        /// The services of the compact JSON text of a `services` object.
        init(text: [UInt8]) throws {
            self.text = text
            index = try text.withUnsafeBytes { try RawJSONIndex($0, range: 0..<$0.count) }
        }

        subscript(name: String) -> Service? {
            lock.lock(); defer { lock.unlock() }
            if let service = parsed[name] { return service }
            var service: Service?
            if let range = index.ranges[name],
                let value = try? text.withUnsafeBytes({ try JSON.parse(UnsafeRawBufferPointer(rebasing: $0[range])) })
            {
                service = Service(value)
            }
            parsed[name] = service
            return service
        }
    }

    let partitions: [Partition]

    /// Builds a resolver from the parsed contents of `endpoints.json`.
    public init(endpointsJSON: JSON) throws {
        guard let list = endpointsJSON["partitions"]?.arrayValue else {
            throw AWSEndpointError.invalidData("no partitions")
        }
        partitions = try list.map { item in
            try Partition(item, services: ServiceTable(item["services"]?.objectValue ?? [:]))
        }
    }

    /// Builds a resolver from the text of `endpoints.json`; each service's entries are parsed when
    /// first resolved.
    init(endpointsText text: [UInt8]) throws {
        let compact: [UInt8]
        let partitionRanges: [Range<Int>]
        do {
            compact = try text.withUnsafeBytes { try RawJSONIndex.compacted($0, range: 0..<$0.count, dropping: nil) }
            partitionRanges = try compact.withUnsafeBytes { bytes in
                let top = try RawJSONIndex(bytes, range: 0..<bytes.count)
                guard let list = top.ranges["partitions"] else { throw AWSEndpointError.invalidData("no partitions") }
                return try RawJSONIndex.elements(bytes, range: list)
            }
        } catch let error as AWSEndpointError {
            throw error
        } catch {
            throw AWSEndpointError.invalidData("\(error)")
        }
        partitions = try compact.withUnsafeBytes { bytes in
            try partitionRanges.map { range in
                let members = try RawJSONIndex(bytes, range: range)
                var item: JSONObject = [:]
                for name in members.names where name != "services" {
                    item[name] = try JSON.parse(UnsafeRawBufferPointer(rebasing: bytes[members.ranges[name]!]))
                }
                let services = try members.ranges["services"].map { try ServiceTable(text: Array(bytes[$0])) } ?? ServiceTable([:])
                return try Partition(.object(item), services: services)
            }
        }
    }

    /// The resolver for botocore's `endpoints.json` in `BotocoreLocator.dataDirectory(environment:)`,
    /// loaded once per process per folder.
    public static func botocore(environment: [String: String]) throws -> AWSEndpointResolver {
        let directory = try BotocoreLocator.dataDirectory(environment: environment)
        return try loaded.value(for: directory) {
            let path = directory + "/endpoints.json"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AWSEndpointError.botocoreNotFound("cannot read \(path)")
            }
            return try AWSEndpointResolver(endpointsText: Array(data))
        }
    }

    private static let loaded = ResolverCache()

    /// The partition name (`aws`, `aws-cn`, `aws-us-gov`, …) a region belongs to; `aws` when none matches.
    public func partition(for region: String) -> String { partitionData(for: region)?.name ?? "aws" }

    /// Resolves the endpoint for a service in a region.
    ///
    /// - Parameters:
    ///   - endpointPrefix: the model's `metadata.endpointPrefix` (the key in `endpoints.json`).
    ///   - signingName: the model's `metadata.signingName` (or `endpointPrefix` when it has none).
    ///   - serviceId: the model's `metadata.serviceId`, used for `AWS_ENDPOINT_URL_<SERVICE_ID>`.
    ///   - endpointOverride: a connector's endpoint URL; wins over the environment.
    ///   - environment: where `AWS_ENDPOINT_URL*` and `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` are read.
    /// - Throws: `AWSEndpointError.missingRegion` for an empty region, `.invalidOverride` for a bad URL.
    public func resolve(endpointPrefix: String, signingName: String? = nil, region: String, serviceId: String? = nil,
                        endpointOverride: String? = nil, environment: [String: String] = [:]) throws -> AWSEndpoint
    {
        let signing = signingName ?? endpointPrefix
        guard !region.isEmpty else { throw AWSEndpointError.missingRegion(service: endpointPrefix) }
        let resolved = resolveFromData(endpointPrefix: endpointPrefix, region: region)
        let name = resolved.scopeService ?? signing
        if let override = AWSEndpointResolver.overrideURL(serviceId: serviceId, endpointOverride: endpointOverride,
                                                          environment: environment) {
            guard let endpoint = AWSEndpoint(url: override, signingRegion: region, signingName: name, isOverride: true)
            else { throw AWSEndpointError.invalidOverride(override) }
            return endpoint
        }
        return AWSEndpoint(scheme: "https", host: resolved.hostname, signingRegion: resolved.scopeRegion ?? region,
                           signingName: name)
    }

    /// The override URL that applies, if any: `endpointOverride`, else (unless
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`) `AWS_ENDPOINT_URL_<SERVICE_ID>` then `AWS_ENDPOINT_URL`.
    public static func overrideURL(serviceId: String?, endpointOverride: String?,
                                   environment: [String: String]) -> String? {
        if let endpointOverride, !endpointOverride.isEmpty { return endpointOverride }
        if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true" { return nil }
        if let serviceId, let url = environment["AWS_ENDPOINT_URL_" + environmentSuffix(serviceId: serviceId)],
           !url.isEmpty {
            return url
        }
        if let url = environment["AWS_ENDPOINT_URL"], !url.isEmpty { return url }
        return nil
    }

    /// `serviceId` as it appears in `AWS_ENDPOINT_URL_<SERVICE_ID>`: upper case, spaces and dashes as `_`.
    public static func environmentSuffix(serviceId: String) -> String {
        String(serviceId.uppercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
    }

    private func partitionData(for region: String) -> Partition? {
        partitions.first { $0.regions.contains(region) } ?? partitions.first { $0.regionPattern.matches(region) }
    }

    private func resolveFromData(endpointPrefix: String, region: String)
        -> (hostname: String, scopeRegion: String?, scopeService: String?)
    {
        let partition = partitions.first { $0.services[endpointPrefix]?.endpoints[region] != nil }
            ?? partitionData(for: region) ?? partitions.first { $0.name == "aws" } ?? partitions.first
        guard let partition else { return ("\(endpointPrefix).\(region).amazonaws.com", nil, nil) }
        let service = partition.services[endpointPrefix]
        var endpointName = region
        if let service, service.endpoints[region] == nil, !service.isRegionalized,
           let global = service.partitionEndpoint {
            endpointName = global
        }
        let data = (service?.endpoints[endpointName] ?? EndpointData(nil))
            .merged(over: service?.defaults).merged(over: partition.defaults)
        let template = data.hostname ?? "{service}.{region}.{dnsSuffix}"
        let hostname = template.replacingOccurrences(of: "{service}", with: endpointPrefix)
            .replacingOccurrences(of: "{region}", with: endpointName)
            .replacingOccurrences(of: "{dnsSuffix}", with: partition.dnsSuffix)
        return (hostname, data.scopeRegion, data.scopeService)
    }
}

/// A partition's `regionRegex`, compiled once.
struct RegionPattern: @unchecked Sendable {
    private let regex: NSRegularExpression

    init(_ pattern: String) throws {
        do { regex = try NSRegularExpression(pattern: pattern) } catch {
            throw AWSEndpointError.invalidData("bad regionRegex \(pattern)")
        }
    }

    func matches(_ region: String) -> Bool {
        let range = NSRange(region.startIndex..., in: region)
        return regex.firstMatch(in: region, range: range) != nil
    }
}

/// Loaded resolvers per botocore data folder.
private final class ResolverCache: @unchecked Sendable {
    private let lock = NSLock()
    private var resolvers: [String: AWSEndpointResolver] = [:]

    func value(for key: String, _ load: () throws -> AWSEndpointResolver) throws -> AWSEndpointResolver {
        lock.lock(); defer { lock.unlock() }
        if let resolver = resolvers[key] { return resolver }
        let resolver = try load()
        resolvers[key] = resolver
        return resolver
    }
}
