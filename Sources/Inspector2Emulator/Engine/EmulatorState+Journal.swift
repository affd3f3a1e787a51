import Foundation

/// The state file: configuration, simulated time and the journal of state-changing requests. Loading
/// regenerates the dataset from the seed and replays the journal with the clock pinned to each entry's
/// time, so the result is the state that was saved (the engine is deterministic).
extension EmulatorState {
    static let journaledActions: Set<String> = [
        "AssociateMember", "DisassociateMember", "Enable", "Disable", "EnableDelegatedAdminAccount", "DisableDelegatedAdminAccount",
        "UpdateOrganizationConfiguration", "CreateFilter", "UpdateFilter", "DeleteFilter", "TagResource", "UntagResource",
        "CreateFindingsReport", "CancelFindingsReport", "GetFindingsReportStatus", "AssumeRole",
    ]

    mutating func record(_ request: EmulatorRequest, accessKey: String?, region: String?) {
        var m: [(String, JSONValue)] = [
            ("at", .number(clock.now)), ("method", .string(request.method)), ("path", .string(request.path)),
            ("query", .array(request.query.map { [.string($0.0), .string($0.1)] })),
            ("body", .string(String(decoding: request.body, as: UTF8.self))),
        ]
        if let accessKey { m.append(("accessKey", .string(accessKey))) }
        if let region { m.append(("region", .string(region))) }
        journal.append(.object(m))
    }

    func stateFileJSON() -> JSONValue {
        let c = configuration
        return .object([
            ("version", 1),
            ("configuration", .object([
                ("seed", .number(Double(c.seed))), ("accounts", .number(Double(c.accounts))),
                ("regions", .array(c.regions.map { .string($0) })), ("findings", .number(Double(c.findingsPerAccountRegion))),
                ("startTime", .number(generationStart)),
            ])),
            ("now", .number(clock.now)),
            ("journal", .array(journal)),
        ])
    }

    /// Rebuilds a state from a state file; the dataset flags of the file win over `configuration`.
    static func load(_ file: JSONValue, configuration: EmulatorConfiguration) -> EmulatorState {
        var config = configuration
        if let c = file["configuration"] {
            if let v = c["seed"]?.doubleValue { config.seed = UInt64(v) }
            if let v = c["accounts"]?.intValue { config.accounts = v }
            if let v = c["regions"]?.arrayValue { config.regions = v.compactMap(\.stringValue) }
            if let v = c["findings"]?.intValue { config.findingsPerAccountRegion = v }
            if let v = c["startTime"]?.doubleValue { config.startTime = v }
        }
        let start = config.resolvedStartTime
        var state = EmulatorState(configuration: config, clock: EmulatorClock(start: start))
        for entry in file["journal"]?.arrayValue ?? [] {
            state.clock.pinned = entry["at"]?.doubleValue
            var headers: [(String, String)] = []
            if let key = entry["accessKey"]?.stringValue, let region = entry["region"]?.stringValue {
                headers.append(("authorization", "AWS4-HMAC-SHA256 Credential=\(key)/20260101/\(region)/\(entry["path"]?.stringValue == "/" ? "sts" : "inspector2")/aws4_request, SignedHeaders=host, Signature=0"))
            }
            let request = EmulatorRequest(
                method: entry["method"]?.stringValue ?? "POST", path: entry["path"]?.stringValue ?? "/",
                query: (entry["query"]?.arrayValue ?? []).compactMap { pair in
                    guard let a = pair.arrayValue, a.count == 2, let k = a[0].stringValue, let v = a[1].stringValue else { return nil }
                    return (k, v)
                },
                headers: headers, body: Array((entry["body"]?.stringValue ?? "").utf8))
            // Replays never verify signatures (the journal holds no secrets).
            let requireSigV4 = state.configuration.requireSigV4
            state.configuration.requireSigV4 = false
            if request.path.hasPrefix("/_emulator/") {
                _ = state.control(request)
            } else {
                _ = state.aws(request, requestId: "replay")
            }
            state.configuration.requireSigV4 = requireSigV4
        }
        let now = max(file["now"]?.doubleValue ?? start, state.clock.pinned ?? start)
        state.clock = EmulatorClock(start: now)
        state.generationStart = start
        return state
    }
}

extension Inspector2Emulator {
    /// Loads `configuration.stateFile` when it exists, else generates a fresh dataset.
    public static func loadOrCreate(configuration: EmulatorConfiguration) throws -> Inspector2Emulator {
        guard let path = configuration.stateFile, FileManager.default.fileExists(atPath: path) else {
            return Inspector2Emulator(configuration: configuration)
        }
        let file = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        return Inspector2Emulator(state: EmulatorState.load(file, configuration: configuration))
    }

    /// Writes the state file (no-op without one). Atomic: a crash never leaves half a file.
    public func saveState() throws {
        let (path, bytes) = state.withLock { s in (s.configuration.stateFile, s.stateFileJSON().serialized()) }
        guard let path else { return }
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
