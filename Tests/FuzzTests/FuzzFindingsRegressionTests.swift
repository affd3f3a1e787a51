import FindingStore
import Foundation
import Inspector2Model
import PostgresTestSupport
import Testing
@testable import SyncEngine

/// What the fuzz tests found, pinned as plain cases.
@Suite struct FuzzFindingsRegressionTests {
    static func body(_ string: [UInt8]) -> Data {
        Data(Array(#"{"findings":[{"findingArn":"arn:aws:inspector2:us-east-1:111122223333:finding/f1","title":""#.utf8) + string + Array(#""}]}"#.utf8))
    }

    /// Unicode's table 3-7: overlong forms, encoded surrogates and code points above U+10FFFF are not UTF-8.
    @Test(arguments: [[0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xF0, 0x80, 0x80, 0x80],
                      [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0x80], [0xF5, 0x80, 0x80, 0x80]] as [[UInt8]])
    func splitterRefusesIllFormedUTF8(_ bytes: [UInt8]) {
        #expect(throws: RawJSONError.self) { try RawJSONArraySplitter.split(Self.body(bytes), arrayKey: "findings") }
    }

    @Test(arguments: [[0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xE0, 0xA0, 0x80], [0xF0, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98, 0x80],
                      [0xF4, 0x8F, 0xBF, 0xBF], [0xC2, 0x80]] as [[UInt8]])
    func splitterAcceptsWellFormedUTF8(_ bytes: [UInt8]) throws {
        #expect(try RawJSONArraySplitter.split(Self.body(bytes), arrayKey: "findings").count == 1)
    }

    @Test func unpairedSurrogateEscapesBecomeReplacementCharacters() throws {
        let cases: [(String, String)] = [
            (#"\ud800"#, #"\ufffd"#), (#"\udc00x"#, #"\ufffdx"#), (#"\uD83D\uDE00"#, #"\uD83D\uDE00"#),
            (#"\ud83d\ude00\ud83d"#, #"\ud83d\ude00\ufffd"#), (#"\\ud800"#, #"\\ud800"#), (#"\u0000"#, #"\ufffd"#),
            (#"\ud800\u0041"#, #"\ufffd\u0041"#), (#"\\\ud800"#, #"\\\ufffd"#),
        ]
        for (input, expected) in cases {
            let element = try RawJSONArraySplitter.split(Self.body(Array(input.utf8)), arrayKey: "findings").element(0)
            let record = try FindingNormalizer.record(raw: element, index: 0, region: "us-east-1")
            let raw = String(decoding: record.raw, as: UTF8.self)
            #expect(raw.contains(#""title":"\#(expected)""#), "\(input) -> \(raw)")
        }
    }

    @Test func aFindingWithUnpairedSurrogatesIsStored() async throws {
        let element = try RawJSONArraySplitter.split(Self.body(Array(#"a\udc00b\ud800"#.utf8)), arrayKey: "findings").element(0)
        let record = try FindingNormalizer.record(raw: element, index: 0, region: "us-east-1")
        try await TestDatabase.withFreshDatabase { client, _ in
            let writer = FindingPageWriter(logger: TestDatabase.logger)
            _ = try await client.withConnection {
                try await writer.write([record], options: .init(isBackfill: false, eventsOnFirstSync: false), on: $0)
            }
            let title = try await client.query("SELECT raw->>'title' FROM inspector.findings").collect()[0].decode(String.self)
            #expect(title == "a\u{FFFD}b\u{FFFD}")
        }
    }

    @Test func anEmptyAccountIdFallsBackToTheArn() throws {
        let raw = Data(#"{"findingArn":"arn:aws:inspector2:us-east-1:111122223333:finding/f3","awsAccountId":""}"#.utf8)
        #expect(try FindingNormalizer.record(raw: raw, index: 0, region: "us-east-1").accountId == "111122223333")
        let unnamed = Data(#"{"findingArn":"f4","awsAccountId":""}"#.utf8)
        #expect(throws: FindingNormalizer.Failure.self) { try FindingNormalizer.record(raw: unnamed, index: 0, region: "us-east-1") }
    }

    /// A covered resource with a member of the wrong type was skipped, so the snapshot's end marked
    /// it removed (a false coverage.removed); now the members of the expected types are kept.
    @Test func aCoveredResourceWithAWrongTypedMemberIsKept() throws {
        let raw = Data(#"{"resourceId":"i-1","accountId":"111122223333","scanType":"PACKAGE","scanMode":5,"resourceType":["x"],"scanStatus":{"statusCode":"ACTIVE","reason":7},"lastScannedAt":"soon"}"#.utf8)
        let record = try CoverageNormalizer.record(raw: raw, index: 0, target: SyncTarget(accountId: "111122223333", region: "us-east-1"))
        #expect(record.resourceId == "i-1" && record.scanType == "PACKAGE" && record.scanStatusCode == "ACTIVE")
        #expect(record.scanMode == nil && record.resourceType == "UNKNOWN" && record.scanStatusReason == nil)
        #expect(throws: FindingNormalizer.Failure.self) {
            try CoverageNormalizer.record(raw: Data(#"{"resourceId":5}"#.utf8), index: 0, target: SyncTarget(accountId: "1", region: "r"))
        }
    }

    /// A value too long for a NOTIFY payload (8000 bytes) no longer fails its page: the hint shrinks.
    @Test func anEventWithAHugeSeverityIsRecorded() async throws {
        let severity = String(repeating: "S", count: 9000)
        let raw = Data(#"{"findingArn":"arn:aws:inspector2:us-east-1:111122223333:finding/f2","awsAccountId":"111122223333","severity":"\#(severity)","status":"ACTIVE"}"#.utf8)
        let record = try FindingNormalizer.record(raw: raw, index: 0, region: "us-east-1")
        try await TestDatabase.withFreshDatabase { client, _ in
            let writer = FindingPageWriter(logger: TestDatabase.logger)
            let outcome = try await client.withConnection {
                try await writer.write([record], options: .init(isBackfill: false, eventsOnFirstSync: false), on: $0)
            }
            #expect(outcome.eventTypes == [.findingCreated])
        }
    }
}
