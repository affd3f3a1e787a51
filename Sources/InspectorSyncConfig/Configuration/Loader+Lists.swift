import Foundation

/// A secret and where it came from (for messages; the value itself is never shown).
struct ResolvedSecret {
    var value: String
    var source: ConfigurationSource
}

extension Loader {
    // MARK: Accounts

    func loadAccounts(discovery: InspectorSyncConfiguration.Discovery) -> [InspectorSyncConfiguration.Account] {
        var accounts: [InspectorSyncConfiguration.Account] = []
        var seen: [String: String] = [:]
        for reader in entries("accounts") {
            var account = InspectorSyncConfiguration.Account(id: "")
            if let (id, raw) = reader.string("id") {
                if Validators.isAccountID(id) {
                    account.id = id
                    if let first = seen[id] {
                        reader.report(.conflict, raw, "id", "account \(id) is listed twice (also \(first))")
                    }
                    seen[id] = reader.path
                } else {
                    reader.report(.invalidValue, raw, "id", "must be a 12-digit AWS account id (got \(quoted(id)))")
                }
            } else if reader.table["id"] == nil {
                reader.report(.missingValue, nil, "id", "required")
            }
            if let (arn, raw) = reader.string("role_arn") {
                if let arnAccount = Validators.roleARNAccount(arn) {
                    account.roleARN = arn
                    if !account.id.isEmpty, arnAccount != account.id {
                        reader.report(.conflict, raw, "role_arn", "the role is in account \(arnAccount), not in account \(account.id)")
                    }
                } else {
                    reader.report(.invalidValue, raw, "role_arn", "must be an IAM role ARN like arn:aws:iam::123456789012:role/NAME (got \(quoted(arn)))")
                }
            }
            let externalVariable = account.id.isEmpty ? nil : ConfigurationKeys.accountVariable(id: account.id)
            if let variable = externalVariable, let value = context.variable(variable) {
                _ = reader.raw("external_id")
                account.externalID = SecretValue(value)
            } else if let (value, raw) = reader.string("external_id") {
                if (2...1224).contains(value.count) {
                    account.externalID = SecretValue(value)
                } else {
                    reader.report(.invalidValue, raw, "external_id", "must be 2 to 1224 characters long")
                }
            }
            if let (name, raw) = reader.string("session_name") {
                if Validators.isSessionName(name) {
                    account.sessionName = name
                } else {
                    reader.report(.invalidValue, raw, "session_name", "must be 2 to 64 characters of letters, digits and +=,.@- (got \(quoted(name)))")
                }
            }
            if let regions = regions(reader, "regions") {
                if regions.isEmpty {
                    reader.report(.invalidValue, reader.raw("regions"), "regions", "must name at least one region (omit it to use aws.regions)")
                } else {
                    account.regions = regions
                }
            }
            accounts.append(account)
        }
        if discovery.mode == .static, accounts.isEmpty {
            let line = root["discovery"]?.table?["mode"]?.line ?? root["discovery"]?.line
            context.report(
                .missingValue, context.fileSource(line: line), "accounts",
                "static discovery needs at least one [[accounts]] entry (or set [discovery] mode = \"delegated-admin\")"
            )
        }
        return accounts
    }

    // MARK: Webhooks

