import InspectorSyncConfig
import Synchronization

/// The configuration the daemon's services read while running. A reload (SIGHUP) replaces it; the
/// scheduler reads it at the top of each loop and the delivery service before each round, so work in
/// flight finishes with the settings it started with.
public final class LiveConfiguration: Sendable {
    private let value: Mutex<InspectorSyncConfiguration>
    /// Bumped by every applied reload, so readers can tell cheaply whether anything changed.
    private let generationValue = Atomic<Int>(0)

    public init(_ configuration: InspectorSyncConfiguration) {
        value = Mutex(configuration)
    }

    public var current: InspectorSyncConfiguration { value.withLock { $0 } }
    public var generation: Int { generationValue.load(ordering: .acquiring) }

    public func replace(with configuration: InspectorSyncConfiguration) {
        value.withLock { $0 = configuration }
        generationValue.add(1, ordering: .releasing)
    }
}
