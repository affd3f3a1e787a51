import Foundation

/// What one attempt gave.
public enum AttemptResult: Sendable, Equatable {
    /// An HTTP response (redirects are not followed, so a 3xx arrives here).
    case response(status: Int, retryAfter: Duration?)
    /// No response within the request timeout.
    case timeout
    /// Connect, TLS or reset: no HTTP status.
    case transportError(String)
    /// Not sent: the SSRF policy refused the address, or the host did not resolve.
    case refused(String)
}

/// What the store records for an attempt. Pure: `DeliveryPolicy.decide` makes it.
public enum DeliveryDecision: Sendable, Equatable {
    case succeeded
    case retry(after: Duration, error: String)
    case dead(error: String)
    /// 410 Gone: the receiver says the endpoint is no more; the delivery is dead and the endpoint off.
    case disableEndpoint(error: String)
}

public enum DeliveryPolicy {
    /// 2xx success; 3xx failure (redirects are not followed); 410 disables the endpoint; 429, 5xx and
    /// timeouts retry honouring Retry-After; other 4xx and transport errors retry on the schedule.
    /// `attemptsMade` counts this attempt.
    public static func decide(_ result: AttemptResult, attemptsMade: Int, schedule: RetrySchedule, unit: Double) -> DeliveryDecision {
        let error: String
        var retryAfter: Duration?
        switch result {
        case .response(let status, let after):
            switch status {
            case 200..<300: return .succeeded
            case 410: return .disableEndpoint(error: "HTTP 410 Gone: the receiver removed this endpoint")
            case 300..<400: error = "HTTP \(status): redirects are not followed"
            case 429, 500..<600:
                error = "HTTP \(status)"
                retryAfter = after
            default: error = "HTTP \(status)"
            }
        case .timeout: error = "timed out"
        case .transportError(let message): error = message
        case .refused(let message): error = message
        }
        guard let delay = schedule.delay(afterAttempts: attemptsMade, retryAfter: retryAfter, unit: unit) else {
            return .dead(error: "\(error) (gave up after \(attemptsMade) attempt(s))")
        }
        return .retry(after: delay, error: error)
    }

    /// `Retry-After` as delay-seconds or an HTTP date; nil when absent or unreadable.
    public static func retryAfter(_ header: String?, now: Date) -> Duration? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Int(header) { return .seconds(max(seconds, 0)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: header) else { return nil }
        return .seconds(max(Int(date.timeIntervalSince(now).rounded(.up)), 0))
    }
}
