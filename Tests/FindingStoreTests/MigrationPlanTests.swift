import FindingStore
import Foundation
import Testing

@Suite struct MigrationPlanTests {
    let m1 = Migration(version: 1, name: "one", sql: "CREATE TABLE a ();")
    let m2 = Migration(version: 2, name: "two", sql: "CREATE TABLE b ();")
    let m3 = Migration(version: 3, name: "three", sql: "CREATE TABLE c ();")
    let when = Date(timeIntervalSince1970: 1_700_000_000)

    func applied(_ m: Migration, checksum: String? = nil) -> AppliedMigration {
        AppliedMigration(version: m.version, name: m.name, checksum: checksum ?? m.checksum, appliedAt: when)
    }

    @Test func emptyDatabaseHasEverythingPending() throws {
        let plan = MigrationPlan(available: [m1, m2], applied: [])
        #expect(plan.pending.map(\.version) == [1, 2])
        try plan.validate()
    }

    @Test func appliedAndPendingAreTold() throws {
        let plan = MigrationPlan(available: [m1, m2, m3], applied: [applied(m1)])
        #expect(plan.entries.map(\.state) == [.applied(at: when), .pending, .pending])
        try plan.validate()
    }

    @Test func changedFileIsRefusedNamingTheFile() {
        let plan = MigrationPlan(available: [m1, m2], applied: [applied(m1, checksum: "deadbeef")])
        #expect(plan.entries[0].state == .changed(appliedChecksum: "deadbeef"))
        #expect {
            try plan.validate()
        } throws: { error in
            let storeError = error as? StoreError
            return storeError?.code == .migrationChanged && storeError!.message.contains("0001_one.sql")
        }
    }

    @Test func migrationFromANewerBinaryIsUnknownNotAnError() throws {
        let plan = MigrationPlan(available: [m1], applied: [applied(m1), applied(m2)])
        #expect(plan.entries.map(\.state) == [.applied(at: when), .unknown(at: when)])
        try plan.validate()
    }

    @Test func pendingMigrationOlderThanAnAppliedOneIsRefused() {
        let plan = MigrationPlan(available: [m1, m2, m3], applied: [applied(m1), applied(m3)])
        #expect(throws: StoreError.self) { try plan.validate() }
    }

    @Test func fileNamesParseAndDuplicatesAreRefused() throws {
        let parsed = try Migration(fileName: "0007_add_things.sql", sql: "x")
        #expect(parsed.version == 7 && parsed.name == "add_things" && parsed.fileName == "0007_add_things.sql")
        #expect(throws: StoreError.self) { try Migration(fileName: "add_things.sql", sql: "x") }
        #expect(throws: StoreError.self) { try Migration.ordered([m1, Migration(version: 1, name: "other", sql: "")]) }
    }

    @Test func checksumFollowsTheBytes() {
        #expect(m1.checksum == Migration(version: 1, name: "one", sql: "CREATE TABLE a ();").checksum)
        #expect(m1.checksum != Migration(version: 1, name: "one", sql: "CREATE TABLE a ( );").checksum)
        #expect(m1.checksum.count == 64)
    }

    @Test func statusReportListsEveryMigration() {
        let plan = MigrationPlan(available: [m1, m2], applied: [applied(m1)])
        let text = MigrationStatusReport(plan: plan).text
        #expect(text.contains("0001_one.sql"))
        #expect(text.contains("0002_two.sql"))
        #expect(text.contains("1 applied, 1 pending"))
    }
}
