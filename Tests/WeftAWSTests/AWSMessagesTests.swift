import Testing
import WeftAWS

@Suite("AWS messages")
struct AWSMessagesTests {
    @Test("response headers are looked up case-insensitively")
    func headerLookup() {
        let response = AWSResponse(status: 200, headers: [AWSField("X-Amzn-RequestId", "abc")])
        #expect(response.header("x-amzn-requestid") == "abc")
        #expect(response.header("missing") == nil)
    }

    @Test("a service error names its code, message and request id")
    func errorDescription() {
        let error = AWSServiceError(code: "AccessDenied", message: "no", requestId: "r-1", statusCode: 403)
        #expect(error.description == "AccessDenied: no (request id r-1)")
    }
}
