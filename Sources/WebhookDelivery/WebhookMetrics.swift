import Metrics

/// Delivery metrics (swift-metrics; Prometheus in the daemon).
enum WebhookMetrics {
    static func attempt(endpoint: String, decision: DeliveryDecision, statusCode: Int?) {
        let outcome: String
        switch decision {
        case .succeeded: outcome = "succeeded"
        case .retry: outcome = "retrying"
        case .dead: outcome = "dead"
        case .disableEndpoint: outcome = "endpoint_disabled"
        }
        Counter(label: "inspector_sync_webhook_deliveries_total", dimensions: [("endpoint", endpoint), ("outcome", outcome)]).increment()
    }

    static func endpointDisabled(_ endpoint: String) {
        Counter(label: "inspector_sync_webhook_endpoints_disabled_total", dimensions: [("endpoint", endpoint)]).increment()
        Gauge(label: "inspector_sync_webhook_endpoint_enabled", dimensions: [("endpoint", endpoint)]).record(0)
    }
}
