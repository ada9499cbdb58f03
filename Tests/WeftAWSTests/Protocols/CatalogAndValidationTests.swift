import Foundation
import Testing
import WeftAWS
import WeftModel

@Suite("AWS model catalog and parameter validation", .enabled(if: BotocoreOracle.data != nil))
struct CatalogAndValidationTests {
    @Test("services are listed and models loaded with their protocol and metadata")
    func models() throws {
        let data = try #require(BotocoreOracle.data)
        let names = data.serviceNames()
        #expect(names.count > 300)
        #expect(names.contains("ec2") && names.contains("s3") && names.contains("rds"))
        let expectations: [(String, AWSProtocol)] = [
            ("ec2", .ec2), ("rds", .query), ("iam", .query), ("sns", .query), ("dynamodb", .json), ("kms", .json),
            ("s3", .restXML), ("lambda", .restJSON), ("apigateway", .restJSON), ("route53", .restXML),
            ("cloudwatch", .json), ("sqs", .json),
        ]
        for (service, wire) in expectations {
            #expect(try data.model(service).protocol == wire, "\(service)")
        }
        let dynamodb = try data.model("dynamodb")
        #expect(dynamodb.targetPrefix == "DynamoDB_20120810")
        #expect(dynamodb.jsonVersion == "1.0")
        let iam = try data.model("iam")
        #expect(iam.globalEndpoint == "iam.amazonaws.com")
        let s3 = try data.model("s3")
        #expect(s3.signingName == "s3")
        let putObject = try s3.operation("PutObject")
        #expect(putObject.httpMethod == "PUT" && putObject.requestUri == "/{Bucket}/{Key+}")
        #expect(try data.model("ec2").paginators["DescribeInstances"] != nil)
        #expect(try data.model("ec2").waiters["InstanceRunning"] != nil)
        let same = try data.model("ec2")
        #expect(same.operations.count == (try data.model("ec2")).operations.count)
    }

    @Test("an unknown service names the service; a missing data folder names the path")
    func unknownService() throws {
        let data = try #require(BotocoreOracle.data)
        do {
            _ = try data.model("nope")
            Issue.record("no error")
        } catch let error as BotocoreDataError {
            #expect(error.description.contains("'nope'"))
        }
        #expect(throws: BotocoreDataError.self) { try BotocoreData.locate(path: "/does/not/exist") }
        let viaEnvironment = try BotocoreData.locate(environment: ["WEFT_BOTOCORE_DATA": data.root.path])
        #expect(viaEnvironment.root.path == data.root.path)
    }

    @Test("read operations are classified conservatively")
    func readOperations() throws {
        let data = try #require(BotocoreOracle.data)
        let ec2 = try data.model("ec2")
        #expect(ec2.isRead("DescribeInstances"))
        #expect(ec2.isRead("GetConsoleOutput"))
        #expect(!ec2.isRead("RunInstances"))
        #expect(!ec2.isRead("AuthorizeSecurityGroupIngress"))
        #expect(!ec2.isRead("DescribeNothing"))
        let dynamodb = try data.model("dynamodb")
        #expect(dynamodb.isRead("Scan") && dynamodb.isRead("Query") && dynamodb.isRead("BatchGetItem"))
        #expect(!dynamodb.isRead("BatchWriteItem"))
        let s3 = try data.model("s3")
        #expect(s3.isRead("ListBuckets") && s3.isRead("GetBucketPolicy") && s3.isRead("HeadObject"))
        #expect(!s3.isRead("PutBucketPolicy") && !s3.isRead("DeleteBucket"))
        #expect(s3.readOperations.count + s3.mutatingOperations.count == s3.operations.count)
        let cloudtrail = try data.model("cloudtrail")
        #expect(cloudtrail.isRead("LookupEvents"))
    }

