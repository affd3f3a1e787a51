/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`
/// (`AWS_SECRET_KEY`/`AWS_ACCESS_KEY` are not read; botocore does not read them either).
public struct EnvironmentCredentialProvider: AWSCredentialProvider {
    public let context: CredentialProviderContext

    public init(context: CredentialProviderContext) {
        self.context = context
    }

    public func credentials() async throws -> AWSCredentials {
        let accessKeyId = context.variable("AWS_ACCESS_KEY_ID")
        let secret = context.variable("AWS_SECRET_ACCESS_KEY")
        switch (accessKeyId, secret) {
        case (nil, nil):
            throw CredentialError(code: .notLoaded, source: "environment", message: "AWS_ACCESS_KEY_ID is not set")
        case (let accessKeyId?, let secret?):
            let token = context.variable("AWS_SESSION_TOKEN") ?? context.variable("AWS_SECURITY_TOKEN")
            return AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: token,
                                  expiration: context.variable("AWS_CREDENTIAL_EXPIRATION").flatMap(AmzDate.parseISO8601))
        case (nil, _):
            throw CredentialError(code: .invalidConfiguration, source: "environment", message: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (_, nil):
            throw CredentialError(code: .invalidConfiguration, source: "environment", message: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
    }
}
