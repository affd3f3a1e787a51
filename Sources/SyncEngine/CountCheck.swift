import FindingStore
import Foundation
import Inspector2Client
import Inspector2Model
import Logging
import PostgresNIO

/// Compares the stored open findings of a target, per severity, with the service's own counts
/// (ListFindingAggregations, ACCOUNT). A difference means a change was missed (or the service is
/// still settling); either way a sweep sets it right.
struct CountCheck {
    enum Result: Equatable { case match, differ, unavailable }

    let client: Inspector2Client
    let database: PostgresClient
    let logger: Logger

    struct Counts: Equatable {
        var all: Int64
        var critical: Int64
        var high: Int64
        var medium: Int64
    }

    /// The service's open-finding counts of the target's account (in the client's region).
    func serviceCounts(target: SyncTarget) async throws -> Counts {
        let response = try await client.listFindingAggregations(ListFindingAggregationsRequest(
            aggregationType: .account,
            accountIds: [StringFilter(comparison: .equals, value: target.accountId)],
            aggregationRequest: .accountAggregation(AccountAggregation())
        ))
        var service = Counts(all: 0, critical: 0, high: 0, medium: 0)
        for case .accountAggregation(let account) in response.responses ?? [] where account.accountId == target.accountId {
            service = Counts(
                all: account.severityCounts?.all ?? 0, critical: account.severityCounts?.critical ?? 0,
                high: account.severityCounts?.high ?? 0, medium: account.severityCounts?.medium ?? 0
            )
        }
        return service
    }

    func compare(target: SyncTarget) async -> Result {
        do {
            let service = try await serviceCounts(target: target)
            let row = try await database.query(
                """
                SELECT count(*), count(*) FILTER (WHERE severity = 'CRITICAL'), count(*) FILTER (WHERE severity = 'HIGH'),
                       count(*) FILTER (WHERE severity = 'MEDIUM')
                FROM inspector.findings
                WHERE account_id = \(target.accountId) AND region = \(target.region) AND status = 'ACTIVE' AND removed_at IS NULL
                """,
                logger: logger
            ).collect()[0].decode((Int64, Int64, Int64, Int64).self)
            let stored = Counts(all: row.0, critical: row.1, high: row.2, medium: row.3)
            if stored == service { return .match }
            logger.notice("open-finding counts differ from the service; the next cycle sweeps", metadata: [
                "sync.stored": "\(stored)", "sync.service": "\(service)",
            ])
            return .differ
        } catch {
            // The window is stored already; a failed check only postpones the comparison.
            logger.warning("could not compare counts with ListFindingAggregations", metadata: ["error": "\(SyncErrorDescription.text(error))"])
            return .unavailable
        }
    }
}
