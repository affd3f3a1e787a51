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
/// `/metrics` (Prometheus text), and `/`, a read-only status page (StatusPage).
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
        router.get("/") { _, _ -> Response in await statusPage() }
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

    func statusPage() async -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = StatusPage.contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.init("Referrer-Policy")!] = "no-referrer"
        do {
            let html = StatusPage.render(try await StatusPageQuery.load(from: database, logger: logger))
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
        } catch {
            logger.warning("status page unavailable", metadata: ["error": "\(Self.redacted(error))"])
            let html = StatusPage.unavailable("The database did not answer: \(Self.redacted(error))")
            return Response(status: .serviceUnavailable, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
        }
    }

    static func redacted(_ error: any Error) -> String {
        (error as? PSQLError)?.redactedSummary ?? "\(error)"
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
        // Seconds since each job last succeeded: unlike the watermark lag, it also grows while the
        // daemon that should run the job is down (another replica's /metrics shows it).
        if let rows = try? await database.query(
            "SELECT account_id, region, job, extract(epoch FROM now() - last_success_at)::float8 FROM inspector.sync_state WHERE last_success_at IS NOT NULL",
            logger: logger
        ).collect() {
            for row in rows {
                guard let (account, region, job, age) = try? row.decode((String, String, String, Double).self) else { continue }
                Gauge(label: "inspector_sync_last_success_age_seconds", dimensions: [("account", account), ("region", region), ("job", job)]).record(age)
            }
        }
        if let hooks = try? await database.withConnection({ try await StatusPageQuery.webhooks($0, logger: logger) }) {
            let now = Date()
            for hook in hooks {
                for (state, count) in [("pending", hook.pending), ("retrying", hook.retrying), ("dead", hook.dead)] {
                    Gauge(label: "inspector_sync_webhook_backlog", dimensions: [("endpoint", hook.name), ("state", state)]).record(count)
                }
                Gauge(label: "inspector_sync_webhook_oldest_pending_age_seconds", dimensions: [("endpoint", hook.name)])
                    .record(hook.oldestPendingAt.map { max(0, now.timeIntervalSince($0)) } ?? 0)
            }
        }
    }
}
