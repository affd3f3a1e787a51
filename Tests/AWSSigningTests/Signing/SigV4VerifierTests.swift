import Foundation
import Testing
@testable import AWSSigning

@Suite struct SigV4VerifierTests {
    static let secret = "verifier/Secret+Key0000000000000000000000"
    static let date = Date(timeIntervalSince1970: 1_764_000_000)
    static let keys: [String: AWSCredentials] = [
        "AKIDLONGTERM": AWSCredentials(accessKeyId: "AKIDLONGTERM", secretAccessKey: secret),
        "ASIATEMP": AWSCredentials(accessKeyId: "ASIATEMP", secretAccessKey: secret, sessionToken: "the-session-token"),
    ]
    let verifier = SigV4Verifier(expectedService: "inspector2") { SigV4VerifierTests.keys[$0] }

    func signed(_ credentials: AWSCredentials, service: String = "inspector2", date: Date = SigV4VerifierTests.date, body: String = #"{"maxResults":10}"#) -> SigV4Verifier.IncomingRequest {
        let request = SignableRequest(method: "POST", url: "https://inspector2.us-east-1.amazonaws.com/findings/list",
                                      headers: [("Content-Type", "application/json")], payload: .bytes(Array(body.utf8)))
        let headers = SigV4Signer(credentials: credentials, region: "us-east-1", service: service).signedHeaders(for: request, date: date)
        return .init(method: "POST", path: "/findings/list", headers: headers, payload: .bytes(Array(body.utf8)))
    }

