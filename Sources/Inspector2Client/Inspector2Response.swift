import Foundation

/// A decoded answer with what the HTTP layer knew about it.
public struct Inspector2Response<Output: Sendable>: Sendable {
    public var output: Output
    /// The response's `Date` header: the service's clock, which sync windows are based on.
    public var serverDate: Date?
    public var requestId: String?
    public var httpStatus: Int
    /// Attempts it took (1 when not retried).
    public var attempts: Int

    public init(output: Output, serverDate: Date?, requestId: String?, httpStatus: Int, attempts: Int) {
        self.output = output
        self.serverDate = serverDate
        self.requestId = requestId
        self.httpStatus = httpStatus
        self.attempts = attempts
    }
}

/// One list element in both forms: typed for logic, raw bytes exactly as sent for storage.
public struct RawItem<Item: Sendable>: Sendable {
    public var value: Item
    public var raw: Data

    public init(value: Item, raw: Data) {
        self.value = value
        self.raw = raw
    }
}

/// One page of ListFindings or ListCoverage for the sync engine.
public struct RawPage<Item: Sendable>: Sendable {
    public var items: [RawItem<Item>]
    public var nextToken: String?
    public var serverDate: Date?
    public var requestId: String?

    public init(items: [RawItem<Item>], nextToken: String?, serverDate: Date?, requestId: String?) {
        self.items = items
        self.nextToken = nextToken
        self.serverDate = serverDate
        self.requestId = requestId
    }
}
