import Foundation
import SQLKit
import SQLiteKit
import WeftEngine
import WeftModel

extension SQLStore: ConnectorStore {
    public func createConnector(_ connector: ConnectorRecord) async throws {
        let values = ConnectorValues(connector)
        try await withDatabase { db in
            try await db.raw(
                """
                INSERT INTO connectors (id, name, provider, account_id, regions, endpoint, settings, secret_names,
                                        sealed_secrets, scan, webhook_token_hash, created_at, updated_at)
                VALUES (\(bind: values.id), \(bind: values.name), \(bind: values.provider), \(bind: values.accountId),
                        \(values.regions), \(bind: values.endpoint), \(values.settings), \(values.secretNames),
                        \(bind: values.sealed), \(values.scan), \(bind: values.webhookTokenHash),
                        \(bind: values.createdAt), \(bind: values.updatedAt))
                """
            ).run()
        }
    }

    public func updateConnector(_ connector: ConnectorRecord) async throws {
        let values = ConnectorValues(connector)
        let updated = try await withDatabase { db in
            try await db.raw(
                """
                UPDATE connectors SET name = \(bind: values.name), provider = \(bind: values.provider),
                    account_id = \(bind: values.accountId), regions = \(values.regions), endpoint = \(bind: values.endpoint),
                    settings = \(values.settings), secret_names = \(values.secretNames),
                    sealed_secrets = \(bind: values.sealed), scan = \(values.scan),
                    webhook_token_hash = \(bind: values.webhookTokenHash), updated_at = \(bind: values.updatedAt)
                WHERE id = \(bind: values.id) RETURNING id
                """
            ).first() != nil
        }
        guard updated else { throw StoreError.notFound(kind: "connector", id: connector.id) }
    }

    public func connector(id: String) async throws -> ConnectorRecord {
        let row = try await withDatabase { db in
            try await db.raw("SELECT * FROM connectors WHERE id = \(bind: id)").first()
        }
        guard let row else { throw StoreError.notFound(kind: "connector", id: id) }
        return try decodeConnector(row)
    }

    public func connector(named name: String) async throws -> ConnectorRecord {
        let row = try await withDatabase { db in
            try await db.raw("SELECT * FROM connectors WHERE name = \(bind: name)").first()
        }
        guard let row else { throw StoreError.notFound(kind: "connector", id: name) }
        return try decodeConnector(row)
    }

    public func connectors() async throws -> [ConnectorRecord] {
        let rows = try await withDatabase { db in
            try await db.raw("SELECT * FROM connectors ORDER BY name, id").all()
        }
        return try rows.map { try decodeConnector($0) }
    }

    public func deleteConnector(id: String) async throws {
        let deleted = try await withDatabase { db in
            try await db.raw("DELETE FROM connectors WHERE id = \(bind: id) RETURNING id").first() != nil
        }
        guard deleted else { throw StoreError.notFound(kind: "connector", id: id) }
    }

    public func createHTTPCredential(_ credential: HTTPCredentialRecord) async throws {
        let values = CredentialValues(credential)
        try await withDatabase { db in
            try await db.raw(
                """
                INSERT INTO http_credentials (id, name, type, fields, secret_names, sealed_secrets, created_at, updated_at)
                VALUES (\(bind: values.id), \(bind: values.name), \(bind: values.type), \(values.fields),
                        \(values.secretNames), \(bind: values.sealed), \(bind: values.createdAt), \(bind: values.updatedAt))
                """
            ).run()
        }
    }

    public func updateHTTPCredential(_ credential: HTTPCredentialRecord) async throws {
        let values = CredentialValues(credential)
        let updated = try await withDatabase { db in
            try await db.raw(
                """
                UPDATE http_credentials SET name = \(bind: values.name), type = \(bind: values.type),
                    fields = \(values.fields), secret_names = \(values.secretNames),
                    sealed_secrets = \(bind: values.sealed), updated_at = \(bind: values.updatedAt)
                WHERE id = \(bind: values.id) RETURNING id
                """
            ).first() != nil
        }
        guard updated else { throw StoreError.notFound(kind: "credential", id: credential.id) }
    }

    public func httpCredential(id: String) async throws -> HTTPCredentialRecord {
        let row = try await withDatabase { db in
            try await db.raw("SELECT * FROM http_credentials WHERE id = \(bind: id)").first()
        }
        guard let row else { throw StoreError.notFound(kind: "credential", id: id) }
        return try decodeCredential(row)
    }

