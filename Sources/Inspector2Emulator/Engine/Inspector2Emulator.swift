import Foundation
import Synchronization

/// The emulator engine: routes a transport-free request to an Inspector v2 action, STS, or the
/// `/_emulator/` control API, and answers as AWS would. Thread-safe; all state sits behind one lock
/// (actions are short and CPU-bound, so a lock beats an actor hop per request).
public final class Inspector2Emulator: Sendable {
    let state: Mutex<EmulatorState>

    /// - Parameter monotonic: a monotonic seconds source for the simulated clock (tests inject one).
    public init(configuration: EmulatorConfiguration, monotonic: (@Sendable () -> Double)? = nil) {
        state = Mutex(EmulatorState(configuration: configuration, monotonic: monotonic))
    }

    init(state: EmulatorState) {
        self.state = Mutex(state)
    }

    public var configuration: EmulatorConfiguration { state.withLock { $0.configuration } }
    public var adminAccountId: String { state.withLock { $0.adminAccountId } }
    public var memberAccountIds: [String] { state.withLock { $0.memberAccountIds } }
    /// Current simulated time, epoch seconds.
    public var now: Double { state.withLock { $0.clock.now } }

    /// Every finding's JSON of a region in storage order (tests use it for brute-force checks).
    public func allFindings(region: String) -> [JSONValue] {
        state.withLock { s in (s.regions[region]?.findings ?? []).compactMap { try? JSONValue.parse($0.json) } }
    }

    static let routes: [String: String] = [
        "/members/associate": "AssociateMember", "/status/batch/get": "BatchGetAccountStatus",
        "/freetrialinfo/batchget": "BatchGetFreeTrialInfo", "/reporting/cancel": "CancelFindingsReport",
        "/filters/create": "CreateFilter", "/reporting/create": "CreateFindingsReport", "/filters/delete": "DeleteFilter",
        "/organizationconfiguration/describe": "DescribeOrganizationConfiguration", "/disable": "Disable",
        "/delegatedadminaccounts/disable": "DisableDelegatedAdminAccount", "/members/disassociate": "DisassociateMember",
        "/enable": "Enable", "/delegatedadminaccounts/enable": "EnableDelegatedAdminAccount",
        "/delegatedadminaccounts/get": "GetDelegatedAdminAccount", "/reporting/status/get": "GetFindingsReportStatus",
        "/members/get": "GetMember", "/accountpermissions/list": "ListAccountPermissions", "/coverage/list": "ListCoverage",
        "/coverage/statistics/list": "ListCoverageStatistics", "/delegatedadminaccounts/list": "ListDelegatedAdminAccounts",
        "/filters/list": "ListFilters", "/findings/aggregation/list": "ListFindingAggregations", "/findings/list": "ListFindings",
        "/members/list": "ListMembers", "/usage/list": "ListUsageTotals", "/filters/update": "UpdateFilter",
        "/organizationconfiguration/update": "UpdateOrganizationConfiguration",
    ]

    public func handle(_ request: EmulatorRequest) -> EmulatorResponse {
        let requestId = UUID().uuidString.lowercased()
        var response: EmulatorResponse
        let now: Double
        if request.path.hasPrefix("/_emulator/") || request.path == "/_emulator" {
            (response, now) = state.withLock { s in
                let r = s.control(request)
                return (r, s.clock.now)
            }
            if request.method == "POST" { try? saveState() }
        } else {
            (response, now) = state.withLock { s in
                let r = s.aws(request, requestId: requestId)
                return (r, s.clock.now)
            }
        }
        response.headers.append(("x-amzn-RequestId", requestId))
        response.headers.append(("Date", HTTPDate.format(now)))
        if response.header("content-type") == nil {
            response.headers.append(("Content-Type", "application/json"))
        }
        return response
    }
}

