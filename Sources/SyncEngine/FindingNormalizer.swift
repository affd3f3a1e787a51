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
        let raw = JSONNulEscapes.replaced(in: raw)
        let fields: Fields
        do {
            fields = try JSONDecoder().decode(Fields.self, from: raw)
        } catch {
            // One member of an unexpected type must not lose the finding: read what can be read.
            guard let lenient = lenientFields(raw) else {
                throw Failure(index: index, reason: "not a JSON object (\(DecodingErrorSummary.text(error)))")
            }
            fields = lenient
        }
        guard let arn = fields.findingArn, !arn.isEmpty else {
            throw Failure(index: index, reason: "findingArn is missing")
        }
        // An empty account id is as good as none: the ARN names the account.
        guard let account = fields.awsAccountId.flatMap({ $0.isEmpty ? nil : $0 }) ?? accountFromArn(arn) else {
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

    /// The members, each taken only when it has the expected type.
    static func lenientFields(_ raw: Data) -> Fields? {
        guard let object = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any] else { return nil }
        func string(_ key: String, in dictionary: [String: Any] = object) -> String? { dictionary[key] as? String }
        func number(_ key: String, in dictionary: [String: Any] = object) -> LenientDouble? {
            (dictionary[key] as? NSNumber).map { LenientDouble(value: $0.doubleValue.isFinite ? $0.doubleValue : nil) }
        }
        let firstResource = (object["resources"] as? [Any])?.first as? [String: Any]
        return Fields(
            findingArn: string("findingArn"), awsAccountId: string("awsAccountId"), type: string("type"),
            status: string("status"), severity: string("severity"), title: string("title"),
            inspectorScore: number("inspectorScore"), fixAvailable: string("fixAvailable"),
            exploitAvailable: string("exploitAvailable"), firstObservedAt: number("firstObservedAt"),
            lastObservedAt: number("lastObservedAt"), updatedAt: number("updatedAt"),
            epss: (object["epss"] as? [String: Any]).map { Fields.Epss(score: number("score", in: $0)) },
            resources: firstResource.map { [Fields.ResourceFields(id: string("id", in: $0), type: string("type", in: $0))] }
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

    init(value: Double?) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number.isFinite ? number : nil
        } else if let text = try? container.decode(String.self) {
            value = Double(text).flatMap { $0.isFinite ? $0 : nil }
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

/// PostgreSQL's jsonb refuses the escape `\u0000` (it cannot store NUL in text) and unpaired UTF-16
/// surrogate escapes (`\ud800` alone: valid JSON syntax, but no character), so one such string in a
/// finding would fail every retry of its page. Each becomes `\ufffd`, the replacement character.
enum JSONNulEscapes {
    static func replaced(in raw: Data) -> Data {
        guard needsRepair(raw) else { return raw }
        var bytes = [UInt8](raw)
        var index = 0
        while index < bytes.count {
            // Outside strings valid JSON has no backslash, and inside one a backslash always starts
            // an escape: walking escape by escape never misreads `\\u0000` (an escaped backslash).
            guard bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                index += 1
                continue
            }
            guard bytes[index + 1] == UInt8(ascii: "u"), let unit = hexUnit(bytes, at: index + 2) else {
                index += 2
                continue
            }
            if (0xD800..<0xDC00).contains(unit), index + 12 <= bytes.count, bytes[index + 6] == UInt8(ascii: "\\"),
               bytes[index + 7] == UInt8(ascii: "u"), let low = hexUnit(bytes, at: index + 8), (0xDC00..<0xE000).contains(low) {
                index += 12  // a proper pair
                continue
            }
            if unit == 0 || (0xD800..<0xE000).contains(unit) {
                bytes.replaceSubrange(index + 2..<index + 6, with: Array("fffd".utf8))
            }
            index += 6
        }
        return Data(bytes)
    }

    /// Cheap pre-check: a NUL or surrogate escape appears at all (`\u0000`, `\uD…`, `\ud…`).
    private static func needsRepair(_ raw: Data) -> Bool {
        raw.range(of: Data("\\u0000".utf8)) != nil || raw.range(of: Data("\\ud".utf8)) != nil
            || raw.range(of: Data("\\uD".utf8)) != nil
    }

    private static func hexUnit(_ bytes: [UInt8], at start: Int) -> Int? {
        guard start + 4 <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<start + 4] {
            guard let digit = Int(String(UnicodeScalar(byte)), radix: 16) else { return nil }
            value = value * 16 + digit
        }
        return value
    }
}
