import Foundation
import NIOHTTP1

/// Turns a non-2xx restJson1 answer into an `Inspector2Error`. Pure.
///
/// The code comes from `x-amzn-ErrorType` (text before `:`), else `__type`, `code` or `Code` in
/// the body; a namespace prefix before `#` is dropped either way, as the Smithy restJson1 spec
/// says. Without any code, the HTTP status stands alone (`serviceCode` nil).
public enum ErrorResponseParser {
    public static func parse(
        status: Int,
        headers: HTTPHeaders,
        body: [UInt8],
        operation: String? = nil
    ) -> Inspector2Error {
        let object = (try? JSONSerialization.jsonObject(with: Data(body), options: [])) as? [String: Any]
        var code: String?
        if let header = headers.first(name: "x-amzn-ErrorType") {
            code = sanitize(String(header.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""))
        }
        if code == nil, let object {
            for key in ["__type", "code", "Code"] {
                if let value = object[key] as? String, let clean = sanitize(value) {
                    code = clean
                    break
                }
            }
        }
        var message: String?
        if let object {
            for key in ["message", "Message", "errorMessage"] {
                if let value = object[key] as? String {
                    message = value
                    break
                }
            }
        }
        // Some front ends (and moto) answer errors in the query protocol's XML; take its Code/Message.
        if object == nil, code == nil || message == nil, let text = String(bytes: body.prefix(64 * 1024), encoding: .utf8) {
            if code == nil, let xmlCode = xmlElement("Code", in: text) { code = sanitize(xmlCode) }
            if message == nil { message = xmlElement("Message", in: text) }
        }
        let reason = object?["reason"] as? String
        var fields: [Inspector2Error.Field] = []
        if let list = object?["fields"] as? [[String: Any]] {
            fields = list.map { Inspector2Error.Field(name: $0["name"] as? String ?? "", message: $0["message"] as? String ?? "") }
        }
        return Inspector2Error(
            code: .service,
            serviceCode: code.map(ServiceErrorCode.init(rawValue:)),
            message: message,
            operation: operation,
            httpStatus: status,
            requestId: requestId(in: headers),
            retryAfter: retryAfter(in: headers),
            validationReason: reason,
            fields: fields
        )
    }

    /// `x-amzn-RequestId`, or the S3-style `x-amz-request-id` some front ends send.
    public static func requestId(in headers: HTTPHeaders) -> String? {
        headers.first(name: "x-amzn-RequestId") ?? headers.first(name: "x-amz-request-id")
    }

    /// `Retry-After` as delay-seconds or an HTTP date (relative to the response's own `Date`, so
    /// host clock skew does not matter), else botocore's `x-amz-retry-after` in milliseconds.
    public static func retryAfter(in headers: HTTPHeaders) -> Duration? {
        if let value = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces) {
            if let seconds = Double(value), seconds.isFinite, seconds >= 0 {
                return .milliseconds(Int64((seconds * 1000).rounded()))
            }
            if let at = HTTPDate.parse(value) {
                let now = headers.first(name: "Date").flatMap(HTTPDate.parse) ?? Date()
                return .milliseconds(Int64(max(0, at.timeIntervalSince(now)) * 1000))
            }
        }
        if let value = headers.first(name: "x-amz-retry-after"), let ms = Int64(value.trimmingCharacters(in: .whitespaces)), ms >= 0 {
            return .milliseconds(ms)
        }
        return nil
    }

    /// The text of the first `<name>…</name>` element, if any. Enough for AWS error documents.
    static func xmlElement(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)>"),
              let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex)
        else { return nil }
        let value = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    static func sanitize(_ raw: String) -> String? {
        var value = raw.trimmingCharacters(in: .whitespaces)
        if let hash = value.lastIndex(of: "#") { value = String(value[value.index(after: hash)...]) }
        if let colon = value.firstIndex(of: ":") { value = String(value[..<colon]) }
        return value.isEmpty ? nil : value
    }
}
