import Foundation
import Testing

@testable import Inspector2Model

@Suite struct CodingTests {
    let decoder = Inspector2JSON.makeDecoder()
    let encoder = Inspector2JSON.makeEncoder()

    @Test func unknownEnumValueDecodesAndRoundTrips() throws {
        let filter = try decoder.decode(StringFilter.self, from: Data(#"{"comparison":"MATCHES_REGEX","value":"x"}"#.utf8))
        #expect(filter.comparison.rawValue == "MATCHES_REGEX")
        #expect(!filter.comparison.isKnown)
        #expect(StringComparison.equals.isKnown)
        let json = try #require(String(data: encoder.encode(filter), encoding: .utf8))
        #expect(json == #"{"comparison":"MATCHES_REGEX","value":"x"}"#)
        // Stored and compared like any other value.
        let set: Set<StringComparison> = [filter.comparison, .equals, "MATCHES_REGEX"]
        #expect(set.count == 2)
        #expect("\(Severity.critical)" == "CRITICAL")
    }

    @Test func unknownMembersAreIgnored() throws {
        let json = #"{"begin": 1, "end": 2, "newThing": {"a": [1, {"b": null}]}, "other": "x"}"#
        let range = try decoder.decode(PortRange.self, from: Data(json.utf8))
        #expect(range == PortRange(begin: 1, end: 2))
    }

    @Test func missingRequiredMemberFailsDecoding() {
        #expect(throws: DecodingError.self) {
            try decoder.decode(PortRange.self, from: Data(#"{"begin": 1}"#.utf8))
        }
    }

    @Test(arguments: [
        ("1700000000", 1_700_000_000.0),
        ("1700000000.5", 1_700_000_000.5),
        ("1.700000000123E9", 1_700_000_000.123),
        ("0", 0.0),
    ])
    func timestampsAreEpochSeconds(json: String, seconds: Double) throws {
        let filter = try decoder.decode(DateFilter.self, from: Data(#"{"startInclusive": \#(json)}"#.utf8))
        let date = try #require(filter.startInclusive)
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_5)
        // Any decoder configuration works: the type reads the number itself.
        let isoDecoder = JSONDecoder()
        isoDecoder.dateDecodingStrategy = .iso8601
        #expect(try isoDecoder.decode(DateFilter.self, from: Data(#"{"startInclusive": \#(json)}"#.utf8)) == filter)
    }

    @Test func timestampsEncodeAsNumbers() throws {
        let filter = DateFilter(startInclusive: Date(timeIntervalSince1970: 1_700_000_000.25))
        let isoEncoder = JSONEncoder()
        isoEncoder.dateEncodingStrategy = .iso8601  // ignored: the type writes epoch seconds itself
        for data in [try encoder.encode(filter), try isoEncoder.encode(filter)] {
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let number = try #require(object["startInclusive"] as? Double)
            #expect(number == 1_700_000_000.25)
        }
    }

    @Test func nilMembersAreOmitted() throws {
        let request = ListFindingsRequest(maxResults: 50)
        #expect(String(decoding: try encoder.encode(request), as: UTF8.self) == #"{"maxResults":50}"#)
        #expect(String(decoding: try encoder.encode(DisableDelegatedAdminAccountResponse(delegatedAdminAccountId: "1")), as: UTF8.self)
            == #"{"delegatedAdminAccountId":"1"}"#)
        #expect(String(decoding: try encoder.encode(DescribeOrganizationConfigurationRequest()), as: UTF8.self) == "{}")
    }

    @Test func unionEncodesOneMemberAndToleratesUnknownOnes() throws {
        let request = AggregationRequest.accountAggregation(AccountAggregation(findingType: .packageVulnerability))
        let json = String(decoding: try encoder.encode(request), as: UTF8.self)
        #expect(json == #"{"accountAggregation":{"findingType":"PACKAGE_VULNERABILITY"}}"#)
        #expect(try decoder.decode(AggregationRequest.self, from: Data(json.utf8)) == request)

        let unknown = try decoder.decode(AggregationResponse.self, from: Data(#"{"quantumAggregation": {"n": 1}}"#.utf8))
        #expect(unknown == .unknown("quantumAggregation"))
        #expect(unknown.memberName == "quantumAggregation")
        // A null member next to the set one is ignored.
        let withNull = try decoder.decode(
            AggregationRequest.self, from: Data(#"{"amiAggregation": null, "accountAggregation": {}}"#.utf8))
        #expect(withNull == .accountAggregation(AccountAggregation()))
        #expect(throws: DecodingError.self) { try decoder.decode(AggregationRequest.self, from: Data("{}".utf8)) }
    }

    @Test func untagResourceTravelsInPathAndRepeatedQuery() throws {
        let request = UntagResourceRequest(
            resourceArn: "arn:aws:inspector2:eu-west-1:111122223333:owner/111122223333/filter/abc", tagKeys: ["a", "b c"])
        #expect(request.httpPath == "/tags/arn%3Aaws%3Ainspector2%3Aeu-west-1%3A111122223333%3Aowner%2F111122223333%2Ffilter%2Fabc")
        #expect(request.httpQueryItems == [URLQueryItem(name: "tagKeys", value: "a"), URLQueryItem(name: "tagKeys", value: "b c")])
        #expect(String(decoding: try encoder.encode(request), as: UTF8.self) == "{}")
        let tag = TagResourceRequest(resourceArn: "arn:x", tags: ["k": "v"])
        #expect(String(decoding: try encoder.encode(tag), as: UTF8.self) == #"{"tags":{"k":"v"}}"#)
        #expect(ListFindingsRequest().httpPath == "/findings/list")
        #expect(ListFindingsRequest().httpQueryItems.isEmpty)
    }

    @Test func recommendationUrlKeepsItsWireName() throws {
        let json = String(decoding: try encoder.encode(Recommendation(text: "t", url: "u")), as: UTF8.self)
        #expect(json == #"{"Url":"u","text":"t"}"#)
    }
}
