/// Pages of a paginated action as an `AsyncSequence`: it asks for the next page until the
/// service stops returning `nextToken`. An empty page with a token is not the end (Inspector
/// returns those while it filters). The same token coming back twice would loop forever, so it
/// ends the sequence with an error, as botocore's paginator does.
public struct PageSequence<Page: Sendable>: AsyncSequence, Sendable {
    public typealias Element = Page
    public typealias Fetch = @Sendable (_ token: String?) async throws -> (page: Page, nextToken: String?)

    let firstToken: String?
    let fetch: Fetch

    public init(startingToken: String? = nil, fetch: @escaping Fetch) {
        self.firstToken = startingToken
        self.fetch = fetch
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var token: String?
        var finished = false
        let fetch: Fetch

        public mutating func next() async throws -> Page? {
            guard !finished else { return nil }
            let sent = token
            let result: (page: Page, nextToken: String?)
            do {
                result = try await fetch(sent)
            } catch {
                finished = true
                throw error
            }
            if let next = result.nextToken, !next.isEmpty {
                if next == sent {
                    finished = true
                    throw Inspector2Error(code: .invalidResponse, message: "the service returned the nextToken it was sent; stopping to avoid an endless loop")
                }
                token = next
            } else {
                finished = true
            }
            return result.page
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(token: firstToken, fetch: fetch)
    }
}
