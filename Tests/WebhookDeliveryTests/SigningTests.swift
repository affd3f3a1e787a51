import Foundation
import Testing
@testable import WebhookDelivery

@Suite struct SigningTests {
    /// DESIGN.md's vector (the Standard Webhooks reference vector).
    @Test func standardWebhooksVector() throws {
        let signer = try WebhookSigner(secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        let signature = signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func rotationSignsWithEverySecret() throws {
        let old = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let new = "whsec_" + Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let both = try WebhookSigner(secrets: [new, old])
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let header = try #require(both.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body))
        let parts = header.split(separator: " ").map(String.init)
        #expect(parts.count == 2)
        #expect(parts[1] == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(parts[0] == (try WebhookSigner(secrets: [new])).signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body))
        #expect(parts[0] != parts[1])
    }

    @Test func headersAndChangedInputsChangeTheSignature() throws {
        let signer = try WebhookSigner(secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        let body = Array("{}".utf8)
        let headers = signer.headers(id: "msg_1", timestamp: 10, body: body)
        #expect(headers.map(\.0) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers[1].1 == "10")
        #expect(signer.signature(id: "msg_1", timestamp: 11, body: body) != headers[2].1)
        #expect(signer.signature(id: "msg_2", timestamp: 10, body: body) != headers[2].1)
        #expect(try WebhookSigner(secrets: []).headers(id: "msg_1", timestamp: 10, body: body).count == 2)
    }

    @Test func invalidSecretIsRefusedWithoutShowingIt() {
        #expect(throws: WebhookError.self) { try WebhookSigner(secrets: ["whsec_!!!not-base64!!!"]) }
        do {
            _ = try WebhookSigner(secrets: ["whsec_!!!not-base64!!!"])
        } catch {
            #expect(!"\(error)".contains("not-base64"))
        }
    }
}
