import Foundation
import Inspector2Model
import Synchronization
import Testing
@testable import Inspector2Client

@Suite struct PaginationTests {
    /// Two findings written the way a server might: odd spacing, escapes, an unknown member and
    /// nested arrays. The raw bytes handed to the store must be exactly these.
    static let findingA = #"{"findingArn":"arn:aws:inspector2:us-east-1:111122223333:finding/0123456789abcdef0123456789abcdef","awsAccountId":"111122223333","type":"PACKAGE_VULNERABILITY","description":"A \"quoted\" [bracket] {brace} \u00e9 text","remediation":{"recommendation":{"text":"Upgrade"}},"severity":"HIGH","firstObservedAt":1700000000.123,"lastObservedAt":1700000100,"updatedAt":1700000200,"status":"ACTIVE","resources":[{"type":"AWS_EC2_INSTANCE","id":"i-0123456789abcdef0","tags":{"a":"b"}}],"epss":{"score":0.25},"futureMember":{"nested":[1,2,[3]]}}"#
    static let findingB = #"{ "findingArn" : "arn:aws:inspector2:us-east-1:111122223333:finding/fedcba9876543210fedcba9876543210", "awsAccountId":"111122223333", "type":"NEW_TYPE_FROM_TOMORROW", "description":"b", "remediation":{}, "severity":"CRITICAL", "firstObservedAt":1700000000, "lastObservedAt":1700000000, "status":"CLOSED", "resources":[ {"type":"AWS_ECR_CONTAINER_IMAGE","id":"x"} ] }"#

