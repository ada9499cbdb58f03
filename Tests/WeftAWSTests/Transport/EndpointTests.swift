import Foundation
import Testing

@testable import WeftAWS

@Suite struct EndpointTests {
    static let environment = ProcessInfo.processInfo.environment.filter { $0.key == "WEFT_BOTOCORE_DATA" || $0.key == "PATH" }

    struct Row: Sendable, CustomTestStringConvertible {
        var prefix: String
        var region: String
        var host: String
        var signingRegion: String
        var signingName: String? = nil
        var testDescription: String { "\(prefix) in \(region)" }
    }

    /// Expected values are botocore's (`botocore.regions.EndpointResolver`) for the same data.
    static let rows: [Row] = [
        Row(prefix: "ec2", region: "us-east-1", host: "ec2.us-east-1.amazonaws.com", signingRegion: "us-east-1"),
        Row(prefix: "ec2", region: "cn-north-1", host: "ec2.cn-north-1.amazonaws.com.cn", signingRegion: "cn-north-1"),
        Row(prefix: "ec2", region: "us-gov-west-1", host: "ec2.us-gov-west-1.amazonaws.com", signingRegion: "us-gov-west-1"),
        Row(prefix: "ec2", region: "us-west-9", host: "ec2.us-west-9.amazonaws.com", signingRegion: "us-west-9"),
        Row(prefix: "iam", region: "eu-west-2", host: "iam.amazonaws.com", signingRegion: "us-east-1"),
        Row(prefix: "iam", region: "cn-north-1", host: "iam.cn-north-1.amazonaws.com.cn", signingRegion: "cn-north-1"),
        Row(prefix: "iam", region: "us-gov-west-1", host: "iam.us-gov.amazonaws.com", signingRegion: "us-gov-west-1"),
        Row(prefix: "iam", region: "us-iso-east-1", host: "iam.us-iso-east-1.c2s.ic.gov", signingRegion: "us-iso-east-1"),
        Row(prefix: "route53", region: "eu-west-1", host: "route53.amazonaws.com", signingRegion: "us-east-1"),
        Row(prefix: "route53", region: "cn-northwest-1", host: "route53.amazonaws.com.cn", signingRegion: "cn-northwest-1"),
        Row(prefix: "cloudfront", region: "ap-south-1", host: "cloudfront.amazonaws.com", signingRegion: "us-east-1"),
        Row(prefix: "organizations", region: "eu-west-1", host: "organizations.us-east-1.amazonaws.com",
            signingRegion: "us-east-1"),
        Row(prefix: "sts", region: "us-east-1", host: "sts.us-east-1.amazonaws.com", signingRegion: "us-east-1"),
        Row(prefix: "sts", region: "eu-west-1", host: "sts.eu-west-1.amazonaws.com", signingRegion: "eu-west-1"),
        Row(prefix: "sts", region: "aws-global", host: "sts.amazonaws.com", signingRegion: "us-east-1"),
        Row(prefix: "s3", region: "eu-west-2", host: "s3.eu-west-2.amazonaws.com", signingRegion: "eu-west-2"),
        Row(prefix: "rds", region: "us-gov-east-1", host: "rds.us-gov-east-1.amazonaws.com", signingRegion: "us-gov-east-1"),
        Row(prefix: "lambda", region: "cn-northwest-1", host: "lambda.cn-northwest-1.amazonaws.com.cn",
            signingRegion: "cn-northwest-1"),
        Row(prefix: "dynamodb", region: "eu-north-1", host: "dynamodb.eu-north-1.amazonaws.com", signingRegion: "eu-north-1"),
        Row(prefix: "kms", region: "ap-northeast-1", host: "kms.ap-northeast-1.amazonaws.com", signingRegion: "ap-northeast-1"),
        Row(prefix: "sns", region: "us-gov-west-1", host: "sns.us-gov-west-1.amazonaws.com", signingRegion: "us-gov-west-1"),
        Row(prefix: "elasticloadbalancing", region: "eu-west-3", host: "elasticloadbalancing.eu-west-3.amazonaws.com",
            signingRegion: "eu-west-3"),
        Row(prefix: "monitoring", region: "us-west-2", host: "monitoring.us-west-2.amazonaws.com",
            signingRegion: "us-west-2", signingName: "monitoring"),
    ]

    @Test(arguments: rows)
    func resolvesLikeBotocore(_ row: Row) throws {
        let resolver = try AWSEndpointResolver.botocore(environment: EndpointTests.environment)
        let endpoint = try resolver.resolve(endpointPrefix: row.prefix, signingName: row.signingName, region: row.region)
        #expect(endpoint.url == "https://\(row.host)")
        #expect(endpoint.signingRegion == row.signingRegion)
        #expect(endpoint.signingName == (row.signingName ?? row.prefix))
        #expect(!endpoint.isOverride)
    }

