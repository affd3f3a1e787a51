import Foundation
import InspectorSyncConfig
import Logging
import ServiceLifecycle
import SyncEngine
import UnixSignals

/// SIGHUP: loads the configuration again and applies what can change in place (webhook endpoints,
/// `[sync]` settings, `[log] level`); keys that need a restart are named in the log and keep their
/// running value. A configuration that does not load is logged, problem by problem, and the running
/// one stays. Work in flight is never interrupted: the scheduler and the delivery loop pick the new
/// values up at their next round.
public struct ConfigurationReloader: Service {
    public enum Outcome: Sendable, Equatable {
        case unchanged
        /// Applied these keys; these others need a restart and were not applied.
        case applied(live: [String], restartRequired: [String])
        /// The new configuration did not load, or could not be put in place; the running one stays.
        case failed(String)
    }

    public let live: LiveConfiguration
    public let load: @Sendable () throws -> InspectorSyncConfiguration
    /// Runs before the new configuration is published (the endpoints go into the database first,
    /// so events recorded after the reload get their deliveries). A throw keeps the old configuration.
    public let prepare: @Sendable (_ old: InspectorSyncConfiguration, _ new: InspectorSyncConfiguration) async throws -> Void
    public var notifier = SystemdNotifier()
    public let logger: Logger

    public init(
        live: LiveConfiguration, logger: Logger,
        load: @escaping @Sendable () throws -> InspectorSyncConfiguration,
        prepare: @escaping @Sendable (InspectorSyncConfiguration, InspectorSyncConfiguration) async throws -> Void = { _, _ in }
    ) {
        self.live = live
        self.load = load
        self.prepare = prepare
        self.logger = logger
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            notifier.reloading()
            _ = await reload()
            notifier.ready()
        }
    }

    /// One reload; also what the tests call.
    public func reload() async -> Outcome {
        let new: InspectorSyncConfiguration
        do {
            new = try load()
        } catch let error as ConfigurationError {
            for problem in error.problems {
                logger.error("reload: \(problem.description)")
            }
            logger.error("reload failed; the running configuration stays", metadata: ["problems": "\(error.problems.count)"])
            return .failed(error.rendered())
        } catch {
            logger.error("reload failed; the running configuration stays", metadata: ["error": "\(error)"])
            return .failed("\(error)")
        }
        let old = live.current
        let changes = old.changes(to: new)
        guard !changes.live.isEmpty else {
            if changes.restartRequired.isEmpty {
                logger.notice("reload: configuration unchanged")
                return .unchanged
            }
            logger.warning("reload: only keys that need a restart changed; nothing applied", metadata: [
                "restart_required": "\(changes.restartRequired.joined(separator: ","))",
            ])
            return .applied(live: [], restartRequired: changes.restartRequired)
        }
        // Keys that need a restart keep their running value; only the live ones move.
        let applied = old.applyingLiveSettings(of: new)
        do {
            try await prepare(old, applied)
        } catch {
            logger.error("reload failed; the running configuration stays", metadata: ["error": "\(SyncErrorDescription.text(error))"])
            return .failed("\(error)")
        }
        live.replace(with: applied)
        LogFormat.level = Logger.Level(rawValue: applied.log.level.rawValue) ?? .info
        var metadata: Logger.Metadata = ["applied": "\(changes.live.joined(separator: ","))"]
        if !changes.restartRequired.isEmpty {
            metadata["restart_required"] = "\(changes.restartRequired.joined(separator: ","))"
        }
        logger.notice("configuration reloaded", metadata: metadata)
        return .applied(live: changes.live, restartRequired: changes.restartRequired)
    }
}

extension InspectorSyncConfiguration {
    /// This configuration with the keys a reload applies in place taken from `new`.
    func applyingLiveSettings(of new: InspectorSyncConfiguration) -> InspectorSyncConfiguration {
        var result = self
        var sync = new.sync
        sync.leaseDuration = self.sync.leaseDuration
        result.sync = sync
        result.webhooks = new.webhooks
        result.log.level = new.log.level
        return result
    }
}
