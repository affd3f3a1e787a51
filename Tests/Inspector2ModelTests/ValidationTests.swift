import Foundation
import Testing

@testable import Inspector2Model

@Suite struct ValidationTests {
    @Test(arguments: [0, 101, -1])
    func maxResultsOutOfRangeIsRejected(maxResults: Int) {
        let issues = ListFindingsRequest(maxResults: maxResults).validationIssues()
        #expect(issues.count == 1)
        #expect(issues.first?.field == "maxResults")
        #expect(throws: ValidationFailure.self) { try ListFindingsRequest(maxResults: maxResults).validate() }
    }

    @Test(arguments: [1, 50, 100])
    func maxResultsInRangeIsAccepted(maxResults: Int) throws {
        #expect(ListFindingsRequest(maxResults: maxResults).validationIssues().isEmpty)
        try ListFindingsRequest(maxResults: maxResults).validate()
    }

    @Test func nestedFieldPathsAndPatterns() {
        let request = ListFindingsRequest(
            filterCriteria: FilterCriteria(awsAccountId: [
                StringFilter(comparison: .equals, value: "111122223333"),
                StringFilter(comparison: .equals, value: ""),
            ]))
        #expect(request.validationIssues().map(\.field) == ["filterCriteria.awsAccountId[1].value"])

        let bad = GetMemberRequest(accountId: "12345678901x")
        let issues = bad.validationIssues()
        #expect(issues == [
            ValidationIssue(field: "accountId", message: #"Member must satisfy regular expression pattern: \d{12}"#)
        ])
        #expect(GetMemberRequest(accountId: "123456789012").validationIssues().isEmpty)
        // Whole-string match: a valid id with extra text around it is not valid.
        #expect(GetMemberRequest(accountId: "1234567890123").validationIssues().count == 2)  // length + pattern
        #expect(GetMemberRequest(accountId: "x123456789012").validationIssues().count == 2)
    }

    @Test func listSizesAndLengths() {
        let tooMany = BatchGetAccountStatusRequest(accountIds: Array(repeating: "123456789012", count: 101))
        #expect(tooMany.validationIssues().map(\.field) == ["accountIds"])
        #expect(BatchGetAccountStatusRequest(accountIds: ["123456789012"]).validationIssues().isEmpty)
        let longName = CreateFilterRequest(action: .none, filterCriteria: FilterCriteria(), name: String(repeating: "n", count: 129))
        #expect(longName.validationIssues().map(\.field) == ["name"])
    }

    @Test func tagKeyPatternWithLookahead() {
        #expect(UntagResourceRequest(resourceArn: "arn:x", tagKeys: ["team"]).validationIssues().isEmpty)
        #expect(UntagResourceRequest(resourceArn: "arn:x", tagKeys: ["aws:reserved"]).validationIssues().map(\.field) == ["tagKeys[0]"])
    }

    @Test func unknownEnumValuesAreNotRejected() {
        let request = ListFindingsRequest(sortCriteria: SortCriteria(field: "SOME_NEW_FIELD", sortOrder: .asc))
        #expect(request.validationIssues().isEmpty)
    }

    @Test func decodeRequestReportsMissingRequiredMember() {
        do {
            _ = try Inspector2JSON.decodeRequest(CreateFilterRequest.self, from: Data(#"{"action": "NONE", "filterCriteria": {}}"#.utf8))
            Issue.record("expected a validation failure")
        } catch {
            #expect(error.code == .constraintViolated)
            #expect(error.issues == [ValidationIssue(field: "name", message: "Member must not be null")])
            #expect(error.description == "1 validation error detected: name: Member must not be null")
        }
        do {
            _ = try Inspector2JSON.decodeRequest(
                ListFindingsRequest.self,
                from: Data(#"{"filterCriteria": {"severity": [{"comparison": "EQUALS"}]}}"#.utf8))
            Issue.record("expected a validation failure")
        } catch {
            #expect(error.issues.map(\.field) == ["filterCriteria.severity[0].value"])
        }
    }

    @Test func decodeRequestChecksConstraintsAndTypes() throws {
        #expect(throws: ValidationFailure.self) {
            try Inspector2JSON.decodeRequest(ListFindingsRequest.self, from: Data(#"{"maxResults": 0}"#.utf8))
        }
        do {
            _ = try Inspector2JSON.decodeRequest(ListFindingsRequest.self, from: Data(#"{"maxResults": "ten"}"#.utf8))
            Issue.record("expected a validation failure")
        } catch {
            #expect(error.code == .malformedBody)
            #expect(error.issues.map(\.field) == ["maxResults"])
        }
        #expect(throws: ValidationFailure.self) {
            try Inspector2JSON.decodeRequest(ListFindingsRequest.self, from: Data("not json".utf8))
        }
        let request = try Inspector2JSON.decodeRequest(ListFindingsRequest.self, from: Data())
        #expect(request == ListFindingsRequest())
        #expect(try Inspector2JSON.decodeRequest(ListFindingsRequest.self, from: Data(#"{"maxResults": 100}"#.utf8)).maxResults == 100)
    }

    @Test func everyGeneratedPatternCompiles() {
        #expect(!Inspector2Patterns.all.isEmpty)
        for pattern in Inspector2Patterns.all {
            #expect(pattern.regex != nil, "\(pattern.pattern)")
        }
    }

    @Test func doubleRanges() {
        #expect(EpssDetails(score: 1.5).validationIssues().map(\.field) == ["score"])
        #expect(EpssDetails(score: 0.5).validationIssues().isEmpty)
        #expect(EpssDetails(score: .nan).validationIssues().count == 2)
    }
}

@Suite struct ValidationExceptionTests {
    @Test func failureMapsToAWSValidationException() throws {
        let failure = try #require(throws: ValidationFailure.self) { try ListFindingsRequest(maxResults: 0).validate() }
        let exception = ValidationException(failure: failure)
        #expect(exception.reason == .fieldValidationFailed)
        #expect(exception.fields == [
            ValidationExceptionField(name: "maxResults", message: "Member must have value greater than or equal to 1")
        ])
        #expect(exception.message == "1 validation error detected: maxResults: Member must have value greater than or equal to 1")
        let json = String(decoding: try Inspector2JSON.makeEncoder().encode(exception), as: UTF8.self)
        #expect(json.contains(#""reason":"FIELD_VALIDATION_FAILED""#))
    }
}
