import FindingStore
import Foundation

/// Turns one finding, as raw JSON from ListFindings, into a `FindingRecord`.
///
/// It reads only the members the store needs and is lenient about everything else: real AWS adds
/// members and enum values, and occasionally leaves out members the model calls required. Only a
/// finding without an ARN or account cannot be stored; that is an error naming the element.
public enum FindingNormalizer {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var index: Int
        public var reason: String
        public var description: String { "finding #\(index) of the page cannot be stored: \(reason)" }
    }

    /// The members read, all optional so that one odd member never loses the finding.
    struct Fields: Decodable {
        var findingArn: String?
        var awsAccountId: String?
        var type: String?
        var status: String?
        var severity: String?
        var title: String?
        var inspectorScore: LenientDouble?
        var fixAvailable: String?
        var exploitAvailable: String?
        var firstObservedAt: LenientDouble?
        var lastObservedAt: LenientDouble?
        var updatedAt: LenientDouble?
        var epss: Epss?
        var resources: [ResourceFields]?

        struct Epss: Decodable { var score: LenientDouble? }
        struct ResourceFields: Decodable {
            var id: String?
            var type: String?
        }
    }

    public static func record(raw: Data, index: Int, region: String) throws(Failure) -> FindingRecord {
        let fields: Fields
        do {
            fields = try JSONDecoder().decode(Fields.self, from: raw)
        } catch {
            throw Failure(index: index, reason: "not a JSON object with the expected member types (\(DecodingErrorSummary.text(error)))")
        }
        guard let arn = fields.findingArn, !arn.isEmpty else {
            throw Failure(index: index, reason: "findingArn is missing")
        }
        guard let account = fields.awsAccountId ?? accountFromArn(arn) else {
            throw Failure(index: index, reason: "awsAccountId is missing for \(arn)")
        }
        let resource = fields.resources?.first
        return FindingRecord(
            arn: arn, accountId: account, region: region,
            type: fields.type ?? "UNKNOWN", status: fields.status ?? "UNKNOWN", severity: fields.severity ?? "UNKNOWN",
            title: fields.title, inspectorScore: fields.inspectorScore?.value, epssScore: fields.epss?.score?.value,
            fixAvailable: fields.fixAvailable, exploitAvailable: fields.exploitAvailable,
            firstObservedAt: fields.firstObservedAt?.date, lastObservedAt: fields.lastObservedAt?.date,
            updatedAt: fields.updatedAt?.date, resourceId: resource?.id, resourceType: resource?.type,
            raw: Array(raw)
        )
    }

    /// `arn:aws:inspector2:REGION:ACCOUNT:finding/ID`
    static func accountFromArn(_ arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[4].count == 12, parts[4].allSatisfy(\.isNumber) else { return nil }
        return String(parts[4])
    }
}

/// A number that may arrive as a JSON number or, from a sloppy producer, as a numeric string;
/// anything else decodes as nil instead of failing the finding.
struct LenientDouble: Decodable {
    var value: Double?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number.isFinite ? number : nil
        } else if let text = try? container.decode(String.self) {
            value = Double(text)
        } else {
            value = nil
        }
    }

    /// Epoch seconds, within the range PostgreSQL stores.
    var date: Date? {
        guard let value, value > -62_135_596_800, value < 253_402_300_799 else { return nil }
        return Date(timeIntervalSince1970: value)
    }
}

enum DecodingErrorSummary {
    static func text(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "invalid JSON" }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "invalid JSON"
        }
    }
}
