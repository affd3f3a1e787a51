import Inspector2Model

/// An action that pages with `nextToken`.
public protocol PaginatedRequest: Inspector2Request where Response: PaginatedResponse {
    var nextToken: String? { get set }
}

public protocol PaginatedResponse: Sendable {
    var nextToken: String? { get }
}

extension ListAccountPermissionsRequest: PaginatedRequest {}
extension ListAccountPermissionsResponse: PaginatedResponse {}
extension ListCoverageRequest: PaginatedRequest {}
extension ListCoverageResponse: PaginatedResponse {}
extension ListCoverageStatisticsRequest: PaginatedRequest {}
extension ListCoverageStatisticsResponse: PaginatedResponse {}
extension ListDelegatedAdminAccountsRequest: PaginatedRequest {}
extension ListDelegatedAdminAccountsResponse: PaginatedResponse {}
extension ListFiltersRequest: PaginatedRequest {}
extension ListFiltersResponse: PaginatedResponse {}
extension ListFindingAggregationsRequest: PaginatedRequest {}
extension ListFindingAggregationsResponse: PaginatedResponse {}
extension ListFindingsRequest: PaginatedRequest {}
extension ListFindingsResponse: PaginatedResponse {}
extension ListMembersRequest: PaginatedRequest {}
extension ListMembersResponse: PaginatedResponse {}
extension ListUsageTotalsRequest: PaginatedRequest {}
extension ListUsageTotalsResponse: PaginatedResponse {}

extension Inspector2Client {
    /// Every page of a paginated action, starting at `request.nextToken`, until the service
    /// stops returning a token (empty pages in between included). The request is otherwise
    /// unchanged between pages, as the API requires.
    public func paginate<Request: PaginatedRequest>(_ request: Request) -> PageSequence<Inspector2Response<Request.Response>> {
        PageSequence(startingToken: request.nextToken) { token in
            var next = request
            next.nextToken = token
            let response = try await self.send(next)
            return (response, response.output.nextToken)
        }
    }

    public func listAccountPermissionsPages(_ request: ListAccountPermissionsRequest) -> PageSequence<Inspector2Response<ListAccountPermissionsResponse>> { paginate(request) }
    public func listCoveragePages(_ request: ListCoverageRequest) -> PageSequence<Inspector2Response<ListCoverageResponse>> { paginate(request) }
    public func listCoverageStatisticsPages(_ request: ListCoverageStatisticsRequest) -> PageSequence<Inspector2Response<ListCoverageStatisticsResponse>> { paginate(request) }
    public func listDelegatedAdminAccountsPages(_ request: ListDelegatedAdminAccountsRequest) -> PageSequence<Inspector2Response<ListDelegatedAdminAccountsResponse>> { paginate(request) }
    public func listFiltersPages(_ request: ListFiltersRequest) -> PageSequence<Inspector2Response<ListFiltersResponse>> { paginate(request) }
    public func listFindingAggregationsPages(_ request: ListFindingAggregationsRequest) -> PageSequence<Inspector2Response<ListFindingAggregationsResponse>> { paginate(request) }
    public func listFindingsPages(_ request: ListFindingsRequest) -> PageSequence<Inspector2Response<ListFindingsResponse>> { paginate(request) }
    public func listMembersPages(_ request: ListMembersRequest) -> PageSequence<Inspector2Response<ListMembersResponse>> { paginate(request) }
    public func listUsageTotalsPages(_ request: ListUsageTotalsRequest) -> PageSequence<Inspector2Response<ListUsageTotalsResponse>> { paginate(request) }
}
