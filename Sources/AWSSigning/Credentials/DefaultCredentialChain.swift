import Foundation

/// The AWS SDKs' default credential chain.
public enum DefaultCredentialChain {
    /// Environment variables, then web identity (`AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE`),
    /// then the shared profile (`AWS_PROFILE` or `profile`), then container credentials, then EC2
    /// IMDSv2; behind one cache that refreshes 5 minutes before expiry.
    ///
    /// - Parameters:
    ///   - profile: a profile chosen in code; as in botocore it skips the environment keys.
    ///   - region: the region for STS calls when the profile has none (else `AWS_REGION`,
    ///     `AWS_DEFAULT_REGION`, then `us-east-1`).
    public static func make(context: CredentialProviderContext, profile: String? = nil, region: String? = nil, refreshWindow: TimeInterval = 300) -> CachedCredentialProvider {
        var providers: [any AWSCredentialProvider] = []
        if profile == nil {
            providers.append(EnvironmentCredentialProvider(context: context))
        }
        let stsRegion = region ?? context.environmentRegion ?? "us-east-1"
        providers.append(LazyCredentialProvider { try WebIdentityCredentialProvider.fromEnvironment(context: context, region: stsRegion) })
        providers.append(ProfileCredentialProvider(profileName: profile, region: region, context: context))
        providers.append(ContainerCredentialProvider(context: context))
        providers.append(InstanceMetadataCredentialProvider(context: context))
        return CachedCredentialProvider(source: CredentialProviderChain(providers), refreshWindow: refreshWindow, now: context.now)
    }
}
