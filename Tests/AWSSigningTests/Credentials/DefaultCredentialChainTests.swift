import Foundation
import Testing
@testable import AWSSigning

@Suite struct DefaultCredentialChainTests {
    static let noIMDS = ["AWS_EC2_METADATA_DISABLED": "true"]

    @Test func environmentComesFirst() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = p\n")
        let env = Self.noIMDS.merging(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "e"]) { $1 }
        #expect(try await DefaultCredentialChain.make(context: .test(env, home: home.path)).credentials().accessKeyId == "AKIDENV")
        // A profile chosen in code skips the environment keys (botocore's rule).
        #expect(try await DefaultCredentialChain.make(context: .test(env, home: home.path), profile: "default").credentials().accessKeyId == "AKIDPROFILE")
        #expect(try await DefaultCredentialChain.make(context: .test(Self.noIMDS, home: home.path)).credentials().accessKeyId == "AKIDPROFILE")
    }

    @Test func webIdentityComesBeforeTheProfile() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = p\n")
        try home.write("token", "the-oidc-token")
        let sts = STSStandIn(knownKeys: [])
        try await withServer(sts.router()) { port in
            let env = Self.noIMDS.merging([
                "AWS_ROLE_ARN": "arn:aws:iam::1:role/web", "AWS_WEB_IDENTITY_TOKEN_FILE": home.path + "/token",
                "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(port)",
            ]) { $1 }
            let chain = DefaultCredentialChain.make(context: .test(env, home: home.path))
            let first = try await chain.credentials()
            let second = try await chain.credentials()  // cached
            #expect(first.accessKeyId == "ASIAISSUED1")
            #expect(second.accessKeyId == "ASIAISSUED1")
            #expect(sts.calls.all.count == 1)
        }
    }

    @Test func containerThenIMDSWhenNothingElse() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let puts = Counter()
        try await withServer(imdsRouter(tokenPuts: puts)) { port in
            let chain = DefaultCredentialChain.make(context: .test(["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)"], home: home.path))
            let credentials = try await chain.credentials()
            #expect(credentials.accessKeyId == "ASIAIMDS")
        }
    }

    @Test func nothingConfiguredIsNoCredentials() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let error = await #expect(throws: CredentialError.self) {
            try await DefaultCredentialChain.make(context: .test(Self.noIMDS, home: home.path)).credentials()
        }
        #expect(error?.code == .noCredentials)
        #expect(error?.message == "no credentials found; tried: environment, web-identity, profile, container, imds")
    }

    @Test func aConfiguredButBrokenSourceStopsTheChain() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let env = Self.noIMDS.merging(["AWS_ACCESS_KEY_ID": "AKIDONLY"]) { $1 }
        let error = await #expect(throws: CredentialError.self) {
            try await DefaultCredentialChain.make(context: .test(env, home: home.path)).credentials()
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.source == "environment")
    }
}
