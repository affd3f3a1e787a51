import Metrics

/// Per-attempt metrics of API calls (swift-metrics; exported by whatever backend the process
/// bootstrapped, Prometheus in the daemon, nothing in tests).
enum APICallMetrics {
    /// `outcome`: the HTTP status class (`2xx`, `4xx`, `5xx`), `429`, or `error` for transport failures.
    static func record(operation: String, region: String, outcome: String, duration: Duration) {
        Counter(label: "inspector2_api_calls_total", dimensions: [("operation", operation), ("region", region), ("outcome", outcome)]).increment()
        if outcome == "429" {
            Counter(label: "inspector2_api_throttles_total", dimensions: [("operation", operation), ("region", region)]).increment()
        }
        Timer(label: "inspector2_api_call_duration_seconds", dimensions: [("operation", operation)])
            .recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    static func outcome(status: Int) -> String {
        if status == 429 { return "429" }
        return "\(status / 100)xx"
    }
}
