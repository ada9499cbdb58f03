import Foundation
import WeftAWS
import WeftEngine
import WeftModel
import WeftServer
import WeftStore
import WeftTemplates

/// `weft serve --demo`: a local AWS stand-in (moto's server on 127.0.0.1) seeded through Weft's own
/// AWS client with a small estate — world-open and office-only security groups, public and private
/// RDS instances — the connector `demo-aws` to it, and the shipped templates as flows targeting it,
/// so a newcomer sees real findings within minutes. moto keeps its state in memory: the estate is
/// created again at every start, and the connector is pointed at the new port.
enum DemoEstate {
    static let connectorName = "demo-aws"
    static let regions = ["us-east-1", "eu-west-2"]

    /// moto's server as a child process; it is killed when this process exits (its shell's stdin closes).
    final class Moto: @unchecked Sendable {
        let endpoint: String
        private let process: Process
        private let lifeline = Pipe()

        init() throws {
            guard let executable = DemoEstate.onPath("moto_server") else {
                throw DemoError("moto_server is not installed: pip install 'moto[server]' (scripts/start.sh does)")
            }
            let port = try DemoEstate.freePort()
            endpoint = "http://127.0.0.1:\(port)"
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "\"$@\" & child=$!; trap 'kill -9 $child 2>/dev/null' EXIT; read _ || true", "sh",
                                 executable, "-H", "127.0.0.1", "-p", String(port)]
            process.standardInput = lifeline
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<300 {
                if DemoEstate.accepts(port: port) { return }
                Thread.sleep(forTimeInterval: 0.1)
            }
            throw DemoError("moto_server did not start on 127.0.0.1:\(port) within 30 s")
        }

        deinit { try? lifeline.fileHandleForWriting.close() }
    }

    /// Creates the estate in `moto`, upserts the connector and adds the template flows that are not
    /// there yet (owned by the Manager `admin`). Returns the names of the flows added.
    static func install(moto: Moto, store: SQLStore, secretBox: SecretBox, environment: [String: String]) async throws -> [String] {
        try await seed(endpoint: moto.endpoint, environment: environment)
        let now = Date()
        let secrets: JSONObject = ["accessKeyId": "testing", "secretAccessKey": "testing"]
        if var existing = try? await store.connector(named: connectorName) {
            existing.endpoint = moto.endpoint
            existing.regions = regions
            existing.updatedAt = now
            try await store.updateConnector(existing)
        } else {
            let id = "con_demo"
            try await store.createConnector(ConnectorRecord(
                id: id, name: connectorName, provider: "aws", accountId: "123456789012", regions: regions,
                endpoint: moto.endpoint, settings: [:], secretNames: secrets.keys.sorted(),
                sealedSecrets: try secretBox.seal(secrets, context: "connector:\(id)"), createdAt: now, updatedAt: now))
        }
        let owner = try await store.user(named: ServerBootstrap.adminName).id
        let existing = Set(try await store.flows().map(\.name))
        var added: [String] = []
        for template in try TemplateLibrary.all() where !existing.contains(template.document.name) {
            guard var document = template.document.json.objectValue else { continue }
            document["targets"] = [["connector": .string(connectorName)]]
            let id = "flw_demo_\(template.name.replacingOccurrences(of: "-", with: "_"))"
            _ = try await store.saveFlow(id: id, name: template.document.name, owner: owner,
                                         categories: template.document.categories, tags: template.document.tags,
                                         document: .object(document), author: owner)
            added.append(template.document.name)
        }
        return added
    }

    /// Per region: four security groups (HTTPS and SSH open to the world, SSH from a documentation
    /// range standing in for an office, PostgreSQL from 10.0.0.0/8) and three RDS instances (one
    /// publicly accessible, one private behind the world-open SSH group, one private and internal).
    static func seed(endpoint: String, environment: [String: String]) async throws {
        let client = try AWSClient(botocore: try BotocoreData.locate(environment: environment),
                                   credentials: StaticCredentialsProvider(accessKeyId: "testing", secretAccessKey: "testing"),
                                   endpointOverride: endpoint)
        for region in regions {
            let vpcs = try await client.call("ec2", "DescribeVpcs", parameters: [
                "Filters": [["Name": "is-default", "Values": ["true"]]],
            ], region: region)
            guard let vpc = vpcs["Vpcs"]?[0]?["VpcId"] else { throw DemoError("moto has no default VPC in \(region)") }
            var groups: [String: JSON] = [:]
            for (name, port, cidr) in [("web-open", 443, "0.0.0.0/0"), ("ssh-open", 22, "0.0.0.0/0"),
                                       ("office-ssh", 22, "203.0.113.0/24"), ("internal-db", 5432, "10.0.0.0/8")] {
                let created = try await client.call("ec2", "CreateSecurityGroup", parameters: [
                    "GroupName": .string(name), "Description": .string("weft demo: \(name)"), "VpcId": vpc,
                ], region: region)
                guard let id = created["GroupId"] else { throw DemoError("CreateSecurityGroup gave no GroupId") }
                groups[name] = id
                _ = try await client.call("ec2", "AuthorizeSecurityGroupIngress", parameters: [
                    "GroupId": id,
                    "IpPermissions": [["IpProtocol": "tcp", "FromPort": .int(Int64(port)), "ToPort": .int(Int64(port)),
                                       "IpRanges": [["CidrIp": .string(cidr)]]]],
                ], region: region)
            }
            for (name, isPublic, group) in [("orders-db", true, "internal-db"), ("billing-db", false, "ssh-open"),
                                            ("reports-db", false, "internal-db")] {
                _ = try await client.call("rds", "CreateDBInstance", parameters: [
                    "DBInstanceIdentifier": .string(name), "DBInstanceClass": "db.t3.micro", "Engine": "postgres",
                    "MasterUsername": "weft", "MasterUserPassword": "demo-password-1", "AllocatedStorage": 20,
                    "PubliclyAccessible": .bool(isPublic), "VpcSecurityGroupIds": [groups[group] ?? .null],
                ], region: region)
            }
        }
    }

    static func onPath(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DemoError("socket() failed") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0 else { throw DemoError("no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}

struct DemoError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
