import Foundation

/// Anything that can produce credentials. Providers of temporary credentials return an
/// `expiration`; wrap them in `CachedCredentialProvider` (or `.cached()`) to reuse and refresh.
public protocol AWSCredentialProvider: Sendable {
    func credentials() async throws -> AWSCredentials
}

/// Fixed credentials (tests, configuration files that hold keys).
public struct StaticCredentialProvider: AWSCredentialProvider {
    public let value: AWSCredentials

    public init(_ credentials: AWSCredentials) {
        value = credentials
    }

    public func credentials() async throws -> AWSCredentials { value }
}

/// Tries providers in order; a provider that throws `CredentialError.notLoaded` is skipped, any
/// other error stops the chain (a configured source that fails must not silently fall through).
public struct CredentialProviderChain: AWSCredentialProvider {
    public let providers: [any AWSCredentialProvider]

    public init(_ providers: [any AWSCredentialProvider]) {
        self.providers = providers
    }

    public func credentials() async throws -> AWSCredentials {
        try await resolve().credentials
    }

    /// The credentials and the provider that gave them (`doctor` tells the user which source won).
    public func resolve() async throws -> (credentials: AWSCredentials, provider: any AWSCredentialProvider) {
        var skipped: [String] = []
        for provider in providers {
            do {
                return (try await provider.credentials(), provider)
            } catch let error as CredentialError where error.code == .notLoaded {
                skipped.append(error.source)
            }
        }
        throw CredentialError(code: .noCredentials, source: "chain", message: "no credentials found; tried: \(skipped.joined(separator: ", "))")
    }
}

extension AWSCredentialProvider {
    /// This provider behind a cache that refreshes `refreshWindow` seconds before expiry.
    public func cached(refreshWindow: Double = 300, now: @escaping @Sendable () -> Date = { Date() }) -> CachedCredentialProvider {
        CachedCredentialProvider(source: self, refreshWindow: refreshWindow, now: now)
    }
}