extension EmulatorState {
    /// An AWS-path request: authenticate, inject faults, dispatch.
    mutating func aws(_ request: EmulatorRequest, requestId: String) -> EmulatorResponse {
        let caller: Caller
        do {
            caller = try authenticate(request)
        } catch let error as AWSError {
            return Self.errorResponse(error)
        } catch {
            return Self.errorResponse(AWSError(.internalServer, "Internal error"))
        }
        // STS Query protocol: POST / (form) or GET /?Action=...
        if caller.service == "sts" || request.path == "/" {
            callCounts["AssumeRole", default: 0] += 1
            let response = sts(request, caller: caller, requestId: requestId)
            if response.status == 200 { record(request, accessKey: caller.accessKey, region: caller.region) }
            return response
        }
        let action: String?
        if request.path.hasPrefix("/tags/") {
            action = ["GET": "ListTagsForResource", "POST": "TagResource", "DELETE": "UntagResource"][request.method]
        } else {
            action = request.method == "POST" ? Inspector2Emulator.routes[request.path] : nil
        }
        guard let action else {
            return Self.errorResponse(AWSError(.unknownOperation, "Unknown operation \(request.method) \(request.path)"))
        }
        callCounts[action, default: 0] += 1

        let fault = faults.draw(&faultRNG)
        if fault != .none { faultCounts["\(fault)", default: 0] += 1 }
        switch fault {
        case .throttle:
            return Self.errorResponse(AWSError(.throttling, "Rate exceeded", retryAfterSeconds: 1))
        case .error:
            return Self.errorResponse(AWSError(.internalServer, "Internal failure. Please retry your request."))
        case .reset:
            var r = EmulatorResponse(status: 500)
            r.fault = .reset
            return r
        case .slow:
            var r = dispatch(action, request, caller: caller)
            r.delay = Double(faults.slowMillis) / 1000
            return r
        case .truncate:
            var r = dispatch(action, request, caller: caller)
            r.fault = .truncate
            return r
        case .none:
            return dispatch(action, request, caller: caller)
        }
    }

    mutating func dispatch(_ action: String, _ request: EmulatorRequest, caller: Caller) -> EmulatorResponse {
        do {
            let body: JSONValue
            if request.method == "POST", action != "TagResource" || !request.body.isEmpty {
                body = request.body.isEmpty ? [:] : try JSONValue.parse(request.body)
                guard body.objectValue != nil else { throw AWSError.cannotParse("Request body must be a JSON object") }
            } else {
                body = [:]
            }
            try ModelValidation.validate(action, request.body)
            let out = try perform(action, body, request, caller)
            if Self.journaledActions.contains(action) { record(request, accessKey: caller.accessKey, region: caller.region) }
            return EmulatorResponse(status: 200, body: out)
        } catch let error as AWSError {
            return Self.errorResponse(error)
        } catch is JSONParser.SyntaxError {
            return Self.errorResponse(AWSError.cannotParse("Could not parse request body into json: Unexpected character"))
        } catch {
            return Self.errorResponse(AWSError(.internalServer, "Internal failure"))
        }
    }

    mutating func perform(_ action: String, _ body: JSONValue, _ request: EmulatorRequest, _ caller: Caller) throws -> [UInt8] {
        switch action {
        case "ListFindings": return try listFindings(body, caller)
        case "ListCoverage": return try listCoverage(body, caller)
        case "ListCoverageStatistics": return try listCoverageStatistics(body, caller)
        case "ListFindingAggregations": return try listFindingAggregations(body, caller)
        case "ListTagsForResource", "TagResource", "UntagResource": return try tagAction(action, body, request, caller)
        default: return try accountAction(action, body, caller).serialized()
        }
    }

    static func errorResponse(_ error: AWSError) -> EmulatorResponse {
        var headers = [("x-amzn-ErrorType", error.code.name), ("Content-Type", "application/json")]
        if let retry = error.retryAfterSeconds { headers.append(("Retry-After", String(retry))) }
        return EmulatorResponse(status: error.code.status, headers: headers, body: error.body.serialized())
    }
}
