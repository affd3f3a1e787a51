/// Which failures are worth another attempt, following the AWS SDKs' "standard" retry mode
/// (botocore `retries/standard.py`, the Smithy retry-behavior spec). Pure.
public enum RetryClassifier {
    public enum Kind: Sendable, Hashable {
        /// The service asked us to slow down (429, throttling codes): retried, feeds the rate limiter.
        case throttling
        /// 500/502/503/504, broken connections, truncated or undecodable 2xx bodies: retried.
        case transient
        /// No answer in time: retried, and costs more retry quota (10 instead of 5).
        case timeout
        case notRetryable
    }

    /// The SDKs' throttling codes (botocore `ThrottledRetryableChecker`).
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]
    /// The SDKs' transient codes and statuses (botocore `TransientRetryableChecker`).
    public static let transientCodes: Set<String> = ["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"]
    public static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    public static func isThrottling(serviceCode: ServiceErrorCode?, httpStatus: Int?) -> Bool {
        if let serviceCode, throttlingCodes.contains(serviceCode.rawValue) { return true }
        return httpStatus == 429
    }

    public static func classify(_ error: Inspector2Error) -> Kind {
        switch error.code {
        case .service:
            if isThrottling(serviceCode: error.serviceCode, httpStatus: error.httpStatus) { return .throttling }
            if let code = error.serviceCode, transientCodes.contains(code.rawValue) { return .transient }
            if let status = error.httpStatus, transientStatuses.contains(status) { return .transient }
            return .notRetryable
        case .timeout:
            return .timeout
        case .connection, .invalidResponse:
            return .transient
        default:
            return .notRetryable
        }
    }
}
