import Inspector2Model

extension Inspector2Client {
    /// One ListFindings page with each finding typed and as the exact bytes AWS sent, plus the
    /// service's `Date` (the sync window's clock) and the request id.
    public func listFindingsPage(_ request: ListFindingsRequest) async throws(Inspector2Error) -> RawPage<Finding> {
        try await rawPage(request, arrayKey: "findings") { $0.findings ?? [] }
    }

    /// One ListCoverage page, each covered resource typed and raw.
    public func listCoveragePage(_ request: ListCoverageRequest) async throws(Inspector2Error) -> RawPage<CoveredResource> {
        try await rawPage(request, arrayKey: "coveredResources") { $0.coveredResources ?? [] }
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

    /// Decodes typed and splits raw in the same retry attempt: a body whose raw split disagrees
    /// with the typed decode (truncated, mangled) counts as an invalid response and is retried.
    func rawPage<Request: PaginatedRequest, Item: Sendable>(
        _ request: Request,
        arrayKey: String,
        items: @escaping (Request.Response) -> [Item]
    ) async throws(Inspector2Error) -> RawPage<Item> {
        let prepared = try prepare(request)
        let response = try await execute(prepared) { response throws -> (Request.Response, [[UInt8]]) in
            let typed = try Self.decodeBody(Request.Response.self, from: response.body)
            let raw = RawJSONArray.elements(ofKey: arrayKey, in: response.body) ?? []
            guard raw.count == items(typed).count else {
                throw Inspector2Error(code: .invalidResponse, message: "raw and typed \(arrayKey) counts differ")
            }
            return (typed, raw)
        }
        let (typed, raw) = response.output
        return RawPage(
            items: zip(items(typed), raw).map { RawItem(value: $0, raw: $1) },
            nextToken: typed.nextToken,
            serverDate: response.serverDate,
            requestId: response.requestId
        )
    }
}
