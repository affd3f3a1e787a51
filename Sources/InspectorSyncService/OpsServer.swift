import FindingStore
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import PostgresNIO
import Prometheus
import ServiceLifecycle
import Synchronization

/// The scheduler's loop ticks this; readiness fails when it stops ticking.
public final class SchedulerHeartbeat: Sendable {
    private let last = Mutex(ContinuousClock.now)
    public init() {}
    public func beat() { last.withLock { $0 = ContinuousClock.now } }
    public var age: Duration { ContinuousClock.now - last.withLock { $0 } }
}

/// The HTTP operations endpoint on `[http] listen`: `/healthz` (the process answers), `/readyz`
/// (the database answers, the scheduler loop is alive, no job is stuck past its deadline) and
/// `/metrics` (Prometheus text).
public struct OpsServer: Service {
    public let host: String
    public let port: Int
    public let database: PostgresClient
    public let registry: PrometheusCollectorRegistry
    public let heartbeat: SchedulerHeartbeat
    /// A job that is due for longer than this makes the process unready.
    public let stuckAfter: Duration
    public let logger: Logger
    public let onBound: @Sendable (Int) -> Void

    public init(
        host: String, port: Int, database: PostgresClient, registry: PrometheusCollectorRegistry, heartbeat: SchedulerHeartbeat,
        stuckAfter: Duration, logger: Logger, onBound: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.registry = registry
        self.heartbeat = heartbeat
        self.stuckAfter = stuckAfter
        self.logger = logger
        self.onBound = onBound
    }

    public func run() async throws {
        let router = Router()
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            let problems = await readinessProblems()
            let body = problems.isEmpty ? "ready\n" : problems.joined(separator: "\n") + "\n"
            return Response(status: problems.isEmpty ? .ok : .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("metrics") { _, _ -> Response in
            await refreshDatabaseGauges()
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "inspector-sync"),
            onServerRunning: { channel in
                onBound(channel.localAddress?.port ?? port)
            },
            logger: logger
        )
        // run(), not runService(): the daemon's ServiceGroup owns the signals and the shutdown order.
        try await app.run()
    }

    func readinessProblems() async -> [String] {
        var problems: [String] = []
        if heartbeat.age > .seconds(60) {
            problems.append("scheduler loop has not run for \(heartbeat.age.components.seconds) s")
        }
        do {
            let stuck = try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    try await database.query(
                        """
                        SELECT count(*)::int FROM inspector.sync_state
                        WHERE next_run_at < now() - make_interval(secs => \(Double(stuckAfter.components.seconds)))
                        """,
                        logger: logger
                    ).collect().first?.decode(Int.self) ?? 0
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(3))
                    throw StoreError(.databaseUnavailable, "no answer within 3 s")
                }
                let first = try await group.next() ?? 0
                group.cancelAll()
                return first
            }
            if stuck > 0 { problems.append("\(stuck) job(s) overdue by more than \(stuckAfter.components.seconds) s") }
        } catch {
            problems.append("database unavailable: \(error is PSQLError ? (error as! PSQLError).redactedSummary : "\(error)")")
        }
        return problems
    }

    func refreshDatabaseGauges() async {
        let usage = try? await database.query("SELECT pg_notification_queue_usage()", logger: logger).collect().first?.decode(Double.self)
        if let usage { Gauge(label: "inspector_sync_notification_queue_usage").record(usage) }
        let pending = try? await database.query(
            "SELECT count(*)::int FROM inspector.sync_state WHERE next_run_at <= now() AND (lease_expires_at IS NULL OR lease_expires_at < now())",
            logger: logger
        ).collect().first?.decode(Int.self)
        if let pending { Gauge(label: "inspector_sync_jobs_due").record(pending) }
    }
}
