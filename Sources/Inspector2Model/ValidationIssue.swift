/// One member that broke a constraint of the model. `field` is a path like
/// `filterCriteria.awsAccountId[0].value`; `message` is AWS's wording ("Member must ...").
/// Neither carries the offending value, so both are safe to log and to return to a client.
public struct ValidationIssue: Hashable, Sendable, Codable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
