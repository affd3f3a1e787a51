import FindingStore
import Foundation

/// Turns one covered resource, as raw JSON from ListCoverage, into a `CoverageRecord`, leniently.
public enum CoverageNormalizer {
    struct Fields: Decodable {
        var resourceId: String?
        var accountId: String?
        var resourceType: String?
        var scanType: String?
        var scanStatus: ScanStatus?
        var scanMode: String?
        var lastScannedAt: LenientDouble?

        struct ScanStatus: Decodable {
            var statusCode: String?
            var reason: String?
        }
    }

    public static func record(raw: Data, index: Int, target: SyncTarget) throws(FindingNormalizer.Failure) -> CoverageRecord {
        let raw = JSONNulEscapes.replaced(in: raw)
        let fields: Fields
        do {
            fields = try JSONDecoder().decode(Fields.self, from: raw)
        } catch {
            throw FindingNormalizer.Failure(index: index, reason: "covered resource is not a JSON object with the expected member types (\(DecodingErrorSummary.text(error)))")
        }
        guard let resourceId = fields.resourceId, !resourceId.isEmpty else {
            throw FindingNormalizer.Failure(index: index, reason: "covered resource without resourceId")
        }
        return CoverageRecord(
            accountId: fields.accountId ?? target.accountId, region: target.region, resourceId: resourceId,
            scanType: fields.scanType ?? "UNKNOWN", resourceType: fields.resourceType ?? "UNKNOWN",
            scanStatusCode: fields.scanStatus?.statusCode, scanStatusReason: fields.scanStatus?.reason,
            scanMode: fields.scanMode, lastScannedAt: fields.lastScannedAt?.date, raw: Array(raw)
        )
    }
}
