// One typed method per action of the 2022 API reference (30). Each is `send(_:)` with the
// output unwrapped; call `send(_:)` directly for the server date and request id.

import Inspector2Model

extension Inspector2Client {
    /// `POST /members/associate`: Associates an Amazon Web Services account with an Amazon Inspector delegated administrator.
    public func associateMember(_ request: AssociateMemberRequest) async throws(Inspector2Error) -> AssociateMemberResponse {
        try await send(request).output
    }

    /// `POST /status/batch/get`: Retrieves the Amazon Inspector status of multiple Amazon Web Services accounts within your environment.
    public func batchGetAccountStatus(_ request: BatchGetAccountStatusRequest) async throws(Inspector2Error) -> BatchGetAccountStatusResponse {
        try await send(request).output
    }

    /// `POST /freetrialinfo/batchget`: Gets free trial status for multiple Amazon Web Services accounts.
    public func batchGetFreeTrialInfo(_ request: BatchGetFreeTrialInfoRequest) async throws(Inspector2Error) -> BatchGetFreeTrialInfoResponse {
        try await send(request).output
    }

    /// `POST /reporting/cancel`: Cancels the given findings report.
    public func cancelFindingsReport(_ request: CancelFindingsReportRequest) async throws(Inspector2Error) -> CancelFindingsReportResponse {
        try await send(request).output
    }

    /// `POST /filters/create`: Creates a filter resource using specified filter criteria.
    public func createFilter(_ request: CreateFilterRequest) async throws(Inspector2Error) -> CreateFilterResponse {
        try await send(request).output
    }

    /// `POST /reporting/create`: Creates a finding report.
    public func createFindingsReport(_ request: CreateFindingsReportRequest) async throws(Inspector2Error) -> CreateFindingsReportResponse {
        try await send(request).output
    }

    /// `POST /filters/delete`: Deletes a filter resource.
    public func deleteFilter(_ request: DeleteFilterRequest) async throws(Inspector2Error) -> DeleteFilterResponse {
        try await send(request).output
    }

    /// `POST /organizationconfiguration/describe`: Describe Amazon Inspector configuration settings for an Amazon Web Services organization.
    public func describeOrganizationConfiguration(_ request: DescribeOrganizationConfigurationRequest) async throws(Inspector2Error) -> DescribeOrganizationConfigurationResponse {
        try await send(request).output
    }

    /// `POST /disable`: Disables Amazon Inspector scans for one or more Amazon Web Services accounts.
    public func disable(_ request: DisableRequest) async throws(Inspector2Error) -> DisableResponse {
        try await send(request).output
    }

    /// `POST /delegatedadminaccounts/disable`: Disables the Amazon Inspector delegated administrator for your organization.
    public func disableDelegatedAdminAccount(_ request: DisableDelegatedAdminAccountRequest) async throws(Inspector2Error) -> DisableDelegatedAdminAccountResponse {
        try await send(request).output
    }

    /// `POST /members/disassociate`: Disassociates a member account from an Amazon Inspector delegated administrator.
    public func disassociateMember(_ request: DisassociateMemberRequest) async throws(Inspector2Error) -> DisassociateMemberResponse {
        try await send(request).output
    }

    /// `POST /enable`: Enables Amazon Inspector scans for one or more Amazon Web Services accounts.
    public func enable(_ request: EnableRequest) async throws(Inspector2Error) -> EnableResponse {
        try await send(request).output
    }

    /// `POST /delegatedadminaccounts/enable`: Enables the Amazon Inspector delegated administrator for your Organizations organization.
    public func enableDelegatedAdminAccount(_ request: EnableDelegatedAdminAccountRequest) async throws(Inspector2Error) -> EnableDelegatedAdminAccountResponse {
        try await send(request).output
    }

    /// `POST /delegatedadminaccounts/get`: Retrieves information about the Amazon Inspector delegated administrator for your organization.
    public func getDelegatedAdminAccount(_ request: GetDelegatedAdminAccountRequest) async throws(Inspector2Error) -> GetDelegatedAdminAccountResponse {
        try await send(request).output
    }

