import Foundation
import Inspector2Model
import NIOHTTP1

extension Inspector2Client {
    /// Sends any action of the model: validates, encodes the JSON body (members bound to the
    /// path and query are not in it), retries per policy, decodes the answer.
    public func send<Request: Inspector2Request>(_ request: Request) async throws(Inspector2Error) -> Inspector2Response<Request.Response> {
        let prepared = try prepare(request)
        return try await execute(prepared) { response in
            try Self.decodeBody(Request.Response.self, from: response.body)
        }
    }

    /// The HTTP form of a request, after validation. Pure.
    func prepare<Request: Inspector2Request>(_ request: Request) throws(Inspector2Error) -> OperationRequest {
        let operation = Request.operation
        let request = request.withIdempotencyToken()
        if configuration.validateRequests {
            let issues = request.validationIssues()
            if !issues.isEmpty {
                throw Inspector2Error(
                    code: .requestValidation,
                    message: ValidationFailure(issues: issues).description,
                    operation: operation.name,
                    fields: issues.map { Inspector2Error.Field(name: $0.field, message: $0.message) }
                )
            }
        }
        let method = HTTPMethod(rawValue: operation.method.rawValue)
        var body: [UInt8]?
        // restJson1: GET and DELETE carry no body; other methods always send a JSON object, "{}"
        // when every member is bound elsewhere (what the SDKs send).
        if method != .GET && method != .DELETE {
            do {
                body = Array(try Self.encoder.encode(request))
            } catch {
                throw Inspector2Error(code: .requestValidation, message: "request could not be encoded", operation: operation.name, underlying: "\(error)")
            }
        }
        return OperationRequest(
            operation: operation.name,
            method: method,
            encodedPath: request.httpPath,
            query: request.httpQueryItems.map { (name: $0.name, value: $0.value ?? "") },
            body: body
        )
    }

    static var encoder: JSONEncoder { Inspector2JSON.makeEncoder() }

    /// An empty 2xx body is an empty object (some actions answer with no body at all).
    static func decodeBody<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws -> T {
        let data = body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) ? Data("{}".utf8) : Data(body)
        return try Inspector2JSON.makeDecoder().decode(T.self, from: data)
    }
}
