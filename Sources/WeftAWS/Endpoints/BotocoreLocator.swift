import Foundation

/// Finds the installed botocore package's `data` folder, for endpoint data, the way `BotocoreData`
/// finds it for models.
public enum BotocoreLocator {
    /// The folder holding `endpoints.json` and the service model folders (see `BotocoreData.locate`).
    /// Throws `AWSEndpointError.botocoreNotFound` when there is none.
    public static func dataDirectory(environment: [String: String]) throws -> String {
        do {
            return try BotocoreData.locate(environment: environment).root.path
        } catch let error as BotocoreDataError {
            throw AWSEndpointError.botocoreNotFound(error.message)
        }
    }
}
