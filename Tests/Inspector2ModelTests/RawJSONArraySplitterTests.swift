import Foundation
import Testing

@testable import Inspector2Model

@Suite struct RawJSONArraySplitterTests {
    private func split(_ json: String, key: String = "findings") throws(RawJSONError) -> RawJSONPage {
        try RawJSONArraySplitter.split(Data(json.utf8), arrayKey: key)
    }

    @Test func elementsAreExactByteSlices() throws {
        let json = #" { "nextToken" : "t1", "findings" : [ {"a": "x\"]}\\" , "b": [1, [2, {"c": []}]]} ,"#
            + "\n\t" + #"{"d": -1.5e+3, "e": true, "f": null, "g": "\u00e9\ud83d\ude00"}, 7, "s", [] ], "other": {"findings": [9]} } "#
        let page = try split(json)
        #expect(page.count == 5)
        #expect(page.elementText(0) == #"{"a": "x\"]}\\" , "b": [1, [2, {"c": []}]]}"#)
        #expect(page.elementText(1) == #"{"d": -1.5e+3, "e": true, "f": null, "g": "\u00e9\ud83d\ude00"}"#)
        #expect(page.elementText(2) == "7")
        #expect(page.elementText(3) == #""s""#)
        #expect(page.elementText(4) == "[]")
        #expect(page.nextToken == "t1")
        #expect(page.element(0).startIndex == 0)
        // Each slice is valid JSON on its own.
        for element in page.elements {
            _ = try JSONSerialization.jsonObject(with: element, options: .fragmentsAllowed)
        }
    }

    @Test func nextTokenIsUnescaped() throws {
        let page = try split(#"{"findings": [], "nextToken": "a\"b\\c\/d\u00e9\ud83d\ude00\n"}"#)
        #expect(page.count == 0)
        #expect(page.nextToken == "a\"b\\c/d\u{e9}\u{1F600}\n")
    }

    @Test func absentOrNullMembers() throws {
        #expect(try split("{}").count == 0)
        #expect(try split("{}").nextToken == nil)
        #expect(try split(#"{"findings": null, "nextToken": null}"#).count == 0)
        #expect(try split(#"{"nextToken": "x"}"#).nextToken == "x")
    }

    @Test func otherArrayKey() throws {
        let page = try split(Fixtures.listCoverage, key: "coveredResources")
        #expect(page.count == 2)
    }

    @Test func escapedKeyStillMatches() throws {
        #expect(try split(#"{"f\u0069ndings": [1, 2]}"#).count == 2)
    }

    @Test(arguments: [
        ("", RawJSONError.Code.unexpectedEnd),
        ("   ", .unexpectedEnd),
        ("[]", .notAnObject),
        ("\"findings\"", .notAnObject),
        (#"{"findings": [1, 2"#, .unexpectedEnd),
        (#"{"findings": [{"a": "unterminated}]}"#, .unexpectedEnd),
        (#"{"findings": [1, 2,]}"#, .unexpectedByte),
        (#"{"findings": [1 2]}"#, .unexpectedByte),
        (#"{"findings": [01]}"#, .unexpectedByte),
        (#"{"findings": [1.]}"#, .invalidNumber),
        (#"{"findings": [-]}"#, .invalidNumber),
        (#"{"findings": [1e]}"#, .invalidNumber),
        (#"{"findings": ["\x"]}"#, .invalidString),
        (#"{"findings": ["\u12G4"]}"#, .invalidString),
        ("{\"findings\": [\"a\u{01}b\"]}", .invalidString),
        (#"{"findings": [tru]}"#, .unexpectedByte),
        (#"{"findings": [nul"#, .unexpectedEnd),
        (#"{"findings": {}}"#, .wrongType),
        (#"{"nextToken": 5}"#, .wrongType),
        (#"{"findings": []} x"#, .trailingData),
        (#"{"findings": [] "nextToken": "a"}"#, .unexpectedByte),
        (#"{"findings" []}"#, .unexpectedByte),
        (#"{findings: []}"#, .unexpectedByte),
        (#"{"a": [}"#, .unexpectedByte),
    ])
    func malformedInputIsRejected(json: String, code: RawJSONError.Code) {
        #expect(throws: RawJSONError.self) { try split(json) }
        do {
            _ = try split(json)
        } catch {
            #expect(error.code == code, "\(json)")
        }
    }

    @Test func invalidUTF8IsRejected() {
        var bytes = Array(#"{"findings": [""#.utf8)
        bytes += [0xC3, 0x28]  // a lead byte followed by a non-continuation byte
        bytes += Array(#""]}"#.utf8)
        #expect(throws: RawJSONError.self) { try RawJSONArraySplitter.split(Data(bytes), arrayKey: "findings") }
    }

    @Test func everyTruncationOfARealBodyIsAnError() throws {
        let body = Array(Fixtures.listFindings.utf8)
        let full = try RawJSONArraySplitter.split(Data(body), arrayKey: "findings")
        #expect(full.count == 3)
        // Cutting anywhere before the closing brace must fail, never crash or hang.
        let end = body.lastIndex(of: UInt8(ascii: "}"))!
        for length in stride(from: 0, to: end, by: 7) {
            #expect(throws: RawJSONError.self) { try RawJSONArraySplitter.split(Data(body[0..<length]), arrayKey: "findings") }
        }
    }

    @Test func deepNestingIsRejectedWithoutCrashing() {
        let deep = #"{"findings": ["# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "]}"
        #expect(throws: RawJSONError.self) { try split(deep) }
        let ok = #"{"findings": ["# + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "]}"
        #expect(throws: Never.self) { try split(ok) }
    }

    @Test func sliceOfALargerDataWorks() throws {
        let data = Data(("xx" + #"{"findings": [{"a": 1}]}"#).utf8).dropFirst(2)
        let page = try RawJSONArraySplitter.split(data, arrayKey: "findings")
        #expect(String(decoding: page.element(0), as: UTF8.self) == #"{"a": 1}"#)
    }

    @Test func decodedFindingsPagePairsValuesWithRawBytes() throws {
        let page = try RawFindingsPage.findings(from: Data(Fixtures.listFindings.utf8))
        #expect(page.items.count == 3)
        #expect(page.nextToken == "eyJ0b2tlbiI6IDF9+/==")
        #expect(page.items.map(\.value.type) == [.packageVulnerability, .networkReachability, .codeVulnerability])
        for item in page.items {
            #expect(try Inspector2JSON.makeDecoder().decode(Finding.self, from: item.raw) == item.value)
        }
        // The raw form keeps what the typed form drops (members newer than the model).
        #expect(String(decoding: page.items[0].raw, as: UTF8.self).contains(#""aNewMemberAwsAddedLater": {"nested": [1, 2, {"x": "y"}]}"#))
        let coverage = try RawCoveragePage.coveredResources(from: Data(Fixtures.listCoverage.utf8))
        #expect(coverage.items.map(\.value.scanType) == [.package, .code])
    }

    @Test func undecodableElementNamesItsIndex() {
        let body = #"{"findings": [{"findingArn": "x"}]}"#
        do {
            _ = try RawFindingsPage.findings(from: Data(body.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .elementNotDecodable)
            #expect(error.detail?.hasPrefix("element 0: missing ") == true)
        }
    }
}
