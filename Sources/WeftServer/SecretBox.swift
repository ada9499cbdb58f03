import Crypto
import Foundation
import WeftModel

/// Seals and opens the secrets the server keeps at rest (SPEC 5): a JSON object of secret fields,
/// encrypted with AES-256-GCM under the data key.
///
/// A sealed blob is `"wsb1"`, the 12-byte nonce, the ciphertext and the 16-byte tag. Each blob is bound
/// to a context (e.g. `connector:<id>`) as authenticated data, so a blob copied onto another record
/// does not open.
public struct SecretBox: Sendable {
    private static let magic: [UInt8] = Array("wsb1".utf8)
    private let key: SymmetricKey

    /// A box under `key`, which must be 32 bytes; throws `SecretBoxError` otherwise.
    public init(key: [UInt8]) throws {
        guard key.count == 32 else {
            throw SecretBoxError(message: "the data key must be 32 bytes, found \(key.count)")
        }
        self.key = SymmetricKey(data: key)
    }

    /// A box under a fresh random key, for tests and throwaway servers: what it seals cannot be opened
    /// by any other process.
    public static func random() -> SecretBox {
        var generator = SystemRandomNumberGenerator()
        // A 32-byte key cannot fail the check.
        return try! SecretBox(key: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// `secrets` serialized and sealed, bound to `context`.
    public func seal(_ secrets: JSONObject, context: String) throws -> [UInt8] {
        let plaintext = Array(JSON.object(secrets).serialized().utf8)
        do {
            let box = try AES.GCM.seal(plaintext, using: key, authenticating: Array(context.utf8))
            guard let combined = box.combined else { throw SecretBoxError(message: "cannot seal the secrets") }
            return Self.magic + Array(combined)
        } catch let error as SecretBoxError {
            throw error
        } catch {
            throw SecretBoxError(message: "cannot seal the secrets: \(error)")
        }
    }

    /// The secrets sealed in `sealed` for `context`.
    ///
    /// Throws `SecretBoxError` when the blob is not a sealed blob, was sealed under another key or for
    /// another context, or was altered; the message never holds secret material.
    public func open(_ sealed: [UInt8], context: String) throws(SecretBoxError) -> JSONObject {
        guard sealed.count >= Self.magic.count + 12 + 16, Array(sealed.prefix(Self.magic.count)) == Self.magic else {
            throw SecretBoxError(message: "the sealed secrets of \(context) are not in a known format")
        }
        let plaintext: Data
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst(Self.magic.count))
            plaintext = try AES.GCM.open(box, using: key, authenticating: Array(context.utf8))
        } catch {
            throw SecretBoxError(
                message: "cannot open the secrets of \(context): wrong data key (WEFT_DATA_KEY or the key file) "
                    + "or altered data")
        }
        guard case .object(let object)? = try? JSON.parse(Array(plaintext)) else {
            throw SecretBoxError(message: "the secrets of \(context) do not hold a JSON object")
        }
        return object
    }
}

/// Secrets that cannot be sealed or opened: a wrong key, an altered or foreign blob.
public struct SecretBoxError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var description: String { message }
}
