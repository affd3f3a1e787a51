/// An error of webhook delivery. Like `PSQLError`, the `description` is safe to log: it never holds a
/// secret, a full endpoint URL (Slack URLs carry a token) or a request body.
public struct WebhookError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidSecret
            case addressRefused
            case unresolvableHost
            case unknownEndpoint
            case transport
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A secret is not `whsec_` followed by base64.
        public static let invalidSecret = Code(.invalidSecret)
        /// The endpoint resolves to an address the SSRF policy refuses (loopback, private, link-local…).
        public static let addressRefused = Code(.addressRefused)
        /// The endpoint's host name did not resolve.
        public static let unresolvableHost = Code(.unresolvableHost)
        /// No `[[webhooks]]` entry of that name.
        public static let unknownEndpoint = Code(.unknownEndpoint)
        /// The request failed below HTTP (connect, TLS, reset).
        public static let transport = Code(.transport)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
