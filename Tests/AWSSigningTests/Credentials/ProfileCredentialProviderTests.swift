import Foundation
import Testing
@testable import AWSSigning

@Suite struct ProfileCredentialProviderTests {
    @Test func staticKeysAndProfileSelection() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/credentials", """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret
        [work]
        aws_access_key_id = AKIDWORK
        aws_secret_access_key = work-secret
        aws_session_token = work-token
        """)
        try home.write(".aws/config", "[profile work]\nregion = eu-west-1\n")

        let byDefault = try await ProfileCredentialProvider(context: .test([:], home: home.path)).credentials()
        #expect(byDefault == AWSCredentials(accessKeyId: "AKIDDEFAULT", secretAccessKey: "default-secret"))
        let byEnv = try await ProfileCredentialProvider(context: .test(["AWS_PROFILE": "work"], home: home.path)).credentials()
        #expect(byEnv == AWSCredentials(accessKeyId: "AKIDWORK", secretAccessKey: "work-secret", sessionToken: "work-token"))
        let byName = try await ProfileCredentialProvider(profileName: "work", context: .test(["AWS_PROFILE": "default"], home: home.path)).credentials()
        #expect(byName.accessKeyId == "AKIDWORK")

        let missing = await #expect(throws: CredentialError.self) {
            try await ProfileCredentialProvider(context: .test(["AWS_PROFILE": "absent"], home: home.path)).credentials()
        }
        #expect(missing?.code == .profileNotFound)
    }

    @Test func fileLocationsFromEnvironment() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write("elsewhere/creds", "[default]\naws_access_key_id = AKIDELSEWHERE\naws_secret_access_key = s\n")
        try home.write("elsewhere/conf", "[profile p]\nregion = us-west-1\n")
        let context = CredentialProviderContext.test(["AWS_SHARED_CREDENTIALS_FILE": "~/elsewhere/creds", "AWS_CONFIG_FILE": home.path + "/elsewhere/conf"], home: home.path)
        #expect(try await ProfileCredentialProvider(context: context).credentials().accessKeyId == "AKIDELSEWHERE")
        #expect(try SharedConfig.load(context: context).profiles["p"]?["region"] == "us-west-1")

        let empty = try TemporaryDirectory()
        defer { empty.remove() }
        let none = await #expect(throws: CredentialError.self) { try await ProfileCredentialProvider(context: .test([:], home: empty.path)).credentials() }
        #expect(none?.code == .notLoaded)
    }

    @Test func credentialProcessRunsARealScript() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write("bin/creds.sh", """
        #!/bin/sh
        # Proves the environment reaches the process and the arguments are passed.
        echo "{\\"Version\\": 1, \\"AccessKeyId\\": \\"AKIDPROC-$1\\", \\"SecretAccessKey\\": \\"$PROC_SECRET\\", \\"SessionToken\\": \\"proc-token\\", \\"Expiration\\": \\"2099-01-01T00:00:00Z\\"}"
        """, executable: true)
        try home.write("bin/fail.sh", "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AK\", \"SecretAccessKey\": \"LEAKED-SECRET\"}'\necho LEAKED-SECRET >&2\nexit 3\n", executable: true)
        try home.write(".aws/config", """
        [default]
        credential_process = \(home.path)/bin/creds.sh arg1
        [profile broken]
        credential_process = \(home.path)/bin/fail.sh
        """)
        let context = CredentialProviderContext.test(["PROC_SECRET": "process-secret"], home: home.path)
        let credentials = try await ProfileCredentialProvider(context: context).credentials()
        #expect(credentials == AWSCredentials(accessKeyId: "AKIDPROC-arg1", secretAccessKey: "process-secret", sessionToken: "proc-token", expiration: AmzDate.parseISO8601("2099-01-01T00:00:00Z")))

        let failure = await #expect(throws: CredentialError.self) {
            try await ProfileCredentialProvider(profileName: "broken", context: context).credentials()
        }
        #expect(failure?.code == .processFailed)
        #expect(failure?.description.contains("status 3") == true)
        #expect(failure?.description.contains("LEAKED-SECRET") == false)
    }

    @Test func badRoleConfigurations() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/config", """
        [profile loop-a]
        role_arn = arn:aws:iam::1:role/a
        source_profile = loop-b
        [profile loop-b]
        role_arn = arn:aws:iam::1:role/b
        source_profile = loop-a
        [profile both]
        role_arn = arn:aws:iam::1:role/a
        source_profile = loop-a
        credential_source = Environment
        [profile neither]
        role_arn = arn:aws:iam::1:role/a
        [profile unknown-source]
        role_arn = arn:aws:iam::1:role/a
        credential_source = Floppy
        [profile mfa]
        role_arn = arn:aws:iam::1:role/a
        source_profile = loop-a
        mfa_serial = arn:aws:iam::1:mfa/u
        [profile sso]
        sso_session = corp
        sso_account_id = 1
        """)
        for (profile, code) in [("loop-a", CredentialError.Code.invalidConfiguration), ("both", .invalidConfiguration), ("neither", .invalidConfiguration),
                                ("unknown-source", .invalidConfiguration), ("mfa", .unsupported), ("sso", .unsupported)] {
            let error = await #expect(throws: CredentialError.self, "\(profile)") {
                try await ProfileCredentialProvider(profileName: profile, context: .test([:], home: home.path)).credentials()
            }
            #expect(error?.code == code, "\(profile)")
        }
    }
}
