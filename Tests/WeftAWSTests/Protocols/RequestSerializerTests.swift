import Foundation
import Testing
import WeftAWS
import WeftModel

@Suite("AWS request serialisation against botocore", .enabled(if: BotocoreOracle.data != nil))
struct RequestSerializerTests {
    static let cases: [(String, String, JSON)] = [
        (
            "ec2", "DescribeInstances",
            [
                "Filters": [
                    ["Name": "instance-state-name", "Values": ["running", "stopped"]],
                    ["Name": "tag:Name", "Values": ["web server"]],
                ],
                "MaxResults": 50, "DryRun": false,
            ]
        ),
        (
            "ec2", "AuthorizeSecurityGroupIngress",
            [
                "GroupId": "sg-0123",
                "IpPermissions": [
                    [
                        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                        "IpRanges": [["CidrIp": "10.0.0.0/8", "Description": "ssh & more"]],
                        "UserIdGroupPairs": [["GroupId": "sg-9", "UserId": "123"]],
                    ]
                ],
            ]
        ),
        (
            "ec2", "RunInstances",
            [
                "ImageId": "ami-1", "MinCount": 1, "MaxCount": 2, "ClientToken": "tok",
                "TagSpecifications": [["ResourceType": "instance", "Tags": [["Key": "a", "Value": "b"]]]],
            ]
        ),
        ("ec2", "DescribeSpotPriceHistory", ["StartTime": "2026-11-29T06:04:15Z", "InstanceTypes": []]),
        (
            "rds", "DescribeDBInstances",
            [
                "DBInstanceIdentifier": "db-1", "Filters": [["Name": "engine", "Values": ["mysql"]]],
                "MaxRecords": 20,
            ]
        ),
        (
            "rds", "ModifyDBInstance",
            [
                "DBInstanceIdentifier": "db-1", "PubliclyAccessible": false, "ApplyImmediately": true,
                "VpcSecurityGroupIds": [],
            ]
        ),
        ("iam", "ListUsers", ["PathPrefix": "/division/", "MaxItems": 10]),
        (
            "iam", "CreatePolicy",
            [
                "PolicyName": "p", "PolicyDocument": "{\"Version\": \"2012-10-17\"}",
                "Tags": [["Key": "k", "Value": "v w"]],
            ]
        ),
        (
            "sns", "SetTopicAttributes",
            ["TopicArn": "arn:aws:sns:us-east-1:1:t", "AttributeName": "Policy", "AttributeValue": "x"]
        ),
        (
            "sns", "Publish",
            [
                "TopicArn": "arn:t", "Message": "hi",
                "MessageAttributes": [
                    "attr": ["DataType": "String", "StringValue": "v"],
                    "bin": ["DataType": "Binary", "BinaryValue": "raw"],
                ],
            ]
        ),
        (
            "dynamodb", "Query",
            [
                "TableName": "t", "KeyConditionExpression": "pk = :v",
                "ExpressionAttributeValues": [":v": ["S": "x"], ":b": ["B": "bytes"]],
                "Limit": 5, "ConsistentRead": true,
            ]
        ),
        ("dynamodb", "PutItem", ["TableName": "t", "Item": ["n": ["N": "1.5"], "l": ["L": [["S": "a"], ["BOOL": true]]]]]),
        ("kms", "Encrypt", ["KeyId": "alias/k", "Plaintext": "secret", "EncryptionContext": ["a": "b"]]),
        ("kms", "ListKeys", [:]),
        (
            "s3", "PutObject",
            [
                "Bucket": "my-bucket", "Key": "dir/a b+c~.txt", "Body": "hello world",
                "ContentType": "text/plain", "Metadata": ["owner": "me"], "CacheControl": "no-cache",
                "Expires": "2026-11-29T06:04:15Z", "ACL": "private", "ContentLength": 11,
            ]
        ),
        (
            "s3", "ListObjectsV2",
            [
                "Bucket": "b", "Prefix": "logs/", "MaxKeys": 100, "ContinuationToken": "tok=",
                "FetchOwner": true,
            ]
        ),
        (
            "s3", "PutBucketTagging",
            [
                "Bucket": "b",
                "Tagging": [
                    "TagSet": [
                        ["Key": "a&b", "Value": "<v>"],
                        ["Key": "c", "Value": ""],
                    ]
                ],
            ]
        ),
        (
            "s3", "GetObject",
            [
                "Bucket": "b", "Key": "k", "Range": "bytes=0-9", "IfModifiedSince": "2026-01-02T03:04:05Z",
                "VersionId": "v1", "PartNumber": 2,
            ]
        ),
        ("s3", "ListBuckets", [:]),
        (
            "s3", "PutBucketAcl",
            [
                "Bucket": "b",
                "AccessControlPolicy": [
                    "Grants": [["Grantee": ["Type": "CanonicalUser", "ID": "abc"], "Permission": "READ"]],
                    "Owner": ["ID": "abc"],
                ],
            ]
        ),
        (
            "s3", "DeleteObjects",
            [
                "Bucket": "b",
                "Delete": [
                    "Objects": [["Key": "a"], ["Key": "b", "VersionId": "1"]],
                    "Quiet": true,
                ],
            ]
        ),
        ("route53", "ListResourceRecordSets", ["HostedZoneId": "Z1", "StartRecordName": "a.example.com", "MaxItems": "10"]),
        ("lambda", "Invoke", ["FunctionName": "fn", "InvocationType": "Event", "Payload": "{\"a\": 1}", "Qualifier": "1"]),
        ("lambda", "ListFunctions", ["MaxItems": 10, "Marker": "m"]),
        (
            "lambda", "CreateFunction",
            [
                "FunctionName": "fn", "Role": "arn:role", "Code": ["ZipFile": "zip"],
                "Runtime": "python3.12", "Handler": "h", "Timeout": 3,
                "Environment": ["Variables": ["A": "1"]], "Tags": ["t": "v"],
            ]
        ),
        ("lambda", "TagResource", ["Resource": "arn:aws:lambda:us-east-1:1:function:fn", "Tags": ["a": "b"]]),
        ("apigateway", "GetRestApis", ["limit": 5, "position": "p"]),
        ("apigateway", "CreateDeployment", ["restApiId": "abc", "stageName": "prod", "variables": ["a": "b"]]),
        (
            "apigateway", "GetExport",
            [
                "restApiId": "a", "stageName": "s", "exportType": "oas30",
                "parameters": ["extensions": "integrations"], "accepts": "application/yaml",
            ]
        ),
        ("cloudfront", "ListDistributions", ["MaxItems": "5"]),
        ("sts", "AssumeRole", ["RoleArn": "arn:r", "RoleSessionName": "s", "ExternalId": "e", "DurationSeconds": 900]),
        ("logs", "FilterLogEvents", ["logGroupName": "g", "startTime": 1_700_000_000_000, "limit": 5]),
        (
            "cloudwatch", "GetMetricStatistics",
            [
                "Namespace": "AWS/EC2", "MetricName": "CPU",
                "StartTime": "2026-11-29T06:04:15.250Z", "EndTime": 1_790_000_000,
                "Period": 60, "Statistics": ["Average"],
                "Dimensions": [["Name": "InstanceId", "Value": "i-1"]],
            ]
        ),
        (
            "sqs", "SendMessage",
            [
                "QueueUrl": "https://q", "MessageBody": "b", "DelaySeconds": 1,
                "MessageAttributes": ["a": ["DataType": "String", "StringValue": "v"]],
            ]
        ),
    ]

