import AWSSigning
import Foundation
import Inspector2Emulator
import Testing

@Suite struct ErrorShapeTests {
    let emulator = makeEmulator()

    func expectValidation(_ r: EmulatorResponse, field: String? = nil, reason: String = "FIELD_VALIDATION_FAILED") {
        #expect(r.status == 400)
        #expect(r.header("x-amzn-ErrorType") == "ValidationException")
        #expect(r.header("x-amzn-RequestId")?.isEmpty == false)
        #expect(r.header("Content-Type") == "application/json")
        let body = r.json
        #expect(body?["message"]?.stringValue?.isEmpty == false)
        #expect(body?["reason"]?.stringValue == reason)
        if let field {
            let names = body?["fields"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names.contains(field), "fields \(names)")
            #expect(body?["fields"]?.arrayValue?.allSatisfy { $0["message"]?.stringValue != nil } == true)
        }
    }

    @Test func maxResultsBounds() {
        expectValidation(emulator.post("/findings/list", ["maxResults": 0]), field: "maxResults")
        expectValidation(emulator.post("/findings/list", ["maxResults": 101]), field: "maxResults")
        expectValidation(emulator.post("/coverage/list", ["maxResults": 201]), field: "maxResults")
        #expect(emulator.post("/findings/list", ["maxResults": 100]).status == 200)
        #expect(emulator.post("/findings/list", ["maxResults": 1]).status == 200)
    }

    @Test func badAccountId() {
        expectValidation(emulator.post("/members/get", ["accountId": "12345"]), field: "accountId")
        expectValidation(emulator.post("/status/batch/get", ["accountIds": ["abcdefghijkl"]]))
    }

    @Test func badComparison() {
        let r = emulator.post("/findings/list", ["filterCriteria": ["severity": [["comparison": "CONTAINS", "value": "HIGH"]]]])
        expectValidation(r)
        #expect(r.json?["message"]?.stringValue?.contains("CONTAINS") == true)
    }

    @Test func foreignNextToken() throws {
        let first = emulator.post("/findings/list", ["maxResults": 5])
        let token = try #require(first.json?["nextToken"]?.stringValue)
        // Same token, other filter: rejected.
        let other = emulator.post("/findings/list", ["maxResults": 5, "nextToken": .string(token), "filterCriteria": ["severity": [["comparison": "EQUALS", "value": "HIGH"]]]])
        expectValidation(other, field: "nextToken")
        // Same query, other page size: accepted (maxResults is not part of the query).
        #expect(emulator.post("/findings/list", ["maxResults": 7, "nextToken": .string(token)]).status == 200)
        expectValidation(emulator.post("/findings/list", ["nextToken": "garbage!"]), field: "nextToken")
        // Another action's token.
        expectValidation(emulator.post("/coverage/list", ["nextToken": .string(token)]), field: "nextToken")
    }

    @Test func malformedBodyAndUnknownOperation() {
        let r = emulator.handle(EmulatorRequest(method: "POST", path: "/findings/list", body: Array("{not json".utf8)))
        expectValidation(r, reason: "CANNOT_PARSE")
        let u = emulator.post("/nope")
        #expect(u.status == 404)
        #expect(u.header("x-amzn-ErrorType") == "UnknownOperationException")
    }

    @Test func notFoundAndAccessDenied() throws {
        let nf = emulator.post("/filters/delete", ["arn": "arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/filter/abc"])
        #expect(nf.status == 404)
        #expect(nf.header("x-amzn-ErrorType") == "ResourceNotFoundException")
        #expect(nf.json?["message"] != nil)
        let unknownKey = emulator.post("/findings/list", accessKey: "AKIDUNKNOWN")
        #expect(unknownKey.status == 403)
        #expect(unknownKey.header("x-amzn-ErrorType") == "UnrecognizedClientException")
    }

    @Test func sigV4Required() {
        var config = EmulatorConfiguration()
        config.findingsPerAccountRegion = 5
        config.accounts = 1
        config.requireSigV4 = true
        let strict = Inspector2Emulator(configuration: config, monotonic: { 0 })
        let unsigned = strict.handle(EmulatorRequest(method: "POST", path: "/findings/list", body: Array("{}".utf8)))
        #expect(unsigned.status == 403)
        #expect(unsigned.header("x-amzn-ErrorType") == "MissingAuthenticationTokenException")
        var badlySigned = EmulatorRequest.json("/findings/list")
        badlySigned.headers.append(("x-amz-date", "20260101T000000Z"))
        let r = strict.handle(badlySigned)
        #expect(r.status == 403)
        #expect(r.header("x-amzn-ErrorType") == "InvalidSignatureException")
    }

    @Test func sigV4SignedRequestsPass() {
        var config = EmulatorConfiguration()
        config.findingsPerAccountRegion = 5
        config.accounts = 1
        config.requireSigV4 = true
        let strict = Inspector2Emulator(configuration: config, monotonic: { 0 })
        let body = Array(#"{"maxResults":2}"#.utf8)
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyId: config.accessKey, secretAccessKey: config.secretKey), region: "eu-west-1", service: "inspector2")
        let headers = signer.signedHeaders(for: SignableRequest(method: "POST", url: "http://127.0.0.1:4566/findings/list", headers: [("Content-Type", "application/json")], payload: .bytes(body)), date: Date())
        let ok = strict.handle(EmulatorRequest(method: "POST", path: "/findings/list", headers: headers.map { ($0.name, $0.value) }, body: body))
        #expect(ok.status == 200, "\(String(decoding: ok.body, as: UTF8.self))")
        #expect(ok.json?["findings"]?.arrayValue?.first?["findingArn"]?.stringValue?.contains(":eu-west-1:") == true)
        let tampered = strict.handle(EmulatorRequest(method: "POST", path: "/findings/list", headers: headers.map { ($0.name, $0.value) }, body: Array(#"{"maxResults":3}"#.utf8)))
        #expect(tampered.status == 403)
        #expect(tampered.header("x-amzn-ErrorType") == "InvalidSignatureException")
    }
}
