import Foundation

extension InspectorSyncConfiguration {
    /// Builds the configuration from a TOML document (nil when there is no file) and the
    /// environment, checking everything before returning. Secret files are read with `readFile`
    /// (nil when the file does not exist or cannot be read).
    ///
    /// - Parameters:
    ///   - toml: the file's contents, or nil to configure from the environment alone.
    ///   - filePath: the file's name as messages should show it (`/etc/inspector-sync/config.toml`).
    /// - Throws: `ConfigurationError` listing every problem found.
    public static func load(
        toml: String?,
        filePath: String = "config.toml",
        environment: [String: String],
        readFile: (String) -> String?
    ) throws(ConfigurationError) -> InspectorSyncConfiguration {
        let (configuration, problems, _) = withoutActuallyEscaping(readFile) { readFile in
            loadCollecting(toml: toml, filePath: filePath, environment: environment, readFile: readFile)
        }
        guard let configuration, problems.isEmpty else { throw ConfigurationError(problems: problems) }
        return configuration
    }

    /// Finds the file (`ConfigFileLocator`), reads it with `readFile` and loads it.
    public static func load(
        explicitPath: String?,
        environment: [String: String],
        fileExists: (String) -> Bool,
        readFile: (String) -> String?
    ) throws(ConfigurationError) -> InspectorSyncConfiguration {
        guard let path = try ConfigFileLocator.locate(explicitPath: explicitPath, environment: environment, fileExists: fileExists) else {
            return try load(toml: nil, environment: environment, readFile: readFile)
        }
        guard let contents = readFile(path) else {
            throw ConfigurationError(problems: [
                ConfigurationProblem(code: .missingFile, source: .file(path: path, line: nil), keyPath: "", message: "cannot read the configuration file")
            ])
        }
        return try load(toml: contents, filePath: path, environment: environment, readFile: readFile)
    }

    /// The loader itself; also returns the registry paths it read (for tests).
    static func loadCollecting(
        toml: String?, filePath: String, environment: [String: String], readFile: @escaping (String) -> String?
    ) -> (InspectorSyncConfiguration?, [ConfigurationProblem], Set<String>) {
        var root = TOMLTable()
        if let toml {
            do {
                root = try TOMLParser.parse(toml)
            } catch {
                let problem = ConfigurationProblem(
                    code: .syntax, source: .file(path: filePath, line: error.line), keyPath: "",
                    message: "\(error.message) (column \(error.column))"
                )
                return (nil, [problem], [])
            }
        }
        let context = LoadContext(filePath: toml == nil ? nil : filePath, environment: environment, readFile: readFile)
        let loader = Loader(context: context, root: root)
        let configuration = loader.load()
        return (configuration, sortedByLocation(context.problems), context.readKeys)
    }
}

/// File problems by line, then the file's problems without a line, then the environment's, then
/// the rest; the order of discovery otherwise (the sort is stable).
func sortedByLocation(_ problems: [ConfigurationProblem]) -> [ConfigurationProblem] {
    func rank(_ problem: ConfigurationProblem) -> (Int, Int) {
        switch problem.source {
        case .file(_, let line?): (0, line)
        case .file(_, nil): (1, 0)
        case .environment: (2, 0)
        case .none: (3, 0)
        }
    }
    return problems.enumerated().sorted { left, right in
        let (a, b) = (rank(left.element), rank(right.element))
        return a != b ? a < b : left.offset < right.offset
    }.map(\.element)
}

/// One load, section by section. Every section is read even after a problem so that the user
/// sees all problems at once.
struct Loader {
    let context: LoadContext
    let root: TOMLTable

    func load() -> InspectorSyncConfiguration? {
        checkTopLevel()
        let database = loadDatabase()
        let aws = loadAWS()
        let discovery = loadDiscovery()
        let accounts = loadAccounts(discovery: discovery)
        let sync = loadSync()
        let webhooks = loadWebhooks()
        let http = loadHTTP()
        let log = loadLog()
        let shutdown = loadShutdown()
        checkUnknownVariables(webhooks: webhooks, accounts: accounts)
        guard let database else { return nil }
        return InspectorSyncConfiguration(
            database: database, aws: aws, discovery: discovery, accounts: accounts, sync: sync,
            webhooks: webhooks, http: http, log: log, shutdown: shutdown
        )
    }

    func checkTopLevel() {
        let known = ConfigurationKeys.sections.map(\.name)
        for (key, value) in root.entries where !known.contains(key) {
            let suggestion = Suggestion.closest(to: key, among: known).map { " (did you mean [\($0)]?)" } ?? ""
            context.report(.unknownKey, context.fileSource(line: value.line), key, "unknown section\(suggestion)")
        }
    }

