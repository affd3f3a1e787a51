import Testing
@testable import Inspector2Client

@Suite struct EndpointResolverTests {
    @Test func defaultHostPerRegion() throws {
        let endpoint = try EndpointResolver(region: "eu-west-1").resolve()
        #expect(endpoint.baseURL == "https://inspector2.eu-west-1.amazonaws.com")
        #expect(endpoint.hostHeader == "inspector2.eu-west-1.amazonaws.com")
        #expect(endpoint.source == .partitionDefault)
    }

    @Test func chinaPartition() throws {
        #expect(try EndpointResolver(region: "cn-north-1").resolve().baseURL == "https://inspector2.cn-north-1.amazonaws.com.cn")
        #expect(try EndpointResolver(region: "cn-northwest-1").resolve().host == "inspector2.cn-northwest-1.amazonaws.com.cn")
        #expect(try EndpointResolver(region: "us-gov-west-1").resolve().host == "inspector2.us-gov-west-1.amazonaws.com")
    }

    @Test func precedence() throws {
        let env = [
            "AWS_ENDPOINT_URL": "http://global.local:1000",
            "AWS_ENDPOINT_URL_INSPECTOR2": "http://service.local:2000",
        ]
        let explicit = try EndpointResolver(region: "us-east-1", explicitEndpoint: "http://127.0.0.1:4566", environment: env).resolve()
        #expect(explicit.baseURL == "http://127.0.0.1:4566")
        #expect(explicit.source == .configuration)

        let service = try EndpointResolver(region: "us-east-1", environment: env).resolve()
        #expect(service.baseURL == "http://service.local:2000")
        #expect(service.source == .serviceEnvironment)

        let global = try EndpointResolver(region: "us-east-1", environment: ["AWS_ENDPOINT_URL": "https://global.local/"]).resolve()
        #expect(global.baseURL == "https://global.local")
        #expect(global.source == .globalEnvironment)

        // Empty values do not count (as in the SDKs).
        let fallback = try EndpointResolver(region: "us-east-1", environment: ["AWS_ENDPOINT_URL_INSPECTOR2": " "]).resolve()
        #expect(fallback.source == .partitionDefault)
    }

    @Test func ignoreConfiguredEndpointURLs() throws {
        let env = ["AWS_ENDPOINT_URL_INSPECTOR2": "http://service.local", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "TRUE"]
        #expect(try EndpointResolver(region: "eu-west-1", environment: env).resolve().baseURL == "https://inspector2.eu-west-1.amazonaws.com")
        #expect(try EndpointResolver(region: "eu-west-1", explicitEndpoint: "http://x:1", environment: env).resolve().baseURL == "http://x:1")
    }

    @Test func portsAndBasePath() throws {
        let e = try EndpointResolver(region: "x", explicitEndpoint: "https://proxy.example:443/aws/inspector/").resolve()
        #expect(e.hostHeader == "proxy.example")
        #expect(e.basePath == "/aws/inspector")
        #expect(e.baseURL == "https://proxy.example/aws/inspector")
        let p = try EndpointResolver(region: "x", explicitEndpoint: "http://LOCALHOST:8080").resolve()
        #expect(p.hostHeader == "localhost:8080")
    }

    @Test func rejectsBadInput() {
        #expect(throws: Inspector2Error.self) { try EndpointResolver(region: "us-east-1", explicitEndpoint: "ftp://x").resolve() }
        #expect(throws: Inspector2Error.self) { try EndpointResolver(region: "us-east-1", explicitEndpoint: "not a url").resolve() }
        #expect(throws: Inspector2Error.self) { try EndpointResolver(region: "evil.com/x").resolve() }
        #expect(throws: Inspector2Error.self) { try EndpointResolver(region: "").resolve() }
        // User info could be a secret: refused, and not echoed.
        do {
            _ = try EndpointResolver(region: "x", explicitEndpoint: "https://user:hunter2@host").resolve()
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(error.code == .invalidConfiguration)
        }
    }
}
