import Foundation
import Testing
import WeftAWS
import WeftModel
import WeftTesting

/// The client against a real moto server on 127.0.0.1, one protocol family per test: pagination over
/// more than one page, an error with AWS's code, and a mutating call followed by a read showing its
/// effect. Each test works in its own region so they can run at once on one server.
@Suite("AWS protocols against moto")
struct MotoProtocolTests {
    static let moto = Result { try MotoServer.startBlocking() }

    func client() throws -> AWSClient {
        try AWSClient(botocore: try BotocoreData.locate(),
                      credentials: StaticCredentialsProvider(accessKeyId: "testing", secretAccessKey: "testing"),
                      endpointOverride: try Self.moto.get().url)
    }

    /// Every page's result items, and how many pages there were.
    func allItems(_ client: AWSClient, _ service: String, _ operation: String, _ parameters: JSON, region: String) async throws -> (items: [JSON], pages: Int) {
        var items: [JSON] = [], pages = 0
        try await client.forEachPage(service, operation, parameters: parameters, region: region) { page in
            pages += 1
            items += try client.resultItems(service, operation, page: page)
            return true
        }
        return (items, pages)
    }

    func expectServiceError(_ code: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(code), got success")
        } catch let error as AWSServiceError {
            #expect(error.code == code, "\(error)")
            #expect(error.statusCode >= 400)
        } catch {
            Issue.record("expected AWSServiceError \(code), got \(error)")
        }
    }

    @Test("ec2: DescribeInstances over pages, InvalidGroup.NotFound, a rule authorized then read")
    func ec2() async throws {
        let aws = try client(), region = "ap-southeast-2"
        let image = try #require(try await aws.call("ec2", "DescribeImages", parameters: [:], region: region)["Images"]?[0]?["ImageId"])
        for _ in 0..<7 { _ = try await aws.call("ec2", "RunInstances", parameters: ["ImageId": image, "MinCount": 1, "MaxCount": 1], region: region) }
        let reservations = try await allItems(aws, "ec2", "DescribeInstances", ["MaxResults": 5], region: region)
        #expect(reservations.pages == 2)
        #expect(reservations.items.count == 7)

        await expectServiceError("InvalidGroup.NotFound") {
            _ = try await aws.call("ec2", "DescribeSecurityGroups", parameters: ["GroupIds": ["sg-0123456789abcdef0"]], region: region)
        }

        let group = try #require(try await aws.call("ec2", "CreateSecurityGroup",
                                                    parameters: ["GroupName": "weft-web", "Description": "web"], region: region)["GroupId"])
        _ = try await aws.call("ec2", "AuthorizeSecurityGroupIngress", parameters: [
            "GroupId": group,
            "IpPermissions": [["IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [["CidrIp": "0.0.0.0/0", "Description": "https"]]]],
        ], region: region)
        let described = try await aws.call("ec2", "DescribeSecurityGroups", parameters: ["GroupIds": [group]], region: region)
        let rule = described["SecurityGroups"]?[0]?["IpPermissions"]?[0]
        #expect(rule?["FromPort"] == 443)
        #expect(rule?["IpRanges"]?[0]?["CidrIp"] == "0.0.0.0/0")
    }

    @Test("query: RDS and SNS over pages, DBInstanceNotFound, a topic created then listed")
    func query() async throws {
        let aws = try client(), region = "eu-north-1"
        for index in 0..<7 {
            _ = try await aws.call("rds", "CreateDBInstance", parameters: [
                "DBInstanceIdentifier": .string("paged-\(index)"), "DBInstanceClass": "db.t3.micro", "Engine": "postgres",
                "MasterUsername": "admin", "MasterUserPassword": "not-a-secret-1", "AllocatedStorage": 20,
            ], region: region)
        }
        let instances = try await allItems(aws, "rds", "DescribeDBInstances", ["MaxRecords": 20], region: region)
        #expect(instances.items.count == 7)
        #expect(instances.items.allSatisfy { $0["DBInstanceIdentifier"]?.stringValue?.hasPrefix("paged-") == true })
        for index in 0..<105 { _ = try await aws.call("sns", "CreateTopic", parameters: ["Name": .string("topic-\(index)")], region: region) }
        let topics = try await allItems(aws, "sns", "ListTopics", [:], region: region)
        #expect(topics.pages == 2)
        #expect(Set(topics.items.compactMap { $0["TopicArn"]?.stringValue }).count == 105)
        #expect(topics.items.contains { $0["TopicArn"]?.stringValue?.hasSuffix(":topic-104") == true })

        await expectServiceError("DBInstanceNotFound") {
            _ = try await aws.call("rds", "DescribeDBInstances", parameters: ["DBInstanceIdentifier": "missing"], region: region)
        }
    }

    @Test("json: DynamoDB tables over pages, ResourceNotFoundException, an item put then read")
    func json() async throws {
        let aws = try client(), region = "ca-central-1"
        for index in 0..<5 {
            _ = try await aws.call("dynamodb", "CreateTable", parameters: [
                "TableName": .string("table-\(index)"), "KeySchema": [["AttributeName": "pk", "KeyType": "HASH"]],
                "AttributeDefinitions": [["AttributeName": "pk", "AttributeType": "S"]], "BillingMode": "PAY_PER_REQUEST",
            ], region: region)
        }
        let tables = try await allItems(aws, "dynamodb", "ListTables", ["Limit": 2], region: region)
        #expect(tables.pages == 3)
        #expect(tables.items.map { $0.stringValue ?? "" }.sorted() == (0..<5).map { "table-\($0)" })

        await expectServiceError("ResourceNotFoundException") {
            _ = try await aws.call("dynamodb", "DescribeTable", parameters: ["TableName": "missing"], region: region)
        }
        _ = try await aws.call("dynamodb", "PutItem", parameters: [
            "TableName": "table-0", "Item": ["pk": ["S": "finding-1"], "severity": ["N": "7"]],
        ], region: region)
        let item = try await aws.call("dynamodb", "GetItem", parameters: ["TableName": "table-0", "Key": ["pk": ["S": "finding-1"]]], region: region)
        #expect(item["Item"]?["severity"]?["N"] == "7")
    }

    @Test("rest-xml: S3 objects over pages, NoSuchKey, tags put (Content-MD5) then read")
    func restXML() async throws {
        let aws = try client(), region = "us-east-1"
        _ = try await aws.call("s3", "CreateBucket", parameters: ["Bucket": "weft-evidence"], region: region)
        for index in 0..<5 {
            _ = try await aws.call("s3", "PutObject", parameters: ["Bucket": "weft-evidence", "Key": .string("reports/\(index).json"),
                                                                   "Body": .string("{\"n\": \(index)}"), "ContentType": "application/json"], region: region)
        }
        let objects = try await allItems(aws, "s3", "ListObjectsV2", ["Bucket": "weft-evidence", "MaxKeys": 2], region: region)
        #expect(objects.pages == 3)
        #expect(objects.items.compactMap { $0["Key"]?.stringValue } == (0..<5).map { "reports/\($0).json" })
        let object = try await aws.call("s3", "GetObject", parameters: ["Bucket": "weft-evidence", "Key": "reports/3.json"], region: region)
        #expect(object["ContentType"] == "application/json")

        await expectServiceError("NoSuchKey") {
            _ = try await aws.call("s3", "GetObject", parameters: ["Bucket": "weft-evidence", "Key": "missing"], region: region)
        }
        _ = try await aws.call("s3", "PutBucketTagging", parameters: [
            "Bucket": "weft-evidence", "Tagging": ["TagSet": [["Key": "owner", "Value": "security"]]],
        ], region: region)
        let tags = try await aws.call("s3", "GetBucketTagging", parameters: ["Bucket": "weft-evidence"], region: region)
        #expect(tags["TagSet"] == [["Key": "owner", "Value": "security"]])
    }

    @Test("rest-json: EKS clusters over pages, ResourceNotFoundException, a cluster created then described")
    func restJSON() async throws {
        let aws = try client(), region = "sa-east-1"
        for index in 0..<3 {
            _ = try await aws.call("eks", "CreateCluster", parameters: [
                "name": .string("cluster-\(index)"), "roleArn": "arn:aws:iam::123456789012:role/eks", "resourcesVpcConfig": [:],
            ], region: region)
        }
        let clusters = try await allItems(aws, "eks", "ListClusters", ["maxResults": 2], region: region)
        #expect(clusters.pages == 2)
        #expect(clusters.items.map { $0.stringValue ?? "" }.sorted() == ["cluster-0", "cluster-1", "cluster-2"])
        let described = try await aws.call("eks", "DescribeCluster", parameters: ["name": "cluster-1"], region: region)
        #expect(described["cluster"]?["name"] == "cluster-1")
        #expect(described["cluster"]?["createdAt"]?.stringValue?.hasSuffix("Z") == true)

        await expectServiceError("ResourceNotFoundException") {
            _ = try await aws.call("eks", "DescribeCluster", parameters: ["name": "missing"], region: region)
        }
    }
}
