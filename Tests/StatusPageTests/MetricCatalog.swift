import Foundation

/// The metric names the code defines (every `Counter/Gauge/Timer/Recorder/Meter(label: "…"` in
/// Sources) and the sample names Prometheus exposes for them.
struct MetricCatalog {
    /// Family name -> swift-metrics type.
    var families: [String: String] = [:]

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func fromSources() throws -> MetricCatalog {
        var catalog = MetricCatalog()
        let pattern = try NSRegularExpression(pattern: #"\b(Counter|FloatingPointCounter|Gauge|Meter|Recorder|Timer)\(label: "([a-z0-9_:]+)""#)
        let sources = repositoryRoot.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let type = String(text[Range(match.range(at: 1), in: text)!])
                let name = String(text[Range(match.range(at: 2), in: text)!])
                catalog.families[name] = type
            }
        }
        return catalog
    }

    /// Sample names as swift-prometheus writes them: timers (and aggregating recorders) are
    /// histograms with _bucket, _sum and _count samples.
    var exposedNames: Set<String> {
        var names = Set<String>()
        for (name, type) in families {
            if type == "Timer" || type == "Recorder" {
                names.formUnion([name, name + "_bucket", name + "_sum", name + "_count"])
            } else {
                names.insert(name)
            }
        }
        return names
    }

    /// The metric names in a PromQL expression (ours all start with inspector_sync_ or inspector2_).
    static func metricNames(inExpression expression: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: #"\b(inspector(?:2|_sync)_[a-z0-9_]+)\b"#)
        return Set(pattern.matches(in: expression, range: NSRange(expression.startIndex..., in: expression)).map {
            String(expression[Range($0.range(at: 1), in: expression)!])
        })
    }

    /// Sample names of a Prometheus text exposition.
    static func sampleNames(inExposition text: String) -> Set<String> {
        Set(text.split(separator: "\n").compactMap { line -> String? in
            guard !line.hasPrefix("#"), let end = line.firstIndex(where: { $0 == "{" || $0 == " " }) else { return nil }
            return String(line[..<end])
        })
    }
}
