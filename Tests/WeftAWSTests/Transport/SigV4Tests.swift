import Foundation
import Testing
import WeftModel

@testable import WeftAWS

/// One signing case: a request, where it goes, who signs it.
struct SigningCase: Sendable {
    var name: String
    var request: AWSRequest
    var endpoint: AWSEndpoint
    var credentials: AWSCredentials
    var isS3: Bool = false
}

enum SigningFixtures {
    static let date = Date(timeIntervalSince1970: 1_772_600_767)  // 2026-03-04T05:06:07Z
    static let keys = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let session = AWSCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "c2VjcmV0/+=",
                                        sessionToken: "FQoGZXIvYXdzE//token+with/slashes==")
    static let form = [AWSField("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]

    static func endpoint(_ url: String, _ region: String, _ service: String) -> AWSEndpoint {
        AWSEndpoint(url: url, signingRegion: region, signingName: service)!
    }

    static let cases: [SigningCase] = [
        SigningCase(
            name: "ec2 query POST",
            request: AWSRequest(method: "POST", headers: form,
                                body: SigV4Encoding.form([AWSField("Action", "DescribeInstances"),
                                                          AWSField("Version", "2016-11-15")])),
            endpoint: endpoint("https://ec2.us-east-1.amazonaws.com", "us-east-1", "ec2"), credentials: keys),
        SigningCase(
            name: "rds query POST with session token",
            request: AWSRequest(method: "POST", headers: form,
                                body: SigV4Encoding.form([AWSField("Action", "DescribeDBInstances"),
                                                          AWSField("Version", "2014-10-31")])),
            endpoint: endpoint("https://rds.eu-west-2.amazonaws.com", "eu-west-2", "rds"), credentials: session),
        SigningCase(
            name: "GET with awkward query",
            request: AWSRequest(method: "GET", path: "/", query: [
                AWSField("Filter", "b"), AWSField("Filter", "a"), AWSField("key with space", "v a/l+u=e&x"),
                AWSField("ünï", "çødé"), AWSField("Empty", ""), AWSField("tilde~", "*star*"),
            ]),
            endpoint: endpoint("https://sns.ap-southeast-2.amazonaws.com", "ap-southeast-2", "sns"),
            credentials: keys),
        SigningCase(
            name: "dynamodb json 1.0",
            request: AWSRequest(method: "POST", headers: [
                AWSField("X-Amz-Target", "DynamoDB_20120810.ListTables"),
                AWSField("Content-Type", "application/x-amz-json-1.0"),
            ], body: Array(#"{"Limit":10}"#.utf8)),
            endpoint: endpoint("https://dynamodb.us-west-2.amazonaws.com", "us-west-2", "dynamodb"),
            credentials: session),
        SigningCase(
            name: "lambda rest-json with encoded label",
            request: AWSRequest(method: "GET", path: "/2015-03-31/functions/my%20func%3A1/configuration",
                                query: [AWSField("Qualifier", "$LATEST")]),
            endpoint: endpoint("https://lambda.eu-central-1.amazonaws.com", "eu-central-1", "lambda"),
            credentials: keys),
        SigningCase(
            name: "dot segments and double slashes",
            request: AWSRequest(method: "GET", path: "/a/./b/../c//d/"),
            endpoint: endpoint("https://apigateway.us-east-1.amazonaws.com", "us-east-1", "apigateway"),
            credentials: keys),
        SigningCase(
            name: "s3 GET path style, no normalisation",
            request: AWSRequest(method: "GET", path: "/my-bucket/dir//key%20with%20space/../x",
                                query: [AWSField("list-type", "2"), AWSField("prefix", "a/b c")]),
            endpoint: endpoint("https://s3.us-east-1.amazonaws.com", "us-east-1", "s3"), credentials: keys, isS3: true),
        SigningCase(
            name: "s3 PUT with body, md5 and metadata",
            request: AWSRequest(method: "PUT", path: "/bucket/object.txt", headers: [
                AWSField("Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww=="), AWSField("Content-Type", "text/plain"),
                AWSField("x-amz-meta-Note", "  spaced   out\tvalue  "),
            ], body: Array("hello world".utf8)),
            endpoint: endpoint("https://s3.eu-west-1.amazonaws.com", "eu-west-1", "s3"), credentials: session,
            isS3: true),
        SigningCase(
            name: "s3 on a moto-style http port with a subresource",
            request: AWSRequest(method: "GET", path: "/bucket", query: [AWSField("acl", "")]),
            endpoint: endpoint("http://127.0.0.1:5000", "us-east-1", "s3"), credentials: keys, isS3: true),
        SigningCase(
            name: "repeated and unsigned headers",
            request: AWSRequest(method: "POST", headers: [
                AWSField("X-Amz-Meta-Dup", "one"), AWSField("x-amz-meta-dup", "two"),
                AWSField("User-Agent", "weft/1.0"), AWSField("Content-Type", "application/x-amz-json-1.1"),
                AWSField("X-Amz-Target", "TrentService.ListKeys"), AWSField("Expect", "100-continue"),
            ], body: Array("{}".utf8)),
            endpoint: endpoint("https://kms.cn-north-1.amazonaws.com.cn", "cn-north-1", "kms"), credentials: keys),
        SigningCase(
            name: "iam global GET signed in us-east-1",
            request: AWSRequest(method: "GET", path: "/", query: [
                AWSField("Action", "ListUsers"), AWSField("Version", "2010-05-08"),
            ]),
            endpoint: endpoint("https://iam.amazonaws.com", "us-east-1", "iam"), credentials: session),
        SigningCase(
            name: "sts AssumeRole form with awkward external id",
            request: AWSRequest(method: "POST", headers: form, body: SigV4Encoding.form(
                AssumeRoleCredentialsProvider.Parameters(
                    roleArn: "arn:aws:iam::123456789012:role/Audit", roleSessionName: "weft",
                    externalId: "ext id/+=&ü", durationSeconds: 900).formFields)),
            endpoint: endpoint("https://sts.us-gov-west-1.amazonaws.com", "us-gov-west-1", "sts"), credentials: keys),
        SigningCase(
            name: "host prefix",
            request: AWSRequest(method: "POST", path: "/", headers: [
                AWSField("Content-Type", "application/x-amz-json-1.1"),
                AWSField("X-Amz-Target", "Route53AutoNaming_v20170314.DiscoverInstances"),
            ], body: Array("{}".utf8), hostPrefix: "data-"),
            endpoint: endpoint("https://servicediscovery.us-east-1.amazonaws.com", "us-east-1", "servicediscovery"),
            credentials: keys),
        SigningCase(
            name: "ipv6 loopback with base path",
            request: AWSRequest(method: "DELETE", path: "/2015-03-31/functions/f"),
            endpoint: endpoint("http://[::1]:4566/prefix", "us-east-1", "lambda"), credentials: keys),
    ]
}

/// Runs the botocore oracle script on the cases; nil when python3 or botocore is missing.
func botocoreSignatures(_ cases: [SigningCase]) throws -> [JSON]? {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("sigv4_oracle.py")
    let input: [JSON] = cases.map { item in
        var object: JSONObject = [
            "method": .string(item.request.method), "url": .string(item.endpoint.url(for: item.request)),
            "headers": .array(item.request.headers.map { .array([.string($0.name), .string($0.value)]) }),
            "body": .string(Data(item.request.body).base64EncodedString()),
            "region": .string(item.endpoint.signingRegion), "service": .string(item.endpoint.signingName),
            "s3": .bool(item.isS3), "accessKeyId": .string(item.credentials.accessKeyId),
            "secretAccessKey": .string(item.credentials.secretAccessKey),
            "timestamp": .string(SigV4Signer.timestamp(SigningFixtures.date)),
        ]
        if let token = item.credentials.sessionToken { object["sessionToken"] = .string(token) }
        return .object(object)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path]
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    stdin.fileHandleForWriting.write(Data(JSON.array(input).serialized().utf8))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return try JSON.parse(Array(output)).arrayValue
}

@Suite struct SigV4Tests {
    @Test func matchesBotocoreByteForByte() throws {
        let cases = SigningFixtures.cases
        let oracle = try #require(try botocoreSignatures(cases), "python3 with botocore is needed as the oracle")
        #expect(oracle.count == cases.count)
        for (item, expected) in zip(cases, oracle) {
            let signer = SigV4Signer(signingRegion: item.endpoint.signingRegion,
                                     signingName: item.endpoint.signingName, isS3: item.isS3)
            let signed = signer.sign(item.request, endpoint: item.endpoint, credentials: item.credentials,
                                     date: SigningFixtures.date)
            var unsigned = signed
            unsigned.headers.removeAll { $0.name == "Authorization" }
            let canonical = signer.canonicalRequest(unsigned, path: item.endpoint.fullPath(item.request.path)).request
            #expect(canonical == expected["canonicalRequest"]?.stringValue, "\(item.name)")
            let headers = expected["headers"]?.arrayValue ?? []
            for pair in headers {
                guard let name = pair.arrayValue?[0].stringValue, let value = pair.arrayValue?[1].stringValue else { continue }
                let lower = name.lowercased()
                guard lower == "authorization" || lower.hasPrefix("x-amz-") else { continue }
                let ours = signed.headers.filter { $0.name.lowercased() == lower }.map(\.value)
                #expect(ours.contains(value), "\(item.name): \(name)")
            }
        }
    }

    @Test func awsTestSuiteGetVanilla() {
        let endpoint = SigningFixtures.endpoint("https://example.amazonaws.com", "us-east-1", "service")
        let signed = SigV4Signer(signingRegion: "us-east-1", signingName: "service")
            .sign(AWSRequest(method: "GET"), endpoint: endpoint, credentials: SigningFixtures.keys,
                  date: Date(timeIntervalSince1970: 1_440_938_160))
        #expect(signed.headers.first { $0.name == "Authorization" }?.value
            == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(signed.headers.contains(AWSField("Host", "example.amazonaws.com")))
        #expect(signed.headers.contains(AWSField("X-Amz-Date", "20150830T123600Z")))
    }

    @Test func resigningReplacesEarlierSignatureHeaders() {
        let item = SigningFixtures.cases[1]
        let signer = SigV4Signer(signingRegion: "eu-west-2", signingName: "rds")
        let once = signer.sign(item.request, endpoint: item.endpoint, credentials: item.credentials,
                               date: SigningFixtures.date)
        let twice = signer.sign(once, endpoint: item.endpoint, credentials: item.credentials,
                                date: SigningFixtures.date.addingTimeInterval(5))
        for name in ["Authorization", "X-Amz-Date", "X-Amz-Security-Token", "Host"] {
            #expect(twice.headers.filter { $0.name == name }.count == 1, "\(name)")
        }
        #expect(once.headers.first { $0.name == "Authorization" } != twice.headers.first { $0.name == "Authorization" })
    }

    @Test func derivedKeysAreCachedPerDayRegionService() {
        let cache = SigV4KeyCache()
        let endpoint = SigningFixtures.endpoint("https://ec2.us-east-1.amazonaws.com", "us-east-1", "ec2")
        let signer = SigV4Signer(signingRegion: "us-east-1", signingName: "ec2", keyCache: cache)
        for offset in [0.0, 10, 20] {
            _ = signer.sign(AWSRequest(), endpoint: endpoint, credentials: SigningFixtures.keys,
                            date: SigningFixtures.date.addingTimeInterval(offset))
        }
        #expect(cache.count == 1)
        _ = signer.sign(AWSRequest(), endpoint: endpoint, credentials: SigningFixtures.keys,
                        date: SigningFixtures.date.addingTimeInterval(86_400))
        #expect(cache.count == 2)
        #expect(cache.key(secret: "s", day: "20260304", region: "us-east-1", service: "ec2")
            == SigV4KeyCache.derive(secret: "s", day: "20260304", region: "us-east-1", service: "ec2"))
    }

    @Test func encodingFollowsRFC3986() {
        #expect(SigV4Encoding.encode("a b+c/d~e_f.g-h*") == "a%20b%2Bc%2Fd~e_f.g-h%2A")
        #expect(SigV4Encoding.encode("/a b/ü", keepingSlash: true) == "/a%20b/%C3%BC")
        #expect(SigV4Encoding.canonicalQuery([AWSField("b", "2"), AWSField("a", "y"), AWSField("a", "x")])
            == "a=x&a=y&b=2")
        #expect(SigV4Signer.removeDotSegments("/a/./b/../../c/") == "/c/")
        #expect(SigV4Signer.removeDotSegments("") == "/")
    }
}
