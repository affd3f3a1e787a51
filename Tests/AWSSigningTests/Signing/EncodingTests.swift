import Foundation
import Testing
@testable import AWSSigning

@Suite struct EncodingTests {
    @Test func normalizesPathsLikeBotocore() {
        #expect(SigV4Encoding.normalizePath("") == "/")
        #expect(SigV4Encoding.normalizePath("//a/./b/../c//d/") == "/a/c/d/")
        #expect(SigV4Encoding.normalizePath("/a/b/../..") == "/")
        #expect(SigV4Encoding.normalizePath("/..") == "/")
    }

    @Test func canonicalURIEncodesTheWirePathAgain() {
        #expect(SigV4Encoding.canonicalURI(wirePath: "/tags/arn%3Aaws%3Ax%2Fy") == "/tags/arn%253Aaws%253Ax%252Fy")
        #expect(SigV4Encoding.canonicalURI(wirePath: "/-._~AZaz09") == "/-._~AZaz09")
        #expect(SigV4Encoding.canonicalURI(wirePath: "/a b/ü") == "/a%20b/%C3%BC")
    }

    @Test func canonicalQuerySortsByNameThenValue() {
        let items = SigV4Encoding.parseQuery("b=2&a=z&a=A&c&%E2%9C%93=%20+")
        #expect(SigV4Encoding.canonicalQuery(items) == "%E2%9C%93=%20%2B&a=A&a=z&b=2&c=")
        #expect(SigV4Encoding.encodeQuery([.init(name: "tagKeys", value: "a b"), .init(name: "tagKeys", value: "ü")]) == "tagKeys=a%20b&tagKeys=%C3%BC")
    }

    @Test func trimAllCollapsesWhitespace() {
        #expect(SigV4Encoding.trimAll("  a   b \t c\n d ") == "a b c d")
        #expect(SigV4Encoding.trimAll("") == "")
    }

    @Test func amzDateRoundTrips() throws {
        let date = Date(timeIntervalSince1970: 1_440_938_160.9)
        #expect(AmzDate.format(date) == "20150830T123600Z")
        #expect(AmzDate.parse("20150830T123600Z") == Date(timeIntervalSince1970: 1_440_938_160))
        #expect(AmzDate.parse("2015-08-30T12:36:00Z") == nil)
        #expect(AmzDate.parseHTTPDate("Sun, 30 Aug 2015 12:36:00 GMT") == Date(timeIntervalSince1970: 1_440_938_160))
        #expect(AmzDate.format(Date(timeIntervalSince1970: 951_782_400)) == "20000229T000000Z")
    }

    @Test func parsesISO8601Variants() {
        let base = Date(timeIntervalSince1970: 1_573_306_481)  // 2019-11-09T13:34:41Z
        #expect(AmzDate.parseISO8601("2019-11-09T13:34:41Z") == base)
        #expect(AmzDate.parseISO8601("2019-11-09T13:34:41.500Z") == base + 0.5)
        #expect(AmzDate.parseISO8601("2019-11-09T15:34:41+02:00") == base)
        #expect(AmzDate.parseISO8601("2019-11-09T13:34:41") == base)
        #expect(AmzDate.parseISO8601("not a date") == nil)
        #expect(AmzDate.formatISO8601(base) == "2019-11-09T13:34:41Z")
    }

    @Test func requestFromURLAddsHostWithPort() {
        let request = SignableRequest(method: "GET", url: "http://127.0.0.1:4566/tags/a%3Ab?tagKeys=x&tagKeys=y#frag")
        #expect(request.headers.first?.name == "Host")
        #expect(request.headers.first?.value == "127.0.0.1:4566")
        #expect(request.path == "/tags/a%3Ab")
        #expect(request.query == [.init(name: "tagKeys", value: "x"), .init(name: "tagKeys", value: "y")])
        #expect(SignableRequest(method: "GET", url: "https://h.example").path == "/")
    }

    @Test func signerReplacesStaleAuthHeaders() {
        let signer = SigV4Signer(credentials: .init(accessKeyId: "AK", secretAccessKey: "SK", sessionToken: "T"), region: "us-east-1", service: "inspector2")
        let request = SignableRequest(method: "GET", url: "https://h/", headers: [("Authorization", "old"), ("X-Amz-Date", "old"), ("X-Amz-Security-Token", "old")])
        let headers = signer.signedHeaders(for: request, date: Date(timeIntervalSince1970: 0))
        #expect(headers.filter { $0.name.lowercased() == "authorization" }.count == 1)
        #expect(headers.contains { $0.name == "X-Amz-Date" && $0.value == "19700101T000000Z" })
        #expect(headers.contains { $0.name == "X-Amz-Security-Token" && $0.value == "T" })
        #expect(!headers.contains { $0.value == "old" })
    }
}
