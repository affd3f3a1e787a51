import Foundation
import NIOHTTP1
import Testing
@testable import Inspector2Client

@Suite struct ErrorResponseParserTests {
    func body(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func headerCodeWins() {
        let headers = HTTPHeaders([
            ("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/"),
            ("x-amzn-RequestId", "req-1"), ("Retry-After", "7"),
        ])
        let error = ErrorResponseParser.parse(status: 429, headers: headers, body: body(#"{"__type":"Other","message":"Rate exceeded"}"#), operation: "ListFindings")
        #expect(error.serviceCode == .throttlingException)
        #expect(error.message == "Rate exceeded")
        #expect(error.requestId == "req-1")
        #expect(error.retryAfter == .seconds(7))
        #expect(error.httpStatus == 429)
        #expect(error.isThrottling)
        #expect(error.operation == "ListFindings")
    }

    @Test func bodyTypeWithNamespaceAndValidationDetails() {
        let json = #"{"__type":"com.amazonaws.inspector2#ValidationException","Message":"bad","reason":"FIELD_VALIDATION_FAILED","fields":[{"name":"maxResults","message":"must be <= 100"}]}"#
        let error = ErrorResponseParser.parse(status: 400, headers: [:], body: body(json))
        #expect(error.serviceCode == .validationException)
        #expect(error.message == "bad")
        #expect(error.validationReason == "FIELD_VALIDATION_FAILED")
        #expect(error.fields == [.init(name: "maxResults", message: "must be <= 100")])
        #expect(error.description.contains("maxResults"))
    }

    @Test func codeMemberAndUnparseableBodies() {
        #expect(ErrorResponseParser.parse(status: 403, headers: [:], body: body(#"{"code":"AccessDeniedException"}"#)).serviceCode == .accessDeniedException)
        let html = ErrorResponseParser.parse(status: 502, headers: [:], body: body("<html>Bad Gateway</html>"))
        #expect(html.serviceCode == nil)
        #expect(html.httpStatus == 502)
        #expect(html.code == .service)
    }

    @Test func xmlErrorDocuments() {
        let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error><RequestId>r</RequestId></ErrorResponse>"
        let error = ErrorResponseParser.parse(status: 403, headers: [:], body: body(xml))
        #expect(error.serviceCode?.rawValue == "SignatureDoesNotMatch")
        #expect(error.message == "The request signature we calculated does not match")
        #expect(ErrorResponseParser.parse(status: 500, headers: [:], body: body("<html><body>oops</body></html>")).serviceCode == nil)
    }

    @Test func retryAfterForms() {
        #expect(ErrorResponseParser.retryAfter(in: ["Retry-After": "1.5"]) == .milliseconds(1500))
        #expect(ErrorResponseParser.retryAfter(in: ["x-amz-retry-after": "250"]) == .milliseconds(250))
        let dated: HTTPHeaders = ["Date": "Wed, 21 Oct 2015 07:28:00 GMT", "Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"]
        #expect(ErrorResponseParser.retryAfter(in: dated) == .seconds(30))
        #expect(ErrorResponseParser.retryAfter(in: ["Retry-After": "-3"]) == nil)
        #expect(ErrorResponseParser.retryAfter(in: ["Retry-After": "soon"]) == nil)
    }

    @Test func descriptionCarriesNoRequestSecrets() {
        var error = ErrorResponseParser.parse(status: 403, headers: ["x-amzn-ErrorType": "InvalidSignatureException"], body: body(#"{"message":"The request signature we calculated does not match"}"#))
        error.attempts = 1
        let text = error.description
        #expect(text.contains("InvalidSignatureException"))
        #expect(text.contains("status: 403"))
        #expect(!text.contains("Authorization"))
    }
}

@Suite struct HTTPDateTests {
    @Test func formats() {
        let expected = Date(timeIntervalSince1970: 784_111_777)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == expected)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == expected)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == expected)
        #expect(HTTPDate.parse("Wed, 25 Nov 2026 19:49:59 GMT") == Date(timeIntervalSince1970: 1_795_636_199))
        #expect(HTTPDate.parse("Sun, 06 Foo 1994 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("") == nil)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 25:49:37 GMT") == nil)
    }
}

@Suite struct URIEncodingTests {
    @Test func encodesEverythingButUnreserved() {
        #expect(URIEncoding.encode("arn:aws:inspector2:us-east-1:123456789012:owner/123456789012/filter/abc")
            == "arn%3Aaws%3Ainspector2%3Aus-east-1%3A123456789012%3Aowner%2F123456789012%2Ffilter%2Fabc")
        #expect(URIEncoding.encode("a b+c~_.-") == "a%20b%2Bc~_.-")
        #expect(URIEncoding.encode("é") == "%C3%A9")
        #expect(URIEncoding.query([("tagKeys", "a b"), ("tagKeys", "c")]) == "tagKeys=a%20b&tagKeys=c")
    }
}
