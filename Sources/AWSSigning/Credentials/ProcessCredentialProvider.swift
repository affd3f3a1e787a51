import Foundation

/// `credential_process`: runs a command that prints `{"Version": 1, "AccessKeyId": ...,
/// "SecretAccessKey": ..., "SessionToken": ..., "Expiration": "ISO 8601"}`.
public struct ProcessCredentialProvider: AWSCredentialProvider {
    public let command: String
    public let context: CredentialProviderContext
    public var timeout: TimeInterval

    public init(command: String, context: CredentialProviderContext, timeout: TimeInterval = 60) {
        self.command = command
        self.context = context
        self.timeout = timeout
    }

    public func credentials() async throws -> AWSCredentials {
        let output: CredentialProcessOutput
        do {
            output = try await context.processRunner.run(command: command, environment: context.variables, timeout: timeout)
        } catch {
            throw CredentialError(code: .processFailed, source: "process", message: "credential_process could not be started")
        }
        // Neither stdout nor stderr goes into the error: either may hold secrets.
        guard output.exitCode == 0 else {
            throw CredentialError(code: .processFailed, source: "process", message: "credential_process exited with status \(output.exitCode)")
        }
        return try Self.parse(output.standardOutput)
    }

    static func parse(_ bytes: [UInt8]) throws -> AWSCredentials {
        struct Document: Decodable {
            let Version: Int?
            let AccessKeyId: String?
            let SecretAccessKey: String?
            let SessionToken: String?
            let Expiration: String?
        }
        func malformed(_ message: String) -> CredentialError {
            CredentialError(code: .malformedResponse, source: "process", message: message)
        }
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(bytes)) else {
            throw malformed("credential_process output is not a JSON object")
        }
        guard document.Version == 1 else {
            throw malformed("credential_process output has unsupported Version \(document.Version.map(String.init) ?? "(missing)"); expected 1")
        }
        guard let accessKeyId = document.AccessKeyId, !accessKeyId.isEmpty,
              let secret = document.SecretAccessKey, !secret.isEmpty else {
            throw malformed("credential_process output lacks AccessKeyId or SecretAccessKey")
        }
        var expiration: Date?
        if let text = document.Expiration {
            guard let date = AmzDate.parseISO8601(text) else { throw malformed("credential_process Expiration is not an ISO 8601 timestamp") }
            expiration = date
        }
        return AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: document.SessionToken, expiration: expiration)
    }
}
