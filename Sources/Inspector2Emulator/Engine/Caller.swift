import AWSSigning
import Foundation

/// Who is calling, from the SigV4 credential scope: the access key picks the account, the scope the
/// region and service.
struct Caller: Sendable {
    var accessKey: String
    var accountId: String
    var region: String
    var service: String
}

/// The parsed `Credential=AKID/yyyymmdd/region/service/aws4_request` of an Authorization header.
struct CredentialScope: Sendable, Equatable {
    var accessKey: String
    var date: String
    var region: String
    var service: String
    var signedHeaders: [String]
    var signature: String

    var scope: String { "\(date)/\(region)/\(service)/aws4_request" }

    static func parse(_ authorization: String) throws -> CredentialScope {
        let invalid = AWSError(.badRequest, "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.")
        guard authorization.hasPrefix("AWS4-HMAC-SHA256 ") else {
            throw AWSError(.badRequest, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        var values: [String: String] = [:]
        for part in authorization.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
            let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2 { values[String(kv[0])] = String(kv[1]) }
        }
        guard let credential = values["Credential"] else { throw invalid }
        let c = credential.split(separator: "/").map(String.init)
        guard c.count == 5, c[4] == "aws4_request" else {
            throw AWSError(.badRequest, "Credential should be scoped to a valid region.")
        }
        return CredentialScope(accessKey: c[0], date: c[1], region: c[2], service: c[3],
                               signedHeaders: (values["SignedHeaders"] ?? "").split(separator: ";").map(String.init),
                               signature: values["Signature"] ?? "")
    }
}

extension EmulatorState {
    mutating func authenticate(_ request: EmulatorRequest) throws -> Caller {
        guard let authorization = request.header("authorization") else {
            if configuration.requireSigV4 {
                throw AWSError(.missingAuthenticationToken, "Missing Authentication Token")
            }
            // Unsigned requests act as the administrator in the first region (handy for curl).
            return Caller(accessKey: configuration.accessKey, accountId: adminAccountId,
                          region: configuration.regions.first ?? "us-east-1", service: request.path == "/" ? "sts" : "inspector2")
        }
        let scope = try CredentialScope.parse(authorization)
        let account: String
        let secret: String
        var sessionToken: String?
        if scope.accessKey == configuration.accessKey {
            account = adminAccountId
            secret = configuration.secretKey
        } else if let key = keys[scope.accessKey] {
            guard key.expiresAt > clock.now else {
                throw AWSError(.init("ExpiredTokenException", status: 403), "The security token included in the request is expired")
            }
            if let token = request.header("x-amz-security-token"), token != key.sessionToken {
                throw AWSError(.unrecognizedClient, "The security token included in the request is invalid.")
            }
            account = key.accountId
            secret = key.secret
            sessionToken = key.sessionToken
        } else {
            throw AWSError(.unrecognizedClient, "The security token included in the request is invalid.")
        }
        if configuration.requireSigV4 {
            // Clients sign with the host's clock, so skew is checked against real time, not simulated time.
            let accessKey = scope.accessKey
            let token = sessionToken
            let verifier = SigV4Verifier(lookup: { $0 == accessKey ? AWSCredentials(accessKeyId: accessKey, secretAccessKey: secret, sessionToken: token) : nil })
            let incoming = SigV4Verifier.IncomingRequest(
                method: request.method, path: request.path, rawQuery: request.rawQuery,
                headers: request.headers.map { (name: $0.0, value: $0.1) }, payload: .bytes(request.body))
            do {
                _ = try verifier.verify(incoming, now: Date())
            } catch {
                throw AWSError(.init(error.awsErrorCode, status: error.httpStatus), error.message)
            }
        }
        return Caller(accessKey: scope.accessKey, accountId: account, region: scope.region, service: scope.service)
    }
}

