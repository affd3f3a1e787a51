import Foundation

/// STS `AssumeRole` (Query protocol, XML response): issues temporary keys that act as the role's account.
extension EmulatorState {
    static func formDecode(_ s: String) -> [(String, String)] {
        s.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ") }
            return ((kv.first ?? "").removingPercentEncoding ?? "", (kv.count > 1 ? kv[1] : "").removingPercentEncoding ?? "")
        }
    }

    static func stsError(_ code: String, _ message: String, status: Int, requestId: String) -> EmulatorResponse {
        let xml = """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(xmlEscape(message))</Message></Error><RequestId>\(requestId)</RequestId></ErrorResponse>
        """
        return EmulatorResponse(status: status, headers: [("Content-Type", "text/xml")], body: Array(xml.utf8))
    }

    static func xmlEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    mutating func sts(_ request: EmulatorRequest, caller: Caller, requestId: String) -> EmulatorResponse {
        var params = request.query
        if request.method == "POST" { params += Self.formDecode(String(decoding: request.body, as: UTF8.self)) }
        func param(_ name: String) -> String? { params.first { $0.0 == name }?.1 }
        let action = param("Action") ?? ""
        let now = clock.now
        switch action {
        case "GetCallerIdentity":
            let xml = """
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::\(caller.accountId):user/emulator</Arn><UserId>\(caller.accessKey)</UserId><Account>\(caller.accountId)</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>\(requestId)</RequestId></ResponseMetadata></GetCallerIdentityResponse>
            """
            return EmulatorResponse(status: 200, headers: [("Content-Type", "text/xml")], body: Array(xml.utf8))
        case "AssumeRole":
            guard let roleArn = param("RoleArn"), let session = param("RoleSessionName") else {
                return Self.stsError("ValidationError", "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null", status: 400, requestId: requestId)
            }
            let parts = roleArn.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 6, parts[0] == "arn", parts[2] == "iam", parts[5].hasPrefix("role/") else {
                return Self.stsError("ValidationError", "\(roleArn) is invalid", status: 400, requestId: requestId)
            }
            let account = String(parts[4])
            // The administrator may assume roles in its organization; a member only in its own account.
            guard allAccountIds.contains(account), caller.accountId == adminAccountId || caller.accountId == account else {
                return Self.stsError("AccessDenied", "User: arn:aws:iam::\(caller.accountId):user/emulator is not authorized to perform: sts:AssumeRole on resource: \(roleArn)", status: 403, requestId: requestId)
            }
            let duration = Double(param("DurationSeconds").flatMap(Int.init) ?? 3600)
            var rng = SplitMix64(seed: configuration.seed, stream: "sts/\(nextSerial())")
            let accessKey = "ASIA" + rng.hex(16).uppercased()
            let secret = rng.hex(40)
            let token = "FwoGZXIvYXdzE" + rng.hex(64)
            keys[accessKey] = IssuedKey(secret: secret, accountId: account, sessionToken: token, expiresAt: now + duration)
            let role = parts[5].dropFirst("role/".count)
            let xml = """
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><AssumedRoleUser><AssumedRoleId>AROA\(rng.hex(16).uppercased()):\(Self.xmlEscape(session))</AssumedRoleId><Arn>arn:aws:sts::\(account):assumed-role/\(Self.xmlEscape(String(role)))/\(Self.xmlEscape(session))</Arn></AssumedRoleUser><Credentials><AccessKeyId>\(accessKey)</AccessKeyId><SecretAccessKey>\(secret)</SecretAccessKey><SessionToken>\(token)</SessionToken><Expiration>\(HTTPDate.iso8601(now + duration))</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>\(requestId)</RequestId></ResponseMetadata></AssumeRoleResponse>
            """
            return EmulatorResponse(status: 200, headers: [("Content-Type", "text/xml")], body: Array(xml.utf8))
        default:
            return Self.stsError("InvalidAction", "Could not find operation \(action) for version 2011-06-15", status: 400, requestId: requestId)
        }
    }
}
