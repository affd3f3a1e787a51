import FindingStore
import Foundation
import InspectorSyncConfig
import Logging
import Synchronization

/// `[log] format = "json"`: one JSON object per line on stdout (time, level, label, message,
/// metadata), for journald, Loki or CloudWatch. `"text"` keeps swift-log's default stream handler.
public struct JSONLogHandler: LogHandler {
    /// Set on one logger, it holds for that logger; otherwise the process level (reloadable).
    private var levelOverride: Logger.Level?
    public var logLevel: Logger.Level {
        get { levelOverride ?? LogFormat.level }
        set { levelOverride = newValue }
    }
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("time", Self.timestamp()), ("level", event.level.rawValue), ("label", label), ("message", "\(event.message)"),
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for key in merged.keys.sorted() { fields.append((key, "\(merged[key]!)")) }
        let line = "{" + fields.map { "\(JSONString.quote($0.0)):\(JSONString.quote($0.1))" }.joined(separator: ",") + "}\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}

public enum LogFormat {
    private static let levelIndex = Atomic<Int>(Logger.Level.allCases.firstIndex(of: .info)!)

    /// The process's log level: every logger without its own level follows it, so a reload
    /// (SIGHUP) changes `[log] level` everywhere at once.
    public static var level: Logger.Level {
        get { Logger.Level.allCases[levelIndex.load(ordering: .relaxed)] }
        set { levelIndex.store(Logger.Level.allCases.firstIndex(of: newValue)!, ordering: .relaxed) }
    }

    /// Bootstraps swift-log once per process with the configured format and level.
    public static func bootstrap(_ log: InspectorSyncConfiguration.Log) {
        level = Logger.Level(rawValue: log.level.rawValue) ?? .info
        switch log.format {
        case .json: LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        default: LoggingSystem.bootstrap { ProcessLevelLogHandler(StreamLogHandler.standardOutput(label: $0)) }
        }
    }
}

/// swift-log's stream handler with the reloadable process level.
struct ProcessLevelLogHandler<Inner: LogHandler>: LogHandler {
    var inner: Inner
    private var levelOverride: Logger.Level?

    init(_ inner: Inner) { self.inner = inner }

    var logLevel: Logger.Level {
        get { levelOverride ?? LogFormat.level }
        set { levelOverride = newValue }
    }
    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }
    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }
    func log(event: LogEvent) { inner.log(event: event) }
}
