/// The client-wide retry budget of the SDKs' "standard" mode (botocore `retries/quota.py` and
/// `RetryQuotaChecker`): 500 tokens; a retry takes 5, a retry after a timeout 10; when there are
/// not enough tokens the call fails instead of retrying. A successful call gives back what its
/// last retry took, or 1 token if it needed no retry (botocore's `_NO_RETRY_INCREMENT`), never
/// beyond the initial capacity. Non-2xx final answers give nothing back. Pure value type.
public struct RetryQuota: Sendable, Hashable {
    public struct Configuration: Sendable, Hashable {
        public var capacity: Int = 500
        public var retryCost: Int = 5
        public var timeoutRetryCost: Int = 10
        public var noRetryIncrement: Int = 1
        public init(capacity: Int = 500, retryCost: Int = 5, timeoutRetryCost: Int = 10, noRetryIncrement: Int = 1) {
            self.capacity = capacity
            self.retryCost = retryCost
            self.timeoutRetryCost = timeoutRetryCost
            self.noRetryIncrement = noRetryIncrement
        }
    }

    public let configuration: Configuration
    public private(set) var available: Int

    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.available = configuration.capacity
    }

    /// Takes the cost of retrying after a failure of `kind`; nil when the budget cannot pay it.
    public mutating func acquire(for kind: RetryClassifier.Kind) -> Int? {
        let cost = kind == .timeout ? configuration.timeoutRetryCost : configuration.retryCost
        guard cost <= available else { return nil }
        available -= cost
        return cost
    }

    /// Called once per call that ended in a 2xx answer, with the amount its last retry acquired.
    public mutating func releaseAfterSuccess(lastAcquired: Int?) {
        available = min(configuration.capacity, available + (lastAcquired ?? configuration.noRetryIncrement))
    }
}