    /// The reader for a plain `[section]`; a section that is not a table is reported and ignored.
    func section(_ name: String) -> TableReader {
        var table = TOMLTable()
        var line: Int?
        if let value = root[name] {
            line = value.line
            if let found = value.table {
                table = found
            } else {
                context.report(.wrongType, context.fileSource(line: value.line), name, "must be a table ([\(name)]), got \(value.typeName)")
            }
        }
        let reader = TableReader(context: context, section: name, path: name, table: table, line: line, environmentOverrides: true)
        reader.rejectUnknownKeys()
        return reader
    }

    /// The readers for an array of tables (`[[webhooks]]`).
    func entries(_ name: String) -> [TableReader] {
        guard let value = root[name] else { return [] }
        guard let array = value.array, array.allSatisfy({ $0.table != nil }) else {
            context.report(.wrongType, context.fileSource(line: value.line), name, "must be an array of tables ([[\(name)]]), got \(value.typeName)")
            return []
        }
        return array.enumerated().map { index, element in
            let reader = TableReader(
                context: context, section: name, path: "\(name)[\(index)]", table: element.table!, line: element.line,
                environmentOverrides: false
            )
            reader.rejectUnknownKeys()
            return reader
        }
    }

    // MARK: Sections

    func loadDatabase() -> InspectorSyncConfiguration.Database? {
        let reader = section("database")
        let url = resolveSecret(reader, valueKey: "url", fileKey: "url_file", multiple: false)
        let schema = reader.string("schema")
        if let (name, raw) = schema, name != "inspector" {
            reader.report(.invalidValue, raw, "schema", "only \"inspector\" is supported for now (got \(quoted(name)))")
        }
        let autoMigrate = reader.bool("auto_migrate", default: false)
        let maxConnections = reader.integer("max_connections", default: 10, in: 1...1000)
        let connectTimeout = reader.duration("connect_timeout", default: .seconds(10))
        guard let url = url?.first else {
            if url == nil {
                context.report(
                    .missingValue, context.fileSource(line: reader.line), "database.url",
                    "required (set [database] url or url_file, or INSPECTOR_SYNC_DATABASE_URL)"
                )
            }
            return nil
        }
        if !Validators.isPostgresURL(url.value) {
            context.report(.invalidValue, url.source, "database.url", "must be a PostgreSQL URL like postgres://user@host:5432/database")
        }
        return .init(
            url: SecretValue(url.value), schema: "inspector", autoMigrate: autoMigrate, maxConnections: maxConnections,
            connectTimeout: connectTimeout
        )
    }

    func loadAWS() -> InspectorSyncConfiguration.AWS {
        let reader = section("aws")
        var aws = InspectorSyncConfiguration.AWS()
        if let regions = regions(reader, "regions") {
            if regions.isEmpty {
                reader.report(.invalidValue, reader.raw("regions"), "regions", "must name at least one region")
            } else {
                aws.regions = regions
            }
        }
        aws.profile = reader.string("profile")?.value
        if let (text, raw) = reader.string("endpoint_url") {
            if let url = Validators.httpURL(text) {
                aws.endpointURL = url
            } else {
                reader.report(.invalidValue, raw, "endpoint_url", "must be an http:// or https:// URL with a host")
            }
        }
        applyStandardAWSVariables(reader, to: &aws)
        aws.maxAttempts = reader.integer("max_attempts", default: 3, in: 1...100)
        aws.requestTimeout = reader.duration("request_timeout", default: .seconds(30))
        aws.maxRequestsPerSecond = reader.positiveNumber("max_requests_per_second") ?? 10
        return aws
    }

    /// The AWS SDKs' variables fill in what neither the file nor `INSPECTOR_SYNC_AWS_*` set:
    /// `AWS_REGION` (or `AWS_DEFAULT_REGION`), `AWS_PROFILE`, `AWS_ENDPOINT_URL_INSPECTOR2`, then
    /// `AWS_ENDPOINT_URL`. The daemon's own configuration wins over the ambient ones.
    func applyStandardAWSVariables(_ reader: TableReader, to aws: inout InspectorSyncConfiguration.AWS) {
        func isUnset(_ key: String) -> Bool {
            reader.table[key] == nil && context.environment["INSPECTOR_SYNC_AWS_\(key.uppercased())"] == nil
        }
        func ambient(_ names: String...) -> (name: String, value: String)? {
            for name in names { if let value = context.environment[name], !value.isEmpty { return (name, value) } }
            return nil
        }
        if isUnset("regions"), let (name, region) = ambient("AWS_REGION", "AWS_DEFAULT_REGION") {
            if Validators.isRegion(region) {
                aws.regions = [region]
            } else {
                context.report(.invalidValue, .environment(variable: name), "aws.regions", "not an AWS region name like \"us-east-1\" (got \(quoted(region)))")
            }
        }
        if isUnset("profile"), let (_, profile) = ambient("AWS_PROFILE") {
            aws.profile = profile
        }
        if isUnset("endpoint_url"), let (name, text) = ambient("AWS_ENDPOINT_URL_INSPECTOR2", "AWS_ENDPOINT_URL") {
            if let url = Validators.httpURL(text) {
                aws.endpointURL = url
            } else {
                context.report(.invalidValue, .environment(variable: name), "aws.endpoint_url", "must be an http:// or https:// URL with a host")
            }
        }
    }

