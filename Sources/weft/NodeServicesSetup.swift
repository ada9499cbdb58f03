import Foundation
import WeftAWS
import WeftCloudNodes
import WeftEngine
import WeftHTTP
import WeftModel

/// The services `weft run` hands to nodes, built from the connectors file and the environment: AWS
/// clients for the `aws` connectors, and the named HTTP credentials with the egress policy
/// (`WEFT_EGRESS_DENY`, `WEFT_EGRESS_ALLOW`, `WEFT_CREDENTIAL_<NAME>`).
enum NodeServicesSetup {
    /// The services, added to `base`, and the secret values they hold, for the run's masker.
    static func services(connectors file: ConnectorsFile,
                         environment: [String: String] = ProcessInfo.processInfo.environment,
                         base: NodeServices = NodeServices()) throws -> (NodeServices, [JSON]) {
        var services = base
        if file.connectors.contains(where: { $0.provider == "aws" }) {
            services.register(try AWSAccess(connectors: file.connectors, environment: environment,
                                            botocore: try BotocoreData.locate(environment: environment)))
        }
        let http = try HTTPCredentials.fromEnvironment(fileCredentials: file.credentials, environment: environment)
        services.register(http)
        return (services, http.secretValues)
    }
}