    /// `POST /reporting/status/get`: Gets the status of a findings report.
    public func getFindingsReportStatus(_ request: GetFindingsReportStatusRequest) async throws(Inspector2Error) -> GetFindingsReportStatusResponse {
        try await send(request).output
    }

    /// `POST /members/get`: Gets member information for your organization.
    public func getMember(_ request: GetMemberRequest) async throws(Inspector2Error) -> GetMemberResponse {
        try await send(request).output
    }

    /// `POST /accountpermissions/list`: Lists the permissions an account has to configure Amazon Inspector.
    public func listAccountPermissions(_ request: ListAccountPermissionsRequest) async throws(Inspector2Error) -> ListAccountPermissionsResponse {
        try await send(request).output
    }

    /// `POST /coverage/list`: Lists coverage details for your environment.
    public func listCoverage(_ request: ListCoverageRequest) async throws(Inspector2Error) -> ListCoverageResponse {
        try await send(request).output
    }

    /// `POST /coverage/statistics/list`: Lists Amazon Inspector coverage statistics for your environment.
    public func listCoverageStatistics(_ request: ListCoverageStatisticsRequest) async throws(Inspector2Error) -> ListCoverageStatisticsResponse {
        try await send(request).output
    }

    /// `POST /delegatedadminaccounts/list`: Lists information about the Amazon Inspector delegated administrator of your organization.
    public func listDelegatedAdminAccounts(_ request: ListDelegatedAdminAccountsRequest) async throws(Inspector2Error) -> ListDelegatedAdminAccountsResponse {
        try await send(request).output
    }

    /// `POST /filters/list`: Lists the filters associated with your account.
    public func listFilters(_ request: ListFiltersRequest) async throws(Inspector2Error) -> ListFiltersResponse {
        try await send(request).output
    }

    /// `POST /findings/aggregation/list`: Lists aggregated finding data for your environment based on specific criteria.
    public func listFindingAggregations(_ request: ListFindingAggregationsRequest) async throws(Inspector2Error) -> ListFindingAggregationsResponse {
        try await send(request).output
    }

    /// `POST /findings/list`: Lists findings for your environment.
    public func listFindings(_ request: ListFindingsRequest) async throws(Inspector2Error) -> ListFindingsResponse {
        try await send(request).output
    }

    /// `POST /members/list`: List members associated with the Amazon Inspector delegated administrator for your organization.
    public func listMembers(_ request: ListMembersRequest) async throws(Inspector2Error) -> ListMembersResponse {
        try await send(request).output
    }

    /// `GET /tags/{resourceArn}`: Lists all tags attached to a given resource.
    public func listTagsForResource(_ request: ListTagsForResourceRequest) async throws(Inspector2Error) -> ListTagsForResourceResponse {
        try await send(request).output
    }

    /// `POST /usage/list`: Lists the Amazon Inspector usage totals over the last 30 days.
    public func listUsageTotals(_ request: ListUsageTotalsRequest) async throws(Inspector2Error) -> ListUsageTotalsResponse {
        try await send(request).output
    }

    /// `POST /tags/{resourceArn}`: Adds tags to a resource.
    public func tagResource(_ request: TagResourceRequest) async throws(Inspector2Error) -> TagResourceResponse {
        try await send(request).output
    }

    /// `DELETE /tags/{resourceArn}`: Removes tags from a resource.
    public func untagResource(_ request: UntagResourceRequest) async throws(Inspector2Error) -> UntagResourceResponse {
        try await send(request).output
    }

    /// `POST /filters/update`: Specifies the action that is to be applied to the findings that match the filter.
    public func updateFilter(_ request: UpdateFilterRequest) async throws(Inspector2Error) -> UpdateFilterResponse {
        try await send(request).output
    }

    /// `POST /organizationconfiguration/update`: Updates the configurations for your Amazon Inspector organization.
    public func updateOrganizationConfiguration(_ request: UpdateOrganizationConfigurationRequest) async throws(Inspector2Error) -> UpdateOrganizationConfigurationResponse {
        try await send(request).output
    }
}
