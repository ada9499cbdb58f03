// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "weft",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "weft", targets: ["weft"]),
        .executable(name: "weft-sandbox", targets: ["weft-sandbox"]),
        .library(name: "WeftModel", targets: ["WeftModel"]),
        .library(name: "WeftEngine", targets: ["WeftEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        // Flow documents, JSON, JSONPath, conditions, templates, node descriptions, validation.
        .target(
            name: "WeftModel",
            dependencies: [
                "CZlib",
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // glibc's malloc tuning (mallopt), which the Glibc module does not import.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // NodeType protocol, registry, run state machine, runner, step journal.
        .target(
            name: "WeftEngine",
            dependencies: [
                "WeftModel",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // AWS API access driven by botocore's models: protocols, SigV4, credentials, endpoints, retries.
        .target(
            name: "WeftAWS",
            dependencies: [
                "WeftModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .systemLibrary(
            name: "CJavaScriptCore", path: "Sources/CJavaScriptCore", pkgConfig: "javascriptcoregtk-4.1",
            providers: [.apt(["libjavascriptcoregtk-4.1-dev"])]),
        // The engine's side of user JavaScript: the sandbox protocol, the helper pool and its limits.
        .target(name: "WeftJavaScript", dependencies: ["WeftModel"]),
        // The sandbox helper process that runs user JavaScript on JavaScriptCore.
        .executableTarget(name: "weft-sandbox", dependencies: ["CJavaScriptCore", "WeftModel", "WeftJavaScript"]),
        // HTTP for the http and largeHttp nodes: egress policy, client, auth, pagination, body item files.
        .target(
            name: "WeftHTTP",
            dependencies: [
                "WeftModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        // General node types, one file each, and the registry table.
        .target(name: "WeftNodes", dependencies: ["WeftEngine", "WeftJavaScript", "WeftHTTP"]),
        // The flow templates shipped with Weft, as flow files.
        .target(name: "WeftTemplates", dependencies: ["WeftModel"], resources: [.copy("Templates")]),
        // Cloud node types (aws.resource, aws.action, aws.raw) and the addon catalog.
        .target(name: "WeftCloudNodes", dependencies: ["WeftEngine", "WeftAWS"]),
        // Storage: one SQL layer over SQLite and PostgreSQL.
        .target(
            name: "WeftStore",
            dependencies: [
                "WeftEngine",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
            ]
        ),
        // `weft serve`: the REST API on Hummingbird, users and roles, the run worker.
        .target(
            name: "WeftServer",
            dependencies: [
                "WeftEngine", "WeftTemplates",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("openapi.json"), .copy("UI")]),
        // The server's AWS catalog from botocore's models (kept out of WeftServer, which knows no cloud).
        .target(name: "WeftServerAWS", dependencies: ["WeftServer", "WeftCloudNodes", "WeftAWS"]),
        // Test support shipped as a target: the store contract suite, fixtures, launchers.
        .target(name: "WeftTesting", dependencies: ["WeftStore", "WeftNodes", "WeftCloudNodes"]),
        // The command-line interface: thin commands.
        .executableTarget(
            name: "weft",
            dependencies: [
                "WeftNodes", "WeftCloudNodes", "WeftAWS", "WeftHTTP", "WeftServer", "WeftServerAWS", "WeftStore", "WeftTemplates",
                .target(name: "CMalloc", condition: .when(platforms: [.linux])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks that time the engine's parts directly (bench/run.sh runs them).
        .executableTarget(name: "weft-bench", dependencies: ["WeftNodes"]),
        .testTarget(name: "WeftModelTests", dependencies: ["WeftModel"]),
        .testTarget(name: "WeftEngineTests", dependencies: ["WeftEngine", "WeftNodes"]),
        .testTarget(
            name: "WeftAWSTests",
            dependencies: [
                "WeftAWS", "WeftTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Protocols/botocore_oracle.py", "Transport/sigv4_oracle.py"]),
        .testTarget(
            name: "WeftServerTests",
            dependencies: [
                "WeftServer", "WeftServerAWS", "WeftNodes", "WeftTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]),
        .testTarget(name: "WeftJavaScriptTests", dependencies: ["WeftJavaScript"]),
        .testTarget(name: "WeftNodesTests", dependencies: ["WeftNodes", "WeftJavaScript"], exclude: ["Fixtures"]),
        .testTarget(name: "WeftHTTPTests", dependencies: ["WeftHTTP", "WeftNodes"], exclude: ["Support"]),
        .testTarget(
            name: "WeftStoreTests",
            dependencies: ["WeftStore", "WeftTesting", .product(name: "SQLKit", package: "sql-kit")]),
        .testTarget(name: "WeftCLITests", dependencies: ["WeftTesting"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