    @Test("friendly names drop the read verb and keep acronyms")
    func friendlyNames() throws {
        let data = try #require(BotocoreOracle.data)
        let rds = try data.model("rds")
        #expect(rds.friendlyName("DescribeDBInstances") == "DB Instances")
        #expect(rds.friendlyName("DescribeDBClusterSnapshots") == "DB Cluster Snapshots")
        #expect(rds.friendlyName("CreateDBInstance") == "Create DB Instance")
        let s3 = try data.model("s3")
        #expect(s3.friendlyName("ListBuckets") == "Buckets")
        #expect(s3.friendlyName("GetBucketPolicy") == "Bucket Policy")
        #expect(s3.friendlyName("GetBucketAcl") == "Bucket Acl")
        let ec2 = try data.model("ec2")
        #expect(ec2.friendlyName("DescribeVpcEndpoints") == "Vpc Endpoints")
        #expect(ec2.friendlyName("DescribeNetworkAcls") == "Network Acls")
        #expect(ec2.friendlyName("AssignIpv6Addresses") == "Assign Ipv6 Addresses")
        let iam = try data.model("iam")
        #expect(iam.friendlyName("ListMFADevices") == "MFA Devices")
        #expect(iam.friendlyName("GetAccountAuthorizationDetails") == "Account Authorization Details")
    }

    @Test("the input description lists members, types, required names and enums, bounded in depth")
    func inputDescription() throws {
        let data = try #require(BotocoreOracle.data)
        let ec2 = try data.model("ec2")
        let description = try ec2.inputDescription("DescribeInstances")
        #expect(description["type"] == "structure")
        #expect(description["members"]?["Filters"]?["type"] == "list")
        #expect(description["members"]?["Filters"]?["member"]?["members"]?["Name"]?["type"] == "string")
        #expect(description["members"]?["MaxResults"]?["type"] == "integer")
        let rds = try data.model("rds")
        let modify = try rds.inputDescription("ModifyDBInstance")
        #expect(modify["required"] == ["DBInstanceIdentifier"])
        let s3 = try data.model("s3")
        let put = try s3.inputDescription("PutObject")
        #expect(put["members"]?["Bucket"]?["location"] == "uri")
        #expect(put["members"]?["ACL"]?["enum"]?.arrayValue?.contains("private") == true)
        let shallow = try ec2.inputDescription("RunInstances", depth: 1)
        #expect(shallow["members"]?["BlockDeviceMappings"]?["truncated"] == true)
        #expect(throws: AWSModelError.self) { try ec2.inputDescription("Nope") }
        for name in try data.model("dynamodb").operations.keys {
            _ = try data.model("dynamodb").inputDescription(name)
        }
    }

    @Test("validation reports unknown members, missing required members and wrong types with pointers")
    func validation() throws {
        let data = try #require(BotocoreOracle.data)
        func issues(_ service: String, _ operation: String, _ parameters: JSON) -> [String] {
            AWSParameterValidator.validate(service: service, operation: operation, parameters: parameters, data: data)
                .map { "\($0.severity.rawValue) \($0.pointer)" }
        }
        #expect(issues("ec2", "DescribeInstances", ["Filters": [["Name": "a", "Values": ["b"]]], "MaxResults": 5]).isEmpty)
        #expect(issues("rds", "ModifyDBInstance", [:]) == ["error /DBInstanceIdentifier"])
        #expect(issues("rds", "ModifyDBInstance", ["DBInstanceIdentifier": "x", "Bogus": 1]) == ["error /Bogus"])
        #expect(issues("ec2", "DescribeInstances", ["MaxResults": "five"]) == ["error /MaxResults"])
        #expect(issues("ec2", "DescribeInstances", ["Filters": [["Name": 3]]]) == ["error /Filters/0/Name"])
        #expect(issues("ec2", "DescribeInstances", ["Filters": ["Name": "x"]]) == ["error /Filters"])
        #expect(issues("ec2", "DescribeInstances", ["DryRun": "yes"]) == ["error /DryRun"])
        #expect(
            issues(
                "cloudwatch", "GetMetricStatistics",
                [
                    "Namespace": "n", "MetricName": "m", "StartTime": "yesterday", "EndTime": 1_790_000_000, "Period": 60,
                ]) == ["error /StartTime"])
        #expect(issues("kms", "Encrypt", ["KeyId": "k", "Plaintext": 5]) == ["error /Plaintext"])
        #expect(issues("lambda", "TagResource", ["Resource": "r", "Tags": ["a": 1]]) == ["error /Tags/a"])
        #expect(issues("s3", "PutObject", ["Bucket": "b", "Key": "k", "ACL": "mostly-private"]) == ["warning /ACL"])
        #expect(
            issues(
                "rds", "ModifyDBInstance",
                [
                    "DBInstanceIdentifier": "{{ $.DBInstanceIdentifier }}",
                    "PubliclyAccessible": "{{ $.flag }}", "AllocatedStorage": "$wf.variables:size",
                    "VpcSecurityGroupIds": "{{ $.groups }}",
                ]
            ).isEmpty)
        #expect(
            issues("rds", "ModifyDBInstance", ["DBInstanceIdentifier": "x", "VpcSecurityGroupIds": "sg-{{ $.id }}"])
                == ["error /VpcSecurityGroupIds"])
        #expect(issues("nope", "DescribeX", [:]) == ["error "])
        let unknown = AWSParameterValidator.validate(service: "rds", operation: "DescribeNothing", parameters: [:], data: data)
        #expect(unknown.first?.message.contains("'DescribeNothing'") == true)
        let missing = AWSParameterValidator.validate(service: "rds", operation: "ModifyDBInstance", parameters: [:], data: data)
        #expect(missing.first?.message == "missing required parameter 'DBInstanceIdentifier'")
    }
}

