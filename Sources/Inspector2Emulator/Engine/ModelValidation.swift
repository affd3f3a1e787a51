import Foundation
import Inspector2Model

/// Validates a request body against the API's constraints with Inspector2Model's generated validator,
/// turning its issues into AWS's ValidationException shape.
enum ModelValidation {
    static func validate(_ action: String, _ body: [UInt8]) throws {
        let data = Data(body)
        func check<R: Decodable & Inspector2Validatable>(_ type: R.Type) throws {
            do {
                _ = try Inspector2JSON.decodeRequest(type, from: data)
            } catch {
                throw awsError(error)
            }
        }
        switch action {
        case "AssociateMember": try check(AssociateMemberRequest.self)
        case "BatchGetAccountStatus": try check(BatchGetAccountStatusRequest.self)
        case "BatchGetFreeTrialInfo": try check(BatchGetFreeTrialInfoRequest.self)
        case "CancelFindingsReport": try check(CancelFindingsReportRequest.self)
        case "CreateFilter": try check(CreateFilterRequest.self)
        case "CreateFindingsReport": try check(CreateFindingsReportRequest.self)
        case "DeleteFilter": try check(DeleteFilterRequest.self)
        case "DescribeOrganizationConfiguration": try check(DescribeOrganizationConfigurationRequest.self)
        case "Disable": try check(DisableRequest.self)
        case "DisableDelegatedAdminAccount": try check(DisableDelegatedAdminAccountRequest.self)
        case "DisassociateMember": try check(DisassociateMemberRequest.self)
        case "Enable": try check(EnableRequest.self)
        case "EnableDelegatedAdminAccount": try check(EnableDelegatedAdminAccountRequest.self)
        case "GetDelegatedAdminAccount": try check(GetDelegatedAdminAccountRequest.self)
        case "GetFindingsReportStatus": try check(GetFindingsReportStatusRequest.self)
        case "GetMember": try check(GetMemberRequest.self)
        case "ListAccountPermissions": try check(ListAccountPermissionsRequest.self)
        case "ListCoverage": try check(ListCoverageRequest.self)
        case "ListCoverageStatistics": try check(ListCoverageStatisticsRequest.self)
        case "ListDelegatedAdminAccounts": try check(ListDelegatedAdminAccountsRequest.self)
        case "ListFilters": try check(ListFiltersRequest.self)
        case "ListFindingAggregations": try check(ListFindingAggregationsRequest.self)
        case "ListFindings": try check(ListFindingsRequest.self)
        case "ListMembers": try check(ListMembersRequest.self)
        case "ListUsageTotals": try check(ListUsageTotalsRequest.self)
        case "UpdateFilter": try check(UpdateFilterRequest.self)
        case "UpdateOrganizationConfiguration": try check(UpdateOrganizationConfigurationRequest.self)
        default: return  // URI-bound actions (tags) are checked by their handlers.
        }
    }

    static func awsError(_ failure: ValidationFailure) -> AWSError {
        let details = failure.issues.map { "Value at '\($0.field)' failed to satisfy constraint: \($0.message)" }
        let count = failure.issues.count == 1 ? "1 validation error" : "\(failure.issues.count) validation errors"
        return AWSError(
            .validation, "\(count) detected: " + details.joined(separator: "; "),
            reason: failure.code == .malformedBody ? "CANNOT_PARSE" : "FIELD_VALIDATION_FAILED",
            fields: failure.issues.map { AWSError.Field(name: $0.field, message: $0.message) })
    }
}
