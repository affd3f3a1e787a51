import Synchronization

/// Set when deliveries may have become due (a NOTIFY from the change feed). The dispatcher's idle
/// wait checks it every few milliseconds, so a new event goes out without waiting a whole poll
/// interval; the poll stays for retries scheduled later and for a lost LISTEN connection.
public final class WakeSignal: Sendable {
    private let flag = Mutex(false)

    public init() {}

    public func signal() {
        flag.withLock { $0 = true }
    }

    /// Whether it was signalled since the last call; clears it.
    public func take() -> Bool {
        flag.withLock { flag in
            defer { flag = false }
            return flag
        }
    }
}
