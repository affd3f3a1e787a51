import PostgresNIO
import Synchronization

/// A database step that did not finish in time. The job fails with it (recorded, retried after a
/// back-off) instead of waiting for ever.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public var what: String
    public var limit: Duration
    public var description: String { "\(what) did not finish within \(limit.components.seconds) s" }
}

/// Runs `operation` and gives up on it after `limit`.
///
/// Why not a task group: a group waits for its children, and the case this guards against is a
/// child that never returns. PostgreSQL restarted while a page was being COPYed can leave the
/// write waiting on a connection that is gone (seen with postgres-nio 1.33 under a fast restart);
/// the job must fail, give its lease back and retry, not hold the target and the shutdown hostage.
/// The abandoned operation is cancelled and left to end on its own.
public func withDeadline<T: Sendable>(
    _ limit: Duration, _ what: String, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let gate = ResumeOnce<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            gate.set(continuation)
            let work = Task {
                do { gate.resume(.success(try await operation())) } catch { gate.resume(.failure(error)) }
            }
            gate.setWork(work)
            Task {
                try? await Task.sleep(for: limit)
                if gate.resume(.failure(DeadlineExceeded(what: what, limit: limit))) { work.cancel() }
            }
        }
    } onCancel: {
        gate.cancelWork()
    }
}

/// Resumes a continuation once, whichever side comes first.
final class ResumeOnce<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var pending: Result<T, any Error>?
        var done = false
        var work: Task<Void, Never>?
        var cancelled = false
    }
    private let state = Mutex(State())

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { state -> Result<T, any Error>? in
            if let pending = state.pending { state.pending = nil; return pending }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func setWork(_ work: Task<Void, Never>) {
        let cancel = state.withLock { state -> Bool in
            state.work = work
            return state.cancelled
        }
        if cancel { work.cancel() }
    }

    func cancelWork() {
        let work = state.withLock { state -> Task<Void, Never>? in
            state.cancelled = true
            return state.work
        }
        work?.cancel()
    }

    /// True when this call was the one that resumed.
    @discardableResult
    func resume(_ result: Result<T, any Error>) -> Bool {
        let continuation = state.withLock { state -> CheckedContinuation<T, any Error>?? in
            guard !state.done else { return .none }
            state.done = true
            if let continuation = state.continuation { state.continuation = nil; return .some(continuation) }
            state.pending = result
            return .some(nil)
        }
        switch continuation {
        case .none: return false
        case .some(let continuation?): continuation.resume(with: result); return true
        case .some(nil): return true
        }
    }
}

extension PostgresClient {
    /// `withConnection` under a deadline; when it passes, the connection is closed, so the abandoned
    /// transaction is rolled back by the server instead of committing later, behind the retry.
    public func withConnection<T: Sendable>(
        deadline: Duration, _ what: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let used = Mutex<PostgresConnection?>(nil)
        do {
            return try await withDeadline(deadline, what) {
                try await self.withConnection { connection in
                    used.withLock { $0 = connection }
                    return try await body(connection)
                }
            }
        } catch let error as DeadlineExceeded {
            if let connection = used.withLock({ $0 }) { connection.close().whenComplete { _ in } }
            throw error
        }
    }
}

extension SyncStateStore {
    /// How long one page's database work may take before the job gives up on it: twice the lease
    /// (a page write that slow has lost its lease anyway), and never under 10 s.
    public var pageWriteDeadline: Duration { max(leaseDuration * 2, .seconds(10)) }
}
