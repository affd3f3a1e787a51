import Foundation
import Inspector2Model

/// One list page as raw elements only, for callers that decode each element themselves.
public struct RawElementsPage: Sendable {
    public var page: RawJSONPage
    /// The response's `Date` header: the service's clock.
    public var serverDate: Date?
    public var requestId: String?

    public var nextToken: String? { page.nextToken }
}

extension Inspector2Client {
    /// A ListFindings page split into each finding's raw bytes, without typed decoding.
    ///
    /// The sync decodes findings leniently (a finding real AWS sends without a member the model
    /// calls required must still be stored), so only the page's JSON structure is checked here; a
    /// truncated or mangled body is retried like any invalid response.
    public func listFindingsRawElements(_ request: ListFindingsRequest) async throws(Inspector2Error) -> RawElementsPage {
        try await rawElements(request, arrayKey: "findings")
    }

    /// A ListCoverage page split into each covered resource's raw bytes.
    public func listCoverageRawElements(_ request: ListCoverageRequest) async throws(Inspector2Error) -> RawElementsPage {
        try await rawElements(request, arrayKey: "coveredResources")
    }

    func rawElements<Request: Inspector2Request>(_ request: Request, arrayKey: String) async throws(Inspector2Error) -> RawElementsPage {
        let prepared = try prepare(request)
        let response = try await execute(prepared) { response in
            try RawJSONArraySplitter.split(Data(response.body), arrayKey: arrayKey)
        }
        return RawElementsPage(page: response.output, serverDate: response.serverDate, requestId: response.requestId)
    }
}
