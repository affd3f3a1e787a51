/// A value that can be checked against the model's constraints: lengths, ranges, patterns and list
/// sizes. Enum members are not checked (the enums are open); required members are enforced by the
/// types themselves and, for bodies, by `Inspector2JSON.decodeRequest`.
public protocol Inspector2Validatable {
    /// Appends an issue for every broken constraint; `path` is this value's field path ("" at the top).
    func validate(path: String, into issues: inout [ValidationIssue])
}

extension Inspector2Validatable {
    public func validationIssues() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        validate(path: "", into: &issues)
        return issues
    }

    public func validate() throws(ValidationFailure) {
        let issues = validationIssues()
        if !issues.isEmpty {
            throw ValidationFailure(issues: issues)
        }
    }
}
