import Foundation
import Testing
@testable import AWSSigning

/// Our signer against botocore's on real inspector2 requests and edge cases.
@Suite struct BotocoreVectorTests {
    static let vectors: [BotocoreVector] = (try? BotocoreVector.all()) ?? []

    @Test func dataLoadsWithoutError() throws {
        _ = try BotocoreVector.all()
    }

    @Test func vectorsLoaded() {
        #expect(Self.vectors.count >= 20)
    }

    @Test(arguments: vectors)
    func signatureMatchesBotocore(_ vector: BotocoreVector) throws {
        let credentials = AWSCredentials(accessKeyId: vector.accessKeyId, secretAccessKey: vector.secretAccessKey, sessionToken: vector.sessionToken)
        let signer = SigV4Signer(credentials: credentials, region: vector.region, service: vector.service)
        let request = SignableRequest(method: vector.method, url: vector.url, headers: vector.headerFields, payload: .bytes(vector.body))
        let date = try #require(AmzDate.parse(vector.date))
        let signature = signer.sign(request, date: date)
        #expect(signature.canonicalRequest == vector.expected.canonicalRequest)
        #expect(signature.stringToSign == vector.expected.stringToSign)
        #expect(signature.authorization == vector.expected.authorization)
        let added = Dictionary(signature.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        #expect(added["X-Amz-Date"] == vector.expected.amzDate)
        #expect(added["X-Amz-Security-Token"] == vector.expected.securityToken)
    }

    @Test(arguments: vectors)
    func verifierAcceptsAndRejectsMutation(_ vector: BotocoreVector) throws {
        let stored = AWSCredentials(accessKeyId: vector.accessKeyId, secretAccessKey: vector.secretAccessKey, sessionToken: vector.sessionToken)
        let verifier = SigV4Verifier(expectedService: vector.service) { $0 == stored.accessKeyId ? stored : nil }
        let date = try #require(AmzDate.parse(vector.date))
        let (path, query) = vector.pathAndQuery
        var headers = vector.headerFields
        if !headers.contains(where: { $0.name.lowercased() == "host" }) {
            let host = SignableRequest(method: "GET", url: vector.url).headers.first { $0.name == "Host" }!.value
            headers.append(("Host", host))
        }
        headers.append(("X-Amz-Date", vector.expected.amzDate))
        if let token = vector.expected.securityToken { headers.append(("X-Amz-Security-Token", token)) }
        headers.append(("Authorization", vector.expected.authorization))
        let incoming = SigV4Verifier.IncomingRequest(method: vector.method, path: path, rawQuery: query, headers: headers, payload: .bytes(vector.body))

        let verified = try verifier.verify(incoming, now: date.addingTimeInterval(-120))
        #expect(verified.accessKeyId == vector.accessKeyId)
        #expect(verified.region == vector.region)
        #expect(verified.service == vector.service)
        #expect(verified.sessionToken == vector.sessionToken)

        var mutated = incoming
        if vector.body.isEmpty {
            mutated.rawQuery = query.isEmpty ? "x=1" : query + "&x=1"
        } else if vector.headerFields.contains(where: { $0.name.lowercased() == "x-amz-content-sha256" }) {
            mutated.path += "x"  // an unsigned payload is not covered by the signature
        } else {
            mutated.payload = .bytes(vector.body + [UInt8(ascii: " ")])
        }
        let error = try #require(throws: SigV4VerificationError.self) { try verifier.verify(mutated, now: date) }
        #expect(error.code == .invalidSignature)
        #expect(error.awsErrorCode == "InvalidSignatureException")
        #expect(error.message.hasPrefix("The request signature we calculated does not match the signature you provided."))
    }
}
