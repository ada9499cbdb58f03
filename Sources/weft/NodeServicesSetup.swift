import Foundation
import WeftAWS
import WeftCloudNodes
import WeftEngine
import WeftModel

/// The services `weft run` hands to nodes, built from the connectors file and the environment.
enum NodeServicesSetup {
    static func services(connectors file: ConnectorsFile,
                         environment: [String: String] = ProcessInfo.processInfo.environment) throws -> NodeServices {
        var services = NodeServices()
        if file.connectors.contains(where: { $0.provider == "aws" }) {
            services.register(try AWSAccess(connectors: file.connectors, environment: environment,
                                            botocore: try BotocoreData.locate(environment: environment)))
        }
        return services
    }
}
