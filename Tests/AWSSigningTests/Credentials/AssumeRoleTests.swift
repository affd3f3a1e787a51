import Foundation
import Testing
@testable import AWSSigning

@Suite struct AssumeRoleTests {
    static let base = AWSCredentials(accessKeyId: "AKIDBASE", secretAccessKey: "base-secret")

    @Test func assumeRoleProviderSignsAndParses() async throws {
        let sts = STSStandIn(knownKeys: [Self.base])
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try await withServer(sts.router()) { port in
            let context = CredentialProviderContext.test(["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(port)"], home: home.path)
            let provider = try AssumeRoleCredentialProvider(
                source: StaticCredentialProvider(Self.base), roleArn: "arn:aws:iam::111122223333:role/InspectorSync",
                sessionName: "sync-111122223333", externalId: "ext-42", durationSeconds: 1800, region: "eu-west-1", context: context)
            let credentials = try await provider.credentials()
            #expect(credentials.accessKeyId == "ASIAISSUED1")
            #expect(credentials.sessionToken == "issued-token-1")
            #expect(credentials.expiration == AmzDate.parseISO8601("2099-01-01T00:00:00Z"))
            let call = try #require(sts.calls.all.last)
            #expect(call.signedBy == "AKIDBASE")
            #expect(call.region == "eu-west-1")
            #expect(call.fields["RoleArn"] == "arn:aws:iam::111122223333:role/InspectorSync")
            #expect(call.fields["RoleSessionName"] == "sync-111122223333")
            #expect(call.fields["ExternalId"] == "ext-42")
            #expect(call.fields["DurationSeconds"] == "1800")
        }
    }

    @Test func stsErrorsAreTyped() async throws {
        let sts = STSStandIn(knownKeys: [Self.base])
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try await withServer(sts.router()) { port in
            let context = CredentialProviderContext.test(["AWS_ENDPOINT_URL": "http://127.0.0.1:\(port)"], home: home.path)
            let denied = try AssumeRoleCredentialProvider(source: StaticCredentialProvider(Self.base), roleArn: "arn:aws:iam::1:role/denied", region: "us-east-1", context: context)
            let error = await #expect(throws: CredentialError.self) { try await denied.credentials() }
            #expect(error?.code == .stsError)
            #expect(error?.serviceErrorCode == "AccessDenied")
            #expect(error?.description.contains("base-secret") == false)

            let wrongKey = AWSCredentials(accessKeyId: "AKIDBASE", secretAccessKey: "not-the-secret")
            let unsigned = try AssumeRoleCredentialProvider(source: StaticCredentialProvider(wrongKey), roleArn: "arn:aws:iam::1:role/r", region: "us-east-1", context: context)
            let badSignature = await #expect(throws: CredentialError.self) { try await unsigned.credentials() }
            #expect(badSignature?.serviceErrorCode == "InvalidSignatureException")
            #expect(badSignature?.description.contains("not-the-secret") == false)
        }
    }

    @Test func profileRoleChainsThroughSourceProfiles() async throws {
        let sts = STSStandIn(knownKeys: [Self.base])
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n")
        try home.write(".aws/config", """
        [profile hop1]
        role_arn = arn:aws:iam::111111111111:role/hop1
        source_profile = base
        role_session_name = first
        region = eu-north-1
        [profile hop2]
        role_arn = arn:aws:iam::222222222222:role/hop2
        source_profile = hop1
        external_id = ext-2
        duration_seconds = 900
        [profile self-ref]
        role_arn = arn:aws:iam::333333333333:role/self
        source_profile = self-ref
        aws_access_key_id = AKIDBASE
        aws_secret_access_key = base-secret
        """)
        try await withServer(sts.router()) { port in
            let context = CredentialProviderContext.test(["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(port)", "AWS_PROFILE": "hop2", "AWS_REGION": "ap-south-1"], home: home.path)
            let credentials = try await ProfileCredentialProvider(context: context).credentials()
            #expect(credentials.accessKeyId == "ASIAISSUED2")
            let calls = sts.calls.all
            #expect(calls.count == 2)
            #expect(calls[0].signedBy == "AKIDBASE")
            #expect(calls[0].region == "eu-north-1")
            #expect(calls[0].fields["RoleSessionName"] == "first")
            #expect(calls[1].signedBy == "ASIAISSUED1")  // signed with hop1's session credentials + token
            #expect(calls[1].region == "ap-south-1")
            #expect(calls[1].fields["ExternalId"] == "ext-2")
            #expect(calls[1].fields["DurationSeconds"] == "900")
            #expect(calls[1].fields["RoleSessionName"]?.hasPrefix("inspector-sync-") == true)

            // Cached: a second call does not go to STS again.
            _ = try await ProfileCredentialProvider(context: context).credentials()
            let provider = ProfileCredentialProvider(context: context)
            _ = try await provider.credentials()
            let before = sts.calls.all.count
            _ = try await provider.credentials()
            #expect(sts.calls.all.count == before)

            let selfRef = try await ProfileCredentialProvider(profileName: "self-ref", context: context).credentials()
            #expect(selfRef.accessKeyId.hasPrefix("ASIAISSUED"))
            #expect(sts.calls.all.last?.signedBy == "AKIDBASE")
        }
    }

    @Test func credentialSourceEnvironment() async throws {
        let sts = STSStandIn(knownKeys: [Self.base])
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/config", "[profile env-role]\nrole_arn = arn:aws:iam::1:role/env\ncredential_source = Environment\n")
        try await withServer(sts.router()) { port in
            let context = CredentialProviderContext.test([
                "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(port)", "AWS_ACCESS_KEY_ID": "AKIDBASE", "AWS_SECRET_ACCESS_KEY": "base-secret",
            ], home: home.path)
            let credentials = try await ProfileCredentialProvider(profileName: "env-role", context: context).credentials()
            #expect(credentials.accessKeyId == "ASIAISSUED1")
            #expect(sts.calls.all.last?.signedBy == "AKIDBASE")
            #expect(sts.calls.all.last?.region == "us-east-1")
        }
    }

    @Test func webIdentityFromEnvironmentAndProfile() async throws {
        let sts = STSStandIn(knownKeys: [])
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write("token", "the-oidc-token\n")
        try home.write(".aws/config", "[profile web]\nrole_arn = arn:aws:iam::1:role/web-profile\nweb_identity_token_file = \(home.path)/token\n")
        try await withServer(sts.router()) { port in
            let context = CredentialProviderContext.test([
                "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(port)", "AWS_ROLE_ARN": "arn:aws:iam::1:role/web",
                "AWS_WEB_IDENTITY_TOKEN_FILE": home.path + "/token", "AWS_ROLE_SESSION_NAME": "pod-session",
            ], home: home.path)
            let credentials = try await WebIdentityCredentialProvider.fromEnvironment(context: context, region: "us-east-1").credentials()
            #expect(credentials.accessKeyId == "ASIAISSUED1")
            let call = try #require(sts.calls.all.last)
            #expect(call.action == "AssumeRoleWithWebIdentity")
            #expect(call.fields["RoleArn"] == "arn:aws:iam::1:role/web")
            #expect(call.fields["RoleSessionName"] == "pod-session")
            #expect(call.fields["WebIdentityToken"] == "the-oidc-token")

            let fromProfile = try await ProfileCredentialProvider(profileName: "web", context: context).credentials()
            #expect(fromProfile.accessKeyId == "ASIAISSUED2")
            #expect(sts.calls.all.last?.fields["RoleArn"] == "arn:aws:iam::1:role/web-profile")
        }
    }
}
