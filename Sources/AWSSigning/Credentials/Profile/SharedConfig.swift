/// The profiles of the shared config and credentials files, merged as the AWS SDKs merge them:
/// `[profile name]` (and `[default]`) in config, `[name]` in credentials; for the same profile a
/// credentials-file key wins over a config-file key, and `[profile default]` over `[default]`.
public struct SharedConfig: Sendable, Equatable {
    public var profiles: [String: [String: String]]

    public init(profiles: [String: [String: String]]) {
        self.profiles = profiles
    }

    public static func parse(config: String, credentials: String) -> SharedConfig {
        var profiles: [String: [String: String]] = [:]
        var fromProfileDefault: [String: String] = [:]
        for section in INIFile.parse(config).sections {
            if section.name == "default" {
                profiles["default", default: [:]].merge(section.properties) { _, new in new }
            } else if section.name.hasPrefix("profile ") || section.name.hasPrefix("profile\t") {
                let name = String(section.name.dropFirst("profile".count).trimmingSpaces())
                if name == "default" {
                    fromProfileDefault.merge(section.properties) { _, new in new }
                } else if !name.isEmpty {
                    profiles[name, default: [:]].merge(section.properties) { _, new in new }
                }
            }
            // Other sections (`sso-session`, `services`, a bare `[name]`) are not profiles.
        }
        if !fromProfileDefault.isEmpty {
            profiles["default", default: [:]].merge(fromProfileDefault) { _, new in new }
        }
        for section in INIFile.parse(credentials).sections where !section.name.hasPrefix("profile ") {
            profiles[section.name, default: [:]].merge(section.properties) { _, new in new }
        }
        return SharedConfig(profiles: profiles)
    }

    /// Reads `AWS_CONFIG_FILE` (default `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE`
    /// (default `~/.aws/credentials`); a missing file counts as empty.
    public static func load(context: CredentialProviderContext) throws -> SharedConfig {
        let configPath = context.expandPath(context.variable("AWS_CONFIG_FILE") ?? "~/.aws/config")
        let credentialsPath = context.expandPath(context.variable("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials")
        func read(_ path: String) throws -> String {
            // A relative "~/..." with no home directory known cannot exist.
            if path.hasPrefix("~") { return "" }
            do {
                return try context.fileReader.read(path: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
            } catch {
                throw CredentialError(code: .invalidConfiguration, source: "profile", message: "cannot read \(path)")
            }
        }
        return parse(config: try read(configPath), credentials: try read(credentialsPath))
    }

    /// The selected profile name: `AWS_PROFILE` (or `AWS_DEFAULT_PROFILE`), else `default`.
    public static func selectedProfile(context: CredentialProviderContext) -> String {
        context.variable("AWS_PROFILE") ?? context.variable("AWS_DEFAULT_PROFILE") ?? "default"
    }
}
