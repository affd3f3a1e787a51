import AWSSigning
import Foundation
import Hummingbird
import NIOCore

/// A local STS: AssumeRole must carry a valid SigV4 signature (checked with `SigV4Verifier`)
/// from a known or previously issued key; AssumeRoleWithWebIdentity must be unsigned.
final class STSStandIn: @unchecked Sendable {
    struct Call: Sendable {
        let action: String
        let fields: [String: String]
        let signedBy: String?
        let region: String?
    }

    private let lock = NSLock()
    private var keys: [String: AWSCredentials]
    private var issued = 0
    let calls = Recorder<Call>()
    let webIdentityToken: String
    let expiration: String

    init(knownKeys: [AWSCredentials], webIdentityToken: String = "the-oidc-token", expiration: String = "2099-01-01T00:00:00Z") {
        keys = Dictionary(uniqueKeysWithValues: knownKeys.map { ($0.accessKeyId, $0) })
        self.webIdentityToken = webIdentityToken
        self.expiration = expiration
    }

    private func lookup(_ id: String) -> AWSCredentials? { lock.withLock { keys[id] } }

    private func issue() -> AWSCredentials {
        lock.withLock {
            issued += 1
            let credentials = AWSCredentials(accessKeyId: "ASIAISSUED\(issued)", secretAccessKey: "issued-secret-\(issued)", sessionToken: "issued-token-\(issued)")
            keys[credentials.accessKeyId] = credentials
            return credentials
        }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/") { request, _ -> Response in
            let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
            let fields = formFields(body)
            guard fields["Version"] == "2011-06-15" else { return self.error(400, "InvalidAction", "bad version") }
            switch fields["Action"] {
            case "AssumeRole":
                let verifier = SigV4Verifier(expectedService: "sts") { self.lookup($0) }
                let verified: SigV4Verifier.VerifiedRequest
                do {
                    verified = try verifier.verify(request.incoming(body: body), now: Date())
                } catch let error as SigV4VerificationError {
                    return self.error(403, error.awsErrorCode, error.message)
                } catch {
                    return self.error(500, "InternalFailure", "verifier failed")
                }
                self.calls.append(Call(action: "AssumeRole", fields: fields, signedBy: verified.accessKeyId, region: verified.region))
                if fields["RoleArn"]?.contains("denied") == true {
                    return self.error(403, "AccessDenied", "User: x is not authorized to perform: sts:AssumeRole on resource: \(fields["RoleArn"]!)")
                }
                return self.credentials(action: "AssumeRole", self.issue())
            case "AssumeRoleWithWebIdentity":
                self.calls.append(Call(action: "AssumeRoleWithWebIdentity", fields: fields, signedBy: nil, region: nil))
                guard request.header("Authorization") == nil else { return self.error(400, "InvalidRequest", "must be unsigned") }
                guard fields["WebIdentityToken"] == self.webIdentityToken else { return self.error(400, "InvalidIdentityToken", "bad token") }
                return self.credentials(action: "AssumeRoleWithWebIdentity", self.issue())
            default:
                return self.error(400, "InvalidAction", "unknown action")
            }
        }
        return router
    }

    private func credentials(action: String, _ credentials: AWSCredentials) -> Response {
        xmlResponse(stsCredentialsXML(action: action, accessKeyId: credentials.accessKeyId, secret: credentials.secretAccessKey, token: credentials.sessionToken!, expiration: expiration))
    }

    private func error(_ status: Int, _ code: String, _ message: String) -> Response {
        let escaped = message.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        return xmlResponse("""
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(escaped)</Message></Error><RequestId>r</RequestId></ErrorResponse>
        """, status: .init(code: status))
    }
}
