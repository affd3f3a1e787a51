import FindingStore
import Foundation
import Testing

/// The binary carries the SQL of migrations/; this fails when someone edits a file and forgets
/// `scripts/embed-migrations`.
@Suite struct EmbeddedMigrationsTests {
    @Test func embeddedCopyEqualsTheFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files = try Migration.load(directory: root.appendingPathComponent("migrations"))
        #expect(!files.isEmpty)
        #expect(files.map(\.fileName) == EmbeddedMigrations.all.map(\.fileName))
        #expect(files.map(\.checksum) == EmbeddedMigrations.all.map(\.checksum), "run scripts/embed-migrations")
    }
}
