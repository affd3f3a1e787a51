/// The parts of an `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header.
public struct AuthorizationHeader: Sendable, Hashable {
    public var accessKeyId: String
    public var scopeDate: String
    public var region: String
    public var service: String
    public var terminator: String
    public var signedHeaders: [String]
    public var signature: String

    public static let algorithm = "AWS4-HMAC-SHA256"

    /// Parses the header value, or throws `incompleteSignature` with AWS's wording.
    public static func parse(_ value: String) throws(SigV4VerificationError) -> AuthorizationHeader {
        let trimmed = value.drop(while: { $0 == " " })
        guard let space = trimmed.firstIndex(of: " ") else {
            throw incomplete("Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.")
        }
        let algorithm = trimmed[..<space]
        guard algorithm == Self.algorithm else {
            throw incomplete("Unsupported AWS 'algorithm': '\(algorithm.prefix(40))'.")
        }
        var fields: [String: String] = [:]
        for part in trimmed[trimmed.index(after: space)...].split(separator: ",") {
            let pair = part.trimmingSpaces().split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            fields[String(pair[0].trimmingSpaces())] = String(pair[1].trimmingSpaces())
        }
        var missing: [String] = []
        for name in ["Credential", "Signature", "SignedHeaders"] where (fields[name] ?? "").isEmpty {
            missing.append("Authorization header requires '\(name)' parameter.")
        }
        if !missing.isEmpty { throw incomplete(missing.joined(separator: " ")) }
        let credential = fields["Credential"]!.split(separator: "/", omittingEmptySubsequences: false)
        guard credential.count == 5, !credential[0].isEmpty else {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.")
        }
        return AuthorizationHeader(
            accessKeyId: String(credential[0]),
            scopeDate: String(credential[1]),
            region: String(credential[2]),
            service: String(credential[3]),
            terminator: String(credential[4]),
            signedHeaders: fields["SignedHeaders"]!.split(separator: ";").map { String($0) },
            signature: fields["Signature"]!
        )
    }

    private static func incomplete(_ message: String) -> SigV4VerificationError {
        SigV4VerificationError(code: .incompleteSignature, message: message)
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}
