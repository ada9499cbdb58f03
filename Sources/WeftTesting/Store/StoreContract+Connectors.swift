import Foundation
import Testing
import WeftEngine
import WeftModel

extension StoreContract {
    /// The `ConnectorStore` part of the contract; each case fails when the store is not a `ConnectorStore`.
    public static let connectorCases: [StoreContractCase] = [
        StoreContractCase("connectors round-trip with their sealed secrets and are listed by name") { store in
            let connectors = try connectorStore(store)
            #expect(try await connectors.connectors() == [])
            let prod = ConnectorRecord(
                id: "c-1", name: "prod ✓", provider: "aws", accountId: "123456789012", regions: ["us-east-1", "eu-west-2"],
                endpoint: "http://127.0.0.1:5000", settings: ["roleArn": "arn:aws:iam::123456789012:role/x", "n": 1],
                secretNames: ["externalId", "secretAccessKey"], sealedSecrets: pseudoRandomBytes(count: 300),
                scan: ConnectorScan(expression: "cron(0 3 * * ? *)", timezone: "Europe/London", active: false),
                webhookTokenHash: String(repeating: "ab", count: 32),
                createdAt: ms(1_700_000_000.123), updatedAt: ms(1_700_000_000.123))
            let dev = ConnectorRecord(
                id: "c-2", name: "dev", provider: "gcp", createdAt: ms(1_700_000_001), updatedAt: ms(1_700_000_002))
            try await connectors.createConnector(prod)
            try await connectors.createConnector(dev)
            #expect(try await connectors.connector(id: "c-1") == prod)
            #expect(try await connectors.connector(named: "dev") == dev)
            #expect(try await connectors.connectors() == [dev, prod])

            var changed = prod
            changed.name = "production"
            changed.accountId = nil
            changed.regions = ["ap-south-1"]
            changed.endpoint = nil
            changed.settings = [:]
            changed.secretNames = []
            changed.sealedSecrets = [0, 1, 2, 255]
            changed.scan = nil
            changed.webhookTokenHash = nil
            changed.updatedAt = ms(1_700_000_100.5)
            try await connectors.updateConnector(changed)
            #expect(try await connectors.connector(id: "c-1") == changed)
            await expectNotFound("connector", "prod ✓") { _ = try await connectors.connector(named: "prod ✓") }
            try await connectors.deleteConnector(id: "c-1")
            #expect(try await connectors.connectors() == [dev])
        },

        StoreContractCase("connector ids and names are unique; missing connectors are notFound") { store in
            let connectors = try connectorStore(store)
            let first = ConnectorRecord(
                id: "c-1", name: "prod", provider: "aws", createdAt: ms(1_700_000_000), updatedAt: ms(1_700_000_000))
            try await connectors.createConnector(first)
            var sameId = first
            sameId.name = "other"
            await expectConflict("same id") { try await connectors.createConnector(sameId) }
            var sameName = first
            sameName.id = "c-2"
            await expectConflict("same name") { try await connectors.createConnector(sameName) }
            try await connectors.createConnector(
                ConnectorRecord(
                    id: "c-3", name: "dev", provider: "aws", createdAt: ms(1_700_000_000), updatedAt: ms(1_700_000_000)))
            var renamed = first
            renamed.name = "dev"
            await expectConflict("rename onto a taken name") { try await connectors.updateConnector(renamed) }
            await expectNotFound("connector", "nope") { _ = try await connectors.connector(id: "nope") }
            await expectNotFound("connector", "nope") { _ = try await connectors.connector(named: "nope") }
            var missing = first
            missing.id = "nope"
            missing.name = "fresh"
            await expectNotFound("connector", "nope") { try await connectors.updateConnector(missing) }
            await expectNotFound("connector", "nope") { try await connectors.deleteConnector(id: "nope") }
        },

        StoreContractCase("HTTP credentials round-trip, are unique by id and name, and are deleted") { store in
            let credentials = try connectorStore(store)
            #expect(try await credentials.httpCredentials() == [])
            let vendor = HTTPCredentialRecord(
                id: "h-1", name: "vendor", type: "oauth2ClientCredentials",
                fields: ["tokenUrl": "https://idp.example/token", "clientId": "weft", "scope": "read write"],
                secretNames: ["clientSecret"], sealedSecrets: pseudoRandomBytes(count: 64, seed: 7),
                createdAt: ms(1_700_000_000.25), updatedAt: ms(1_700_000_000.25))
            let basic = HTTPCredentialRecord(
                id: "h-2", name: "legacy", type: "basic", fields: ["username": "ann"], secretNames: ["password"],
                sealedSecrets: [9, 9, 9], createdAt: ms(1_700_000_001), updatedAt: ms(1_700_000_001))
            try await credentials.createHTTPCredential(vendor)
            try await credentials.createHTTPCredential(basic)
            #expect(try await credentials.httpCredential(id: "h-1") == vendor)
            #expect(try await credentials.httpCredential(named: "legacy") == basic)
            #expect(try await credentials.httpCredentials() == [basic, vendor])
            var sameName = basic
            sameName.id = "h-3"
            await expectConflict("same name") { try await credentials.createHTTPCredential(sameName) }
            var sameId = basic
            sameId.name = "new"
            await expectConflict("same id") { try await credentials.createHTTPCredential(sameId) }

            var changed = vendor
            changed.type = "bearer"
            changed.fields = [:]
            changed.secretNames = ["token"]
            changed.sealedSecrets = [1]
            changed.updatedAt = ms(1_700_000_500)
            try await credentials.updateHTTPCredential(changed)
            #expect(try await credentials.httpCredential(id: "h-1") == changed)
            try await credentials.deleteHTTPCredential(id: "h-2")
            #expect(try await credentials.httpCredentials() == [changed])
            await expectNotFound("credential", "h-2") { _ = try await credentials.httpCredential(id: "h-2") }
            await expectNotFound("credential", "legacy") { _ = try await credentials.httpCredential(named: "legacy") }
            await expectNotFound("credential", "h-2") { try await credentials.updateHTTPCredential(basic) }
            await expectNotFound("credential", "h-2") { try await credentials.deleteHTTPCredential(id: "h-2") }
        },
    ]
}

/// The store as a `ConnectorStore`, or a recorded failure.
func connectorStore(_ store: any Store) throws -> any ConnectorStore {
    guard let connectors = store as? any ConnectorStore else {
        throw StoreBackendUnavailable(message: "\(type(of: store)) is not a ConnectorStore")
    }
    return connectors
}
