import Foundation

/// A `pattern` constraint of the model, compiled once. AWS matches the whole value, so the pattern
/// is wrapped as `\A(?:pattern)\z` (botocore's patterns carry no anchors of their own, or only
/// inside alternatives).
final class ValidationPattern: @unchecked Sendable {
    // NSRegularExpression is immutable and documented thread-safe, hence @unchecked.
    let pattern: String
    let regex: NSRegularExpression?

    init(_ pattern: String) {
        self.pattern = pattern
        self.regex = try? NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z")
    }

    /// A pattern that does not compile rejects nothing; a test makes sure every generated one compiles.
    func matches(_ value: String) -> Bool {
        guard let regex else { return true }
        let range = NSRange(value.startIndex..<value.endIndex, in: value)
        return regex.firstMatch(in: value, options: [], range: range) != nil
    }
}
