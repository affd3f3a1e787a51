import Crypto
import Foundation

/// One forward-only schema migration: `migrations/NNNN_name.sql`.
public struct Migration: Sendable, Hashable {
    public var version: Int
    public var name: String
    public var sql: String

    /// SHA-256 of the file's bytes, hex. Recorded when applied; a later mismatch means the file was edited.
    public var checksum: String {
        SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The file name the migration came from, used in every message about it.
    public var fileName: String { String(format: "%04d_%@.sql", version, name) }

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Parses `NNNN_name.sql` into a migration.
    public init(fileName: String, sql: String) throws {
        guard fileName.hasSuffix(".sql"),
              let underscore = fileName.firstIndex(of: "_"),
              let version = Int(fileName[..<underscore]), version > 0
        else {
            throw StoreError(.migrationSourceInvalid, "migration file '\(fileName)' is not named NNNN_name.sql")
        }
        let name = fileName[fileName.index(after: underscore)...].dropLast(4)
        self.init(version: version, name: String(name), sql: sql)
    }

    /// Loads `*.sql` from a directory, ordered by version; duplicate versions are an error.
    public static func load(directory: URL) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }
        let migrations = try files.map { file in
            try Migration(fileName: file, sql: String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8))
        }
        return try ordered(migrations)
    }

    /// Sorts by version and rejects two files with one version.
    public static func ordered(_ migrations: [Migration]) throws -> [Migration] {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.version == b.version {
            throw StoreError(.migrationSourceInvalid, "migrations '\(a.fileName)' and '\(b.fileName)' share version \(a.version)")
        }
        return sorted
    }
}

/// A migration as recorded in `inspector.schema_migrations`.
public struct AppliedMigration: Sendable, Hashable {
    public var version: Int
    public var name: String
    public var checksum: String
    public var appliedAt: Date

    public init(version: Int, name: String, checksum: String, appliedAt: Date) {
        self.version = version
        self.name = name
        self.checksum = checksum
        self.appliedAt = appliedAt
    }
}