    @Test func partitionsAreChosenByRegion() throws {
        let resolver = try AWSEndpointResolver.botocore(environment: EndpointTests.environment)
        #expect(resolver.partition(for: "eu-west-1") == "aws")
        #expect(resolver.partition(for: "cn-northwest-1") == "aws-cn")
        #expect(resolver.partition(for: "us-gov-east-1") == "aws-us-gov")
        #expect(resolver.partition(for: "us-isob-east-1") == "aws-iso-b")
    }

    @Test func overridesReplaceEveryServiceEndpoint() throws {
        let resolver = try AWSEndpointResolver.botocore(environment: EndpointTests.environment)
        let connector = try resolver.resolve(
            endpointPrefix: "iam", region: "eu-west-2", serviceId: "IAM", endpointOverride: "http://127.0.0.1:5000",
            environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9"])
        #expect(connector.url == "http://127.0.0.1:5000")
        #expect(connector.isOverride)
        #expect(connector.signingRegion == "eu-west-2")

        let env = ["AWS_ENDPOINT_URL": "http://localhost:4566", "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2": "http://127.0.0.1:7/elb"]
        let general = try resolver.resolve(endpointPrefix: "ec2", region: "us-east-1", serviceId: "EC2", environment: env)
        #expect(general.url == "http://localhost:4566")
        let specific = try resolver.resolve(endpointPrefix: "elasticloadbalancing", region: "us-east-1",
                                            serviceId: "Elastic Load Balancing v2", environment: env)
        #expect(specific.url == "http://127.0.0.1:7/elb")
        #expect(specific.basePath == "/elb")
        let ignored = try resolver.resolve(endpointPrefix: "ec2", region: "us-east-1", serviceId: "EC2",
                                           environment: env.merging(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]) { $1 })
        #expect(ignored.url == "https://ec2.us-east-1.amazonaws.com")
        #expect(throws: AWSEndpointError.self) {
            try resolver.resolve(endpointPrefix: "ec2", region: "us-east-1", endpointOverride: "ftp://x")
        }
        #expect(throws: AWSEndpointError.self) { try resolver.resolve(endpointPrefix: "ec2", region: "") }
    }

    @Test func requestURLsCarryPrefixPortPathAndQuery() {
        let endpoint = AWSEndpoint(url: "http://LOCALHOST:5000/base/", signingRegion: "us-east-1", signingName: "s3")!
        #expect(endpoint.url == "http://localhost:5000/base")
        let request = AWSRequest(method: "GET", path: "/bucket/a%20b", query: [AWSField("prefix", "x y"), AWSField("acl", "")],
                                 hostPrefix: "data-")
        #expect(endpoint.url(for: request) == "http://data-localhost:5000/base/bucket/a%20b?prefix=x%20y&acl=")
        let https = AWSEndpoint(url: "https://ec2.us-east-1.amazonaws.com:443", signingRegion: "us-east-1", signingName: "ec2")!
        #expect(https.hostHeader() == "ec2.us-east-1.amazonaws.com")
        #expect(AWSEndpoint(url: "not a url", signingRegion: "r", signingName: "s") == nil)
    }

    @Test func botocoreIsLocatedFromTheEnvironmentVariable() throws {
        let data = try BotocoreLocator.dataDirectory(environment: EndpointTests.environment)
        #expect(FileManager.default.fileExists(atPath: data + "/endpoints.json"))
        #expect(try BotocoreLocator.dataDirectory(environment: ["WEFT_BOTOCORE_DATA": data]) == data)
        #expect(try BotocoreLocator.dataDirectory(environment: ["WEFT_BOTOCORE_DATA": data + "/.."]) == data + "/../data")
        #expect(throws: AWSEndpointError.self) {
            try BotocoreLocator.dataDirectory(environment: ["WEFT_BOTOCORE_DATA": "/nonexistent"])
        }
    }

    @Test func s3UsesVirtualHostsOnAWSAndPathStyleOnOverrides() {
        let aws = AWSEndpoint(url: "https://s3.eu-west-2.amazonaws.com", signingRegion: "eu-west-2", signingName: "s3")!
        let request = AWSRequest(method: "GET", path: "/my-bucket/dir/a%20b.txt")
        let virtual = S3Addressing.address(request, for: aws)
        #expect(aws.url(for: virtual) == "https://my-bucket.s3.eu-west-2.amazonaws.com/dir/a%20b.txt")
        #expect(aws.url(for: S3Addressing.address(AWSRequest(method: "GET", path: "/my-bucket"), for: aws))
            == "https://my-bucket.s3.eu-west-2.amazonaws.com/")
        for bucket in ["My_Bucket", "dotted.bucket", "ab", "-dash"] {
            #expect(S3Addressing.address(AWSRequest(path: "/\(bucket)/k"), for: aws).hostPrefix == nil, "\(bucket)")
        }
        let moto = AWSEndpoint(url: "http://127.0.0.1:5000", signingRegion: "us-east-1", signingName: "s3", isOverride: true)!
        #expect(S3Addressing.address(request, for: moto) == request)
    }
}
