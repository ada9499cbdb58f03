import Foundation
import WeftEngine

/// What a first start sets up: the Manager account and the data-encryption key.
public enum ServerBootstrap {
    /// The name of the Manager account created on first start.
    public static let adminName = "admin"

    /// Creates the Manager account `admin` when the store has no user yet, with the password
    /// `WEFT_ADMIN_PASSWORD` from `environment`, or a generated one that is returned (to be printed once).
    /// Returns `nil` when nothing was generated.
    public static func ensureAdmin(store: any UserStore, environment: [String: String], bcryptCost: UInt8) async throws
        -> String?
    {
        guard try await store.users().isEmpty else { return nil }
        var generated: String?
        let password: String
        if let given = environment["WEFT_ADMIN_PASSWORD"], !given.isEmpty {
            password = given
        } else {
            password = String(Credentials.newSecret().prefix(24))
            generated = password
        }
        try await store.createUser(
            UserRecord(
                id: Credentials.newId("usr"), name: adminName, role: .manager,
                passwordHash: Credentials.hashPassword(password, cost: bcryptCost), createdAt: Date()))
        return generated
    }

    /// The 32-byte data-encryption key for secrets at rest: from `WEFT_DATA_KEY` (base64) when set,
    /// else from the key file at `path`, created on first use with mode 0600 (never overwritten).
    /// Throws `KeyFileError` when the variable or file does not hold a base64 32-byte key, or the file
    /// cannot be created.
    public static func dataKey(path: String, environment: [String: String]) throws -> [UInt8] {
        if let text = environment["WEFT_DATA_KEY"], !text.isEmpty {
            return try decodeKey(text, source: "WEFT_DATA_KEY")
        }
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KeyFileError(message: "cannot read the key file \(path)")
            }
            return try decodeKey(String(decoding: data, as: UTF8.self), source: path)
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let text = Data(key).base64EncodedString() + "\n"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw KeyFileError(message: "cannot create the key file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fchmod(descriptor, 0o600) == 0 else {
            throw KeyFileError(message: "cannot write the key file \(path)")
        }
        return key
    }

    private static func decodeKey(_ text: String, source: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw KeyFileError(message: "\(source) does not hold a base64-encoded 32-byte key")
        }
        return [UInt8](data)
    }
}

/// A data-encryption key that cannot be read or created.
public struct KeyFileError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
