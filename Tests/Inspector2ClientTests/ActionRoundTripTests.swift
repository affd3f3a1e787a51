import AWSSigning
import Foundation
import Inspector2Model
import Testing
@testable import Inspector2Client

/// Every action's typed call against a local server: method, path, query, body shape, signing
/// headers, and the canned answer decoded (and re-encoded to the same JSON).
@Suite struct ActionRoundTripTests {
    typealias Call = @Sendable (Inspector2Client, String, String) async throws -> Void

    /// Decodes the request JSON into the typed request, calls the typed method, checks the output.
    static func run<R: Inspector2Request>(
        _: R.Type,
        _ call: @escaping @Sendable (Inspector2Client, R) async throws -> R.Response
    ) -> Call {
        { client, input, response in
            let request = try Inspector2JSON.makeDecoder().decode(R.self, from: Data(input.utf8))
            let output = try await call(client, request)
            let expected = try Inspector2JSON.makeDecoder().decode(R.Response.self, from: Data(response.utf8))
            #expect(output == expected)
            let reencoded = try Inspector2JSON.makeEncoder().encode(output)
            #expect(jsonEqual(Array(reencoded), Array(response.utf8)), "re-encoded \(R.Response.self) differs from the canned answer")
        }
    }

    static let calls: [String: Call] = [
        "AssociateMember": run(AssociateMemberRequest.self) { try await $0.associateMember($1) },
        "BatchGetAccountStatus": run(BatchGetAccountStatusRequest.self) { try await $0.batchGetAccountStatus($1) },
        "BatchGetFreeTrialInfo": run(BatchGetFreeTrialInfoRequest.self) { try await $0.batchGetFreeTrialInfo($1) },
        "CancelFindingsReport": run(CancelFindingsReportRequest.self) { try await $0.cancelFindingsReport($1) },
        "CreateFilter": run(CreateFilterRequest.self) { try await $0.createFilter($1) },
        "CreateFindingsReport": run(CreateFindingsReportRequest.self) { try await $0.createFindingsReport($1) },
        "DeleteFilter": run(DeleteFilterRequest.self) { try await $0.deleteFilter($1) },
        "DescribeOrganizationConfiguration": run(DescribeOrganizationConfigurationRequest.self) { try await $0.describeOrganizationConfiguration($1) },
        "Disable": run(DisableRequest.self) { try await $0.disable($1) },
        "DisableDelegatedAdminAccount": run(DisableDelegatedAdminAccountRequest.self) { try await $0.disableDelegatedAdminAccount($1) },
        "DisassociateMember": run(DisassociateMemberRequest.self) { try await $0.disassociateMember($1) },
        "Enable": run(EnableRequest.self) { try await $0.enable($1) },
        "EnableDelegatedAdminAccount": run(EnableDelegatedAdminAccountRequest.self) { try await $0.enableDelegatedAdminAccount($1) },
        "GetDelegatedAdminAccount": run(GetDelegatedAdminAccountRequest.self) { try await $0.getDelegatedAdminAccount($1) },
        "GetFindingsReportStatus": run(GetFindingsReportStatusRequest.self) { try await $0.getFindingsReportStatus($1) },
        "GetMember": run(GetMemberRequest.self) { try await $0.getMember($1) },
        "ListAccountPermissions": run(ListAccountPermissionsRequest.self) { try await $0.listAccountPermissions($1) },
        "ListCoverage": run(ListCoverageRequest.self) { try await $0.listCoverage($1) },
        "ListCoverageStatistics": run(ListCoverageStatisticsRequest.self) { try await $0.listCoverageStatistics($1) },
        "ListDelegatedAdminAccounts": run(ListDelegatedAdminAccountsRequest.self) { try await $0.listDelegatedAdminAccounts($1) },
        "ListFilters": run(ListFiltersRequest.self) { try await $0.listFilters($1) },
        "ListFindingAggregations": run(ListFindingAggregationsRequest.self) { try await $0.listFindingAggregations($1) },
        "ListFindings": run(ListFindingsRequest.self) { try await $0.listFindings($1) },
        "ListMembers": run(ListMembersRequest.self) { try await $0.listMembers($1) },
        "ListTagsForResource": run(ListTagsForResourceRequest.self) { try await $0.listTagsForResource($1) },
        "ListUsageTotals": run(ListUsageTotalsRequest.self) { try await $0.listUsageTotals($1) },
        "TagResource": run(TagResourceRequest.self) { try await $0.tagResource($1) },
        "UntagResource": run(UntagResourceRequest.self) { try await $0.untagResource($1) },
        "UpdateFilter": run(UpdateFilterRequest.self) { try await $0.updateFilter($1) },
        "UpdateOrganizationConfiguration": run(UpdateOrganizationConfigurationRequest.self) { try await $0.updateOrganizationConfiguration($1) },
    ]

