import Foundation

extension BuiltExecutable {
    /// A program found on PATH (e.g. `chromium`), run with the same helpers as the package's own
    /// executables; nil when it is not installed.
    public init?(onPath name: String) {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                self.url = candidate
                return
            }
        }
        return nil
    }
}
