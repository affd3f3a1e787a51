import FindingStore
import Foundation
import Inspector2Client
import Inspector2Model
import InspectorSyncConfig
import Logging

/// Which (account, region) pairs to sync, from the configuration or from the delegated
/// administrator's member list.
public struct TargetDiscovery: Sendable {
    public let configuration: InspectorSyncConfiguration
    public let clients: ClientFactory
    public let logger: Logger

    public init(configuration: InspectorSyncConfiguration, clients: ClientFactory, logger: Logger) {
        self.configuration = configuration
        self.clients = clients
        self.logger = logger
    }

    public struct Result: Sendable {
        public var accounts: [AccountRecord]
        public var targets: [SyncTarget]
    }

    public func discover() async throws -> Result {
        switch configuration.discovery.mode {
        case .static:
            var targets: [SyncTarget] = []
            for account in configuration.accounts {
                for region in account.regions ?? configuration.aws.regions {
                    targets.append(SyncTarget(accountId: account.id, region: region))
                }
            }
            return Result(accounts: configuration.accounts.map { AccountRecord(accountId: $0.id, source: "static") }, targets: targets)
        case .delegatedAdmin:
            // Membership is organization-wide; any region answers. The first configured one does.
            let region = configuration.aws.regions.first ?? "us-east-1"
            let client = try await clients.adminClient(region: region)
            var members: [Member] = []
            for try await page in client.listMembersPages(ListMembersRequest(onlyAssociated: true, maxResults: 50)) {
                members += page.output.members ?? []
            }
            var accounts: [AccountRecord] = []
            let admins = Set(members.compactMap(\.delegatedAdminAccountId)).union(configuration.accounts.map(\.id))
            for admin in admins.sorted() {
                accounts.append(AccountRecord(accountId: admin, source: "delegated-admin"))
            }
            for member in members {
                guard let id = member.accountId, !admins.contains(id) else { continue }
                accounts.append(AccountRecord(
                    accountId: id, source: "member", relationshipStatus: member.relationshipStatus?.rawValue,
                    delegatedAdminAccountId: member.delegatedAdminAccountId
                ))
            }
            let targets = accounts.flatMap { account in configuration.aws.regions.map { SyncTarget(accountId: account.accountId, region: $0) } }
            logger.info("discovered accounts", metadata: ["sync.accounts": "\(accounts.count)", "sync.targets": "\(targets.count)"])
            return Result(accounts: accounts, targets: targets)
        }
    }
}
