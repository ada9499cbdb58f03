import Foundation

/// The OpenAPI 3.1 document of the API (`openapi.json` beside this file), served at
/// `/api/v1/openapi.json`; a test checks that its paths and methods are exactly the router's.
public enum OpenAPIDocument {
    public static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("openapi.json is missing from the WeftServer bundle")
        }
        return text
    }()
}
