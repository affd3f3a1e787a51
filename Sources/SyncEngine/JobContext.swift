import FindingStore
import Inspector2Client
import Logging

/// What every job of one target runs with: where its state lives, the target's client, the
/// settings, its logger, and the question asked between pages (stop for shutdown?).
public struct JobContext: Sendable {
    public let store: SyncStateStore
    public let client: Inspector2Client
    public let options: SyncOptions
    public let logger: Logger
    public let stopRequested: @Sendable () -> Bool
    /// Told after every stored page of a backfill or sweep (a terminal progress line listens).
    public var onProgress: (@Sendable (ReadProgress) -> Void)?

    public init(
        store: SyncStateStore, client: Inspector2Client, options: SyncOptions, logger: Logger,
        stopRequested: @escaping @Sendable () -> Bool = { false }, onProgress: (@Sendable (ReadProgress) -> Void)? = nil
    ) {
        self.onProgress = onProgress
        self.store = store
        self.client = client
        self.options = options
        self.logger = logger
        self.stopRequested = stopRequested
    }
}
