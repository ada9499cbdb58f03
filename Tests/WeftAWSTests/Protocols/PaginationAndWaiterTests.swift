import Foundation
import Testing
import WeftAWS
import WeftModel

@Suite("AWS pagination and waiters against botocore", .enabled(if: BotocoreOracle.data != nil))
struct PaginationAndWaiterTests {
    /// Service, operation, first input, and the pages the service answers in turn.
    static let cases: [(String, String, JSON, [JSON])] = [
        (
            "s3", "ListObjects", ["Bucket": "b"],
            [
                ["IsTruncated": true, "Contents": [["Key": "a"], ["Key": "b"]]],
                ["IsTruncated": true, "NextMarker": "m2", "Contents": [["Key": "c"]]],
                ["IsTruncated": false, "Contents": [["Key": "d"]]],
            ]
        ),
        (
            "s3", "ListObjectsV2", ["Bucket": "b", "Prefix": "p/"],
            [
                [
                    "IsTruncated": true, "NextContinuationToken": "t1", "Contents": [["Key": "a"]],
                    "CommonPrefixes": [["Prefix": "p/x/"]],
                ],
                ["IsTruncated": false, "Contents": [["Key": "b"]]],
            ]
        ),
        (
            "ec2", "DescribeInstances", ["Filters": [["Name": "n", "Values": ["v"]]]],
            [
                ["Reservations": [["Instances": [["InstanceId": "i-1"], ["InstanceId": "i-2"]]]], "NextToken": "n1"],
                ["Reservations": [["Instances": [["InstanceId": "i-3"]]]], "NextToken": ""],
            ]
        ),
        (
            "rds", "DescribeDBInstances", [:],
            [
                ["DBInstances": [["DBInstanceIdentifier": "a"]], "Marker": "m1"],
                ["DBInstances": [["DBInstanceIdentifier": "b"]], "Marker": "m2"],
                ["DBInstances": []],
            ]
        ),
        (
            "iam", "ListUsers", ["PathPrefix": "/"],
            [
                ["Users": [["UserName": "u1"]], "IsTruncated": true, "Marker": "m"],
                ["Users": [["UserName": "u2"]], "IsTruncated": false, "Marker": "ignored"],
            ]
        ),
        (
            "dynamodb", "Scan", ["TableName": "t"],
            [
                ["Items": [["pk": ["S": "1"]]], "Count": 1, "LastEvaluatedKey": ["pk": ["S": "1"]]],
                ["Items": [["pk": ["S": "2"]]], "Count": 1],
            ]
        ),
        (
            "route53", "ListResourceRecordSets", ["HostedZoneId": "Z"],
            [
                ["ResourceRecordSets": [["Name": "a."]], "IsTruncated": true, "NextRecordName": "b.", "NextRecordType": "A"],
                ["ResourceRecordSets": [["Name": "b."]], "IsTruncated": false],
            ]
        ),
        (
            "lambda", "ListFunctions", [:],
            [
                ["Functions": [["FunctionName": "f1"]], "NextMarker": "n"],
                ["Functions": [["FunctionName": "f2"]]],
            ]
        ),
        (
            "kms", "ListKeys", [:],
            [
                ["Keys": [["KeyId": "1"]], "Truncated": true, "NextMarker": "n"],
                ["Keys": [["KeyId": "2"]], "Truncated": true, "NextMarker": "n"],
            ]
        ),
    ]