    @Test("hand-written requests of every protocol match botocore")
    func handWritten() async throws {
        let data = try #require(BotocoreOracle.data)
        var oracleCases: [JSON] = []
        var requests: [AWSRequest] = []
        var protocols: [AWSProtocol] = []
        for (service, operation, params) in Self.cases {
            let model = try data.model(service)
            let request = try AWSRequestSerializer(model: model).serialize(operation: operation, parameters: params)
            requests.append(request)
            protocols.append(model.protocol)
            oracleCases.append([
                "service": .string(service), "operation": .string(operation), "params": params,
                "protocol": .string(model.protocol.rawValue),
            ])
        }
        let expected = try await BotocoreOracle.run("serialize", oracleCases)
        try #require(expected.count == Self.cases.count)
        for index in Self.cases.indices {
            let problems = BotocoreOracle.differences(requests[index], expected[index], wire: protocols[index])
            #expect(problems.isEmpty, "\(Self.cases[index].0).\(Self.cases[index].1): \(problems)")
        }
    }

    @Test("an idempotency token left out is filled with a UUID")
    func idempotencyToken() throws {
        let data = try #require(BotocoreOracle.data)
        var serializer = AWSRequestSerializer(model: try data.model("ec2"))
        serializer.makeIdempotencyToken = { "token-1" }
        let request = try serializer.serialize(
            operation: "RunInstances", parameters: ["ImageId": "ami", "MinCount": 1, "MaxCount": 1])
        #expect(String(decoding: request.body, as: UTF8.self).contains("ClientToken=token-1"))
    }

