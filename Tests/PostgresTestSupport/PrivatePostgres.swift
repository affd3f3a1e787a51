import FindingStore
import Foundation

/// A PostgreSQL cluster of one test's own, for tests that stop and restart the server (the shared
/// test server must stay up for the tests running beside them). fsync is off (a server crash keeps
/// the OS's cache), but commits are synchronous as in production: a crash of the server
/// (`-m immediate`) keeps every acknowledged commit. As root, it runs as `postgres`.
public final class PrivatePostgres: Sendable {
    public let directory: String
    public let port: Int
    let binDirectory: String

    public var url: DatabaseURL {
        get throws { try DatabaseURL("postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=disable") }
    }

    /// `postgres://…/<database>` of this cluster.
    public func urlText(database: String = "postgres") -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    private init(directory: String, port: Int, binDirectory: String) {
        self.directory = directory
        self.port = port
        self.binDirectory = binDirectory
    }

    /// initdb and start; `stop()` (or `destroy()`) when done.
    public static func start() async throws -> PrivatePostgres {
        let bin = try binDirectory()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inspector-sync-private-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/socket", withIntermediateDirectories: true)
        if getuid() == 0 {
            try await Self.run("/bin/chown", ["-R", "postgres:", directory], asOwner: false)
        }
        let cluster = PrivatePostgres(directory: directory, port: freeLoopbackPort(), binDirectory: bin)
        try await Self.run(bin + "/initdb", ["-D", directory + "/data", "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"])
        let conf = """

        listen_addresses = '127.0.0.1'
        port = \(cluster.port)
        unix_socket_directories = '\(directory)/socket'
        fsync = off
        full_page_writes = off
        log_min_messages = warning

        """
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/data/postgresql.conf"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(conf.utf8))
        try handle.close()
        try await cluster.startServer()
        return cluster
    }

    public func startServer() async throws {
        try await Self.run(binDirectory + "/pg_ctl", ["-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60", "start"])
    }

    /// `pg_ctl stop -m fast|immediate`: fast ends sessions cleanly, immediate is a crash.
    public func stopServer(mode: String = "fast") async throws {
        try await Self.run(binDirectory + "/pg_ctl", ["-D", directory + "/data", "-m", mode, "-w", "-t", "60", "stop"])
    }

    public func restartServer(mode: String = "fast") async throws {
        try await Self.run(binDirectory + "/pg_ctl", ["-D", directory + "/data", "-l", directory + "/server.log", "-m", mode, "-w", "-t", "60", "restart"])
    }

    /// Stops the server and removes the cluster.
    public func destroy() async {
        try? await stopServer(mode: "immediate")
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func binDirectory() throws -> String {
        var candidates: [String] = []
        if let pgConfig = ProcessInfo.processInfo.environment["PG_TMP_BINDIR"] { candidates.append(pgConfig) }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }) else {
            throw PrivatePostgresError(message: "PostgreSQL server binaries (initdb) not found; install postgresql-15")
        }
        return found
    }

    /// Runs a command to its end without blocking the cooperative pool; as root, as `postgres`.
    ///
    /// posix_spawn and waitpid, not Foundation's Process: Process learns of the exit through a
    /// descriptor the child inherits, and `pg_ctl start` leaves a server running that inherits it
    /// too, so Process would wait for the server to stop.
    static func run(_ path: String, _ arguments: [String], asOwner: Bool = true) async throws {
        let argv = (asOwner && getuid() == 0) ? ["/usr/sbin/runuser", "-u", "postgres", "--", path] + arguments : [path] + arguments
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("private-pg-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else {
            throw PrivatePostgresError(message: "cannot start \(argv[0]): errno \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw PrivatePostgresError(message: "\(path) \(arguments.joined(separator: " ")) failed (status \(status)): \(output)")
        }
    }
}

public struct PrivatePostgresError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
