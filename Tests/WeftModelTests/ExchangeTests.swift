import Foundation
import Testing
import WeftModel

/// Export, import, clone and the seed-format converter (SPEC 4.6, 9).
struct ExchangeTests {
    /// Stand-ins for the node types the flows below use, with Weft's parameter names.
    static let validator = FlowValidator(descriptions: [
        NodeDescription(type: "trigger", displayName: "Trigger", group: .trigger, summary: "Starts a flow.",
                        parameters: [
                            Parameter("manual", .boolean, help: "Manual."), Parameter("schedule", .any, help: "Schedule."),
                            Parameter("event", .any, help: "Event."), Parameter("scan", .any, help: "Scan."),
                        ], example: [:], takesInput: false),
        NodeDescription(type: "data", displayName: "Data", group: .general, summary: "Items.",
                        parameters: [Parameter("items", .any, help: "Items.")], example: [:]),
        NodeDescription(type: "aws.resource", displayName: "AWS Resource", group: .aws, summary: "Reads.",
                        parameters: [
                            Parameter("service", .string, required: true, help: "Service."),
                            Parameter("operation", .string, required: true, help: "Operation."),
                            Parameter("parameters", .map(of: .any), help: "Parameters."),
                            Parameter("addons", .array(of: .string, maxItems: 2), help: "Addons."),
                        ], example: [:]),
        NodeDescription(type: "filter", displayName: "Filter", group: .general, summary: "Filters.",
                        parameters: [
                            Parameter("input", .inputReference, help: "Input."),
                            Parameter("conditions", .conditionList, required: true, help: "Conditions."),
                            Parameter("expression", .string, help: "Expression."),
                        ], outputs: ["main", "rejected"], example: [:]),
        NodeDescription(type: "control", displayName: "Control", group: .general, summary: "Evaluates.",
                        parameters: [
                            Parameter("input", .inputReference, help: "Input."),
                            Parameter("criteria", .conditions, required: true, help: "Criteria."),
                            Parameter("evidence", .object([
                                Parameter("resourceId", .string(.jsonPath), help: "Id."),
                                Parameter("displayName", .string(.jsonPath), help: "Name."),
                                Parameter("keys", .array(of: .string(.jsonPath), maxItems: 50), help: "Keys."),
                            ]), help: "Evidence."),
                        ], example: [:]),
        NodeDescription(type: "http", displayName: "HTTP", group: .general, summary: "Calls.",
                        parameters: [
                            Parameter("input", .inputReference, help: "Input."),
                            Parameter("method", .string, help: "Method."), Parameter("url", .string, required: true, help: "URL."),
                            Parameter("headers", .map(of: .string), help: "Headers."),
                            Parameter("query", .map(of: .any), help: "Query."),
                            Parameter("auth", .object([
                                Parameter("type", .string, help: "Type."), Parameter("credential", .string, help: "Credential."),
                                Parameter("in", .string, help: "In."), Parameter("name", .string, help: "Name."),
                            ]), help: "Auth."),
                        ], example: [:]),
    ])

    static let date = Date(timeIntervalSince1970: 1_696_589_891.0525)

    /// A flow with every kind of thing an export must not carry.
    static func flowWithSecrets(name: String = "Tickets") -> JSON {
        [
            "weft": 1, "name": .string(name),
            "variables": [
                ["name": "apiToken", "type": "string", "value": "tok-SECRET-VARIABLE", "secret": true],
                ["name": "region", "type": "string", "value": "eu-west-2"],
            ],
            "targets": [["connector": "prod-aws", "regions": ["us-east-1"]]],
            "nodes": [
                ["id": "trigger", "type": "trigger", "params": ["manual": true]],
                [
                    "id": "node-0000aaaa-http", "type": "http",
                    "params": [
                        "url": "https://svc-user:SECRET-IN-URL@tickets.example.com/api?x=1",
                        "headers": ["Authorization": "Bearer SECRET-HEADER", "Accept": "application/json"],
                        "query": ["api_key": "SECRET-QUERY", "page": "1"],
                        "auth": ["type": "bearer", "credential": "ticketing", "token": "SECRET-INLINE"],
                    ],
                ],
            ],
            "edges": [["from": "trigger", "to": "node-0000aaaa-http"]],
        ]
    }

    static func simpleFlow(_ name: String) -> JSON {
        [
            "weft": 1, "name": .string(name), "tags": ["team-db"],
            "nodes": [
                ["id": "trigger", "type": "trigger", "params": ["manual": true]],
                ["id": "items", "type": "data", "params": ["items": [["n": 1]]]],
            ],
            "edges": [["from": "trigger", "to": "items"]],
        ]
    }

