import AWSSigning
import Foundation
import Inspector2Model
import NIOHTTP1
import Testing
@testable import Inspector2Client

@Suite struct SigV4RequestSignerTests {
    /// The query string we send and the canonical query the signer signs must encode alike.
    @Test func wireQueryMatchesTheSignersEncoding() {
        let items: [(name: String, value: String)] = [("tagKeys", "a b/c:d"), ("tagKeys", "é~_.-+*"), ("x", "")]
        let signerItems = items.map { SignableRequest.QueryItem(name: $0.name, value: $0.value) }
        #expect(URIEncoding.query(items) == SigV4Encoding.encodeQuery(signerItems))
    }

    @Test func signsWithServiceAndRegionAndSessionToken() async throws {
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "TOKEN")
        let signer = SigV4RequestSigner(credentialProvider: StaticCredentialProvider(credentials), region: "eu-west-1")
        var request = PreparedRequest(
            method: "DELETE", host: "inspector2.eu-west-1.amazonaws.com",
            encodedPath: "/tags/" + URIEncoding.encode("arn:aws:inspector2:eu-west-1:111122223333:owner/111122223333/filter/f"),
            query: [("tagKeys", "team")], headers: ["Host": "inspector2.eu-west-1.amazonaws.com"], body: []
        )
        try await signer.sign(&request, at: Date(timeIntervalSince1970: 1_440_938_160))
        let authorization = try #require(request.headers.first(name: "Authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/inspector2/aws4_request, SignedHeaders="))
        #expect(request.headers.first(name: "X-Amz-Date") == "20150830T123600Z")
        #expect(request.headers.first(name: "X-Amz-Security-Token") == "TOKEN")
        #expect(!authorization.contains("wJalrXUtnFEMI"))
    }

    @Test func credentialFailuresBecomeCredentialErrors() async throws {
        struct Failing: AWSCredentialProvider {
            func credentials() async throws -> AWSCredentials {
                throw CredentialError(code: .noCredentials, source: "test", message: "none")
            }
        }
        try await withServer({ _ in .json(200, "{}") }) { server, port in
            var configuration = Inspector2ClientConfiguration(
                region: "us-east-1", credentialProvider: Failing(), endpoint: "http://127.0.0.1:\(port)", environment: [:]
            )
            configuration.sleep = { _ in }
            let client = try Inspector2Client(configuration: configuration)
            do {
                _ = try await client.listMembers(ListMembersRequest())
                Issue.record("expected a credentials error")
            } catch let error as Inspector2Error {
                #expect(error.code == .credentials)
                #expect(error.attempts == 1)
            }
            #expect(server.requests.isEmpty)
        }
    }
}
