/// One action of the API as botocore's model describes it: how a request travels over HTTP.
public struct Inspector2Operation: Hashable, Sendable, CustomStringConvertible {
    public struct HTTPMethod: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let get = HTTPMethod(rawValue: "GET")
        public static let post = HTTPMethod(rawValue: "POST")
        public static let put = HTTPMethod(rawValue: "PUT")
        public static let delete = HTTPMethod(rawValue: "DELETE")
        public static let patch = HTTPMethod(rawValue: "PATCH")
    }

    /// Where an input member travels.
    public enum Location: String, Hashable, Sendable {
        case body
        /// A `{label}` of the request URI.
        case uri
        /// The query string; a list repeats the name once per element.
        case query
        case header
    }

    /// One input member and where it goes on the wire.
    public struct Binding: Hashable, Sendable {
        /// The member name in the input structure.
        public var member: String
        public var location: Location
        /// The JSON key, URI label, query parameter or header name.
        public var name: String

        public init(member: String, location: Location, name: String) {
            self.member = member
            self.location = location
            self.name = name
        }
    }

    /// The action name, e.g. `ListFindings`.
    public var name: String
    public var method: HTTPMethod
    /// The URI template, e.g. `/tags/{resourceArn}`.
    public var requestURI: String
    /// The HTTP status of a successful answer.
    public var successCode: Int
    public var inputShape: String
    public var outputShape: String
    /// Every input member with its location (body members included).
    public var bindings: [Binding]
    /// The error shapes the model lists for the action.
    public var errors: [String]

    public init(
        name: String, method: HTTPMethod, requestURI: String, successCode: Int, inputShape: String,
        outputShape: String, bindings: [Binding], errors: [String]
    ) {
        self.name = name
        self.method = method
        self.requestURI = requestURI
        self.successCode = successCode
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.bindings = bindings
        self.errors = errors
    }

    /// `POST /findings/list`.
    public var description: String { "\(method) \(requestURI)" }

    /// The URI labels, e.g. `["resourceArn"]` for `/tags/{resourceArn}`.
    public var uriLabels: [String] { bindings.filter { $0.location == .uri }.map(\.name) }

    /// Matches a request path (without query string) against the URI template; returns the decoded
    /// label values, or nil when the path does not belong to this operation.
    public func match(path: String) -> [String: String]? {
        let template = requestURI.split(separator: "/", omittingEmptySubsequences: false)
        let actual = path.split(separator: "/", omittingEmptySubsequences: false)
        guard template.count == actual.count else { return nil }
        var labels: [String: String] = [:]
        for (t, a) in zip(template, actual) {
            if t.first == "{" && t.last == "}" {
                guard !a.isEmpty, let value = String(a).removingPercentEncoding else { return nil }
                labels[String(t.dropFirst().dropLast())] = value
            } else if t != a {
                return nil
            }
        }
        return labels
    }
}

/// The operation table; `all` is generated from the model.
public enum Inspector2Operations {
    /// The operation named `name` (e.g. `ListFindings`), if it is one of the seed's actions.
    public static func named(_ name: String) -> Inspector2Operation? {
        all.first { $0.name == name }
    }

    /// The operation answering `method path` (path without query string) and its URI labels.
    public static func route(
        method: Inspector2Operation.HTTPMethod, path: String
    ) -> (operation: Inspector2Operation, labels: [String: String])? {
        for operation in all where operation.method == method {
            if let labels = operation.match(path: path) {
                return (operation, labels)
            }
        }
        return nil
    }
}
