import Testing
@testable import Inspector2Client

@Suite struct RetryPolicyTests {
    @Test func backoffIsTruncatedBinaryExponentialWithJitter() {
        let policy = RetryPolicy()
        #expect(policy.backoff(afterAttempt: 1, jitter: 1) == .seconds(1))
        #expect(policy.backoff(afterAttempt: 2, jitter: 1) == .seconds(2))
        #expect(policy.backoff(afterAttempt: 3, jitter: 0.5) == .seconds(2))
        #expect(policy.backoff(afterAttempt: 5, jitter: 1) == .seconds(16))
        #expect(policy.backoff(afterAttempt: 6, jitter: 1) == .seconds(20))
        #expect(policy.backoff(afterAttempt: 40, jitter: 1) == .seconds(20))
        #expect(policy.backoff(afterAttempt: 4, jitter: 0) == .zero)
        #expect(policy.backoff(afterAttempt: 2, jitter: 0.25) == .milliseconds(500))
    }

    @Test func retryAfterRaisesTheDelayButIsClamped() {
        let policy = RetryPolicy(maxRetryAfter: .seconds(20))
        #expect(policy.delay(afterAttempt: 1, jitter: 0.5, retryAfter: .seconds(3)) == .seconds(3))
        #expect(policy.delay(afterAttempt: 3, jitter: 1, retryAfter: .seconds(1)) == .seconds(4))
        #expect(policy.delay(afterAttempt: 1, jitter: 0.1, retryAfter: .seconds(3600)) == .seconds(20))
    }

    @Test func decisions() {
        let policy = RetryPolicy(maxAttempts: 3)
        var quota = RetryQuota()
        #expect(policy.decide(kind: .notRetryable, attempt: 1, retryAfter: nil, jitter: 0.5, quota: &quota) == .fail(exhausted: false))
        #expect(quota.available == 500)
        #expect(policy.decide(kind: .throttling, attempt: 1, retryAfter: nil, jitter: 0.5, quota: &quota) == .retry(delay: .milliseconds(500), quotaCost: 5))
        #expect(policy.decide(kind: .timeout, attempt: 2, retryAfter: nil, jitter: 0.5, quota: &quota) == .retry(delay: .seconds(1), quotaCost: 10))
        #expect(quota.available == 485)
        // Third attempt failed: no attempts left, quota untouched.
        #expect(policy.decide(kind: .transient, attempt: 3, retryAfter: nil, jitter: 0.5, quota: &quota) == .fail(exhausted: true))
        #expect(quota.available == 485)
    }

    @Test func maxAttemptsOneNeverRetries() {
        var quota = RetryQuota()
        #expect(RetryPolicy.none.decide(kind: .transient, attempt: 1, retryAfter: nil, jitter: 0, quota: &quota) == .fail(exhausted: false))
        #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }

    @Test func emptyQuotaStopsRetries() {
        var quota = RetryQuota(.init(capacity: 12))
        let policy = RetryPolicy(maxAttempts: 10)
        #expect(policy.decide(kind: .transient, attempt: 1, retryAfter: nil, jitter: 0, quota: &quota) == .retry(delay: .zero, quotaCost: 5))
        #expect(policy.decide(kind: .timeout, attempt: 2, retryAfter: nil, jitter: 0, quota: &quota) == .fail(exhausted: true))
        #expect(policy.decide(kind: .transient, attempt: 2, retryAfter: nil, jitter: 0, quota: &quota) == .retry(delay: .zero, quotaCost: 5))
        #expect(policy.decide(kind: .transient, attempt: 3, retryAfter: nil, jitter: 0, quota: &quota) == .fail(exhausted: true))
        #expect(quota.available == 2)
    }
}

@Suite struct RetryQuotaTests {
    @Test func costsAndRefunds() {
        var quota = RetryQuota()
        #expect(quota.acquire(for: .transient) == 5)
        #expect(quota.acquire(for: .throttling) == 5)
        #expect(quota.acquire(for: .timeout) == 10)
        #expect(quota.available == 480)
        // A call that succeeded after a retry gives back what that retry took.
        quota.releaseAfterSuccess(lastAcquired: 10)
        #expect(quota.available == 490)
        // A call that succeeded at once gives back 1.
        quota.releaseAfterSuccess(lastAcquired: nil)
        #expect(quota.available == 491)
        // Never beyond the capacity.
        for _ in 0..<20 { quota.releaseAfterSuccess(lastAcquired: 5) }
        #expect(quota.available == 500)
    }

    @Test func drainsToRefusal() {
        var quota = RetryQuota()
        var retries = 0
        while quota.acquire(for: .transient) != nil { retries += 1 }
        #expect(retries == 100)
        #expect(quota.available == 0)
        #expect(quota.acquire(for: .timeout) == nil)
    }
}

@Suite struct RetryClassifierTests {
    func service(_ code: String?, _ status: Int) -> Inspector2Error {
        Inspector2Error(code: .service, serviceCode: code.map(ServiceErrorCode.init(rawValue:)), httpStatus: status)
    }

    @Test func classification() {
        #expect(RetryClassifier.classify(service("ThrottlingException", 429)) == .throttling)
        #expect(RetryClassifier.classify(service(nil, 429)) == .throttling)
        #expect(RetryClassifier.classify(service("TooManyRequestsException", 400)) == .throttling)
        #expect(RetryClassifier.classify(service("InternalServerException", 500)) == .transient)
        for status in [500, 502, 503, 504] { #expect(RetryClassifier.classify(service(nil, status)) == .transient) }
        #expect(RetryClassifier.classify(service("RequestTimeout", 400)) == .transient)
        #expect(RetryClassifier.classify(service("ValidationException", 400)) == .notRetryable)
        #expect(RetryClassifier.classify(service("AccessDeniedException", 403)) == .notRetryable)
        #expect(RetryClassifier.classify(service(nil, 501)) == .notRetryable)
        #expect(RetryClassifier.classify(Inspector2Error(code: .timeout)) == .timeout)
        #expect(RetryClassifier.classify(Inspector2Error(code: .connection)) == .transient)
        #expect(RetryClassifier.classify(Inspector2Error(code: .invalidResponse)) == .transient)
        #expect(RetryClassifier.classify(Inspector2Error(code: .requestValidation)) == .notRetryable)
        #expect(RetryClassifier.classify(Inspector2Error(code: .credentials)) == .notRetryable)
        #expect(RetryClassifier.classify(Inspector2Error(code: .cancelled)) == .notRetryable)
    }
}