    func loadWebhooks() -> [InspectorSyncConfiguration.Webhook] {
        var webhooks: [InspectorSyncConfiguration.Webhook] = []
        var names: [String: String] = [:]
        var environmentNames: [String: String] = [:]
        for reader in entries("webhooks") {
            var webhook = InspectorSyncConfiguration.Webhook(name: "", url: URL(string: "https://invalid.invalid")!)
            var nameValid = false
            if let (name, raw) = reader.string("name") {
                if Validators.isWebhookName(name) {
                    webhook.name = name
                    nameValid = true
                    if let first = names[name] {
                        reader.report(.conflict, raw, "name", "duplicate webhook name \(quoted(name)) (also \(first))")
                    } else if let other = environmentNames[ConfigurationKeys.environmentName(name)] {
                        reader.report(.conflict, raw, "name", "\(quoted(name)) and \(quoted(other)) share the environment name INSPECTOR_SYNC_WEBHOOK_\(ConfigurationKeys.environmentName(name))_…")
                    }
                    names[name] = names[name] ?? reader.path
                    environmentNames[ConfigurationKeys.environmentName(name)] = name
                } else {
                    reader.report(.invalidValue, raw, "name", "must be 1 to 64 characters of a-z, 0-9, '_' and '-' (got \(quoted(name)))")
                }
            } else if reader.table["name"] == nil {
                reader.report(.missingValue, nil, "name", "required")
            }
            let allowPrivate = reader.bool("allow_private_networks", default: false)
            webhook.allowPrivateNetworks = allowPrivate
            if let (text, raw) = reader.string("url") {
                if let url = Validators.httpURL(text) {
                    webhook.url = url
                    if !allowPrivate, Validators.isPrivateHost(url.host ?? "") {
                        reader.report(.invalidValue, raw, "url", "points to a loopback or private address; set allow_private_networks = true to allow it")
                    }
                } else {
                    reader.report(.invalidValue, raw, "url", "must be an http:// or https:// URL with a host")
                }
            } else if reader.table["url"] == nil {
                reader.report(.missingValue, nil, "url", "required")
            }
            webhook.format = reader.choice("format", default: .cloudEvents)

            let secretVariables = nameValid
                ? (ConfigurationKeys.webhookVariable(name: webhook.name, key: "secret"), ConfigurationKeys.webhookVariable(name: webhook.name, key: "secret_file"))
                : nil
            if let secrets = resolveSecret(reader, valueKey: "secret", fileKey: "secret_file", multiple: true, variables: secretVariables) {
                for (index, secret) in secrets.enumerated() where !Validators.isWebhookSecret(secret.value) {
                    let key = secrets.count > 1 ? "secret[\(index)]" : "secret"
                    context.report(.invalidValue, secret.source, reader.keyPath(key), "must be \"whsec_\" followed by the base64 of 24 to 64 random bytes")
                }
                webhook.secrets = secrets.map { SecretValue($0.value) }
            } else if webhook.format == .cloudEvents, !hasProblem(at: reader.keyPath("secret"), reader.keyPath("secret_file")) {
                let variable = nameValid ? ConfigurationKeys.webhookVariable(name: webhook.name, key: "secret") : "INSPECTOR_SYNC_WEBHOOK_<NAME>_SECRET"
                reader.report(.missingValue, nil, "secret", "required for format \"cloudevents\" (set secret, secret_file or \(variable))")
            }

            let routingVariables = nameValid
                ? (ConfigurationKeys.webhookVariable(name: webhook.name, key: "routing_key"), ConfigurationKeys.webhookVariable(name: webhook.name, key: "routing_key_file"))
                : nil
            if let keys = resolveSecret(reader, valueKey: "routing_key", fileKey: "routing_key_file", multiple: false, variables: routingVariables),
               let key = keys.first
            {
                if key.value.count != 32 || !key.value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                    context.report(.invalidValue, key.source, reader.keyPath("routing_key"), "must be a 32-character PagerDuty integration key")
                }
                webhook.routingKey = SecretValue(key.value)
            } else if webhook.format == .pagerDuty, !hasProblem(at: reader.keyPath("routing_key"), reader.keyPath("routing_key_file")) {
                reader.report(.missingValue, nil, "routing_key", "required for format \"pagerduty\" (set routing_key or routing_key_file)")
            }

            loadWebhookFilters(reader, into: &webhook)
            webhook.timeout = reader.duration("timeout", default: .seconds(15))
            webhook.maxConcurrency = reader.integer("max_concurrency", default: 4, in: 1...1000)
            webhook.maxPerSecond = reader.positiveNumber("max_per_second")
            webhook.disableAfter = reader.duration("disable_after", default: .seconds(5 * 86_400))
            if let (texts, raw) = reader.strings("retry_schedule") {
                if texts.isEmpty {
                    reader.report(.invalidValue, raw, "retry_schedule", "must hold at least one duration")
                } else {
                    let durations = texts.enumerated().map { index, text in
                        reader.checkedDuration(text, raw: raw, key: "retry_schedule[\(index)]", allowZero: true)
                    }
                    if durations.allSatisfy({ $0 != nil }) { webhook.retrySchedule = durations.map { $0! } }
                }
            }
            webhook.enabled = reader.bool("enabled", default: true)
            webhooks.append(webhook)
        }
        return webhooks
    }

    func loadWebhookFilters(_ reader: TableReader, into webhook: inout InspectorSyncConfiguration.Webhook) {
        if let (events, raw) = reader.strings("events") {
            if events.isEmpty {
                reader.report(.invalidValue, raw, "events", "must name at least one event type (omit it to receive every event)")
            }
            var valid = true
            for (index, event) in events.enumerated() where !EventTypes.isValid(pattern: event) {
                let suggestion = Suggestion.closest(to: event, among: EventTypes.all).map { "; did you mean \(quoted($0))?" } ?? ""
                reader.report(.invalidValue, raw, "events[\(index)]", "unknown event type \(quoted(event)) (use a type like \"finding.created\" or a wildcard like \"finding.*\"\(suggestion))")
                valid = false
            }
            if valid, !events.isEmpty { webhook.events = events }
        }
        if let (text, raw) = reader.string("min_severity") {
            if let severity = InspectorSyncConfiguration.Severity(rawValue: text.uppercased()) {
                webhook.minSeverity = severity
            } else {
                let names = InspectorSyncConfiguration.Severity.allCases.map(\.rawValue).joined(separator: ", ")
                reader.report(.invalidValue, raw, "min_severity", "must be one of \(names) (got \(quoted(text)))")
            }
        }
        if let (accounts, raw) = reader.strings("accounts") {
            for (index, account) in accounts.enumerated() where !Validators.isAccountID(account) {
                reader.report(.invalidValue, raw, "accounts[\(index)]", "must be a 12-digit AWS account id (got \(quoted(account)))")
            }
            webhook.accounts = accounts.filter(Validators.isAccountID)
        }
        webhook.regions = regions(reader, "regions") ?? []
        if let (types, raw) = reader.strings("resource_types") {
            for (index, type) in types.enumerated() where !Validators.resourceTypes.contains(type) {
                let names = Validators.resourceTypes.joined(separator: ", ")
                reader.report(.invalidValue, raw, "resource_types[\(index)]", "must be one of \(names) (got \(quoted(type)))")
            }
            webhook.resourceTypes = types.filter(Validators.resourceTypes.contains)
        }
    }

    func hasProblem(at keyPaths: String...) -> Bool {
        context.problems.contains { problem in
            keyPaths.contains { problem.keyPath == $0 || problem.keyPath.hasPrefix($0 + "[") }
        }
    }

    // MARK: Secrets

    /// A secret given inline or through a file, with the environment first. For `multiple`, the
    /// inline form may be an array (rotation), the environment form comma-separated and the file
    /// one secret per line. Returns nil when the secret is absent or unusable (already reported).
    func resolveSecret(
        _ reader: TableReader, valueKey: String, fileKey: String, multiple: Bool, variables: (String, String)? = nil
    ) -> [ResolvedSecret]? {
        if let (valueVariable, fileVariable) = variables {
            let value = context.variable(valueVariable)
            let file = context.variable(fileVariable)
            _ = reader.raw(valueKey)
            _ = reader.raw(fileKey)
            if value != nil, file != nil {
                context.report(.conflict, .environment(variable: valueVariable), reader.keyPath(valueKey), "set \(valueVariable) or \(fileVariable), not both")
                return nil
            }
            if let value {
                let parts = multiple ? value.split(separator: ",").map { $0.trimmingASCIIWhitespace() } : [value]
                return parts.map { ResolvedSecret(value: $0, source: .environment(variable: valueVariable)) }
            }
            if let file {
                return readSecretFile(file, source: .environment(variable: fileVariable), keyPath: reader.keyPath(fileKey), multiple: multiple)
            }
        }
        let inline = multiple ? reader.stringOrStrings(valueKey) : reader.string(valueKey).map { ([$0.value], $0.raw) }
        let file = reader.string(fileKey)
        if let inline, let file {
            // An environment variable overrides the file's key of the other kind.
            let inlineFromEnvironment = if case .environment = inline.raw.source { true } else { false }
            let fileFromEnvironment = if case .environment = file.raw.source { true } else { false }
            if inlineFromEnvironment == fileFromEnvironment {
                reader.report(.conflict, file.raw, fileKey, "set \(valueKey) or \(fileKey), not both")
                return nil
            }
            if fileFromEnvironment {
                return readSecretFile(file.value, source: file.raw.source, keyPath: reader.keyPath(fileKey), multiple: multiple)
            }
            return inline.values.map { ResolvedSecret(value: $0, source: inline.raw.source) }
        }
        if let inline {
            if inline.values.isEmpty {
                reader.report(.invalidValue, inline.raw, valueKey, "must not be empty")
                return nil
            }
            return inline.values.map { ResolvedSecret(value: $0, source: inline.raw.source) }
        }
        if let file {
            return readSecretFile(file.value, source: file.raw.source, keyPath: reader.keyPath(fileKey), multiple: multiple)
        }
        return nil
    }

    /// Reads a secret file; `credential:NAME` and relative names resolve in `$CREDENTIALS_DIRECTORY`
    /// (systemd `LoadCredential=`). Surrounding whitespace and the trailing newline are dropped.
    func readSecretFile(_ reference: String, source: ConfigurationSource, keyPath: String, multiple: Bool) -> [ResolvedSecret]? {
        let credentials = context.environment["CREDENTIALS_DIRECTORY"].flatMap { $0.isEmpty ? nil : $0 }
        var path = reference
        if reference.hasPrefix("credential:") {
            let name = String(reference.dropFirst("credential:".count))
            guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
                context.report(.invalidValue, source, keyPath, "\(quoted(reference)) is not a valid credential name")
                return nil
            }
            guard let credentials else {
                context.report(.missingFile, source, keyPath, "\(quoted(reference)) names a systemd credential but $CREDENTIALS_DIRECTORY is not set (use LoadCredential= in the unit)")
                return nil
            }
            path = credentials + "/" + name
        } else if !reference.hasPrefix("/"), let credentials {
            path = credentials + "/" + reference
        }
        guard let contents = context.readFile(path) else {
            context.report(.missingFile, source, keyPath, "cannot read \(quoted(path))")
            return nil
        }
        let lines = multiple
            ? contents.split(whereSeparator: \.isNewline).map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
            : [contents.trimmingASCIIWhitespace()].filter { !$0.isEmpty }
        guard !lines.isEmpty else {
            context.report(.invalidValue, source, keyPath, "\(quoted(path)) is empty")
            return nil
        }
        return lines.map { ResolvedSecret(value: $0, source: source) }
    }
}