    public func httpCredential(named name: String) async throws -> HTTPCredentialRecord {
        let row = try await withDatabase { db in
            try await db.raw("SELECT * FROM http_credentials WHERE name = \(bind: name)").first()
        }
        guard let row else { throw StoreError.notFound(kind: "credential", id: name) }
        return try decodeCredential(row)
    }

    public func httpCredentials() async throws -> [HTTPCredentialRecord] {
        let rows = try await withDatabase { db in
            try await db.raw("SELECT * FROM http_credentials ORDER BY name, id").all()
        }
        return try rows.map { try decodeCredential($0) }
    }

    public func deleteHTTPCredential(id: String) async throws {
        let deleted = try await withDatabase { db in
            try await db.raw("DELETE FROM http_credentials WHERE id = \(bind: id) RETURNING id").first() != nil
        }
        guard deleted else { throw StoreError.notFound(kind: "credential", id: id) }
    }

    private func decodeConnector(_ row: any SQLRow) throws -> ConnectorRecord {
        try decoding {
            ConnectorRecord(
                id: try row.string("id"), name: try row.string("name"), provider: try row.string("provider"),
                accountId: try row.optionalString("account_id"),
                regions: try StepColumns.strings(try row.json("regions"), column: "regions"),
                endpoint: try row.optionalString("endpoint"), settings: try row.jsonObject("settings"),
                secretNames: try StepColumns.strings(try row.json("secret_names"), column: "secret_names"),
                sealedSecrets: try row.bytes("sealed_secrets"),
                scan: try row.optionalJSON("scan").flatMap { ConnectorScan(json: $0) },
                webhookTokenHash: try row.optionalString("webhook_token_hash"),
                createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
        }
    }

    private func decodeCredential(_ row: any SQLRow) throws -> HTTPCredentialRecord {
        try decoding {
            HTTPCredentialRecord(
                id: try row.string("id"), name: try row.string("name"), type: try row.string("type"),
                fields: try row.jsonObject("fields"),
                secretNames: try StepColumns.strings(try row.json("secret_names"), column: "secret_names"),
                sealedSecrets: try row.bytes("sealed_secrets"), createdAt: try row.date("created_at"),
                updatedAt: try row.date("updated_at"))
        }
    }
}

/// A connector's column values, encoded once before the statement is built.
private struct ConnectorValues: Sendable {
    var id, name, provider: String
    var accountId, endpoint, webhookTokenHash: String?
    var regions, settings, secretNames, scan: JSONParameter
    var sealed: ByteBuffer
    var createdAt, updatedAt: Date

    init(_ record: ConnectorRecord) {
        id = record.id; name = record.name; provider = record.provider; accountId = record.accountId
        endpoint = record.endpoint; webhookTokenHash = record.webhookTokenHash
        scan = JSONParameter(record.scan?.json)
        regions = JSONParameter(StepColumns.strings(record.regions))
        settings = JSONParameter(.object(record.settings))
        secretNames = JSONParameter(StepColumns.strings(record.secretNames))
        sealed = ByteBuffer(bytes: record.sealedSecrets)
        createdAt = StoreDate.rounded(record.createdAt); updatedAt = StoreDate.rounded(record.updatedAt)
    }
}

/// An HTTP credential's column values, encoded once before the statement is built.
private struct CredentialValues: Sendable {
    var id, name, type: String
    var fields, secretNames: JSONParameter
    var sealed: ByteBuffer
    var createdAt, updatedAt: Date

    init(_ record: HTTPCredentialRecord) {
        id = record.id; name = record.name; type = record.type
        fields = JSONParameter(.object(record.fields))
        secretNames = JSONParameter(StepColumns.strings(record.secretNames))
        sealed = ByteBuffer(bytes: record.sealedSecrets)
        createdAt = StoreDate.rounded(record.createdAt); updatedAt = StoreDate.rounded(record.updatedAt)
    }
}

extension SQLRow {
    fileprivate func jsonObject(_ column: String) throws -> JSONObject {
        guard case .object(let object) = try json(column) else {
            throw StoreError.backend("column \(column) holds an unexpected JSON shape")
        }
        return object
    }

    fileprivate func bytes(_ column: String) throws -> [UInt8] {
        var buffer = try decode(column: column, as: ByteBuffer.self)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}
