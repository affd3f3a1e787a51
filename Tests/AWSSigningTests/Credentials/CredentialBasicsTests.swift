import Foundation
import Testing
@testable import AWSSigning

@Suite struct CredentialBasicsTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzzzSECRET"
    static let token = "FwoGZXIvYXdzTOKEN"

    @Test func descriptionNeverShowsSecrets() {
        let credentials = AWSCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token, expiration: Date(timeIntervalSince1970: 0))
        for text in ["\(credentials)", String(reflecting: credentials), "\([credentials])", "\(Optional(credentials) as Any)"] {
            #expect(text.contains("ASIAEXAMPLE"))
            #expect(!text.contains(Self.secret))
            #expect(!text.contains(Self.token))
        }
        var dumped = ""
        dump(credentials, to: &dumped)
        #expect(!dumped.contains(Self.secret) && !dumped.contains(Self.token))
        #expect("\(credentials)" == "AWSCredentials(accessKeyId: ASIAEXAMPLE, secretAccessKey: <redacted>, sessionToken: <redacted>, expiration: 1970-01-01T00:00:00Z)")
    }

    @Test func environmentProvider() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let full = CredentialProviderContext.test(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token], home: home.path)
        let credentials = try await EnvironmentCredentialProvider(context: full).credentials()
        #expect(credentials == AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: Self.secret, sessionToken: Self.token))

        let none = CredentialProviderContext.test([:], home: home.path)
        let notLoaded = await #expect(throws: CredentialError.self) { try await EnvironmentCredentialProvider(context: none).credentials() }
        #expect(notLoaded?.code == .notLoaded)

        let partial = CredentialProviderContext.test(["AWS_ACCESS_KEY_ID": "AKIDENV"], home: home.path)
        let invalid = await #expect(throws: CredentialError.self) { try await EnvironmentCredentialProvider(context: partial).credentials() }
        #expect(invalid?.code == .invalidConfiguration)
    }

    @Test func iniParsing() {
        let text = """
        # comment
        ; another
        [default]
        region = us-west-2
        aws_secret_access_key = abc#def;ghi
        S3 =
          max_concurrent_requests = 10
        note = first
          second
        [ profile   spaced ]
        Key=Value
        """
        let file = INIFile.parse(text)
        #expect(file.sections.map(\.name) == ["default", "profile   spaced"])
        #expect(file.sections[0].properties == ["region": "us-west-2", "aws_secret_access_key": "abc#def;ghi", "s3": "", "s3.max_concurrent_requests": "10", "note": "first\nsecond"])
        #expect(file.sections[1].properties == ["key": "Value"])
    }

    @Test func sharedConfigMergesFilesAsTheSDKsDo() {
        let config = """
        [default]
        region = eu-west-1
        [profile default]
        output = json
        [profile dev]
        region = us-east-2
        aws_access_key_id = FROMCONFIG
        [dev2]
        region = ignored
        [sso-session corp]
        sso_region = us-east-1
        """
        let credentials = """
        [dev]
        aws_access_key_id = FROMCREDENTIALS
        aws_secret_access_key = s
        [profile nope]
        aws_access_key_id = ignored
        """
        let shared = SharedConfig.parse(config: config, credentials: credentials)
        #expect(shared.profiles["default"] == ["region": "eu-west-1", "output": "json"])
        #expect(shared.profiles["dev"] == ["region": "us-east-2", "aws_access_key_id": "FROMCREDENTIALS", "aws_secret_access_key": "s"])
        #expect(shared.profiles["dev2"] == nil)
        #expect(shared.profiles["corp"] == nil)
        #expect(shared.profiles["profile nope"] == nil)
    }

    @Test func stsEndpointResolution() {
        #expect(STSClient.endpoint(region: "eu-central-1", variables: [:]) == "https://sts.eu-central-1.amazonaws.com")
        #expect(STSClient.endpoint(region: "cn-north-1", variables: [:]) == "https://sts.cn-north-1.amazonaws.com.cn")
        #expect(STSClient.endpoint(region: "us-east-1", variables: ["AWS_ENDPOINT_URL": "http://a", "AWS_ENDPOINT_URL_STS": "http://b"]) == "http://b")
        #expect(STSClient.endpoint(region: "us-east-1", variables: ["AWS_ENDPOINT_URL": "http://a"]) == "http://a")
        #expect(STSClient.endpoint(region: "us-east-1", variables: ["AWS_ENDPOINT_URL": "http://a", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]) == "https://sts.us-east-1.amazonaws.com")
    }

    @Test func containerURLResolution() throws {
        #expect(try ContainerCredentialProvider.resolveURL(variables: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"]) == "http://169.254.170.2/v2/credentials/abc")
        #expect(try ContainerCredentialProvider.resolveURL(variables: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/creds"]) == "http://127.0.0.1:9/creds")
        #expect(try ContainerCredentialProvider.resolveURL(variables: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials"]) == "http://169.254.170.23/v1/credentials")
        #expect(try ContainerCredentialProvider.resolveURL(variables: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://creds.example.com/x"]) == "https://creds.example.com/x")
        let refused = #expect(throws: CredentialError.self) { try ContainerCredentialProvider.resolveURL(variables: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.0.0.1/creds"]) }
        #expect(refused?.code == .invalidConfiguration)
        let none = #expect(throws: CredentialError.self) { try ContainerCredentialProvider.resolveURL(variables: [:]) }
        #expect(none?.code == .notLoaded)
    }

    @Test func miniXMLReadsSTSDocuments() throws {
        let xml = #"<?xml version="1.0"?><ErrorResponse xmlns="x"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: a &amp; b &lt;c&gt; &#39;d&#x27;</Message></Error><RequestId>1</RequestId></ErrorResponse>"#
        let root = try #require(MiniXML.parse(Array(xml.utf8)))
        #expect(root.name == "ErrorResponse")
        #expect(root.find("Error", "Code")?.trimmedText == "AccessDenied")
        #expect(root.find("Error", "Message")?.trimmedText == "User: a & b <c> 'd'")
        #expect(MiniXML.parse(Array("<a><b></a>".utf8)) == nil)
    }

    @Test func processOutputParsing() throws {
        let ok = try ProcessCredentialProvider.parse(Array(#"{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"SK","SessionToken":"T","Expiration":"2030-01-01T00:00:00Z"}"#.utf8))
        #expect(ok.expiration == AmzDate.parseISO8601("2030-01-01T00:00:00Z"))
        let wrongVersion = #expect(throws: CredentialError.self) { try ProcessCredentialProvider.parse(Array(#"{"Version":2,"AccessKeyId":"AK","SecretAccessKey":"SECRETVALUE"}"#.utf8)) }
        #expect(wrongVersion?.code == .malformedResponse)
        #expect(wrongVersion?.description.contains("SECRETVALUE") == false)
    }
}
