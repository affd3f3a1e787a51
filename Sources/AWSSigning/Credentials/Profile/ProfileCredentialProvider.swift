import Foundation

/// Credentials from a profile of the shared config files: `role_arn` with `source_profile`,
/// `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`) or
/// `web_identity_token_file`; `credential_process`; or static `aws_access_key_id` /
/// `aws_secret_access_key` (+ `aws_session_token`). Role and process credentials are cached
/// per provider and refreshed before expiry.
public struct ProfileCredentialProvider: AWSCredentialProvider {
    /// nil: `AWS_PROFILE`, else `default`.
    public let profileName: String?
    let context: CredentialProviderContext
    let fallbackRegion: String?
    private let cache: ResolvedProviderCache

    public init(profileName: String? = nil, region: String? = nil, context: CredentialProviderContext) {
        self.profileName = profileName
        self.context = context
        fallbackRegion = region
        cache = ResolvedProviderCache()
    }

    public func credentials() async throws -> AWSCredentials {
        let provider = try await cache.provider { try self.resolve() }
        return try await provider.credentials()
    }

    /// Builds the provider the selected profile describes. Throws `notLoaded` when no profile was
    /// asked for explicitly and the default profile is absent or holds no credentials.
    func resolve() throws -> any AWSCredentialProvider {
        let config = try SharedConfig.load(context: context)
        let explicit = profileName ?? context.variable("AWS_PROFILE") ?? context.variable("AWS_DEFAULT_PROFILE")
        let name = explicit ?? "default"
        guard config.profiles[name] != nil else {
            if explicit == nil {
                throw CredentialError(code: .notLoaded, source: "profile", message: "no default profile")
            }
            throw CredentialError(code: .profileNotFound, source: "profile", message: "profile '\(name)' not found")
        }
        return try provider(for: name, in: config, visited: [], isSource: false, explicit: explicit != nil)
    }

    private func provider(for name: String, in config: SharedConfig, visited: [String], isSource: Bool, explicit: Bool) throws -> any AWSCredentialProvider {
        guard let profile = config.profiles[name] else {
            throw CredentialError(code: .invalidConfiguration, source: "profile", message: "source_profile '\(name)' not found")
        }
        if visited.contains(name) {
            throw CredentialError(code: .invalidConfiguration, source: "profile", message: "source_profile loop: \((visited + [name]).joined(separator: " -> "))")
        }
        let region = profile["region"] ?? fallbackRegion ?? context.environmentRegion ?? "us-east-1"

        if let roleArn = profile["role_arn"] {
            if profile["mfa_serial"] != nil {
                throw CredentialError(code: .unsupported, source: "profile", message: "profile '\(name)' needs MFA (mfa_serial), which is not supported")
            }
            let sessionName = profile["role_session_name"]
            let durationSeconds = try profile["duration_seconds"].map { value -> Int in
                guard let seconds = Int(value), seconds > 0 else {
                    throw CredentialError(code: .invalidConfiguration, source: "profile", message: "profile '\(name)' has an invalid duration_seconds")
                }
                return seconds
            }
            if let tokenFile = profile["web_identity_token_file"], profile["source_profile"] == nil, profile["credential_source"] == nil {
                let web = try WebIdentityCredentialProvider(roleArn: roleArn, tokenFile: tokenFile, sessionName: sessionName, durationSeconds: durationSeconds, region: region, context: context)
                return web.cached(now: context.now)
            }
            let base: any AWSCredentialProvider
            switch (profile["source_profile"], profile["credential_source"]) {
            case (let source?, nil):
                if source == name {
                    // A profile naming itself takes its own static keys as the source.
                    base = try staticProvider(profile, name: name)
                } else {
                    base = try provider(for: source, in: config, visited: visited + [name], isSource: true, explicit: true)
                }
            case (nil, let credentialSource?):
                base = try namedSource(credentialSource, profile: name)
            case (.some, .some):
                throw CredentialError(code: .invalidConfiguration, source: "profile", message: "profile '\(name)' sets both source_profile and credential_source")
            case (nil, nil):
                throw CredentialError(code: .invalidConfiguration, source: "profile", message: "profile '\(name)' has role_arn but no source_profile, credential_source or web_identity_token_file")
            }
            let assume = try AssumeRoleCredentialProvider(
                source: base, roleArn: roleArn, sessionName: sessionName, externalId: profile["external_id"],
                durationSeconds: durationSeconds, region: region, context: context
            )
            return assume.cached(now: context.now)
        }
        if profile["sso_session"] != nil || profile["sso_start_url"] != nil {
            throw CredentialError(code: .unsupported, source: "profile", message: "profile '\(name)' uses IAM Identity Center (SSO), which is not supported")
        }
        if let command = profile["credential_process"] {
            return ProcessCredentialProvider(command: command, context: context).cached(now: context.now)
        }
        if profile["aws_access_key_id"] != nil || profile["aws_secret_access_key"] != nil {
            return try staticProvider(profile, name: name)
        }
        if isSource || explicit {
            throw CredentialError(code: .invalidConfiguration, source: "profile", message: "profile '\(name)' holds no credentials")
        }
        throw CredentialError(code: .notLoaded, source: "profile", message: "profile '\(name)' holds no credentials")
    }

    private func staticProvider(_ profile: [String: String], name: String) throws -> StaticCredentialProvider {
        guard let accessKeyId = profile["aws_access_key_id"], !accessKeyId.isEmpty,
              let secret = profile["aws_secret_access_key"], !secret.isEmpty else {
            throw CredentialError(code: .invalidConfiguration, source: "profile", message: "profile '\(name)' needs both aws_access_key_id and aws_secret_access_key")
        }
        let token = profile["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        return StaticCredentialProvider(AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: token))
    }

    private func namedSource(_ name: String, profile: String) throws -> any AWSCredentialProvider {
        switch name {
        case "Environment": return EnvironmentCredentialProvider(context: context)
        case "Ec2InstanceMetadata": return InstanceMetadataCredentialProvider(context: context).cached(now: context.now)
        case "EcsContainer": return ContainerCredentialProvider(context: context).cached(now: context.now)
        default:
            throw CredentialError(code: .invalidConfiguration, source: "profile", message: "profile '\(profile)' has unknown credential_source '\(name.prefix(40))'")
        }
    }
}

/// Remembers the provider a profile resolved to, so its cache survives between calls.
final class ResolvedProviderCache: Sendable {
    private let state = LockedValue<(any AWSCredentialProvider)?>(nil)

    func provider(_ make: () throws -> any AWSCredentialProvider) async throws -> any AWSCredentialProvider {
        if let existing = state.get() { return existing }
        let made = try make()
        return state.setIfNil(made)
    }
}

final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func get() -> Value { lock.withLock { value } }
}

extension LockedValue {
    func setIfNil<T>(_ new: T) -> T where Value == T? {
        lock.withLock {
            if let existing = value { return existing }
            value = new
            return new
        }
    }
}
