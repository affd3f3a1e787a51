/// Percent-encoding, path normalization and query parsing as SigV4 defines them (RFC 3986, with
/// only the unreserved characters `A-Z a-z 0-9 - _ . ~` left as they are).
public enum SigV4Encoding {
    /// Percent-encodes the UTF-8 bytes of `string`; `/` is kept when `keepSlash` is set (paths).
    public static func encode(_ string: String, keepSlash: Bool = false) -> String {
        encode(bytes: Array(string.utf8), keepSlash: keepSlash)
    }

    static func encode(bytes: [UInt8], keepSlash: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigitsUpper[Int(byte >> 4)])
                out.append(hexDigitsUpper[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` escapes; a `%` not followed by two hex digits stays literal. `+` stays `+`
    /// (AWS SDKs encode a space as `%20`, never `+`).
    static func percentDecode<S: StringProtocol>(_ string: S) -> [UInt8] {
        let bytes = Array(string.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    /// The query string in the form the SDKs send it: each name and value encoded, in the given order.
    public static func encodeQuery(_ items: [SignableRequest.QueryItem]) -> String {
        items.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
    }

    /// Splits a raw (wire) query string into decoded name/value pairs. Empty segments are dropped;
    /// a segment without `=` is a name with an empty value.
    public static func parseQuery(_ rawQuery: String) -> [SignableRequest.QueryItem] {
        rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(decoding: percentDecode(parts[0]), as: UTF8.self)
            let value = parts.count > 1 ? String(decoding: percentDecode(parts[1]), as: UTF8.self) : ""
            return SignableRequest.QueryItem(name: name, value: value)
        }
    }

    /// RFC 3986 5.2.4 dot-segment removal plus the collapse of repeated slashes that AWS services
    /// (all but S3) apply before signing; matches botocore's `normalize_url_path`.
    public static func normalizePath(_ path: String) -> String {
        if path.isEmpty { return "/" }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !output.isEmpty { output.removeLast() }
            default: output.append(segment)
            }
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return first + output.joined(separator: "/") + last
    }

    /// The canonical URI of a standard (non-S3) service: the wire path normalized, then encoded
    /// again, so an escape such as `%3A` on the wire becomes `%253A` (botocore, aws-c-auth).
    public static func canonicalURI(wirePath: String) -> String {
        let normalized = normalizePath(wirePath)
        let encoded = encode(normalized, keepSlash: true)
        return encoded.isEmpty ? "/" : encoded
    }

    /// The canonical query string: names and values encoded, pairs sorted by name then value.
    public static func canonicalQuery(_ items: [SignableRequest.QueryItem]) -> String {
        let encoded = items.map { (Array(encode($0.name).utf8), Array(encode($0.value).utf8)) }
        let sorted = encoded.sorted { lhs, rhs in
            if lhs.0 != rhs.0 { return lhs.0.lexicographicallyPrecedes(rhs.0) }
            return lhs.1.lexicographicallyPrecedes(rhs.1)
        }
        return sorted.map { String(decoding: $0.0, as: UTF8.self) + "=" + String(decoding: $0.1, as: UTF8.self) }
            .joined(separator: "&")
    }

    /// Trims a header value and collapses each run of whitespace to one space.
    public static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" })
            .joined(separator: " ")
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static let hexDigitsUpper: [UInt8] = Array("0123456789ABCDEF".utf8)
    static let hexDigitsLower: [UInt8] = Array("0123456789abcdef".utf8)

    static func hex<C: Sequence>(_ bytes: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        for byte in bytes {
            out.append(hexDigitsLower[Int(byte >> 4)])
            out.append(hexDigitsLower[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
