import Foundation

/// The text `inspector-sync migrate --status` prints: one line per migration, then a summary.
public struct MigrationStatusReport: Sendable {
    public var plan: MigrationPlan

    public init(plan: MigrationPlan) { self.plan = plan }

    public var text: String {
        let formatter = ISO8601DateFormatter()
        var lines: [String] = []
        for entry in plan.entries {
            let state: String
            switch entry.state {
            case .applied(let at): state = "applied  \(formatter.string(from: at))"
            case .pending: state = "pending"
            case .changed: state = "CHANGED  (file differs from the applied version)"
            case .unknown(let at): state = "unknown  \(formatter.string(from: at)) (applied by a newer inspector-sync)"
            }
            lines.append("\(entry.fileName.padding(toLength: 40, withPad: " ", startingAt: 0)) \(state)")
        }
        let applied = plan.entries.count - plan.pending.count
        lines.append("\(applied) applied, \(plan.pending.count) pending")
        return lines.joined(separator: "\n") + "\n"
    }
}
