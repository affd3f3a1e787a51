/// Finds the configuration file: `--config PATH`, else `$INSPECTOR_SYNC_CONFIG`, else
/// `/etc/inspector-sync/config.toml`, else `./config.toml`. No file at all is fine (the
/// environment may carry everything); a path asked for explicitly must exist.
public enum ConfigFileLocator {
    public static let defaultPaths = ["/etc/inspector-sync/config.toml", "./config.toml"]

    public static func locate(
        explicitPath: String?, environment: [String: String], fileExists: (String) -> Bool
    ) throws(ConfigurationError) -> String? {
        let (requested, source): (String?, ConfigurationSource) = if let explicitPath {
            (explicitPath, .file(path: explicitPath, line: nil))
        } else if let fromEnvironment = environment[ConfigurationKeys.configPathVariable], !fromEnvironment.isEmpty {
            (fromEnvironment, .environment(variable: ConfigurationKeys.configPathVariable))
        } else {
            (nil, .none)
        }
        if let requested {
            guard fileExists(requested) else {
                let message = "configuration file \(quoted(requested)) does not exist"
                throw ConfigurationError(problems: [ConfigurationProblem(code: .missingFile, source: source, keyPath: "", message: message)])
            }
            return requested
        }
        return defaultPaths.first(where: fileExists)
    }
}
