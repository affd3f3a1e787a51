import Foundation

/// One page of a list response, split without decoding: the raw bytes of each element of the
/// array member (exactly as the API sent them) and the `nextToken`.
public struct RawJSONPage: Sendable {
    /// The whole response body; `elementRanges` index into it.
    public let body: Data
    /// Byte ranges of the array's elements in `body`, in order, without surrounding whitespace.
    public let elementRanges: [Range<Int>]
    /// The unescaped `nextToken`, nil when absent or null.
    public let nextToken: String?

    public init(body: Data, elementRanges: [Range<Int>], nextToken: String?) {
        self.body = body
        self.elementRanges = elementRanges
        self.nextToken = nextToken
    }

    public var count: Int { elementRanges.count }

    /// The raw bytes of element `index`, as a fresh `Data` starting at index 0.
    public func element(_ index: Int) -> Data {
        let range = elementRanges[index]
        let start = body.startIndex + range.lowerBound
        return Data(body[start..<(start + range.count)])
    }

    /// All elements' raw bytes.
    public var elements: [Data] { elementRanges.indices.map(element) }

    /// The raw text of element `index` (bodies are UTF-8 JSON; the splitter checked the strings).
    public func elementText(_ index: Int) -> String {
        String(decoding: element(index), as: UTF8.self)
    }
}

/// A list page decoded element by element, each typed value paired with its raw JSON.
public struct RawDecodedPage<Element: Decodable & Sendable>: Sendable {
    public struct Item: Sendable {
        public let value: Element
        /// The element exactly as the API sent it.
        public let raw: Data
    }

    public let items: [Item]
    public let nextToken: String?

    /// Splits `body` on `arrayKey` and decodes each element with `decoder`.
    public init(
        body: Data, arrayKey: String, decoder: JSONDecoder = Inspector2JSON.makeDecoder()
    ) throws(RawJSONError) {
        let page = try RawJSONArraySplitter.split(body, arrayKey: arrayKey)
        var items: [Item] = []
        items.reserveCapacity(page.count)
        for index in 0..<page.count {
            let raw = page.element(index)
            do {
                items.append(Item(value: try decoder.decode(Element.self, from: raw), raw: raw))
            } catch {
                throw RawJSONError(
                    code: .elementNotDecodable, offset: page.elementRanges[index].lowerBound,
                    detail: "element \(index): \(Self.reason(error))")
            }
        }
        self.items = items
        self.nextToken = page.nextToken
    }

    private static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not decodable" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \(ValidationFailure.path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "bad value at \(ValidationFailure.path(context.codingPath))"
        @unknown default:
            return "not decodable"
        }
    }
}

extension RawDecodedPage where Element == Finding {
    /// A ListFindings response body: each `Finding` with its raw JSON, and the `nextToken`.
    public static func findings(
        from body: Data, decoder: JSONDecoder = Inspector2JSON.makeDecoder()
    ) throws(RawJSONError) -> Self {
        try Self(body: body, arrayKey: "findings", decoder: decoder)
    }
}

extension RawDecodedPage where Element == CoveredResource {
    /// A ListCoverage response body: each `CoveredResource` with its raw JSON, and the `nextToken`.
    public static func coveredResources(
        from body: Data, decoder: JSONDecoder = Inspector2JSON.makeDecoder()
    ) throws(RawJSONError) -> Self {
        try Self(body: body, arrayKey: "coveredResources", decoder: decoder)
    }
}

public typealias RawFindingsPage = RawDecodedPage<Finding>
public typealias RawCoveragePage = RawDecodedPage<CoveredResource>