    // MARK: - Export

    @Test func exportRemovesCredentialsHTTPAuthValuesAndConnectorBindings() throws {
        let file = try FlowExport.file([Self.flowWithSecrets()], exportedAt: Self.date)
        let text = file.serialized()
        for secret in ["SECRET", "ticketing", "prod-aws", "svc-user", "tok-SECRET-VARIABLE"] {
            #expect(!text.contains(secret), "\(secret) in \(text)")
        }
        #expect(file["weft"] == 1)
        #expect(file["exportedAt"] == "2023-10-06T10:58:11.052Z")
        let flow = try #require(file["flows"]?[0])
        #expect(flow["targets"] == nil)
        #expect(flow["variables"]?[0]?["value"] == .null)
        #expect(flow["variables"]?[1]?["value"] == "eu-west-2")
        let params = try #require(flow["nodes"]?[1]?["params"])
        #expect(params["auth"] == ["type": "bearer"])
        #expect(params["headers"] == ["Accept": "application/json"])
        #expect(params["query"] == ["page": "1"])
        #expect(params["url"] == "https://tickets.example.com/api?x=1")
        let removed = FlowExport.stripped(Self.flowWithSecrets()).removed
        #expect(Set(removed) == [
            "/targets", "/variables/0/value", "/nodes/1/params/url", "/nodes/1/params/headers/Authorization",
            "/nodes/1/params/query/api_key", "/nodes/1/params/auth/credential", "/nodes/1/params/auth/token",
        ])
    }

    @Test func exportHoldsOneToTenFlowsAndIsNamedByTheTime() throws {
        #expect(FlowExport.fileName(exportedAt: Self.date) == "weft-export-1696589891052.json")
        let ten = (1...10).map { Self.simpleFlow("f\($0)") }
        #expect(try FlowExport.file(ten, exportedAt: Self.date)["flows"]?.arrayValue?.count == 10)
        #expect(throws: FlowExchangeError(.tooManyFlows, "11 flows chosen; an export holds at most 10")) {
            try FlowExport.file(ten + [Self.simpleFlow("f11")], exportedAt: Self.date)
        }
        #expect(throws: FlowExchangeError.self) { try FlowExport.file([], exportedAt: Self.date) }
    }

    @Test func cloneIsNamedWithTheTimeAndHasNoConnectorDetails() {
        #expect(FlowClone.name(of: "AWS_DB_Instances", clonedAt: Date(timeIntervalSince1970: 1_690_881_080.3845))
            == "AWS_DB_Instances_cloned_1690881080384")
        let copy = FlowClone.document(Self.flowWithSecrets(), clonedAt: Self.date)
        #expect(copy["name"] == "Tickets_cloned_1696589891052")
        #expect(copy["targets"] == nil)
        #expect(!copy.serialized().contains("SECRET"))
    }

    // MARK: - Import

    @Test func tenFlowsRoundTripThroughAnExportFile() throws {
        let originals = (1...10).map { Self.simpleFlow("flow \($0)") }
        var withSecrets = originals
        withSecrets[9] = Self.flowWithSecrets(name: "flow 10")
        let file = try FlowExport.file(withSecrets, exportedAt: Self.date)
        let results = try FlowImport.read(Array(file.serialized().utf8), validator: Self.validator)
        #expect(results.count == 10)
        #expect(results.allSatisfy { $0.isImported }, "\(results.map(\.issues))")
        #expect(results.map(\.name) == (1...10).map { "flow \($0)" })
        #expect(results[0].documentJSON == originals[0])
        #expect(results[9].source == .weft)
        #expect(results[9].document?.targets == [])
    }

    @Test func elevenFlowsOrTwoMegabytesAndOneByteAreRejectedWithAClearMessage() throws {
        let eleven = JSON.object(["weft": 1, "flows": .array((1...11).map { Self.simpleFlow("f\($0)") })])
        #expect(throws: FlowExchangeError(.tooManyFlows, "the file holds 11 flows; an import may hold at most 10")) {
            try FlowImport.read(Array(eleven.serialized().utf8), validator: Self.validator)
        }
        let one = Array(JSON.object(["weft": 1, "flows": [Self.simpleFlow("f")]]).serialized().utf8)
        let padded = one + [UInt8](repeating: 0x20, count: FlowImport.maxFileBytes - one.count)
        #expect(padded.count == 2 * 1024 * 1024)
        #expect(try FlowImport.read(padded, validator: Self.validator).count == 1)
        let error = #expect(throws: FlowExchangeError.self) {
            try FlowImport.read(padded + [0x20], validator: Self.validator)
        }
        #expect(error?.kind == .tooLarge)
        #expect(error?.message == "the file is 2097153 bytes; an import file may be at most 2 MB (2097152 bytes)")
    }

    @Test func aMalformedFileIsOneError() throws {
        let notJSON = #expect(throws: FlowExchangeError.self) {
            try FlowImport.read(Array("{\"weft\": 1, \"flows\": [".utf8), validator: Self.validator)
        }
        #expect(notJSON?.kind == .malformed)
        #expect(notJSON?.message.hasPrefix("the file is not JSON") == true)
        let version = #expect(throws: FlowExchangeError.self) {
            try FlowImport.read(["weft": 2, "flows": []] as JSON, validator: Self.validator)
        }
        #expect(version?.message == "format version 2 is not one this Weft reads (1)")
        let shape = #expect(throws: FlowExchangeError.self) {
            try FlowImport.read(["hello": "world"] as JSON, validator: Self.validator)
        }
        #expect(shape?.kind == .malformed)
        #expect(throws: FlowExchangeError.self) { try FlowImport.read(["weft": 1, "flows": []] as JSON, validator: Self.validator) }
    }

    @Test func eachMalformedFlowIsRejectedWithItsReasonAndTheOthersImported() throws {
        var unknownType = Self.simpleFlow("unknown type")
        unknownType = replacing(unknownType, node: 1, with: ["id": "items", "type": "nope", "params": [:]])
        var noTrigger = Self.simpleFlow("no trigger")
        if case .object(var object) = noTrigger {
            object["nodes"] = [["id": "items", "type": "data", "params": [:]]]
            object["edges"] = []
            noTrigger = .object(object)
        }
        let flows: [JSON] = [Self.simpleFlow("good 1"), unknownType, "not a flow", Self.simpleFlow("good 2"), noTrigger]
        let results = try FlowImport.read(["weft": 1, "flows": .array(flows)] as JSON, validator: Self.validator)
        #expect(results.map(\.isImported) == [true, false, false, true, false])
        #expect(results[1].issues.contains { $0.pointer == "/nodes/1/type" && $0.message.contains("unknown node type 'nope'") })
        #expect(results[2].issues.first?.message == "a flow must be a JSON object, found string")
        #expect(results[4].issues.contains { $0.pointer == "/nodes" && $0.message.contains("no trigger") })
        #expect(results[1].json["status"] == "rejected")
        #expect(results[1].json["issues"]?[0]?["nodeId"] == "items")
    }

    func replacing(_ flow: JSON, node index: Int, with node: JSON) -> JSON {
        guard case .object(var object) = flow, case .array(var nodes)? = object["nodes"] else { return flow }
        nodes[index] = node
        object["nodes"] = .array(nodes)
        return .object(object)
    }

    // MARK: - Seed format

    @Test func aSeedExportImportsWithWhatCannotBeConvertedReportedPerNode() throws {
        let results = try FlowImport.read(Array(Self.seedExport.utf8), validator: Self.validator)
        #expect(results.count == 2)
        let rds = results[0]
        #expect(rds.source == .seed)
        #expect(rds.isImported, "\(rds.issues)")
        let document = try #require(rds.document)
        #expect(document.name == "Publicly accessible RDS DB instances")
        #expect(document.categories == ["Security"])
        #expect(document.targets == [])

        let trigger = try #require(document.node("trigger"))
        #expect(trigger.params["scan"] == ["active": true])
        #expect(trigger.params["schedule"] == nil)
        #expect(trigger.params["event"] == nil)

        let resource = try #require(document.node("node-2f14d6bd-resource"))
        #expect(resource.type == "aws.resource")
        #expect(resource.name == "AWSResource")
        #expect(resource.params["service"] == "rds")
        #expect(resource.params["operation"] == "DescribeDBInstances")
        #expect(resource.params["addons"] == ["SecurityGroups"])

        let control = try #require(document.node("node-d6694548-cloudview-control"))
        #expect(control.type == "control")
        #expect(control.params["input"] == ["node": "node-2f14d6bd-resource"])
        #expect(control.params["criteria"]?["expression"] == "{ (c1) || (c2) }")
        #expect(control.params["criteria"]?["conditions"]?[0] == [
            "id": "c1", "type": "param", "key": "$.PubliclyAccessible", "operator": "==", "value": true,
        ])
        #expect(control.params["criteria"]?["conditions"]?[1] == [
            "id": "c2", "type": "securityGroup", "direction": "inbound", "ports": "all", "source": "cidr",
            "value": "0.0.0.0/0", "protocol": "any",
        ])
        #expect(control.params["evidence"] == [
            "resourceId": "DBInstanceIdentifier", "displayName": "DBName",
            "keys": ["PubliclyAccessible", "SecurityGroups.IpPermissions"],
        ])

        let filter = try #require(document.node("node-8c40c0ba-filter"))
        #expect(filter.params["conditions"] == [["id": "c1", "type": "param", "key": "$.GroupId", "operator": "exists"]])
        #expect(filter.params["input"] == ["node": "node-2f14d6bd-resource"])

        let http = try #require(document.node("node-77aa01bc-http"))
        #expect(http.params["auth"] == ["type": "bearer"])
        #expect(document.node("node-1a2b3c4d-azure-resource") == nil)
        #expect(document.edges.contains(FlowEdge(from: "node-8c40c0ba-filter", to: "node-77aa01bc-http")))

        let notes = Dictionary(grouping: rds.notConverted, by: { $0.nodeId ?? "" })
        #expect(notes["node-1a2b3c4d-azure-resource"]?.first?.message.contains("not available in this Weft") == true)
        #expect(notes["node-8c40c0ba-filter"]?.first?.pointer == "/nodes/3/data/conditionalSettings")
        #expect(notes["node-77aa01bc-http"]?.first?.message.contains("HTTP authentication is not imported") == true)
        #expect(notes["node-d6694548-cloudview-control"]?.first?.message.contains("'riskScore'") == true)
        #expect(rds.notConverted.count == 4, "\(rds.notConverted)")
        #expect(!rds.documentJSON!.serialized().contains("*****"))

        let broken = results[1]
        #expect(broken.source == .seed)
        #expect(!broken.isImported)
        #expect(broken.notConverted.contains { $0.nodeId == "node-5e5e5e5e-resource" && $0.message.contains("names no AWS operation") })
    }

    @Test func seedTriggerSettingsBecomeScheduleAndEventPattern() {
        let (document, notes) = SeedFlowConverter.convert([
            "name": "Events",
            "nodes": [[
                "id": "trigger", "type": "trigger",
                "data": [
                    "schedule": ["active": true, "value": ["rate(6 hours)"]], "cloudview": ["active": false],
                    "event": ["active": true, "value": [
                        "selectedEventsName": "AuthorizeSecurityGroupIngress", "selectedServiceName": "EC2",
                        "selectedFilters": [["key": "requestParameters.groupId", "values": ["sg-1", ""]]], "cloudProvider": "AWS",
                    ]],
                ],
            ]],
            "edges": [],
        ])
        #expect(notes == [])
        let params = document["nodes"]?[0]?["params"]
        #expect(params?["schedule"] == ["active": true, "expression": "rate(6 hours)"])
        #expect(params?["scan"] == nil)
        #expect(params?["event"] == [
            "active": true, "provider": "aws",
            "pattern": [
                "source": ["aws.ec2"], "detail-type": ["AWS API Call via CloudTrail"],
                "detail": ["eventName": ["AuthorizeSecurityGroupIngress"], "requestParameters": ["groupId": ["sg-1"]]],
            ],
        ])
    }

    @Test func seedShapesAreToldApartFromWeftFlows() throws {
        #expect(!SeedFlowConverter.isSeedFlow(Self.simpleFlow("x")))
        #expect(SeedFlowConverter.isSeedFlow(try JSON.parse(Self.seedExport)["flows"]![0]!))
        #expect(SeedFlowConverter.awsCall("RDS:describeDBInstances")?.service == "rds")
        #expect(SeedFlowConverter.awsCall("RDS:describeDBInstances")?.operation == "DescribeDBInstances")
        #expect(SeedFlowConverter.awsCall("CloudWatchLogs:describeLogGroups")?.service == "logs")
        #expect(SeedFlowConverter.awsCall("describeDBInstances") == nil)
    }

    /// Two flows as the seed product exports them: the guide's RDS flow with a filter, an HTTP node with
    /// authentication and an Azure node; and a flow whose resource node names no operation.
    static let seedExport = #"""
        {"flows": [
          {
            "name": "Publicly accessible RDS DB instances",
            "description": "Finds RDS DB instances reachable from the internet",
            "categories": ["Security"],
            "status": "Success",
            "variables": [{"name": "allowedCidrs", "type": "array", "value": ["10.0.0.0/8"]}],
            "nodes": [
              {"id": "trigger", "type": "trigger", "position": {"x": 0, "y": 0},
               "data": {"label": "Trigger", "selectedResource": null, "resourceGroup": [], "previousOutputPath": "",
                        "credentials": "*****", "project": [], "credentials_azure": "*****",
                        "nextAction": "RDS:describeDBInstances", "schedule": {"active": false, "value": []},
                        "executionId": "69f315af-4b32-4c8d-bb5e-9f99c7e7e5b7", "cloudview": {"active": true},
                        "credentials_gcp": "*****", "customerId": "24fa3e91-838e-ebb8-804f-076e46f8ed3e",
                        "conditionalSettings": {"expression": "", "conditions": []},
                        "event": {"active": false, "value": {"selectedEventsName": "",
                                  "selectedFilters": [{"values": [""], "key": ""}],
                                  "selectedServiceName": "", "cloudProvider": ""}}}},
              {"id": "node-2f14d6bd-resource", "type": "resource", "position": {"x": 200, "y": 0},
               "data": {"label": "AWSResource", "nextAction": "RDS:describeDBInstances",
                        "addons": ["Security Groups"], "additionalParams": [], "credentials": "*****",
                        "region": "us-east-1"}},
              {"id": "node-d6694548-cloudview-control", "type": "totalcloud",
               "data": {"label": "TotalCloud",
                        "selectedResource": {"selectedResourceId": "node-2f14d6bd-resource", "path": "DBInstances",
                                             "content": {"outputPath": ""}, "label": "AWSResource.DBInstances"},
                        "conditions": [
                          {"id": "c1", "type": "param", "key": "$.PubliclyAccessible", "operator": "==", "value": true},
                          {"id": "c2", "type": "Security Group", "direction": "Inbound", "portRange": "0-65535",
                           "source": "Public IPv4", "value": "0.0.0.0/0", "protocol": "ANY"}
                        ],
                        "expression": "{ (c1) || (c2) }",
                        "resourceId": "DBInstanceIdentifier", "displayName": "DBName",
                        "selectedKeys": ["PubliclyAccessible", "SecurityGroups.IpPermissions"],
                        "riskScore": 7}},
              {"id": "node-8c40c0ba-filter", "type": "filter",
               "data": {"label": "Filter",
                        "selectedResource": {"selectedResourceId": "node-2f14d6bd-resource", "path": "",
                                             "content": {"outputPath": ""}, "label": "AWSResource.DBInstances"},
                        "resourceGroup": [], "expression": "", "previousOutputPath": "true", "credentials": "*****",
                        "conditionalSettings": {"expression": "c1", "conditions": [{"id": "c1", "type": "param",
                                                "key": "$.Engine", "operator": "==", "value": "postgres"}]},
                        "conditions": [{"id": "c1", "type": "param", "value": "", "key": "$.GroupId", "operator": "exists"}],
                        "region": "us-east-1"}},
              {"id": "node-77aa01bc-http", "type": "http",
               "data": {"label": "Ticket", "method": "POST", "url": "https://tickets.example.com/api/issues",
                        "headers": [{"key": "Content-Type", "value": "application/json"}],
                        "auth": {"type": "bearer", "token": "SEED-SECRET-TOKEN"}}},
              {"id": "node-1a2b3c4d-azure-resource", "type": "azureResource",
               "data": {"label": "VMs", "service": "Compute", "method": "virtualMachines.listAll"}}
            ],
            "edges": [
              {"id": "e1", "source": "trigger", "target": "node-2f14d6bd-resource"},
              {"id": "e2", "source": "node-2f14d6bd-resource", "target": "node-d6694548-cloudview-control"},
              {"id": "e3", "source": "node-2f14d6bd-resource", "target": "node-8c40c0ba-filter"},
              {"id": "e4", "source": "node-8c40c0ba-filter", "target": "node-1a2b3c4d-azure-resource"},
              {"id": "e5", "source": "node-1a2b3c4d-azure-resource", "target": "node-77aa01bc-http"}
            ]
          },
          {
            "name": "AWS simple",
            "nodes": [
              {"id": "trigger", "type": "trigger", "data": {"cloudview": {"active": false}}},
              {"id": "node-5e5e5e5e-resource", "type": "resource", "data": {"label": "AWSResource", "addons": []}},
              {"id": "node-6f6f6f6f-filter", "type": "filter",
               "data": {"selectedResource": {"selectedResourceId": "node-5e5e5e5e-resource", "path": ""},
                        "conditions": [{"id": "c1", "type": "param", "key": "$.x", "operator": "exists"}],
                        "expression": "c1 && c9"}}
            ],
            "edges": [
              {"source": "trigger", "target": "node-5e5e5e5e-resource"},
              {"source": "node-5e5e5e5e-resource", "target": "node-6f6f6f6f-filter"}
            ]
          }
        ]}
        """#
}
