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
            // One member of an unexpected type must not lose the resource: a skipped resource is
            // missing from the snapshot, and the snapshot's end would mark it removed.
            guard let lenient = lenientFields(raw) else {
                throw FindingNormalizer.Failure(index: index, reason: "covered resource is not a JSON object (\(DecodingErrorSummary.text(error)))")
            }
            fields = lenient
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

    /// The members, each taken only when it has the expected type.
    static func lenientFields(_ raw: Data) -> Fields? {
        guard let object = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any] else { return nil }
        let status = object["scanStatus"] as? [String: Any]
        return Fields(
            resourceId: object["resourceId"] as? String, accountId: object["accountId"] as? String,
            resourceType: object["resourceType"] as? String, scanType: object["scanType"] as? String,
            scanStatus: status.map { Fields.ScanStatus(statusCode: $0["statusCode"] as? String, reason: $0["reason"] as? String) },
            scanMode: object["scanMode"] as? String,
            lastScannedAt: (object["lastScannedAt"] as? NSNumber).map { LenientDouble(value: $0.doubleValue.isFinite ? $0.doubleValue : nil) }
        )
    }
}