    @Test("unknown operations and members are named")
    func unknownNames() throws {
        let data = try #require(BotocoreOracle.data)
        let serializer = AWSRequestSerializer(model: try data.model("rds"))
        #expect(throws: AWSModelError.unknownOperation(service: "rds", operation: "DescribeNothing")) {
            try serializer.serialize(operation: "DescribeNothing", parameters: [:])
        }
        #expect(throws: AWSModelError.self) {
            try serializer.serialize(operation: "DescribeDBInstances", parameters: ["Bogus": 1])
        }
        #expect(throws: BotocoreDataError.self) { try data.model("no-such-service") }
    }

    /// The services the sweeps cover; every service in botocore when `WEFT_AWS_FULL_SWEEP=1`.
    static var sweepServices: [String] {
        if ProcessInfo.processInfo.environment["WEFT_AWS_FULL_SWEEP"] == "1", let data = BotocoreOracle.data {
            return data.serviceNames()
        }
        return [
            "ec2", "rds", "iam", "sns", "dynamodb", "kms", "s3", "lambda", "apigateway", "route53",
            "cloudfront", "elbv2", "sts", "logs", "ecs", "cloudwatch",
        ]
    }

    @Test("generated parameters for every operation of a dozen services match botocore")
    func sweep() async throws {
        let data = try #require(BotocoreOracle.data)
        var sampleCases: [JSON] = []
        for service in Self.sweepServices {
            let model = try data.model(service)
            for name in model.operations.keys {
                sampleCases.append(["service": .string(service), "operation": .string(name), "depth": 5])
            }
        }
        let samples = try await BotocoreOracle.run("sample", sampleCases)
        var oracleCases: [JSON] = []
        var requests: [Result<AWSRequest, any Error>] = []
        var protocols: [AWSProtocol] = []
        for (index, sample) in samples.enumerated() {
            let service = sampleCases[index]["service"]!.stringValue!
            let operation = sampleCases[index]["operation"]!.stringValue!
            let model = try data.model(service)
            let params = sample["params"] ?? [:]
            requests.append(Result { try AWSRequestSerializer(model: model).serialize(operation: operation, parameters: params) })
            protocols.append(model.protocol)
            oracleCases.append([
                "service": .string(service), "operation": .string(operation), "params": params,
                "protocol": .string(model.protocol.rawValue),
            ])
        }
        let expected = try await BotocoreOracle.run("serialize", oracleCases)
        try #require(expected.count == oracleCases.count)
        var matched = 0
        var failures: [String] = []
        for index in oracleCases.indices {
            let name = "\(oracleCases[index]["service"]!.stringValue!).\(oracleCases[index]["operation"]!.stringValue!)"
            switch requests[index] {
            case .success(let request):
                let problems = BotocoreOracle.differences(request, expected[index], wire: protocols[index])
                if problems.isEmpty { matched += 1 } else { failures.append("\(name): \(problems)") }
            case .failure(let error):
                failures.append("\(name): Swift threw \(error)")
            }
        }
        print("sweep: \(matched)/\(oracleCases.count) operations matched botocore")
        for failure in failures.prefix(30) { print("  " + failure) }
        #expect(failures.isEmpty, "\(failures.count) of \(oracleCases.count) differ; first: \(failures.first ?? "")")
    }
}

@Suite("AWS client customisations", .enabled(if: BotocoreOracle.data != nil))
struct ClientCustomisationTests {
    @Test("Route 53 ids keep only their last path segment")
    func route53Ids() throws {
        let data = try #require(BotocoreOracle.data)
        let request = try AWSRequestSerializer(model: try data.model("route53"))
            .serialize(operation: "GetHostedZone", parameters: ["Id": "/hostedzone/Z123"])
        #expect(request.path == "/2013-04-01/hostedzone/Z123")
    }

    @Test("template results given as text are converted to the member's type")
    func coercion() throws {
        let data = try #require(BotocoreOracle.data)
        let ec2 = AWSRequestSerializer(model: try data.model("ec2"))
        let query = try ec2.serialize(
            operation: "AuthorizeSecurityGroupIngress",
            parameters: [
                "GroupId": "sg-1", "IpPermissions": [["IpProtocol": "tcp", "FromPort": "22", "ToPort": 22.0]],
            ])
        let body = String(decoding: query.body, as: UTF8.self)
        #expect(body.contains("IpPermissions.1.FromPort=22&IpPermissions.1.ToPort=22"))
        let dynamodb = AWSRequestSerializer(model: try data.model("dynamodb"))
        let json = try dynamodb.serialize(
            operation: "Scan", parameters: ["TableName": "t", "Limit": "5", "ConsistentRead": "true"])
        #expect(try JSON.parse(json.body) == ["TableName": "t", "Limit": 5, "ConsistentRead": true])
    }

    @Test("S3 GetBucketLocation reads the bare LocationConstraint element")
    func bucketLocation() throws {
        let data = try #require(BotocoreOracle.data)
        let parser = AWSResponseParser(model: try data.model("s3"))
        let body =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">eu-west-1</LocationConstraint>"
        let output = try parser.parse(operation: "GetBucketLocation", response: AWSResponse(status: 200, body: Array(body.utf8)))
        #expect(output == ["LocationConstraint": "eu-west-1"])
        let empty = "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"
        #expect(
            try parser.parse(operation: "GetBucketLocation", response: AWSResponse(status: 200, body: Array(empty.utf8)))
                == ["LocationConstraint": ""])
    }
}
