import Foundation
import Hummingbird
import NIOCore
import Testing
@testable import AWSSigning

/// A local IMDSv2: the token PUT (with a TTL header) is required; every GET must carry the token.
func imdsRouter(role: String = "sync-role", tokenPuts: Counter, tokenRequired: Bool = true) -> Router<BasicRequestContext> {
    let router = Router()
    let token = "imds-session-token"
    router.put("/latest/api/token") { request, _ -> Response in
        _ = tokenPuts.increment()
        guard request.header("x-aws-ec2-metadata-token-ttl-seconds") == "21600" else { return Response(status: .badRequest) }
        guard tokenRequired else { return Response(status: .forbidden) }
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: token)))
    }
    @Sendable func authorized(_ request: Request) -> Bool {
        !tokenRequired || request.header("x-aws-ec2-metadata-token") == token
    }
    router.get("/latest/meta-data/iam/security-credentials/") { request, _ -> Response in
        guard authorized(request) else { return Response(status: .unauthorized) }
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: role + "\n")))
    }
    router.get("/latest/meta-data/iam/security-credentials/{role}") { request, context -> Response in
        guard authorized(request) else { return Response(status: .unauthorized) }
        guard context.parameters.get("role") == role else { return Response(status: .notFound) }
        return jsonResponse(#"{"Code":"Success","LastUpdated":"2026-11-25T12:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"2099-01-01T06:00:00Z"}"#)
    }
    return router
}

@Suite struct MetadataCredentialTests {
    @Test func imdsV2TokenThenRoleThenCredentials() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let puts = Counter()
        try await withServer(imdsRouter(tokenPuts: puts)) { port in
            let context = CredentialProviderContext.test(["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)/"], home: home.path)
            let credentials = try await InstanceMetadataCredentialProvider(context: context).credentials()
            #expect(credentials == AWSCredentials(accessKeyId: "ASIAIMDS", secretAccessKey: "imds-secret", sessionToken: "imds-token", expiration: AmzDate.parseISO8601("2099-01-01T06:00:00Z")))
            #expect(puts.count == 1)
        }
    }

    @Test func imdsFallsBackToV1WhenTokenIsForbiddenUnlessDisabled() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let puts = Counter()
        try await withServer(imdsRouter(tokenPuts: puts, tokenRequired: false)) { port in
            let endpoint = "http://127.0.0.1:\(port)"
            let v1 = try await InstanceMetadataCredentialProvider(context: .test(["AWS_EC2_METADATA_SERVICE_ENDPOINT": endpoint], home: home.path)).credentials()
            #expect(v1.accessKeyId == "ASIAIMDS")
            let error = await #expect(throws: CredentialError.self) {
                try await InstanceMetadataCredentialProvider(context: .test(["AWS_EC2_METADATA_SERVICE_ENDPOINT": endpoint, "AWS_EC2_METADATA_V1_DISABLED": "true"], home: home.path)).credentials()
            }
            #expect(error?.code == .httpFailure)
        }
    }

    @Test func imdsDisabledOrAbsentIsNotLoaded() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let disabled = await #expect(throws: CredentialError.self) {
            try await InstanceMetadataCredentialProvider(context: .test(["AWS_EC2_METADATA_DISABLED": "TRUE"], home: home.path)).credentials()
        }
        #expect(disabled?.code == .notLoaded)
        // Port 9 on loopback: nothing listens, the connection is refused at once.
        let absent = await #expect(throws: CredentialError.self) {
            try await InstanceMetadataCredentialProvider(context: .test(["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9"], home: home.path)).credentials()
        }
        #expect(absent?.code == .notLoaded)
    }

    @Test func containerCredentialsWithAuthorizationToken() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write("ecs-token", "token-from-file\n")
        let router = Router()
        router.get("/creds") { request, _ -> Response in
            guard let auth = request.header("Authorization"), auth == "token-from-env" || auth == "token-from-file" else {
                return jsonResponse(#"{"code":"AccessDenied","message":"no"}"#, status: .unauthorized)
            }
            return jsonResponse(#"{"AccessKeyId":"ASIAECS","SecretAccessKey":"ecs-secret","Token":"ecs-token","Expiration":"2099-01-01T00:00:00Z","RoleArn":"arn:aws:iam::1:role/task"}"#)
        }
        try await withServer(router) { port in
            let url = "http://127.0.0.1:\(port)/creds"
            let viaEnv = try await ContainerCredentialProvider(context: .test(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "token-from-env"], home: home.path)).credentials()
            #expect(viaEnv == AWSCredentials(accessKeyId: "ASIAECS", secretAccessKey: "ecs-secret", sessionToken: "ecs-token", expiration: AmzDate.parseISO8601("2099-01-01T00:00:00Z")))
            // The token file wins over the variable.
            let viaFile = try await ContainerCredentialProvider(context: .test([
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": url, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": home.path + "/ecs-token",
            ], home: home.path)).credentials()
            #expect(viaFile.accessKeyId == "ASIAECS")
            let denied = await #expect(throws: CredentialError.self) {
                try await ContainerCredentialProvider(context: .test(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url], home: home.path)).credentials()
            }
            #expect(denied?.code == .httpFailure)
            #expect(denied?.description.contains("401") == true)
        }
    }

    @Test func credentialSourceEcsContainerFeedsAssumeRole() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let ecsKeys = AWSCredentials(accessKeyId: "ASIAECS", secretAccessKey: "ecs-secret", sessionToken: "ecs-token")
        let sts = STSStandIn(knownKeys: [ecsKeys])
        let router = sts.router()
        router.get("/creds") { _, _ -> Response in
            jsonResponse(#"{"AccessKeyId":"ASIAECS","SecretAccessKey":"ecs-secret","Token":"ecs-token","Expiration":"2099-01-01T00:00:00Z"}"#)
        }
        try home.write(".aws/config", "[profile task-role]\nrole_arn = arn:aws:iam::1:role/from-ecs\ncredential_source = EcsContainer\n")
        try await withServer(router) { port in
            let context = CredentialProviderContext.test([
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(port)/creds", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(port)",
            ], home: home.path)
            let credentials = try await ProfileCredentialProvider(profileName: "task-role", context: context).credentials()
            #expect(credentials.accessKeyId == "ASIAISSUED1")
            #expect(sts.calls.all.last?.signedBy == "ASIAECS")
        }
    }
}
