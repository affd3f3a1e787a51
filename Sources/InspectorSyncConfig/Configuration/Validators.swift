import Foundation

/// Shape checks for configuration values. Pure.
enum Validators {
    static let resourceTypes = ["AWS_EC2_INSTANCE", "AWS_ECR_CONTAINER_IMAGE", "AWS_ECR_REPOSITORY", "AWS_LAMBDA_FUNCTION", "CODE_REPOSITORY"]

    static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `arn:aws[a-z-]*:iam::\d{12}:role/.+`; returns the account id in it.
    static func roleARNAccount(_ arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"),
              parts[1].dropFirst(3).allSatisfy({ ($0 >= "a" && $0 <= "z") || $0 == "-" }),
              parts[2] == "iam", parts[3].isEmpty, isAccountID(String(parts[4])),
              parts[5].hasPrefix("role/"), parts[5].count > "role/".count
        else { return nil }
        return String(parts[4])
    }

    /// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`.
    static func isRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let last = parts.last, !last.isEmpty, last.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= "a" && $0 <= "z" } } && parts[0].count == 2
    }

    static func isSessionName(_ text: String) -> Bool {
        (2...64).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_+=,.@-".contains($0)) }
    }

    static func isWebhookName(_ text: String) -> Bool {
        (1...64).contains(text.count)
            && text.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// `whsec_` + base64 (padding optional) of 24 to 64 bytes, as Standard Webhooks secrets are.
    static func isWebhookSecret(_ text: String) -> Bool {
        guard text.hasPrefix("whsec_") else { return false }
        var encoded = String(text.dropFirst("whsec_".count))
        guard !encoded.isEmpty, encoded.count % 4 != 1 else { return false }
        if encoded.count % 4 != 0 { encoded += String(repeating: "=", count: 4 - encoded.count % 4) }
        guard let data = Data(base64Encoded: encoded) else { return false }
        return (24...64).contains(data.count)
    }

    static func httpURL(_ text: String) -> URL? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty, let url = components.url
        else { return nil }
        return url
    }

    static func isPostgresURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else { return false }
        return scheme == "postgres" || scheme == "postgresql"
    }

    /// `host:port`, `[v6]:port`; port 0 asks for any free port (tests).
    static func listenAddress(_ text: String) -> InspectorSyncConfiguration.ListenAddress? {
        var host: Substring
        var port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            port = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            guard !host.contains(":") else { return nil }
        }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace), let number = Int(port), (0...65535).contains(number),
              port.allSatisfy(\.isNumber)
        else { return nil }
        return .init(host: String(host), port: number)
    }

    /// Loopback, private, link-local and unspecified IP literals, and `localhost`. Names that
    /// resolve to such addresses are the delivery module's to catch at connect time.
    static func isPrivateHost(_ rawHost: String) -> Bool {
        let host = rawHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        if octets.count == 4, host.split(separator: ".").count == 4 {
            switch (octets[0], octets[1]) {
            case (10, _), (127, _), (0, _), (169, 254), (192, 168): return true
            case (172, 16...31), (100, 64...127): return true
            default: return false
            }
        }
        if host.contains(":") {
            return host == "::1" || host == "::" || host.hasPrefix("fc") || host.hasPrefix("fd") || host.hasPrefix("fe80")
                || host.hasPrefix("::ffff:")
        }
        return false
    }
}
