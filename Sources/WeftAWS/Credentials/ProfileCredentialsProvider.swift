import Foundation

/// Credentials of a named profile in the shared `credentials` and `config` files.
///
/// A profile with `role_arn` assumes that role (with `external_id`, `role_session_name`,
/// `duration_seconds`) using `source_profile`'s credentials or `credential_source`
/// (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`); STS is called in the profile's `region`
/// (else `AWS_REGION`, `AWS_DEFAULT_REGION`, `us-east-1`). Otherwise the profile's
/// `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token` are used. The files are
/// read on the first call.
public actor ProfileCredentialsProvider: AWSCredentialsProvider {
    private let profileName: String
    private let explicitProfile: Bool
    private let environment: [String: String]
    private let homeDirectory: String
    private let transport: AWSHTTPTransport
    private let stsEndpointOverride: String?
    private var resolved: (any AWSCredentialsProvider)?

    /// - Parameters:
    ///   - profile: the profile to use; nil for `AWS_PROFILE` / `AWS_DEFAULT_PROFILE` / `default`.
    ///   - stsEndpointOverride: an STS URL to use for `role_arn` profiles (for tests and private endpoints).
    public init(profile: String? = nil, environment: [String: String], homeDirectory: String,
                transport: AWSHTTPTransport = .shared, stsEndpointOverride: String? = nil) {
        profileName = profile ?? SharedConfigFiles.profileName(environment: environment)
        explicitProfile = profile != nil || !(environment["AWS_PROFILE"] ?? "").isEmpty
            || !(environment["AWS_DEFAULT_PROFILE"] ?? "").isEmpty
        self.environment = environment; self.homeDirectory = homeDirectory
        self.transport = transport; self.stsEndpointOverride = stsEndpointOverride
    }

    /// Throws `.notConfigured` when the default profile is absent or has no credentials, `.invalid` when
    /// an explicitly chosen profile is absent or a profile is incomplete or circular.
    public func credentials() async throws -> AWSCredentials {
        if let resolved { return try await resolved.credentials() }
        let files = SharedConfigFiles(environment: environment, homeDirectory: homeDirectory)
        let provider = try provider(for: profileName, files: files, visited: [])
        resolved = provider
        return try await provider.credentials()
    }

    private func provider(for name: String, files: SharedConfigFiles, visited: [String]) throws
        -> any AWSCredentialsProvider
    {
        guard let profile = files.profiles[name] else {
            if visited.isEmpty && !explicitProfile {
                throw AWSCredentialsError(.notConfigured, "no profile \(name) in the shared config files")
            }
            throw AWSCredentialsError(.invalid, "profile \(name) not found in the shared config files")
        }
        if let roleArn = nonEmpty(profile["role_arn"]) {
            let source: any AWSCredentialsProvider
            if let sourceName = nonEmpty(profile["source_profile"]) {
                if sourceName == name, let keys = staticKeys(profile) {
                    source = keys
                } else {
                    guard !visited.contains(sourceName) && sourceName != name else {
                        throw AWSCredentialsError(.invalid, "profile \(name): source_profile chain is circular")
                    }
                    source = try provider(for: sourceName, files: files, visited: visited + [name])
                }
            } else if let credentialSource = nonEmpty(profile["credential_source"]) {
                switch credentialSource {
                case "Environment": source = EnvironmentCredentialsProvider(environment: environment)
                case "Ec2InstanceMetadata":
                    source = InstanceMetadataCredentialsProvider(environment: environment, transport: transport)
                case "EcsContainer": source = ContainerCredentialsProvider(environment: environment, transport: transport)
                default:
                    throw AWSCredentialsError(.invalid, "profile \(name): unknown credential_source \(credentialSource)")
                }
            } else {
                throw AWSCredentialsError(.invalid, "profile \(name): role_arn needs source_profile or credential_source")
            }
            let region = nonEmpty(profile["region"]) ?? nonEmpty(environment["AWS_REGION"])
                ?? nonEmpty(environment["AWS_DEFAULT_REGION"]) ?? "us-east-1"
            let parameters = AssumeRoleCredentialsProvider.Parameters(
                roleArn: roleArn, roleSessionName: nonEmpty(profile["role_session_name"]),
                externalId: nonEmpty(profile["external_id"]),
                durationSeconds: profile["duration_seconds"].flatMap { Int($0) })
            let endpoint = try STSEndpoint.resolve(region: region, endpointOverride: stsEndpointOverride,
                                                   environment: environment)
            return AssumeRoleCredentialsProvider(source: source, parameters: parameters, stsEndpoint: endpoint,
                                                 transport: transport)
        }
        if let keys = staticKeys(profile) { return keys }
        if profile["aws_access_key_id"] != nil || profile["aws_secret_access_key"] != nil {
            throw AWSCredentialsError(.invalid, "profile \(name) has only one of aws_access_key_id and aws_secret_access_key")
        }
        if visited.isEmpty && !explicitProfile {
            throw AWSCredentialsError(.notConfigured, "profile \(name) has no credentials")
        }
        throw AWSCredentialsError(.invalid, "profile \(name) has no credentials")
    }

    private func staticKeys(_ profile: [String: String]) -> StaticCredentialsProvider? {
        guard let key = nonEmpty(profile["aws_access_key_id"]), let secret = nonEmpty(profile["aws_secret_access_key"])
        else { return nil }
        return StaticCredentialsProvider(accessKeyId: key, secretAccessKey: secret,
                                         sessionToken: nonEmpty(profile["aws_session_token"]))
    }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}

/// The SDKs' default credential chain: environment variables, the shared files' profile (including
/// `role_arn` profiles), container credentials, then IMDSv2 instance metadata.
///
/// The environment step is skipped when a profile is passed explicitly. A step that is not configured
/// is passed over; a configured step that fails ends the search with its error, except instance
/// metadata, whose failure means "no credentials found". The first step that answers is kept for later calls.
public actor DefaultCredentialsChain: AWSCredentialsProvider {
    private let steps: [(name: String, provider: any AWSCredentialsProvider)]
    private var chosen: (any AWSCredentialsProvider)?

    public init(environment: [String: String], homeDirectory: String, profile: String? = nil,
                transport: AWSHTTPTransport = .shared) {
        var steps: [(String, any AWSCredentialsProvider)] = []
        if profile == nil { steps.append(("environment", EnvironmentCredentialsProvider(environment: environment))) }
        steps.append(("shared config files", ProfileCredentialsProvider(
            profile: profile, environment: environment, homeDirectory: homeDirectory, transport: transport)))
        steps.append(("container", ContainerCredentialsProvider(environment: environment, transport: transport)))
        steps.append(("instance metadata", InstanceMetadataCredentialsProvider(environment: environment,
                                                                              transport: transport)))
        self.steps = steps
    }

    /// Throws `.notConfigured` listing every step when none has credentials.
    public func credentials() async throws -> AWSCredentials {
        if let chosen { return try await chosen.credentials() }
        var reasons: [String] = []
        for (index, step) in steps.enumerated() {
            do {
                let credentials = try await step.provider.credentials()
                chosen = step.provider
                return credentials
            } catch let error as AWSCredentialsError where error.kind == .notConfigured || index == steps.count - 1 {
                reasons.append("\(step.name): \(error.message)")
            }
        }
        throw AWSCredentialsError(.notConfigured, "no AWS credentials found (" + reasons.joined(separator: "; ") + ")")
    }
}
