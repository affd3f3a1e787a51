import AWSSigning
import AWSSigningHTTP
import AsyncHTTPClient
import FindingStore
import Foundation
import Inspector2Client
import Inspector2Model
import InspectorSyncConfig
import Logging
import PostgresNIO
import SyncEngine
import WebhookDelivery

/// `inspector-sync doctor`: checks what a running daemon needs, one dependency at a time, and says
/// what is wrong and how to fix it. Every check runs even when an earlier one fails (a broken
/// database does not hide a broken credential), and nothing is written anywhere.
public struct Doctor: Sendable {
    public let configuration: InspectorSyncConfiguration
    public let environment: [String: String]
    public let logger: Logger
    public var timeout: Duration = .seconds(10)

    public init(configuration: InspectorSyncConfiguration, environment: [String: String], logger: Logger) {
        self.configuration = configuration
        self.environment = environment
        self.logger = logger
    }

    public func run() async -> DoctorReport {
        var checks = [configurationCheck()]
        checks += await databaseChecks()
        let credentials = await credentialChecks()
        checks += credentials.checks
        if credentials.usable {
            checks += await regionChecks()
        }
        checks += await webhookChecks()
        return DoctorReport(checks: checks)
    }

    func configurationCheck() -> DoctorCheck {
        let enabled = configuration.webhooks.filter(\.enabled).count
        let accounts = configuration.discovery.mode == .delegatedAdmin ? "accounts from the delegated administrator" : "\(configuration.accounts.count) configured account(s)"
        return DoctorCheck("config", .ok, "loaded: \(configuration.aws.regions.count) region(s), \(accounts), \(enabled) webhook endpoint(s)")
    }

    // MARK: database

