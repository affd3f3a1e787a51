import Foundation
import Testing

@testable import Inspector2Model

/// Encode + decode checks shared by the generated per-action tests.
enum RoundTrip {
    static func value<T: Codable & Equatable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let data = try Inspector2JSON.makeEncoder().encode(value)
        let decoded = try Inspector2JSON.makeDecoder().decode(T.self, from: data)
        #expect(decoded == value, sourceLocation: sourceLocation)
        // The types code their timestamps themselves, so a default-configured decoder agrees.
        let plain = try JSONDecoder().decode(T.self, from: data)
        #expect(plain == value, sourceLocation: sourceLocation)
    }

    /// A request travels as body + path + query: rebuild it the way a server would.
    static func request<R: Inspector2Request>(_ request: R, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(request.operation == R.operation, sourceLocation: sourceLocation)
        let body = try Inspector2JSON.makeEncoder().encode(request)
        var decoded = try Inspector2JSON.makeDecoder().decode(R.self, from: body)
        let route = try #require(
            Inspector2Operations.route(method: R.operation.method, path: request.httpPath), sourceLocation: sourceLocation)
        #expect(route.operation == R.operation, sourceLocation: sourceLocation)
        decoded.bindHTTP(pathParameters: route.labels, queryItems: request.httpQueryItems)
        #expect(decoded == request, sourceLocation: sourceLocation)
    }
}
