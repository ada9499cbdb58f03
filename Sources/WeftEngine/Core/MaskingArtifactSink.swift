import WeftModel

/// Masks secrets in the text of the files nodes produce before they are kept.
struct MaskingArtifactSink: ArtifactSink {
    let inner: any ArtifactSink
    let masker: SecretMasker

    func write(fileName: String, bytes: [UInt8], executionId: String) throws -> String {
        guard !masker.isEmpty else { return try inner.write(fileName: fileName, bytes: bytes, executionId: executionId) }
        let text = masker.mask(String(decoding: bytes, as: UTF8.self))
        return try inner.write(fileName: fileName, bytes: Array(text.utf8), executionId: executionId)
    }
}
