import Foundation
import Inspector2Model

extension Inspector2Client {
    /// One ListFindings page with each finding typed and as the exact bytes AWS sent, plus the
    /// service's `Date` (the sync window's clock) and the request id.
    public func listFindingsPage(_ request: ListFindingsRequest) async throws(Inspector2Error) -> RawPage<Finding> {
        try await rawPage(request, arrayKey: "findings")
    }

    /// One ListCoverage page, each covered resource typed and raw.
    public func listCoveragePage(_ request: ListCoverageRequest) async throws(Inspector2Error) -> RawPage<CoveredResource> {
        try await rawPage(request, arrayKey: "coveredResources")
    }

    /// All ListFindings pages as raw pages (continues past empty pages).
    public func listFindingsRawPages(_ request: ListFindingsRequest) -> PageSequence<RawPage<Finding>> {
        PageSequence(startingToken: request.nextToken) { token in
            var next = request
            next.nextToken = token
            let page = try await self.listFindingsPage(next)
            return (page, page.nextToken)
        }
    }

    /// All ListCoverage pages as raw pages.
    public func listCoverageRawPages(_ request: ListCoverageRequest) -> PageSequence<RawPage<CoveredResource>> {
        PageSequence(startingToken: request.nextToken) { token in
            var next = request
            next.nextToken = token
            let page = try await self.listCoveragePage(next)
            return (page, page.nextToken)
        }
    }

    /// Splits and decodes in the same retry attempt (the model's `RawDecodedPage`): a body the
    /// splitter rejects (truncated, mangled) counts as an invalid response and is retried.
    func rawPage<Request: PaginatedRequest, Item: Decodable & Sendable>(
        _ request: Request,
        arrayKey: String,
        as _: Item.Type = Item.self
    ) async throws(Inspector2Error) -> RawPage<Item> {
        let prepared = try prepare(request)
        let response = try await execute(prepared) { response in
            try RawDecodedPage<Item>(body: Data(response.body), arrayKey: arrayKey)
        }
        return RawPage(
            items: response.output.items.map { RawItem(value: $0.value, raw: $0.raw) },
            nextToken: response.output.nextToken,
            serverDate: response.serverDate,
            requestId: response.requestId
        )
    }
}
