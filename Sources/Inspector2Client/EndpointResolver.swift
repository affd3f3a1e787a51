import Foundation

/// Where requests for one region go. Pure: the environment is passed in, so tests and the
/// daemon's config layer decide what it sees.
///
/// Precedence follows the AWS SDKs' "service-specific endpoint" rules: an explicit endpoint in
/// configuration, then `AWS_ENDPOINT_URL_INSPECTOR2`, then `AWS_ENDPOINT_URL`, then the
/// partition's default host `inspector2.{region}.{dnsSuffix}`. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
/// turns the two variables off, as in the SDKs; an explicit endpoint still wins.
public struct EndpointResolver: Sendable, Hashable {
    /// The service id as the endpoint environment variable spells it (`AWS_ENDPOINT_URL_<ID>`).
    public static let serviceEnvironmentKey = "AWS_ENDPOINT_URL_INSPECTOR2"
    public static let globalEnvironmentKey = "AWS_ENDPOINT_URL"

    public enum Source: String, Sendable, Hashable {
        case configuration, serviceEnvironment, globalEnvironment, partitionDefault
    }

    /// A resolved endpoint: scheme + host (+ port) + optional base path, no trailing slash.
    public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
        public var scheme: String
        public var host: String
        public var port: Int?
        /// A path prefix the endpoint URL carried (e.g. a proxy mount point); empty if none.
        public var basePath: String
        public var source: Source

        /// The `Host` header value (port only when not the scheme default), which SigV4 signs.
        public var hostHeader: String {
            guard let port, !(scheme == "https" && port == 443) && !(scheme == "http" && port == 80) else {
                return host
            }
            return "\(host):\(port)"
        }

        /// `scheme://host[:port]basePath`.
        public var baseURL: String { "\(scheme)://\(hostHeader)\(basePath)" }

        public var description: String { baseURL }
    }

    public var region: String
    public var explicitEndpoint: String?
    public var environment: [String: String]

    public init(region: String, explicitEndpoint: String? = nil, environment: [String: String] = [:]) {
        self.region = region
        self.explicitEndpoint = explicitEndpoint
        self.environment = environment
    }

    public func resolve() throws(Inspector2Error) -> Endpoint {
        if let explicit = Self.nonEmpty(explicitEndpoint) {
            return try Self.parse(explicit, source: .configuration)
        }
        // The SDKs' switch to ignore endpoint variables (and config-file endpoints) entirely.
        let ignoreEnvironment = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true"
        if !ignoreEnvironment, let value = Self.nonEmpty(environment[Self.serviceEnvironmentKey]) {
            return try Self.parse(value, source: .serviceEnvironment)
        }
        if !ignoreEnvironment, let value = Self.nonEmpty(environment[Self.globalEnvironmentKey]) {
            return try Self.parse(value, source: .globalEnvironment)
        }
        guard Self.isValidRegion(region) else {
            throw Inspector2Error(code: .invalidConfiguration, message: "invalid region name '\(region)'")
        }
        return Endpoint(
            scheme: "https",
            host: "inspector2.\(region).\(Self.dnsSuffix(forRegion: region))",
            port: nil,
            basePath: "",
            source: .partitionDefault
        )
    }

    /// The partition's DNS suffix: China regions (`cn-north-1`, `cn-northwest-1`) live under
    /// `amazonaws.com.cn`; every other partition Inspector runs in uses `amazonaws.com`.
    public static func dnsSuffix(forRegion region: String) -> String {
        region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    }

    /// Region names are DNS labels; anything else would let a config typo build a foreign host.
    static func isValidRegion(_ region: String) -> Bool {
        !region.isEmpty && region.count <= 63
            && region.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }
            && !region.hasPrefix("-") && !region.hasSuffix("-")
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    static func parse(_ string: String, source: Source) throws(Inspector2Error) -> Endpoint {
        guard let components = URLComponents(string: string),
              let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = components.host, !host.isEmpty
        else {
            throw Inspector2Error(code: .invalidConfiguration, message: "invalid endpoint URL (\(source.rawValue))")
        }
        guard components.query == nil, components.fragment == nil, components.user == nil, components.password == nil else {
            throw Inspector2Error(
                code: .invalidConfiguration,
                message: "endpoint URL must not carry a query, fragment or user info (\(source.rawValue))"
            )
        }
        var basePath = components.percentEncodedPath
        while basePath.hasSuffix("/") { basePath.removeLast() }
        return Endpoint(scheme: scheme, host: host.lowercased(), port: components.port, basePath: basePath, source: source)
    }
}
