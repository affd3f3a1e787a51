import WebhookDelivery

// swift-service-lifecycle logs each service with "\(service)" at debug level. The default
// description of a struct prints every stored property: the configuration (database URL, webhook
// secrets) and the environment (AWS keys). These name the service and nothing else.

extension SyncScheduler: CustomStringConvertible {
    public var description: String { "SyncScheduler" }
}

extension ConfigurationReloader: CustomStringConvertible {
    public var description: String { "ConfigurationReloader" }
}

extension OpsServer: CustomStringConvertible {
    public var description: String { "OpsServer(\(host):\(port))" }
}

extension WebhookDeliveryService: CustomStringConvertible {
    public var description: String { "WebhookDeliveryService(\(webhooks.count) endpoint(s))" }
}

extension WebhookDispatcher: CustomStringConvertible {
    public var description: String { "WebhookDispatcher(\(webhooks.count) endpoint(s))" }
}