    func loadDiscovery() -> InspectorSyncConfiguration.Discovery {
        let reader = section("discovery")
        return .init(
            mode: reader.choice("mode", default: .static),
            interval: reader.duration("interval", default: .seconds(3600))
        )
    }

    func loadSync() -> InspectorSyncConfiguration.Sync {
        let reader = section("sync")
        return .init(
            interval: reader.duration("interval", default: .seconds(300)),
            overlap: reader.duration("overlap", default: .seconds(900), allowZero: true),
            pageSize: reader.integer("page_size", default: 100, in: 1...100),
            maxConcurrentTargets: reader.integer("max_concurrent_targets", default: 8, in: 1...Int.max),
            reconcileInterval: reader.duration("reconcile_interval", default: .seconds(86_400)),
            eventsOnFirstSync: reader.bool("events_on_first_sync", default: false),
            leaseDuration: reader.duration("lease_duration", default: .seconds(30)),
            maxBackoff: reader.duration("max_backoff", default: .seconds(3600))
        )
    }

    func loadHTTP() -> InspectorSyncConfiguration.HTTP {
        let reader = section("http")
        var http = InspectorSyncConfiguration.HTTP()
        if let (text, raw) = reader.string("listen") {
            let trimmed = text.trimmingASCIIWhitespace()
            if trimmed.isEmpty || trimmed == "off" {
                http.listen = nil
            } else if let address = Validators.listenAddress(trimmed) {
                http.listen = address
            } else {
                reader.report(.invalidValue, raw, "listen", "must be host:port like \"127.0.0.1:9464\" or \"[::1]:9464\", or \"off\" (got \(quoted(text)))")
            }
        }
        return http
    }

    func loadLog() -> InspectorSyncConfiguration.Log {
        let reader = section("log")
        return .init(level: reader.choice("level", default: .info), format: reader.choice("format", default: .text))
    }

    func loadShutdown() -> InspectorSyncConfiguration.Shutdown {
        let reader = section("shutdown")
        return .init(gracePeriod: reader.duration("grace_period", default: .seconds(30)))
    }

    /// A region list, each checked for shape (`us-east-1`, `us-gov-west-1`).
    func regions(_ reader: TableReader, _ key: String) -> [String]? {
        guard let (values, raw) = reader.strings(key) else { return nil }
        var valid = true
        for (index, region) in values.enumerated() where !Validators.isRegion(region) {
            reader.report(.invalidValue, raw, "\(key)[\(index)]", "not an AWS region name like \"us-east-1\" (got \(quoted(region)))")
            valid = false
        }
        return valid ? values : nil
    }

    func checkUnknownVariables(webhooks: [InspectorSyncConfiguration.Webhook], accounts: [InspectorSyncConfiguration.Account]) {
        var known = Set(ConfigurationKeys.all.compactMap(\.environmentVariable))
        known.insert(ConfigurationKeys.configPathVariable)
        for webhook in webhooks {
            for key in ConfigurationKeys.webhookSecretKeys { known.insert(ConfigurationKeys.webhookVariable(name: webhook.name, key: key)) }
        }
        for account in accounts { known.insert(ConfigurationKeys.accountVariable(id: account.id)) }
        // Only variables that look meant for the configuration are reported (a known section
        // prefix, or close to a known name): scripts use others, like INSPECTOR_SYNC_TEST_*.
        let sectionPrefixes = ConfigurationKeys.sections.filter { !$0.isArrayOfTables }.map { "INSPECTOR_SYNC_\($0.name.uppercased())_" }
        for variable in context.environment.keys.sorted() where variable.hasPrefix("INSPECTOR_SYNC_") && !known.contains(variable) {
            let suggestion = Suggestion.closest(to: variable, among: known.sorted())
            var message = "unknown setting"
            if variable.hasPrefix("INSPECTOR_SYNC_WEBHOOK_") {
                message = "no [[webhooks]] entry has this name (INSPECTOR_SYNC_WEBHOOK_<NAME>_SECRET, name upper-cased, '-' as '_')"
            } else if variable.hasPrefix("INSPECTOR_SYNC_ACCOUNT_") {
                message = "no [[accounts]] entry has this id (INSPECTOR_SYNC_ACCOUNT_<ID>_EXTERNAL_ID)"
            } else if let suggestion {
                message += " (did you mean \(suggestion)?)"
            } else if !sectionPrefixes.contains(where: variable.hasPrefix) {
                continue
            }
            context.report(.unknownKey, .environment(variable: variable), "", message)
        }
    }
}
