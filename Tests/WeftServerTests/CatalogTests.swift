import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeftAWS
import WeftCloudNodes
import WeftEngine
import WeftModel
import WeftNodes
import WeftServer
import WeftServerAWS
import WeftStore
import WeftTesting

@Suite("AWS catalog and templates")
struct CatalogTests {

    /// A live server like `ServerHarness.run`, with the cloud node types and the botocore catalog.
    static func withCatalogServer(
        _ body: @escaping @Sendable (ServerHarness, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await StoreBackend.sqlite.withFreshStore { store in
            _ = try await ServerBootstrap.ensureAdmin(
                store: store, environment: ["WEFT_ADMIN_PASSWORD": ServerHarness.adminPassword], bcryptCost: 4)
            var configuration = ServerConfiguration(
                port: 0, registry: NodeRegistry(NodeCatalog.types + CloudNodeCatalog.types), bcryptCost: 4,
                maxBodyBytes: 64 * 1024)
            configuration.awsCatalog = .botocore(environment: ProcessInfo.processInfo.environment)
            let server = WeftServer(store: store, configuration: configuration)
            let harness = ServerHarness(server: server, store: store)
            try await server.makeApplication().test(.live) { client in
                try await body(harness, client)
            }
            await server.waitForRuns()
        }
    }

    // MARK: AWS catalog

    @Test func everyRoleReadsServicesOperationsInputShapesAndAddons() async throws {
        try await Self.withCatalogServer { harness, client in
            for role in Role.allCases {
                let token = try await harness.user("u-\(role.rawValue)", role).1
                let list = try await client.call(.get, "/api/v1/node-types/aws/services", token: token)
                #expect(list.status == 200, "\(role): \(list.json.serialized())")
                let services = list.json["services"]?.arrayValue ?? []
                let names = Set(services.compactMap { $0["name"]?.stringValue })
                #expect(names.isSuperset(of: ["ec2", "rds", "s3"]), "\(role)")
                let rds = services.first { $0["name"] == "rds" }
                #expect(rds?["protocol"] == "query" && rds?["fullName"] == "Amazon Relational Database Service")
            }
            let reader = try await harness.user("reader", .reader).1

            let rds = try await client.call(.get, "/api/v1/node-types/aws/services/rds", token: reader)
            #expect(rds.status == 200)
            #expect(rds.json["service"]?["name"] == "rds")
            let operations = rds.json["operations"]?.arrayValue ?? []
            let describe = operations.first { $0["operation"] == "DescribeDBInstances" }
            #expect(describe == ["operation": "DescribeDBInstances", "name": "DB Instances", "read": true])
            let reads = operations.map { $0["read"] == true }
            #expect(reads.contains(false) && reads == reads.sorted { $0 && !$1 }, "read operations come first")

            let operation = try await client.call(
                .get, "/api/v1/node-types/aws/services/rds/operations/DescribeDBInstances", token: reader)
            #expect(operation.status == 200)
            #expect(operation.json["read"] == true && operation.json["name"] == "DB Instances")
            let members = operation.json["input"]?["members"]?.objectValue ?? [:]
            #expect(members["DBInstanceIdentifier"] != nil && members["Filters"] != nil)
            #expect(members["Filters"]?["type"] == "list")
            #expect(operation.json["paginator"]?["output_token"] == "Marker")
            let addons = operation.json["addons"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(addons.contains("SecurityGroups"))

            let mutating = try await client.call(
                .get, "/api/v1/node-types/aws/services/rds/operations/DeleteDBInstance", token: reader)
            #expect(mutating.json["read"] == false && mutating.json["paginator"] == .null)
            #expect(mutating.json["addons"] == [])

            let unknownService = try await client.call(.get, "/api/v1/node-types/aws/services/nosuch", token: reader)
            #expect(unknownService.status == 404 && unknownService.errorCode == "not_found")
            #expect(unknownService.json["error"]?["message"]?.stringValue?.contains("nosuch") == true)
            let unknownOperation = try await client.call(
                .get, "/api/v1/node-types/aws/services/rds/operations/DescribeNothing", token: reader)
            #expect(unknownOperation.status == 404)
            #expect(unknownOperation.json["error"]?["message"]?.stringValue?.contains("DescribeNothing") == true)
            let operationOfUnknownService = try await client.call(
                .get, "/api/v1/node-types/aws/services/nosuch/operations/Describe", token: reader)
            #expect(operationOfUnknownService.status == 404)
            #expect(operationOfUnknownService.json["error"]?["message"] == "unknown AWS service 'nosuch'")

            let anonymous = try await client.call(.get, "/api/v1/node-types/aws/services")
            #expect(anonymous.status == 401)
        }
    }

    @Test func nodeTypesComeWithTheConditionTypesAndTheirFields() async throws {
        try await ServerHarness.run { harness, client in
            let (_, token) = try await harness.user("rita", .reader)
            let answer = try await client.call(.get, "/api/v1/node-types", token: token).json
            let types = answer["conditionTypes"]?.arrayValue ?? []
            #expect(types.compactMap { $0["type"]?.stringValue } == ConditionTypes.builtIn.map { $0.name })
            let param = try #require(types.first { $0["type"] == "param" })
            #expect(param["fields"]?["required"] == ["key", "operator"])
            #expect(param["fields"]?["properties"]?["operator"]?["enum"]?.arrayValue?.contains("contains") == true)
            #expect(types.allSatisfy { $0["summary"]?.stringValue?.isEmpty == false })
        }
    }

    @Test func withoutACatalogTheRoutesAnswerUnavailable() async throws {
        try await ServerHarness.run { harness, client in
            let token = try await harness.user("dev", .developer).1
            for path in [
                "/api/v1/node-types/aws/services", "/api/v1/node-types/aws/services/rds",
                "/api/v1/node-types/aws/services/rds/operations/DescribeDBInstances",
            ] {
                let reply = try await client.call(.get, path, token: token)
                #expect(reply.status == 503 && reply.json["error"]?["message"] == "the AWS catalog is not available")
            }
        }
    }

    // MARK: Templates

    @Test func everyRoleListsAndReadsTheShippedTemplates() async throws {
        try await Self.withCatalogServer { harness, client in
            for role in Role.allCases {
                let token = try await harness.user("u-\(role.rawValue)", role).1
                let list = try await client.call(.get, "/api/v1/templates", token: token)
                #expect(list.status == 200, "\(role): \(list.json.serialized())")
                let templates = list.json["templates"]?.arrayValue ?? []
                #expect(
                    templates.compactMap { $0["name"]?.stringValue }
                        == ["public-rds-instances", "security-groups-outside-ips"], "\(role)")
            }
            let reader = try await harness.user("reader", .reader).1
            let list = try await client.call(.get, "/api/v1/templates", token: reader)
            let rds = try #require(list.json["templates"]?.arrayValue?.first)
            #expect(rds["title"] == "Publicly accessible RDS DB instances")
            #expect(rds["categories"] == ["Security", "AWS", "RDS"])
            #expect(rds["nodeTypes"] == ["trigger", "aws.resource", "control"])
            #expect(rds["needsConnector"] == true)
            #expect(rds["description"]?.stringValue?.isEmpty == false)

            let one = try await client.call(.get, "/api/v1/templates/security-groups-outside-ips", token: reader)
            #expect(one.status == 200)
            #expect(one.json["template"]?["variables"]?[0]?["name"] == "allowedCidrs")
            let document = try #require(one.json["document"])
            let (decoded, issues) = FlowDocument.decode(document)
            #expect(issues.isEmpty && decoded?.name == "Security Groups allowing outside IPs")

            let unknown = try await client.call(.get, "/api/v1/templates/nosuch", token: reader)
            #expect(unknown.status == 404 && unknown.json["error"]?["message"]?.stringValue?.contains("nosuch") == true)
        }
    }

    @Test func instantiatingATemplateCreatesAValidFlowWithTargetsAndVariables() async throws {
        try await Self.withCatalogServer { harness, client in
            try await harness.store.createConnector(
                ConnectorRecord(
                    id: "con_prod", name: "prod", provider: "aws", regions: ["us-east-1", "eu-west-2"], createdAt: Date(),
                    updatedAt: Date()))
            let (developer, token) = try await harness.user("dev", .developer)
            let created = try await client.call(
                .post, "/api/v1/templates/public-rds-instances/instantiate", token: token,
                json: ["name": "RDS in prod", "targets": [["connector": "prod", "regions": ["eu-west-2"]]]])
            #expect(created.status == 201, "\(created.json.serialized())")
            let id = try #require(created.json["flow"]?["id"]?.stringValue)
            #expect(created.headers[.location] == "/api/v1/flows/\(id)")
            #expect(created.json["flow"]?["owner"] == .string(developer.id))
            #expect(created.json["flow"]?["name"] == "RDS in prod")
            #expect(created.json["version"]?["version"] == 1)

            let read = try await client.call(.get, "/api/v1/flows/\(id)", token: token)
            let document = try #require(read.json["document"])
            #expect(document["targets"] == [["connector": "prod", "regions": ["eu-west-2"]]])
            let (decoded, issues) = FlowDocument.decode(document)
            let flow = try #require(decoded)
            #expect(issues.isEmpty)
            #expect(harness.server.configuration.registry.validator.validate(flow).isEmpty)
            #expect(flow.targets == [FlowTarget(connector: "prod", regions: ["eu-west-2"])])

            let withVariables = try await client.call(
                .post, "/api/v1/templates/security-groups-outside-ips/instantiate", token: token,
                json: ["targets": [["connector": "prod"]], "variables": ["allowedCidrs": ["10.0.0.0/8"]]])
            #expect(withVariables.status == 201, "\(withVariables.json.serialized())")
            #expect(withVariables.json["flow"]?["name"] == "Security Groups allowing outside IPs")
            let secondId = try #require(withVariables.json["flow"]?["id"]?.stringValue)
            let second = try await client.call(.get, "/api/v1/flows/\(secondId)", token: token)
            #expect(second.json["document"]?["variables"]?[0]?["value"] == ["10.0.0.0/8"])
            #expect(second.json["document"]?["targets"] == [["connector": "prod"]])

            let bare = try await client.call(.post, "/api/v1/templates/public-rds-instances/instantiate", token: token)
            #expect(bare.status == 201, "an empty body keeps the template as it is")
        }
    }

    @Test func instantiationIsRefusedToReadersAndForUnknownNames() async throws {
        try await Self.withCatalogServer { harness, client in
            try await harness.store.createConnector(
                ConnectorRecord(id: "con_prod", name: "prod", provider: "aws", createdAt: Date(), updatedAt: Date()))
            let path = "/api/v1/templates/security-groups-outside-ips/instantiate"
            for role in [Role.reader, .deployer] {
                let token = try await harness.user("u-\(role.rawValue)", role, tags: ["team-a"]).1
                let denied = try await client.call(
                    .post, path, token: token, json: ["targets": [["connector": "prod"]]])
                #expect(denied.status == 403 && denied.errorCode == "forbidden", "\(role)")
            }
            #expect(try await harness.store.flows().isEmpty)

            let token = try await harness.user("pdev", .powerDeveloper).1
            let unknownVariable = try await client.call(
                .post, path, token: token, json: ["variables": ["allowedCidrs": [], "blockedPorts": [22]]])
            #expect(unknownVariable.status == 422 && unknownVariable.errorCode == "validation_failed")
            #expect(unknownVariable.json["error"]?["message"]?.stringValue?.contains("'blockedPorts'") == true)
            #expect(unknownVariable.json["error"]?["details"]?["unknown"] == ["blockedPorts"])

            let unknownConnector = try await client.call(
                .post, path, token: token, json: ["targets": [["connector": "staging", "regions": ["us-east-1"]]]])
            #expect(unknownConnector.status == 422)
            #expect(unknownConnector.json["error"]?["message"]?.stringValue?.contains("'staging'") == true)

            let wrongType = try await client.call(
                .post, path, token: token, json: ["variables": ["allowedCidrs": "10.0.0.0/8"]])
            #expect(wrongType.status == 422 && wrongType.errorCode == "validation_failed")

            let unknownField = try await client.call(.post, path, token: token, json: ["owner": "someone"])
            #expect(unknownField.status == 400 && unknownField.errorCode == "invalid_request")
            let badTargets = try await client.call(.post, path, token: token, json: ["targets": "prod"])
            #expect(badTargets.status == 400)

            let unknownTemplate = try await client.call(.post, "/api/v1/templates/nosuch/instantiate", token: token)
            #expect(unknownTemplate.status == 404)
            #expect(try await harness.store.flows().isEmpty)
        }
    }
}