@Suite("AWS model loading", .enabled(if: BotocoreOracle.data != nil))
struct ModelLoadingTests {
    @Test("a model loads once and is shared between threads")
    func loadShared() async throws {
        let root = try #require(BotocoreOracle.data).root
        let data = BotocoreData(root: root)
        #expect(try data.model("ec2").operations.count > 500)
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 { group.addTask { try data.model("s3").operations.count } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(Set(counts).count == 1)
        #expect(try data.model("s3").operation("PutBucketTagging").checksumRequired)
        #expect(!(try data.model("s3").operation("GetObject").checksumRequired))
    }
}

@Suite("Every AWS service model", .enabled(if: BotocoreOracle.data != nil))
struct EveryServiceTests {
    @Test("every service in botocore loads with its operations, paginators and waiters")
    func allServices() async throws {
        let root = try #require(BotocoreOracle.data).root
        let data = BotocoreData(root: root)
        let names = data.serviceNames()
        let failures = await withTaskGroup(of: [String].self) { group in
            for slice in 0..<2 {
                group.addTask {
                    var failures: [String] = []
                    for (index, name) in names.enumerated() where index % 2 == slice {
                        do {
                            let model = try data.model(name)
                            for operation in model.operations.keys {
                                _ = try model.inputDescription(operation, depth: 3)
                                if model.friendlyName(operation).isEmpty { failures.append("\(name).\(operation): no name") }
                                if model.paginators[operation] != nil {
                                    _ = try AWSPaginator(model: model, operation: operation)
                                }
                            }
                            for waiter in model.waiters.keys {
                                let loaded = try AWSWaiter(model: model, name: waiter)
                                if model.operations[loaded.operation] == nil {
                                    failures.append("\(name) waiter \(waiter): unknown operation \(loaded.operation)")
                                }
                            }
                        } catch let error as BotocoreDataError where error.message.hasPrefix("no supported protocol") {
                            // Services offered only over protocols Weft does not speak (smithy-rpc-v2-cbor) are
                            // reported as such when used; newer botocore releases add them.
                        } catch {
                            failures.append("\(name): \(error)")
                        }
                    }
                    return failures
                }
            }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        print("loaded \(names.count) service models")
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }
}

extension ModelLoadingTests {
    @Test("time spent reading, parsing and indexing the EC2 model")
    func loadPhases() throws {
        let root = try #require(BotocoreOracle.data).root
        let folder = root.appendingPathComponent("ec2/2016-11-15")
        let clock = ContinuousClock()
        let compressed = try [UInt8](Data(contentsOf: folder.appendingPathComponent("service-2.json.gz")))
        var bytes: [UInt8] = []
        let gunzip = try clock.measure { bytes = try Compression.gunzip(compressed) }
        var document: JSON = .null
        let parse = try clock.measure { document = try JSON.parse(bytes) }
        let index = try clock.measure { _ = try ServiceModel(name: "ec2", document: document) }
        print("ec2 model: gunzip \(gunzip), parse \(parse), index \(index)")
    }
}
