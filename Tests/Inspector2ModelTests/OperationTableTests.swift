import Testing

@testable import Inspector2Model

@Suite struct OperationTableTests {
    /// The 30 actions of the seed API reference (2022) with their method and path.
    static let seed: [String: String] = [
        "AssociateMember": "POST /members/associate",
        "BatchGetAccountStatus": "POST /status/batch/get",
        "BatchGetFreeTrialInfo": "POST /freetrialinfo/batchget",
        "CancelFindingsReport": "POST /reporting/cancel",
        "CreateFilter": "POST /filters/create",
        "CreateFindingsReport": "POST /reporting/create",
        "DeleteFilter": "POST /filters/delete",
        "DescribeOrganizationConfiguration": "POST /organizationconfiguration/describe",
        "Disable": "POST /disable",
        "DisableDelegatedAdminAccount": "POST /delegatedadminaccounts/disable",
        "DisassociateMember": "POST /members/disassociate",
        "Enable": "POST /enable",
        "EnableDelegatedAdminAccount": "POST /delegatedadminaccounts/enable",
        "GetDelegatedAdminAccount": "POST /delegatedadminaccounts/get",
        "GetFindingsReportStatus": "POST /reporting/status/get",
        "GetMember": "POST /members/get",
        "ListAccountPermissions": "POST /accountpermissions/list",
        "ListCoverage": "POST /coverage/list",
        "ListCoverageStatistics": "POST /coverage/statistics/list",
        "ListDelegatedAdminAccounts": "POST /delegatedadminaccounts/list",
        "ListFilters": "POST /filters/list",
        "ListFindingAggregations": "POST /findings/aggregation/list",
        "ListFindings": "POST /findings/list",
        "ListMembers": "POST /members/list",
        "ListTagsForResource": "GET /tags/{resourceArn}",
        "ListUsageTotals": "POST /usage/list",
        "TagResource": "POST /tags/{resourceArn}",
        "UntagResource": "DELETE /tags/{resourceArn}",
        "UpdateFilter": "POST /filters/update",
        "UpdateOrganizationConfiguration": "POST /organizationconfiguration/update",
    ]

    @Test func tableHasExactlyTheSeedActions() {
        #expect(Inspector2Operations.all.count == 30)
        #expect(Set(Inspector2Operations.all.map(\.name)) == Set(Self.seed.keys))
        for operation in Inspector2Operations.all {
            #expect(operation.description == Self.seed[operation.name], "\(operation.name)")
            #expect(operation.successCode == 200)
            #expect(operation.errors.contains("ValidationException"))
            #expect(Inspector2Operations.named(operation.name) == operation)
        }
    }

    @Test func requestTypesPointAtTheirOperation() {
        #expect(ListFindingsRequest.operation == .listFindings)
        #expect(ListCoverageRequest.operation.name == "ListCoverage")
        #expect(UntagResourceRequest.operation.method == .delete)
    }

    @Test func bindingsComeFromTheModel() {
        let untag = Inspector2Operation.untagResource
        #expect(untag.bindings.contains(.init(member: "resourceArn", location: .uri, name: "resourceArn")))
        #expect(untag.bindings.contains(.init(member: "tagKeys", location: .query, name: "tagKeys")))
        #expect(untag.uriLabels == ["resourceArn"])
        let listFindings = Inspector2Operation.listFindings
        #expect(listFindings.bindings.allSatisfy { $0.location == .body })
        #expect(Set(listFindings.bindings.map(\.member)) == ["maxResults", "nextToken", "filterCriteria", "sortCriteria"])
    }

    @Test func routing() throws {
        let tags = try #require(Inspector2Operations.route(method: .get, path: "/tags/arn%3Aaws%3Ax%2Fy"))
        #expect(tags.operation == .listTagsForResource)
        #expect(tags.labels == ["resourceArn": "arn:aws:x/y"])
        #expect(Inspector2Operations.route(method: .delete, path: "/tags/a")?.operation == .untagResource)
        #expect(Inspector2Operations.route(method: .post, path: "/findings/list")?.operation == .listFindings)
        #expect(Inspector2Operations.route(method: .get, path: "/findings/list") == nil)
        #expect(Inspector2Operations.route(method: .get, path: "/tags/") == nil)
        #expect(Inspector2Operations.route(method: .post, path: "/nope") == nil)
    }
}