    func databaseChecks() async -> [DoctorCheck] {
        let url: DatabaseURL
        do {
            url = try DatabaseURL(configuration.database.url.value)
        } catch {
            return [DoctorCheck("database", .failed, "\(error)", fix: "set [database] url to postgres://USER@HOST:PORT/DB")]
        }
        let version: String
        do {
            version = try await DatabaseProbe.check(url, logger: logger)
        } catch {
            return [DoctorCheck("database", .failed, "\(error)", fix: "check [database] url (host, port, user, password, sslmode) and that PostgreSQL runs: pg_isready -h \(url.host) -p \(url.port)")]
        }
        var checks: [DoctorCheck] = []
        let major = Int(version.prefix { $0.isNumber }) ?? 0
        checks.append(major >= 13
            ? DoctorCheck("database", .ok, "PostgreSQL \(version) at \(url)")
            : DoctorCheck("database", .failed, "PostgreSQL \(version) at \(url) is too old", fix: "use PostgreSQL 13 or newer"))
        do {
            try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: logger) { client in
                checks.append(await migrationCheck(client))
                checks.append(try await privilegeCheck(client))
            }
        } catch {
            checks.append(DoctorCheck("database", .failed, "could not inspect the schema: \(SyncErrorDescription.text(error))"))
        }
        return checks
    }

    func migrationCheck(_ client: PostgresClient) async -> DoctorCheck {
        do {
            let plan = try await MigrationRunner(client: client, logger: logger).plan()
            var pending: [String] = [], changed: [String] = [], unknown: [String] = []
            for entry in plan.entries {
                switch entry.state {
                case .applied: break
                case .pending: pending.append(entry.fileName)
                case .changed: changed.append(entry.fileName)
                case .unknown: unknown.append(entry.fileName)
                }
            }
            if !changed.isEmpty {
                return DoctorCheck("migrations", .failed, "applied migration(s) differ from this binary's: \(changed.joined(separator: ", "))",
                                   fix: "run the inspector-sync version that applied them, or restore the schema from a backup")
            }
            if !unknown.isEmpty {
                return DoctorCheck("migrations", .failed, "the database has migration(s) this binary does not know: \(unknown.joined(separator: ", "))",
                                   fix: "upgrade inspector-sync to the version that applied them")
            }
            if !pending.isEmpty {
                return DoctorCheck("migrations", .failed, "\(pending.count) pending: \(pending.joined(separator: ", "))",
                                   fix: "run `inspector-sync migrate` (or set [database] auto_migrate = true)")
            }
            return DoctorCheck("migrations", .ok, "all \(plan.entries.count) applied")
        } catch {
            return DoctorCheck("migrations", .failed, "cannot read the migration table: \(SyncErrorDescription.text(error))",
                               fix: "grant the daemon's role USAGE on schema inspector (deploy/roles.sql)")
        }
    }

    /// The daemon writes every table of its schema (deploy/roles.sql grants exactly this).
    func privilegeCheck(_ client: PostgresClient) async throws -> DoctorCheck {
        let schemaExists = try await client.query("SELECT to_regnamespace('inspector') IS NOT NULL", logger: logger).collect().first?.decode(Bool.self) ?? false
        guard schemaExists else {
            let canCreate = try await client.query("SELECT has_database_privilege(current_database(), 'CREATE')", logger: logger).collect().first?.decode(Bool.self) ?? false
            return canCreate
                ? DoctorCheck("privileges", .ok, "schema inspector does not exist yet; this role may create it")
                : DoctorCheck("privileges", .failed, "schema inspector does not exist and this role may not create it",
                              fix: "run `inspector-sync migrate` as the database owner, then apply deploy/roles.sql")
        }
        let rows = try await client.query("""
            SELECT c.relname || ': ' || p.privilege
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p(privilege)
            WHERE n.nspname = 'inspector' AND c.relkind IN ('r', 'p')
              AND NOT has_table_privilege(c.oid, p.privilege)
            ORDER BY 1
            """, logger: logger).collect()
        let missing = try rows.map { try $0.decode(String.self) }
        let user = try await client.query("SELECT current_user::text", logger: logger).collect().first?.decode(String.self) ?? "?"
        guard missing.isEmpty else {
            let shown = missing.prefix(6).joined(separator: ", ") + (missing.count > 6 ? ", … (\(missing.count) in all)" : "")
            return DoctorCheck("privileges", .failed, "role \(user) lacks \(shown)", fix: "apply deploy/roles.sql and log in as inspector_sync")
        }
        return DoctorCheck("privileges", .ok, "role \(user) can read and write every table of schema inspector")
    }

    // MARK: AWS

    func credentialChecks() async -> (checks: [DoctorCheck], usable: Bool) {
        var context = CredentialProviderContext.live(transport: AsyncHTTPClientCredentialTransport(client: .shared), logger: logger)
        context.variables = environment
        let region = configuration.aws.regions.first ?? "us-east-1"
        let chain = DefaultCredentialChain.make(context: context, profile: configuration.aws.profile, region: region)
        let credentials: AWSCredentials
        let source: String
        do {
            if let providers = chain.source as? CredentialProviderChain {
                let resolved = try await providers.resolve()
                (credentials, source) = (resolved.credentials, Self.sourceName(resolved.provider))
            } else {
                (credentials, source) = (try await chain.credentials(), "default chain")
            }
        } catch {
            return ([DoctorCheck("credentials", .failed, "\(error)",
                                 fix: "provide AWS credentials: an instance or task role, AWS_PROFILE / [aws] profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")], false)
        }
        var checks = [DoctorCheck("credentials", .ok, "from \(source) (access key \(credentials.accessKeyId.prefix(4))…)")]
        // An emulator or LocalStack serves STS on the same endpoint; real AWS has its regional STS.
        var variables = environment
        if variables["AWS_ENDPOINT_URL_STS"] == nil && variables["AWS_ENDPOINT_URL"] == nil, let endpoint = configuration.aws.endpointURL {
            variables["AWS_ENDPOINT_URL_STS"] = endpoint.absoluteString
        }
        let sts = STSClient(endpoint: STSClient.endpoint(region: region, variables: variables), region: region,
                            transport: AsyncHTTPClientCredentialTransport(client: .shared))
        do {
            let identity = try await sts.getCallerIdentity(using: credentials)
            checks.append(DoctorCheck("identity", .ok, "\(identity.arn) (account \(identity.account))"))
        } catch {
            checks.append(DoctorCheck("identity", .failed, "sts:GetCallerIdentity: \(error)",
                                      fix: "the credentials are not accepted: check they are current and belong to the intended account"))
            return (checks, false)
        }
        for account in configuration.accounts {
            guard let roleARN = account.roleARN else { continue }
            do {
                let assumed = try await sts.assumeRole(
                    .init(roleArn: roleARN, roleSessionName: "inspector-sync-doctor", externalId: account.externalID?.value), using: credentials)
                _ = assumed
                checks.append(DoctorCheck("role \(account.id)", .ok, "assumed \(roleARN)"))
            } catch {
                checks.append(DoctorCheck("role \(account.id)", .failed, "sts:AssumeRole \(roleARN): \(error)",
                                          fix: "create the role with deploy/member-role-trust-policy.json and the policy deploy/iam-policy.json"))
            }
        }
        return (checks, true)
    }

    static func sourceName(_ provider: any AWSCredentialProvider) -> String {
        switch provider {
        case is EnvironmentCredentialProvider: "environment (AWS_ACCESS_KEY_ID)"
        case is ProfileCredentialProvider: "shared profile (~/.aws/config, ~/.aws/credentials)"
        case is ContainerCredentialProvider: "container credentials (ECS/EKS)"
        case is InstanceMetadataCredentialProvider: "instance metadata (IMDSv2)"
        default: "web identity (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE)"
        }
    }

    /// Each region's endpoint answers and grants what the sync calls.
    func regionChecks() async -> [DoctorCheck] {
        let clients: ClientFactory
        do {
            clients = try ClientFactory(configuration: configuration, environment: environment, logger: logger)
        } catch {
            return [DoctorCheck("aws", .failed, "\(error)")]
        }
        var checks: [DoctorCheck] = []
        for region in configuration.aws.regions {
            let subject = "region \(region)"
            do {
                let client = try await clients.adminClient(region: region)
                let permissions = try await client.listAccountPermissions(ListAccountPermissionsRequest(maxResults: 100)).permissions
                var detail = "\(client.endpoint) answers; ListAccountPermissions: \(permissions.count) permission(s)"
                if configuration.discovery.mode == .delegatedAdmin {
                    let members = try await client.listMembers(ListMembersRequest(onlyAssociated: true, maxResults: 50)).members ?? []
                    detail += "; ListMembers: \(members.count) associated member(s)"
                }
                checks.append(DoctorCheck(subject, .ok, detail))
            } catch let error as Inspector2Error {
                checks.append(DoctorCheck(subject, .failed, error.description, fix: Self.fix(for: error, region: region)))
            } catch {
                checks.append(DoctorCheck(subject, .failed, "\(error)"))
            }
        }
        return checks
    }

    static func fix(for error: Inspector2Error, region: String) -> String {
        switch (error.code, error.serviceCode?.rawValue) {
        case (.service, "AccessDeniedException"), (.service, "UnrecognizedClientException"):
            return "attach deploy/iam-policy.json to the identity above, and enable Amazon Inspector in \(region)"
        case (.connection, _), (.timeout, _):
            return "check network access to the Inspector endpoint of \(region) (proxy, firewall, VPC endpoint) or [aws] endpoint_url"
        case (.credentials, _), (.signing, _):
            return "check the credentials above"
        default:
            return "see the error above; `inspector-sync run` logs the same with more context"
        }
    }

    // MARK: webhooks

    func webhookChecks() async -> [DoctorCheck] {
        let enabled = configuration.webhooks.filter(\.enabled)
        guard !enabled.isEmpty else { return [] }
        let http = WebhookSender.makeHTTPClient(connectTimeout: timeout)
        var checks: [DoctorCheck] = []
        for webhook in enabled {
            checks.append(await webhookCheck(webhook, http: http))
        }
        try? await http.shutdown()
        return checks
    }

    /// DNS, the SSRF policy, then a HEAD request: any HTTP answer means the receiver is there (nothing
    /// is posted). The URL may carry a token, so only its origin is shown.
    func webhookCheck(_ webhook: InspectorSyncConfiguration.Webhook, http: HTTPClient) async -> DoctorCheck {
        let subject = "webhook \(webhook.name)"
        let url = webhook.url.absoluteString
        guard let parsed = URLComponents(url: webhook.url, resolvingAgainstBaseURL: false), let host = parsed.host else {
            return DoctorCheck(subject, .failed, "the URL does not parse")
        }
        let origin = "\(parsed.scheme ?? "https")://\(host)\(parsed.port.map { ":\($0)" } ?? "")"
        do {
            try await AddressPolicy.check(host: host, allowPrivateNetworks: webhook.allowPrivateNetworks, resolve: HostResolver.resolve)
        } catch {
            return DoctorCheck(subject, .failed, "\(origin): \(error)")
        }
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .HEAD
            let response = try await http.execute(request, timeout: .seconds(Int64(timeout.components.seconds)))
            return DoctorCheck(subject, .ok, "\(origin) answers (HTTP \(response.status.code) to HEAD)")
        } catch {
            return DoctorCheck(subject, .failed, "\(origin) does not answer: \(error)",
                               fix: "check that the receiver runs and this host can reach it (firewall, proxy, TLS certificate)")
        }
    }
}