    @Test("next inputs and result items match botocore's paginator")
    func pagination() async throws {
        let data = try #require(BotocoreOracle.data)
        let expected = try await BotocoreOracle.run(
            "paginate",
            Self.cases.map {
                ["service": .string($0.0), "operation": .string($0.1), "params": $0.2, "pages": .array($0.3)]
            })
        try #require(expected.count == Self.cases.count)
        for (index, (service, operation, first, pages)) in Self.cases.enumerated() {
            let paginator = try #require(try AWSPaginator(model: try data.model(service), operation: operation))
            var inputs: [JSON] = []
            var items: [JSON] = []
            var input: JSON? = first
            var remaining = pages
            while let current = input {
                inputs.append(current)
                let page = remaining.isEmpty ? JSON.object([:]) : remaining.removeFirst()
                items += paginator.items(in: page)
                input = paginator.nextParameters(after: page, current: current)
            }
            let want = expected[index]
            if want["stopped"] != nil {
                #expect(inputs == Array((want["inputs"]?.arrayValue ?? []).prefix(inputs.count)), "\(service).\(operation)")
            } else {
                #expect(
                    JSON.array(inputs) == want["inputs"],
                    "\(service).\(operation): \(JSON.array(inputs).serialized()) != \(want["inputs"]?.serialized() ?? "")")
                #expect(
                    JSON.array(items) == want["items"],
                    "\(service).\(operation): \(JSON.array(items).serialized()) != \(want["items"]?.serialized() ?? "")")
            }
        }
    }

    @Test("result keys may flatten nested lists and the limit key sets the page size")
    func flattenAndLimit() throws {
        let paginator = try AWSPaginator(definition: [
            "input_token": "NextToken", "output_token": "NextToken", "limit_key": "MaxResults",
            "result_key": "Reservations[].Instances[]",
        ])
        let page: JSON = [
            "Reservations": [
                ["Instances": [["InstanceId": "i-1"], ["InstanceId": "i-2"]]],
                ["Instances": [["InstanceId": "i-3"]]],
            ]
        ]
        #expect(paginator.items(in: page).compactMap { $0["InstanceId"]?.stringValue } == ["i-1", "i-2", "i-3"])
        #expect(paginator.withPageSize(50, in: ["Filters": []]) == ["Filters": [], "MaxResults": 50])
        #expect(paginator.nextParameters(after: ["NextToken": "a"], current: ["NextToken": "a"]) == nil)
        let data = try #require(BotocoreOracle.data)
        #expect(try AWSPaginator(model: try data.model("ec2"), operation: "RunInstances") == nil)
    }

    static let waiterCases: [(String, String, JSON)] = [
        ("ec2", "InstanceRunning", ["output": ["Reservations": [["Instances": [["State": ["Name": "running"]]]]]]]),
        (
            "ec2", "InstanceRunning",
            ["output": ["Reservations": [["Instances": [["State": ["Name": "running"]], ["State": ["Name": "pending"]]]]]]]
        ),
        ("ec2", "InstanceRunning", ["output": ["Reservations": [["Instances": [["State": ["Name": "terminated"]]]]]]]),
        ("ec2", "InstanceRunning", ["error": "InvalidInstanceID.NotFound"]),
        ("ec2", "InstanceRunning", ["error": "UnauthorizedOperation", "status": 403]),
        ("ec2", "InstanceRunning", ["output": ["Reservations": []]]),
        ("rds", "DBInstanceAvailable", ["output": ["DBInstances": [["DBInstanceStatus": "available"]]]]),
        ("rds", "DBInstanceAvailable", ["output": ["DBInstances": [["DBInstanceStatus": "deleting"]]]]),
        ("rds", "DBInstanceDeleted", ["error": "DBInstanceNotFound", "status": 404]),
        ("rds", "DBInstanceDeleted", ["output": ["DBInstances": []]]),
        ("s3", "BucketExists", ["output": [:]]),
        ("s3", "BucketExists", ["error": "404", "status": 404]),
        ("s3", "BucketNotExists", ["error": "404", "status": 404]),
        ("s3", "ObjectExists", ["error": "403", "status": 403]),
        ("dynamodb", "TableExists", ["output": ["Table": ["TableStatus": "ACTIVE"]]]),
        ("dynamodb", "TableExists", ["error": "ResourceNotFoundException"]),
        ("dynamodb", "TableNotExists", ["error": "ResourceNotFoundException"]),
        ("lambda", "FunctionActiveV2", ["output": ["Configuration": ["State": "Failed"]]]),
        ("lambda", "FunctionExists", ["error": "ResourceNotFoundException", "status": 404]),
        ("ec2", "SecurityGroupExists", ["error": "InvalidGroup.NotFound"]),
        ("ec2", "SecurityGroupExists", ["output": ["SecurityGroups": [["GroupId": "sg-1"]]]]),
    ]

    @Test("waiter acceptors decide as botocore's do")
    func waiters() async throws {
        let data = try #require(BotocoreOracle.data)
        let expected = try await BotocoreOracle.run(
            "waiter",
            Self.waiterCases.map { service, waiter, response in
                var object = response.objectValue ?? [:]
                object["service"] = .string(service)
                object["waiter"] = .string(waiter)
                return .object(object)
            })
        try #require(expected.count == Self.waiterCases.count)
        for (index, (service, name, response)) in Self.waiterCases.enumerated() {
            let waiter = try AWSWaiter(model: try data.model(service), name: name)
            let state: AWSWaiter.State?
            if let code = response["error"]?.stringValue {
                let status = Int(response["status"]?.intValue ?? 400)
                state = waiter.state(error: AWSServiceError(code: code, message: "", statusCode: status))
            } else {
                state = waiter.state(output: response["output"] ?? [:], status: Int(response["status"]?.intValue ?? 200))
            }
            let got: JSON = state.map { .string($0.rawValue) } ?? .null
            #expect(
                got == expected[index]["state"],
                "\(service).\(name) \(response.serialized())")
        }
        let waiter = try AWSWaiter(model: try data.model("ec2"), name: "InstanceRunning")
        #expect(waiter.operation == "DescribeInstances" && waiter.delay == 15 && waiter.maxAttempts == 40)
        #expect(throws: BotocoreDataError.self) { try AWSWaiter(model: try data.model("ec2"), name: "Nope") }
    }
}
