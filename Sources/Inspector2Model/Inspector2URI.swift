import Foundation

enum Inspector2URI {
    // RFC 3986 unreserved characters: what AWS leaves unencoded in a URI label (an ARN's ':' and
    // '/' are encoded).
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encodeLabel(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }
}
