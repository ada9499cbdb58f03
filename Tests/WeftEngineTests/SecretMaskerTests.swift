import Testing
import WeftEngine
import WeftModel

@Suite("Secret masker")
struct SecretMaskerTests {
    let masker = SecretMasker(secretValues: [["token": "s3cr3t-token", "pin": 7, "short": "abc"], "pässwörd"])

    @Test func secretsInsideTextsAreMasked() {
        #expect(masker.mask("Authorization: Bearer s3cr3t-token.") == "Authorization: Bearer *****.")
        #expect(masker.mask("x s3cr3t-tokens3cr3t-token y") == "x ********** y")
        #expect(masker.mask("ünïcode pässwörd here") == "ünïcode ***** here")
        #expect(masker.mask("s3cr3t-toke") == "s3cr3t-toke")
    }

    @Test func shortSecretsAndNumbersOnlyAsWholeValues() {
        #expect(masker.mask(JSON.int(7)) == "*****")
        #expect(masker.mask(JSON.string("7")) == "*****")
        #expect(masker.mask(JSON.string("web-17")) == "web-17")
        #expect(masker.mask(JSON.string("abc")) == "*****")
        #expect(masker.mask(JSON.string("abcd")) == "abcd")
    }

    @Test func nestedValuesAreMaskedAndKeysKept() {
        let value: JSON = ["s3cr3t-token": ["a", ["deep": "key=s3cr3t-token"]], "n": 7, "ok": true]
        #expect(masker.mask(value) == ["s3cr3t-token": ["a", ["deep": "key=*****"]], "n": "*****", "ok": true])
        let clean: JSON = ["name": "web", "ports": [22, 443], "nested": ["deeper": ["text": "nothing secret"]]]
        #expect(masker.mask(clean) == clean)
    }

    @Test func shortNonASCIISecretsMatchAsWholeValuesWhateverTheirNormalisation() {
        // "né" is 3 bytes precomposed and 4 decomposed; both are the same text and both are masked.
        let short = SecretMasker(secretValues: ["n\u{E9}", "ab"])
        #expect(short.mask(JSON.string("n\u{E9}")) == "*****")
        #expect(short.mask(JSON.string("ne\u{301}")) == "*****")
        #expect(short.mask(JSON.string("ab")) == "*****")
        #expect(short.mask(JSON.string("abc")) == "abc")
        #expect(short.mask(JSON.string("ne")) == "ne")
    }
}
