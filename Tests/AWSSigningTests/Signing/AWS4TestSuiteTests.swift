import Foundation
import Testing
@testable import AWSSigning

/// The official AWS SigV4 test suite. Every case runs: unlike botocore's own runner we also run
/// `normalize-path/get-space` (our reader keeps the space in the path) and the repeated-key query
/// cases (`get-vanilla-query-order-key*`, `-value`), which our list-based query supports.
/// No case is skipped; S3-only rules (no path normalization) are not part of this suite.
@Suite struct AWS4TestSuiteTests {
    static let cases: [AWS4TestCase] = (try? AWS4TestCase.all()) ?? []

    @Test func dataLoadsWithoutError() throws {
        _ = try AWS4TestCase.all()
    }

    @Test func suiteIsComplete() {
        // 34 cases in botocore 1.43.11's copy of the suite.
        #expect(Self.cases.count == 34)
    }

    @Test(arguments: cases)
    func signsLikeTheSuite(_ testCase: AWS4TestCase) {
        let credentials = AWSCredentials(accessKeyId: AWS4TestCase.accessKeyId, secretAccessKey: AWS4TestCase.secretAccessKey, sessionToken: testCase.sessionToken)
        let signer = SigV4Signer(credentials: credentials, region: AWS4TestCase.region, service: AWS4TestCase.service)
        let request = SignableRequest(
            method: testCase.method,
            path: testCase.rawPath,
            query: SigV4Encoding.parseQuery(testCase.rawQuery),
            headers: testCase.headers,
            payload: .bytes(testCase.body)
        )
        let signature = signer.sign(request, date: AWS4TestCase.date)
        #expect(signature.canonicalRequest == testCase.canonicalRequest)
        #expect(signature.stringToSign == testCase.stringToSign)
        #expect(signature.authorization == testCase.authorization)
    }

    @Test(arguments: cases)
    func verifierAcceptsTheSuiteSignature(_ testCase: AWS4TestCase) throws {
        let stored = AWSCredentials(accessKeyId: AWS4TestCase.accessKeyId, secretAccessKey: AWS4TestCase.secretAccessKey, sessionToken: testCase.sessionToken)
        let verifier = SigV4Verifier { $0 == stored.accessKeyId ? stored : nil }
        var headers = testCase.headers.filter { $0.name.lowercased() != "x-amz-security-token" }
        if let token = testCase.sessionToken { headers.append(("X-Amz-Security-Token", token)) }
        headers.append(("Authorization", testCase.authorization))
        let incoming = SigV4Verifier.IncomingRequest(method: testCase.method, path: testCase.rawPath, rawQuery: testCase.rawQuery, headers: headers, payload: .bytes(testCase.body))
        let verified = try verifier.verify(incoming, now: AWS4TestCase.date.addingTimeInterval(60))
        #expect(verified.accessKeyId == "AKIDEXAMPLE")
        #expect(verified.region == "us-east-1")
        #expect(verified.service == "service")

        // Any change to the signed content must be caught.
        var tampered = incoming
        tampered.method = testCase.method == "GET" ? "POST" : "GET"
        #expect(throws: SigV4VerificationError.self) { try verifier.verify(tampered, now: AWS4TestCase.date) }
    }
}
