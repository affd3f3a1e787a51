/// The checks the generated `validate(path:into:)` methods call. Paths are autoclosures so a valid
/// value costs no string building.
enum ValidationRules {
    static func member(_ path: String, _ name: String) -> String {
        path.isEmpty ? name : path + "." + name
    }

    static func index(_ path: String, _ index: Int) -> String {
        path + "[\(index)]"
    }

    static func key(_ path: String, _ key: String) -> String {
        member(path, key)
    }

    static func checkString(
        _ value: String, min: Int? = nil, max: Int? = nil, pattern: ValidationPattern? = nil,
        path: @autoclosure () -> String, into issues: inout [ValidationIssue]
    ) {
        if min != nil || max != nil {
            // Smithy's length counts Unicode scalar values.
            let length = value.unicodeScalars.count
            if let min, length < min {
                issues.append(ValidationIssue(field: path(), message: "Member must have length greater than or equal to \(min)"))
            }
            if let max, length > max {
                issues.append(ValidationIssue(field: path(), message: "Member must have length less than or equal to \(max)"))
            }
        }
        if let pattern, !pattern.matches(value) {
            issues.append(ValidationIssue(field: path(), message: "Member must satisfy regular expression pattern: \(pattern.pattern)"))
        }
    }

    static func checkInteger(
        _ value: Int64, min: Int64? = nil, max: Int64? = nil,
        path: @autoclosure () -> String, into issues: inout [ValidationIssue]
    ) {
        if let min, value < min {
            issues.append(ValidationIssue(field: path(), message: "Member must have value greater than or equal to \(min)"))
        }
        if let max, value > max {
            issues.append(ValidationIssue(field: path(), message: "Member must have value less than or equal to \(max)"))
        }
    }

    static func checkDouble(
        _ value: Double, min: Double? = nil, max: Double? = nil,
        path: @autoclosure () -> String, into issues: inout [ValidationIssue]
    ) {
        if let min, !(value >= min) {
            issues.append(ValidationIssue(field: path(), message: "Member must have value greater than or equal to \(min)"))
        }
        if let max, !(value <= max) {
            issues.append(ValidationIssue(field: path(), message: "Member must have value less than or equal to \(max)"))
        }
    }

    static func checkCount(
        _ count: Int, min: Int? = nil, max: Int? = nil,
        path: @autoclosure () -> String, into issues: inout [ValidationIssue]
    ) {
        if let min, count < min {
            issues.append(ValidationIssue(field: path(), message: "Member must have length greater than or equal to \(min)"))
        }
        if let max, count > max {
            issues.append(ValidationIssue(field: path(), message: "Member must have length less than or equal to \(max)"))
        }
    }
}
