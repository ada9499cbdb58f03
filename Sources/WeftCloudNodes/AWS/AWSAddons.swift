import WeftModel

/// One relationship in the addon catalog (SPEC 4.4): related resources that an `aws.resource` node
/// fetches and attaches to each of its items under `name`.
///
/// Two ways of fetching:
/// - `.batch`: the keys of every item (`keys`, a JSONPath on the item) are collected, de-duplicated and
///   requested together, `batchSize` at a time, by putting them in `parameter` (a list parameter, or
///   the `Values` of a filter when `filter` is set); each related item is matched back by `match` (a
///   JSONPath on the related item; it may yield several keys). The item gets the list of matches.
/// - `.perItem`: one call per distinct parameter set, `parameters` templated from the item
///   (`{{ $.Name }}`); the item gets the value at `result` in the response (the whole response when
///   nil), or null when the service answers with one of `absentOn` (e.g. `NoSuchBucketPolicy`).
/// Either way each related resource is fetched once per execution, however many items point at it.
public struct AWSAddon: Sendable {
    public enum Fetch: Sendable {
        case batch(keys: String, parameter: String, filter: String? = nil, match: String, batchSize: Int)
        case perItem(parameters: JSONObject, result: String?, absentOn: [String] = [])
    }

    /// The resource the addon applies to: `service` and `operation` of the `aws.resource` node.
    public var service: String
    public var operation: String
    /// The key the related resources are attached under, e.g. `SecurityGroups`.
    public var name: String
    public var summary: String
    /// The read operation that fetches the related resources.
    public var relatedService: String
    public var relatedOperation: String
    public var fetch: Fetch

    public var json: JSON {
        ["service": .string(service), "operation": .string(operation), "name": .string(name), "summary": .string(summary),
         "relatedService": .string(relatedService), "relatedOperation": .string(relatedOperation)]
    }
}

