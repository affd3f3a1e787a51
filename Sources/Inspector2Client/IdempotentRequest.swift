import Foundation
import Inspector2Model

/// Actions whose `clientToken` is an idempotency token in the model: like the SDKs, the client
/// fills in a UUID when the caller gave none, once per call, so retries reuse it.
public protocol IdempotentRequest: Inspector2Request {
    var clientToken: String? { get set }
}

extension EnableRequest: IdempotentRequest {}
extension EnableDelegatedAdminAccountRequest: IdempotentRequest {}

extension Inspector2Request {
    /// `self` with an idempotency token filled in when the action has one and it is missing.
    func withIdempotencyToken() -> Self {
        guard var idempotent = self as? any IdempotentRequest else { return self }
        if idempotent.clientToken == nil {
            idempotent.clientToken = UUID().uuidString.lowercased()
        }
        return idempotent as? Self ?? self
    }
}