    func error(_ request: SigV4Verifier.IncomingRequest, now: Date = SigV4VerifierTests.date) -> SigV4VerificationError? {
        do {
            _ = try verifier.verify(request, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func acceptsLongTermAndSessionCredentials() throws {
        let verified = try verifier.verify(signed(Self.keys["AKIDLONGTERM"]!), now: Self.date)
        #expect(verified == .init(accessKeyId: "AKIDLONGTERM", region: "us-east-1", service: "inspector2", signingDate: Self.date, sessionToken: nil))
        let temporary = try verifier.verify(signed(Self.keys["ASIATEMP"]!), now: Self.date.addingTimeInterval(299))
        #expect(temporary.sessionToken == "the-session-token")
    }

    @Test func missingHeaderIsMissingAuthenticationToken() {
        let request = SigV4Verifier.IncomingRequest(method: "GET", path: "/", headers: [("Host", "x")])
        let failure = error(request)
        #expect(failure?.code == .missingAuthenticationToken)
        #expect(failure?.awsErrorCode == "MissingAuthenticationTokenException")
        #expect(failure?.message == "Missing Authentication Token")
    }

    @Test func malformedHeaderIsIncompleteSignature() {
        var request = signed(Self.keys["AKIDLONGTERM"]!)
        request.headers = request.headers.map { $0.name == "Authorization" ? ($0.name, "AWS4-HMAC-SHA256 Credential=AKIDLONGTERM/20251124/us-east-1/inspector2/aws4_request") : $0 }
        let failure = error(request)
        #expect(failure?.code == .incompleteSignature)
        #expect(failure?.awsErrorCode == "IncompleteSignatureException")
        #expect(failure?.message == "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.")

        var noDate = signed(Self.keys["AKIDLONGTERM"]!)
        noDate.headers.removeAll { $0.name == "X-Amz-Date" }
        #expect(error(noDate)?.message == "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")

        var otherAlgorithm = signed(Self.keys["AKIDLONGTERM"]!)
        otherAlgorithm.headers = otherAlgorithm.headers.map { $0.name == "Authorization" ? ($0.name, "AWS3 foo") : $0 }
        #expect(error(otherAlgorithm)?.code == .incompleteSignature)
    }

    @Test func unknownKeyIsUnrecognizedClient() {
        let failure = error(signed(AWSCredentials(accessKeyId: "AKIDUNKNOWN", secretAccessKey: Self.secret)))
        #expect(failure?.code == .unrecognizedClient)
        #expect(failure?.awsErrorCode == "UnrecognizedClientException")
        #expect(failure?.message == "The security token included in the request is invalid.")
    }

    @Test func sessionTokenMustMatch() {
        let wrongToken = AWSCredentials(accessKeyId: "ASIATEMP", secretAccessKey: Self.secret, sessionToken: "another")
        #expect(error(signed(wrongToken))?.code == .unrecognizedClient)
        let noToken = AWSCredentials(accessKeyId: "ASIATEMP", secretAccessKey: Self.secret)
        #expect(error(signed(noToken))?.code == .unrecognizedClient)
        let unexpectedToken = AWSCredentials(accessKeyId: "AKIDLONGTERM", secretAccessKey: Self.secret, sessionToken: "x")
        #expect(error(signed(unexpectedToken))?.code == .unrecognizedClient)
    }

    @Test func wrongSecretIsInvalidSignature() {
        let failure = error(signed(AWSCredentials(accessKeyId: "AKIDLONGTERM", secretAccessKey: "wrong")))
        #expect(failure?.code == .invalidSignature)
        #expect(failure?.awsErrorCode == "InvalidSignatureException")
        #expect(failure?.message == "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
        #expect(failure?.description.contains(Self.secret) == false)
    }

    @Test func skewBeyondFiveMinutesIsExpired() {
        let request = signed(Self.keys["AKIDLONGTERM"]!)
        let late = error(request, now: Self.date.addingTimeInterval(301))
        #expect(late?.code == .signatureExpired)
        #expect(late?.awsErrorCode == "InvalidSignatureException")
        #expect(late?.message == "Signature expired: 20251124T160000Z is now earlier than 20251124T160001Z (20251124T160501Z - 5 min.)")
        let early = error(request, now: Self.date.addingTimeInterval(-301))
        #expect(early?.code == .signatureExpired)
        #expect(early?.message.hasPrefix("Signature not yet current: 20251124T160000Z is still later than") == true)
    }

    @Test func scopeMustNameTheServiceAndTheRequestDate() {
        #expect(error(signed(Self.keys["AKIDLONGTERM"]!, service: "sts"))?.message == "Credential should be scoped to correct service: 'inspector2'. ")
        var otherDay = signed(Self.keys["AKIDLONGTERM"]!)
        otherDay.headers = otherDay.headers.map { $0.name == "X-Amz-Date" ? ($0.name, "20251125T160000Z") : $0 }
        #expect(error(otherDay, now: Self.date.addingTimeInterval(86_400))?.code == .invalidSignature)
    }

    @Test func hostMustBeSigned() {
        let credentials = Self.keys["AKIDLONGTERM"]!
        let request = SignableRequest(method: "GET", path: "/", headers: [("X-Other", "1")])
        let headers = SigV4Signer(credentials: credentials, region: "us-east-1", service: "inspector2").signedHeaders(for: request, date: Self.date)
        let failure = error(.init(method: "GET", path: "/", headers: headers + [("Host", "h")]))
        #expect(failure?.message == "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
    }

    @Test func contentHashHeaderMustMatchBody() {
        let credentials = Self.keys["AKIDLONGTERM"]!
        let body = Array("{}".utf8)
        let request = SignableRequest(method: "POST", url: "https://h/x", payload: .bytes(body))
        let headers = SigV4Signer(credentials: credentials, region: "us-east-1", service: "inspector2", addContentSHA256Header: true).signedHeaders(for: request, date: Self.date)
        let good = SigV4Verifier.IncomingRequest(method: "POST", path: "/x", headers: headers, payload: .bytes(body))
        #expect(error(good) == nil)
        var bad = good
        bad.payload = .bytes(Array("{ }".utf8))
        #expect(error(bad)?.message == "The provided 'x-amz-content-sha256' header does not match what was computed.")
    }
}
