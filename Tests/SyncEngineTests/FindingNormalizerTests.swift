import FindingStore
import Foundation
import SyncEngine
import Testing

@Suite struct FindingNormalizerTests {
    @Test func readsTheMembersTheStoreNeeds() throws {
        let raw = Data(#"""
        {"findingArn":"arn:aws:inspector2:eu-west-1:111122223333:finding/abc","awsAccountId":"111122223333",
         "type":"PACKAGE_VULNERABILITY","status":"ACTIVE","severity":"CRITICAL","title":"CVE-1 - x",
         "inspectorScore":9.8,"epss":{"score":0.42},"fixAvailable":"YES","exploitAvailable":"NO",
         "firstObservedAt":1700000000,"lastObservedAt":1700000100.5,"updatedAt":1700000200,
         "resources":[{"type":"AWS_ECR_CONTAINER_IMAGE","id":"arn:aws:ecr:eu-west-1:111122223333:repository/r/sha256:1"}],
         "someMemberFromTheFuture":{"x":1}}
        """#.utf8)
        let record = try FindingNormalizer.record(raw: raw, index: 0, region: "eu-west-1")
        #expect(record.arn == "arn:aws:inspector2:eu-west-1:111122223333:finding/abc")
        #expect(record.accountId == "111122223333")
        #expect(record.severity == "CRITICAL" && record.status == "ACTIVE")
        #expect(record.inspectorScore == 9.8 && record.epssScore == 0.42)
        #expect(record.fixAvailable == "YES" && record.exploitAvailable == "NO")
        #expect(record.lastObservedAt == Date(timeIntervalSince1970: 1_700_000_100.5))
        #expect(record.resourceType == "AWS_ECR_CONTAINER_IMAGE")
        #expect(record.raw == Array(raw))
    }

    @Test func unknownEnumValuesAndOddTypesAreKept() throws {
        let raw = Data(#"{"findingArn":"arn:aws:inspector2:us-east-1:111122223333:finding/x","status":"QUARANTINED","severity":"APOCALYPTIC","inspectorScore":"7.1","updatedAt":"soon"}"#.utf8)
        let record = try FindingNormalizer.record(raw: raw, index: 3, region: "us-east-1")
        #expect(record.status == "QUARANTINED" && record.severity == "APOCALYPTIC")
        #expect(record.accountId == "111122223333") // from the ARN
        #expect(record.inspectorScore == 7.1)
        #expect(record.updatedAt == nil)
        #expect(record.type == "UNKNOWN")
    }

    @Test func aFindingWithoutArnIsAClearError() {
        #expect {
            try FindingNormalizer.record(raw: Data(#"{"status":"ACTIVE"}"#.utf8), index: 5, region: "us-east-1")
        } throws: { error in
            "\(error)".contains("#5") && "\(error)".contains("findingArn")
        }
        #expect(throws: FindingNormalizer.Failure.self) {
            try FindingNormalizer.record(raw: Data(#"{"findingArn": 12}"#.utf8), index: 0, region: "us-east-1")
        }
        #expect(throws: FindingNormalizer.Failure.self) {
            try FindingNormalizer.record(raw: Data("[1,2]".utf8), index: 0, region: "us-east-1")
        }
    }

    @Test func coverageRecordsAreLenientToo() throws {
        let target = SyncTarget(accountId: "111122223333", region: "us-east-1")
        let raw = Data(#"{"resourceId":"i-0abc","resourceType":"AWS_EC2_INSTANCE","scanType":"PACKAGE","scanStatus":{"statusCode":"ACTIVE","reason":"SUCCESSFUL"},"lastScannedAt":1700000000,"scanMode":"EC2_SSM_AGENT_BASED"}"#.utf8)
        let record = try CoverageNormalizer.record(raw: raw, index: 0, target: target)
        #expect(record.resourceId == "i-0abc" && record.scanType == "PACKAGE")
        #expect(record.scanStatusCode == "ACTIVE" && record.scanStatusReason == "SUCCESSFUL")
        #expect(record.accountId == "111122223333" && record.region == "us-east-1")
        #expect(throws: FindingNormalizer.Failure.self) {
            try CoverageNormalizer.record(raw: Data(#"{"scanType":"PACKAGE"}"#.utf8), index: 0, target: target)
        }
    }

    @Test func oneMemberOfAnUnexpectedTypeDoesNotLoseTheFinding() throws {
        let raw = Data(#"{"findingArn":"arn:aws:inspector2:us-east-1:111122223333:finding/t","title":42,"status":"ACTIVE","severity":"HIGH","resources":"nope"}"#.utf8)
        let record = try FindingNormalizer.record(raw: raw, index: 0, region: "us-east-1")
        #expect(record.title == nil && record.status == "ACTIVE" && record.severity == "HIGH")
    }

    @Test func nulEscapesBecomeReplacementCharactersButEscapedBackslashesStay() throws {
        let raw = Data(#"{"findingArn":"arn:aws:inspector2:us-east-1:111122223333:finding/n","title":"a\u0000b","description":"c\\u0000d"}"#.utf8)
        let record = try FindingNormalizer.record(raw: raw, index: 0, region: "us-east-1")
        let text = String(decoding: record.raw, as: UTF8.self)
        #expect(text.contains(#""a\ufffdb""#))
        #expect(text.contains(#""c\\u0000d""#))
        #expect(record.title == "a\u{FFFD}b")
    }

    @Test func nonFiniteNumbersInStringsAreDropped() throws {
        let raw = Data(#"{"findingArn":"arn:aws:inspector2:us-east-1:111122223333:finding/x","inspectorScore":"NaN","epss":{"score":"inf"}}"#.utf8)
        let record = try FindingNormalizer.record(raw: raw, index: 0, region: "us-east-1")
        #expect(record.inspectorScore == nil && record.epssScore == nil)
    }
}
