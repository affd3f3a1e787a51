import Crypto
import Foundation

/// Checks an AWS Signature Version 4 header signature (the service side of what every SDK does).
/// Kept local so the emulator stands alone; it follows the published algorithm for non-S3 services
/// (the path as received is URI-encoded once more).
enum SigV4Verifier {
    static func verify(_ request: EmulatorRequest, scope: CredentialScope, secret: String) throws {
        guard let amzDate = request.header("x-amz-date") else {
            throw AWSError(.init("IncompleteSignatureException", status: 403), "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        let expected = signature(request, scope: scope, secret: secret, amzDate: amzDate)
        guard expected == scope.signature else {
            throw AWSError(.invalidSignature, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
        }
    }

    static func signature(_ request: EmulatorRequest, scope: CredentialScope, secret: String, amzDate: String) -> String {
        let encodedQuery: [(String, String)] = request.query.map { (encode($0.0), encode($0.1)) }
        let sortedQuery = encodedQuery.sorted { (a: (String, String), b: (String, String)) -> Bool in a.0 == b.0 ? a.1 < b.1 : a.0 < b.0 }
        let canonicalQuery = sortedQuery.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        var headers = ""
        for name in scope.signedHeaders {
            let raw: [String] = request.headers.filter { $0.0 == name }.map(\.1)
            let values: [String] = raw.map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ").joined(separator: " ") }
            headers += "\(name):\(values.joined(separator: ","))\n"
        }
        let payloadHash = request.header("x-amz-content-sha256") ?? hex(SHA256.hash(data: request.body))
        let path = request.path.isEmpty ? "/" : request.path
        let canonicalPath = path.split(separator: "/", omittingEmptySubsequences: false).map { encode(String($0)) }.joined(separator: "/")
        let canonical = [request.method, canonicalPath, canonicalQuery, headers, scope.signedHeaders.joined(separator: ";"), payloadHash].joined(separator: "\n")
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope.scope, hex(SHA256.hash(data: Array(canonical.utf8)))].joined(separator: "\n")
        var key = SymmetricKey(data: Array("AWS4\(secret)".utf8))
        for part in [scope.date, scope.region, scope.service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)

    static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            if unreserved.contains(b) { out.unicodeScalars.append(Unicode.Scalar(b)) } else { out += String(format: "%%%02X", b) }
        }
        return out
    }
}
