import Foundation

/// The JSON coders for the Inspector v2 wire format.
///
/// The generated types handle timestamps themselves (epoch seconds), so any `JSONDecoder` works;
/// these coders also set the date strategies so a caller's own `Date` fields match the wire.
public enum Inspector2JSON {
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }

    /// Omits `nil` members; `sortedKeys` keeps bodies byte-stable for signing tests and fixtures.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Decodes a request body as a server does: a missing required member or a value of the wrong
    /// type becomes a `ValidationFailure` (AWS answers both with a ValidationException), and the
    /// decoded value is then checked against the model's constraints.
    public static func decodeRequest<Request: Decodable & Inspector2Validatable>(
        _ type: Request.Type,
        from body: Data,
        decoder: JSONDecoder = makeDecoder()
    ) throws(ValidationFailure) -> Request {
        let value: Request
        do {
            // An empty body means "no members", as AWS treats it.
            value = try decoder.decode(Request.self, from: body.isEmpty ? Data("{}".utf8) : body)
        } catch let error as DecodingError {
            throw ValidationFailure(decodingError: error)
        } catch {
            throw ValidationFailure(issues: [ValidationIssue(field: "", message: "Request body is not valid JSON")])
        }
        try value.validate()
        return value
    }
}