    /// Pages by token: nil -> t1 (empty page) -> t2 (two findings) -> end.
    static func findingsHandler(_ request: TestHTTPServer.Request) -> TestHTTPServer.Reply {
        let token = request.json?["nextToken"] as? String
        switch token {
        case nil: return .json(200, #"{"findings":[],"nextToken":"t1"}"#, headers: [("Date", "Wed, 25 Nov 2026 19:49:59 GMT"), ("x-amzn-RequestId", "p1")])
        case "t1": return .json(200, #"{"nextToken":"t2","findings":[]}"#)
        case "t2": return .json(200, #"{"findings":[\#(findingA),\#(findingB)]}"#, headers: [("x-amzn-RequestId", "p3")])
        default: return .json(400, #"{"message":"bad token"}"#, headers: [("x-amzn-ErrorType", "ValidationException")])
        }
    }

    @Test func typedPaginatorContinuesPastEmptyPages() async throws {
        try await withServer(Self.findingsHandler) { server, port in
            let client = try makeTestClient(port: port)
            let filter = FilterCriteria(awsAccountId: [StringFilter(comparison: .equals, value: "111122223333")])
            var pages = 0
            var findings: [Finding] = []
            for try await page in client.listFindingsPages(ListFindingsRequest(maxResults: 100, filterCriteria: filter)) {
                pages += 1
                findings += page.output.findings ?? []
            }
            #expect(pages == 3)
            #expect(findings.count == 2)
            #expect(findings.map(\.severity.rawValue) == ["HIGH", "CRITICAL"])
            let sent = server.requests.map { $0.json?["nextToken"] as? String }
            #expect(sent == [nil, "t1", "t2"])
            // The filter and page size travel unchanged with every token.
            for request in server.requests {
                #expect(request.json?["maxResults"] as? Int == 100)
                #expect(request.json?["filterCriteria"] != nil)
            }
        }
    }

    @Test func rawPagesKeepExactBytesAndServerDate() async throws {
        try await withServer(Self.findingsHandler) { _, port in
            let client = try makeTestClient(port: port)
            let first = try await client.listFindingsPage(ListFindingsRequest())
            #expect(first.items.isEmpty)
            #expect(first.nextToken == "t1")
            #expect(first.serverDate == Date(timeIntervalSince1970: 1_795_636_199))
            #expect(first.requestId == "p1")

            var all: [RawItem<Finding>] = []
            var count = 0
            for try await page in client.listFindingsRawPages(ListFindingsRequest()) {
                count += 1
                all += page.items
            }
            #expect(count == 3)
            #expect(all.count == 2)
            #expect(all.map(\.raw) == [Data(Self.findingA.utf8), Data(Self.findingB.utf8)])
            #expect(all[0].value.findingArn.hasSuffix("0123456789abcdef0123456789abcdef"))
            #expect(all[1].value.type.rawValue == "NEW_TYPE_FROM_TOMORROW")
        }
    }

    @Test func coverageRawPages() async throws {
        let resource = #"{"resourceType":"AWS_EC2_INSTANCE","resourceId":"i-0123456789abcdef0","accountId":"111122223333","scanType":"PACKAGE","scanStatus":{"statusCode":"ACTIVE","reason":"SUCCESSFUL"},"lastScannedAt":1700000000}"#
        let counter = Mutex(0)
        try await withServer({ _ in
            let n = counter.withLock { c -> Int in c += 1; return c }
            return n == 1 ? .json(200, #"{"coveredResources":[],"nextToken":"c1"}"#) : .json(200, #"{"coveredResources":[\#(resource)]}"#)
        }) { server, port in
            let client = try makeTestClient(port: port)
            var items: [RawItem<CoveredResource>] = []
            for try await page in client.listCoverageRawPages(ListCoverageRequest(maxResults: 200)) { items += page.items }
            #expect(items.map(\.raw) == [Data(resource.utf8)])
            #expect(items.first?.value.resourceId == "i-0123456789abcdef0")
            #expect(server.requests.count == 2)
            #expect(server.requests.allSatisfy { $0.path == "/coverage/list" })
        }
    }

    @Test func everyPaginatedActionPaginates() async throws {
        // Each list action: first page with a token, second without.
        // Each list action answers its full canned answer; the first page adds a token.
        try await withServer({ request in
            guard let fixture = ActionFixtures.all.first(where: { $0.path == request.path }),
                  var object = (try? JSONSerialization.jsonObject(with: Data(fixture.response.utf8))) as? [String: Any]
            else { return .json(404, "{}") }
            if request.json?["nextToken"] == nil { object["nextToken"] = "n" }
            let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            return .respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(data))
        }) { server, port in
            let client = try makeTestClient(port: port)
            func count<S: AsyncSequence>(_ s: S) async throws -> Int { var n = 0; for try await _ in s { n += 1 }; return n }
            #expect(try await count(client.listAccountPermissionsPages(ListAccountPermissionsRequest())) == 2)
            #expect(try await count(client.listCoveragePages(ListCoverageRequest())) == 2)
            #expect(try await count(client.listCoverageStatisticsPages(ListCoverageStatisticsRequest())) == 2)
            #expect(try await count(client.listDelegatedAdminAccountsPages(ListDelegatedAdminAccountsRequest())) == 2)
            #expect(try await count(client.listFiltersPages(ListFiltersRequest())) == 2)
            #expect(try await count(client.listFindingAggregationsPages(ListFindingAggregationsRequest(aggregationType: .account))) == 2)
            #expect(try await count(client.listFindingsPages(ListFindingsRequest())) == 2)
            #expect(try await count(client.listMembersPages(ListMembersRequest())) == 2)
            #expect(try await count(client.listUsageTotalsPages(ListUsageTotalsRequest())) == 2)
            #expect(server.requests.count == 18)
        }
    }

    @Test func repeatedTokenStopsWithAnError() async throws {
        try await withServer({ _ in .json(200, #"{"members":[],"nextToken":"same"}"#) }) { server, port in
            let client = try makeTestClient(port: port)
            var pages = 0
            do {
                for try await _ in client.listMembersPages(ListMembersRequest()) { pages += 1 }
                Issue.record("expected an error")
            } catch let error as Inspector2Error {
                #expect(error.code == .invalidResponse)
            }
            #expect(pages == 1)
            #expect(server.requests.count == 2)
        }
    }

    @Test func pageSequenceIsPure() async throws {
        // Tokens "a", "", nil: an empty token ends like an absent one.
        let calls = Mutex<[String?]>([])
        let sequence = PageSequence<Int> { token in
            calls.withLock { $0.append(token) }
            switch token {
            case nil: return (0, "a")
            case "a": return (1, "")
            default: return (9, nil)
            }
        }
        var seen: [Int] = []
        for try await page in sequence { seen.append(page) }
        #expect(seen == [0, 1])
        #expect(calls.withLock { $0 } == [nil, "a"])
    }
}
