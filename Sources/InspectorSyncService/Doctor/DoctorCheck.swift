/// One finding of `inspector-sync doctor`: what was checked, how it went, and what to do about it.
public struct DoctorCheck: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case ok, warning, failed
    }

    /// What was checked: `config`, `database`, `credentials`, `region us-east-1`, `webhook pagerduty`.
    public var subject: String
    public var status: Status
    public var detail: String
    /// How to fix it; nil when nothing is wrong.
    public var fix: String?

    public init(_ subject: String, _ status: Status, _ detail: String, fix: String? = nil) {
        self.subject = subject
        self.status = status
        self.detail = detail
        self.fix = fix
    }
}

/// Every check of one `doctor` run, rendered for a terminal.
public struct DoctorReport: Sendable, Equatable {
    public var checks: [DoctorCheck]

    public init(checks: [DoctorCheck]) { self.checks = checks }

    /// A failed check makes `doctor` exit non-zero; warnings do not.
    public var failed: Bool { checks.contains { $0.status == .failed } }

    public func rendered() -> String {
        let width = checks.map(\.subject.count).max() ?? 0
        var lines: [String] = []
        for check in checks {
            let mark = switch check.status {
            case .ok: "ok  "
            case .warning: "WARN"
            case .failed: "FAIL"
            }
            lines.append("\(mark)  \(check.subject.padding(toLength: width, withPad: " ", startingAt: 0))  \(check.detail)")
            if let fix = check.fix {
                lines.append(String(repeating: " ", count: width + 8) + "fix: \(fix)")
            }
        }
        let failed = checks.filter { $0.status == .failed }.count
        let warnings = checks.filter { $0.status == .warning }.count
        lines.append("")
        lines.append(failed == 0
            ? "all \(checks.count) checks passed" + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : "")
            : "\(failed) of \(checks.count) checks failed")
        return lines.joined(separator: "\n") + "\n"
    }
}
