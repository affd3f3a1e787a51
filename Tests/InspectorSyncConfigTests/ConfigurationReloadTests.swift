import Testing
@testable import InspectorSyncConfig

@Suite struct ConfigurationReloadTests {
    @Test func classifiesChanges() throws {
        let old = try loaded(minimalTOML + "[[webhooks]]\nname = \"a\"\nurl = \"https://e.com\"\nsecret = \"\(validSecret)\"\n")
        #expect(old.changes(to: old).isEmpty)

        var new = old
        new.sync.interval = .seconds(60)
        new.sync.overlap = .seconds(60)
        new.sync.pageSize = 10
        new.sync.maxConcurrentTargets = 1
        new.log.level = .debug
        new.webhooks[0].enabled = false
        new.webhooks.append(old.webhooks[0])
        new.webhooks[1].name = "b"
        new.database.url = SecretValue("postgres://other/db")
        new.http.listen = nil
        new.aws.endpointURL = .init(string: "http://127.0.0.1:4566")
        new.discovery.mode = .delegatedAdmin
        new.accounts = []
        let changes = old.changes(to: new)
        #expect(changes.live == [
            "sync.interval", "sync.overlap", "sync.page_size", "sync.max_concurrent_targets", "webhooks.a", "webhooks.b", "log.level",
        ])
        #expect(changes.restartRequired == ["database.url", "aws.endpoint_url", "discovery.mode", "accounts", "http.listen"])
    }

    @Test func removedWebhookIsLive() throws {
        let old = try loaded(minimalTOML + "[[webhooks]]\nname = \"a\"\nurl = \"https://e.com\"\nsecret = \"\(validSecret)\"\n")
        let new = try loaded(minimalTOML)
        #expect(old.changes(to: new) == ConfigurationChanges(live: ["webhooks.a"], restartRequired: []))
    }
}
