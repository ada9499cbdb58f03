import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns a host name into the IP addresses a connection may go to.
public protocol HostResolving: Sendable {
    /// Every address `host` resolves to, as text (`192.0.2.1`, `2001:db8::1`), in the order to try.
    /// An IP address literal resolves to itself.
    /// - Throws: `HTTPRequestError` (`.resolution`) when the name does not resolve.
    func addresses(of host: String) async throws -> [String]
}

/// Resolves names with the system resolver (`getaddrinfo`), on a thread that may block.
public struct SystemResolver: HostResolving {
    public init() {}

    public func addresses(of host: String) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Self.lookup(host) })
            }
        }
    }

    /// The addresses of `host` from `getaddrinfo`, each once, in its order.
    static func lookup(_ host: String) throws -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
            hints.ai_socktype = SOCK_STREAM
        #else
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            let reason = status == 0 ? "no address" : String(cString: gai_strerror(status))
            throw HTTPRequestError(.resolution, "cannot resolve host \(host): \(reason)")
        }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let text = Self.text(of: current.pointee), !addresses.contains(text) { addresses.append(text) }
            entry = current.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw HTTPRequestError(.resolution, "cannot resolve host \(host): no address") }
        return addresses
    }

    private static func text(of info: addrinfo) -> String? {
        guard let address = info.ai_addr else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch info.ai_family {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                var raw = ipv4.pointee.sin_addr
                guard inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count)) != nil else { return nil }
                return String(cString: buffer)
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                var raw = ipv6.pointee.sin6_addr
                guard inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)) != nil else { return nil }
                return String(cString: buffer)
            }
        default:
            return nil
        }
    }
}

/// Resolves the names of a fixed table and hands every other name to `fallback`; for tests and for
/// pinning names to addresses.
public struct StaticResolver: HostResolving {
    public var table: [String: [String]]
    public var fallback: (any HostResolving)?

    public init(_ table: [String: [String]], fallback: (any HostResolving)? = SystemResolver()) {
        self.table = table
        self.fallback = fallback
    }

    public func addresses(of host: String) async throws -> [String] {
        if let addresses = table[host.lowercased()] { return addresses }
        guard let fallback else { throw HTTPRequestError(.resolution, "cannot resolve host \(host): not in the table") }
        return try await fallback.addresses(of: host)
    }
}
