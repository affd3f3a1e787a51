import Foundation

/// What `migrate` would do, decided from the known files and the applied rows alone (no I/O).
public struct MigrationPlan: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case applied(at: Date)
        case pending
        /// Applied, but the file now has another checksum.
        case changed(appliedChecksum: String)
        /// Applied by a newer binary: this one has no such file.
        case unknown(at: Date)
    }

    public struct Entry: Sendable, Equatable {
        public var version: Int
        public var fileName: String
        public var state: State
    }

    public var entries: [Entry]

    public init(available: [Migration], applied: [AppliedMigration]) {
        let appliedByVersion = Dictionary(applied.map { ($0.version, $0) }, uniquingKeysWith: { a, _ in a })
        let availableVersions = Set(available.map(\.version))
        var entries = available.map { migration -> Entry in
            guard let row = appliedByVersion[migration.version] else {
                return Entry(version: migration.version, fileName: migration.fileName, state: .pending)
            }
            if row.checksum != migration.checksum {
                return Entry(version: migration.version, fileName: migration.fileName, state: .changed(appliedChecksum: row.checksum))
            }
            return Entry(version: migration.version, fileName: migration.fileName, state: .applied(at: row.appliedAt))
        }
        for row in applied where !availableVersions.contains(row.version) {
            entries.append(Entry(version: row.version, fileName: String(format: "%04d_%@.sql", row.version, row.name), state: .unknown(at: row.appliedAt)))
        }
        self.entries = entries.sorted { $0.version < $1.version }
    }

    public var pending: [Entry] { entries.filter { $0.state == .pending } }

    /// The first problem that forbids applying anything: an edited file, or a pending file older than
    /// an applied one (applying it out of order would run it against a schema it was not written for).
    public func validate() throws {
        for entry in entries {
            if case .changed = entry.state {
                throw StoreError(
                    .migrationChanged,
                    "migration \(entry.fileName) was changed after it was applied (checksum differs); restore the file and add a new migration instead"
                )
            }
        }
        let newestApplied = entries.filter {
            if case .applied = $0.state { return true }
            if case .unknown = $0.state { return true }
            return false
        }.map(\.version).max() ?? 0
        if let late = pending.first(where: { $0.version < newestApplied }) {
            throw StoreError(
                .migrationSourceInvalid,
                "migration \(late.fileName) is pending but a later version (\(newestApplied)) is already applied; renumber it after \(newestApplied)"
            )
        }
    }
}
