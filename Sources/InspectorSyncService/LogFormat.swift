import FindingStore
import Foundation
import InspectorSyncConfig
import Logging

/// `[log] format = "json"`: one JSON object per line on stdout (time, level, label, message,
/// metadata), for journald, Loki or CloudWatch. `"text"` keeps swift-log's default stream handler.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
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
    /// Bootstraps swift-log once per process with the configured format.
    public static func bootstrap(_ log: InspectorSyncConfiguration.Log) {
        switch log.format {
        case .json: LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        default: LoggingSystem.bootstrap { StreamLogHandler.standardOutput(label: $0) }
        }
    }
}