/// The addon catalog: data, one entry per relationship.
public enum AWSAddons {
    public static let all: [AWSAddon] = [
        // RDS DB instances
        AWSAddon(service: "rds", operation: "DescribeDBInstances", name: "SecurityGroups",
                 summary: "The VPC security groups of the instance, with their rules",
                 relatedService: "ec2", relatedOperation: "DescribeSecurityGroups",
                 fetch: .batch(keys: "$.VpcSecurityGroups[*].VpcSecurityGroupId", parameter: "GroupIds", match: "$.GroupId", batchSize: 200)),
        AWSAddon(service: "rds", operation: "DescribeDBInstances", name: "Tags",
                 summary: "The instance's tags",
                 relatedService: "rds", relatedOperation: "ListTagsForResource",
                 fetch: .perItem(parameters: ["ResourceName": "{{ $.DBInstanceArn }}"], result: "$.TagList")),
        // EC2 instances
        AWSAddon(service: "ec2", operation: "DescribeInstances", name: "SecurityGroups",
                 summary: "The instance's security groups, with their rules",
                 relatedService: "ec2", relatedOperation: "DescribeSecurityGroups",
                 fetch: .batch(keys: "$.SecurityGroups[*].GroupId", parameter: "GroupIds", match: "$.GroupId", batchSize: 200)),
        AWSAddon(service: "ec2", operation: "DescribeInstances", name: "Subnets",
                 summary: "The instance's subnet",
                 relatedService: "ec2", relatedOperation: "DescribeSubnets",
                 fetch: .batch(keys: "$.SubnetId", parameter: "SubnetIds", match: "$.SubnetId", batchSize: 200)),
        AWSAddon(service: "ec2", operation: "DescribeInstances", name: "Vpcs",
                 summary: "The instance's VPC",
                 relatedService: "ec2", relatedOperation: "DescribeVpcs",
                 fetch: .batch(keys: "$.VpcId", parameter: "VpcIds", match: "$.VpcId", batchSize: 200)),
        AWSAddon(service: "ec2", operation: "DescribeInstances", name: "Tags",
                 summary: "The instance's tags, as DescribeTags reports them",
                 relatedService: "ec2", relatedOperation: "DescribeTags",
                 fetch: .batch(keys: "$.InstanceId", parameter: "Filters", filter: "resource-id", match: "$.ResourceId", batchSize: 200)),
        // EC2 subnets
        AWSAddon(service: "ec2", operation: "DescribeSubnets", name: "NetworkAcls",
                 summary: "The network ACL associated with the subnet, with its entries",
                 relatedService: "ec2", relatedOperation: "DescribeNetworkAcls",
                 fetch: .batch(keys: "$.SubnetId", parameter: "Filters", filter: "association.subnet-id",
                               match: "$.Associations[*].SubnetId", batchSize: 200)),
        AWSAddon(service: "ec2", operation: "DescribeSubnets", name: "RouteTables",
                 summary: "The route table explicitly associated with the subnet",
                 relatedService: "ec2", relatedOperation: "DescribeRouteTables",
                 fetch: .batch(keys: "$.SubnetId", parameter: "Filters", filter: "association.subnet-id",
                               match: "$.Associations[*].SubnetId", batchSize: 200)),
        // ELBv2 load balancers
        AWSAddon(service: "elbv2", operation: "DescribeLoadBalancers", name: "SecurityGroups",
                 summary: "The load balancer's security groups, with their rules",
                 relatedService: "ec2", relatedOperation: "DescribeSecurityGroups",
                 fetch: .batch(keys: "$.SecurityGroups[*]", parameter: "GroupIds", match: "$.GroupId", batchSize: 200)),
        AWSAddon(service: "elbv2", operation: "DescribeLoadBalancers", name: "Listeners",
                 summary: "The load balancer's listeners (protocols, ports, TLS policies)",
                 relatedService: "elbv2", relatedOperation: "DescribeListeners",
                 fetch: .perItem(parameters: ["LoadBalancerArn": "{{ $.LoadBalancerArn }}"], result: "$.Listeners")),
        // Lambda functions
        AWSAddon(service: "lambda", operation: "ListFunctions", name: "Policy",
                 summary: "The function's resource-based policy (a JSON document), null when it has none",
                 relatedService: "lambda", relatedOperation: "GetPolicy",
                 fetch: .perItem(parameters: ["FunctionName": "{{ $.FunctionName }}"], result: "$.Policy",
                                 absentOn: ["ResourceNotFoundException"])),
        AWSAddon(service: "lambda", operation: "ListFunctions", name: "Tags",
                 summary: "The function's tags",
                 relatedService: "lambda", relatedOperation: "ListTags",
                 fetch: .perItem(parameters: ["Resource": "{{ $.FunctionArn }}"], result: "$.Tags")),
        // S3 buckets
        AWSAddon(service: "s3", operation: "ListBuckets", name: "PublicAccessBlock",
                 summary: "The bucket's public access block settings, null when none are set",
                 relatedService: "s3", relatedOperation: "GetPublicAccessBlock",
                 fetch: .perItem(parameters: ["Bucket": "{{ $.Name }}"], result: "$.PublicAccessBlockConfiguration",
                                 absentOn: ["NoSuchPublicAccessBlockConfiguration"])),
        AWSAddon(service: "s3", operation: "ListBuckets", name: "Acl",
                 summary: "The bucket's access control list (owner and grants)",
                 relatedService: "s3", relatedOperation: "GetBucketAcl",
                 fetch: .perItem(parameters: ["Bucket": "{{ $.Name }}"], result: nil)),
        AWSAddon(service: "s3", operation: "ListBuckets", name: "Policy",
                 summary: "The bucket policy (a JSON document), null when the bucket has none",
                 relatedService: "s3", relatedOperation: "GetBucketPolicy",
                 fetch: .perItem(parameters: ["Bucket": "{{ $.Name }}"], result: "$.Policy", absentOn: ["NoSuchBucketPolicy"])),
        AWSAddon(service: "s3", operation: "ListBuckets", name: "Encryption",
                 summary: "The bucket's default encryption, null when none is configured",
                 relatedService: "s3", relatedOperation: "GetBucketEncryption",
                 fetch: .perItem(parameters: ["Bucket": "{{ $.Name }}"], result: "$.ServerSideEncryptionConfiguration",
                                 absentOn: ["ServerSideEncryptionConfigurationNotFoundError"])),
        // IAM users
        AWSAddon(service: "iam", operation: "ListUsers", name: "MFADevices",
                 summary: "The user's MFA devices",
                 relatedService: "iam", relatedOperation: "ListMFADevices",
                 fetch: .perItem(parameters: ["UserName": "{{ $.UserName }}"], result: "$.MFADevices")),
        AWSAddon(service: "iam", operation: "ListUsers", name: "LoginProfile",
                 summary: "The user's console password profile, null when the user cannot sign in to the console",
                 relatedService: "iam", relatedOperation: "GetLoginProfile",
                 fetch: .perItem(parameters: ["UserName": "{{ $.UserName }}"], result: "$.LoginProfile", absentOn: ["NoSuchEntity"])),
        AWSAddon(service: "iam", operation: "ListUsers", name: "AccessKeys",
                 summary: "The user's access keys (ids, status, creation dates)",
                 relatedService: "iam", relatedOperation: "ListAccessKeys",
                 fetch: .perItem(parameters: ["UserName": "{{ $.UserName }}"], result: "$.AccessKeyMetadata")),
    ]

    /// The addons offered for a resource operation.
    public static func offered(service: String, operation: String) -> [AWSAddon] {
        all.filter { $0.service == service && $0.operation == operation }
    }
}