    @Test func everySeedActionHasACallAndAnOperation() {
        #expect(ActionFixtures.all.count == 30)
        #expect(Set(Self.calls.keys) == Set(ActionFixtures.all.map(\.name)))
        for fixture in ActionFixtures.all {
            let operation = Inspector2Operations.named(fixture.name)
            #expect(operation?.method.rawValue == fixture.method, "\(fixture.name)")
        }
    }

    @Test(arguments: ActionFixtures.all.map(\.name))
    func action(_ name: String) async throws {
        let fixture = try #require(ActionFixtures.all.first { $0.name == name })
        let call = try #require(Self.calls[name])
        try await withServer({ _ in .json(200, fixture.response, headers: [("x-amzn-RequestId", "req-\(name)")]) }) { server, port in
            let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
            let signer = SigV4RequestSigner(credentialProvider: StaticCredentialProvider(credentials), region: "us-east-1")
            let client = try makeTestClient(port: port, signer: signer)
            try await call(client, fixture.input, fixture.response)
            let requests = server.requests
            #expect(requests.count == 1)
            let request = try #require(requests.first)
            #expect(request.method == fixture.method)
            #expect(request.path == fixture.path)
            #expect(request.queryItems.map { "\($0.0)=\($0.1)" } == fixture.query.map { "\($0.0)=\($0.1)" })
            #expect(request.headers.first(name: "Host") == "127.0.0.1:\(port)")
            #expect(request.headers.first(name: "Authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") == true)
            #expect(request.headers.first(name: "X-Amz-Date") != nil)
            // The signature holds for the request exactly as it arrived (path and query encoding
            // on the wire agree with what was signed).
            let verifier = SigV4Verifier(expectedService: "inspector2") { $0 == "AKIDEXAMPLE" ? credentials : nil }
            let verified = try verifier.verify(
                .init(method: request.method, path: request.path, rawQuery: request.rawQuery ?? "",
                      headers: request.headers.map { (name: $0.name, value: $0.value) }, payload: .bytes(request.body)),
                now: Date()
            )
            #expect(verified.region == "us-east-1")
            #expect(verified.service == "inspector2")
            if let keys = fixture.bodyKeys {
                #expect(request.headers.first(name: "Content-Type") == "application/json")
                let object = try #require(request.json, "\(name) body is not a JSON object")
                #expect(object.keys.sorted() == keys)
            } else {
                #expect(request.body.isEmpty)
                #expect(request.headers.first(name: "Content-Type") == nil)
            }
        }
    }

    @Test func sendExposesServerDateAndRequestId() async throws {
        try await withServer({ _ in .json(200, #"{"members":[]}"#, headers: [("x-amzn-RequestId", "abc-123"), ("Date", "Wed, 25 Nov 2026 19:49:59 GMT")]) }) { _, port in
            let client = try makeTestClient(port: port)
            let response = try await client.send(ListMembersRequest())
            #expect(response.serverDate == Date(timeIntervalSince1970: 1_795_636_199))
            #expect(response.requestId == "abc-123")
            #expect(response.attempts == 1)
            #expect(response.output.members == [])
        }
    }

    @Test func invalidRequestIsRefusedBeforeSending() async throws {
        try await withServer({ _ in .json(200, "{}") }) { server, port in
            let client = try makeTestClient(port: port)
            do {
                _ = try await client.listFindings(ListFindingsRequest(maxResults: 500))
                Issue.record("expected a validation error")
            } catch let error as Inspector2Error {
                #expect(error.code == .requestValidation)
                #expect(error.fields.map(\.name) == ["maxResults"])
                #expect(error.operation == "ListFindings")
            }
            do {
                _ = try await client.getMember(GetMemberRequest(accountId: "12"))
                Issue.record("expected a validation error")
            } catch let error as Inspector2Error {
                #expect(error.code == .requestValidation)
            }
            #expect(server.requests.isEmpty)
        }
    }
}
