import Foundation

/// How many cases each fuzz test runs, and the seeds of its cases.
///
/// `INSPECTOR_SYNC_FUZZ_CASES` multiplies the defaults (which keep `swift test` to a few seconds):
/// `INSPECTOR_SYNC_FUZZ_CASES=10 swift test --filter FuzzTests` runs ten times as many. Case `i` of a
/// test uses seed `base + i`; `INSPECTOR_SYNC_FUZZ_TRACE=1` prints each seed before its case runs, so a
/// case that traps names itself, and `INSPECTOR_SYNC_FUZZ_SEED=N` runs that case alone. Keep every
/// failing seed in `FuzzRegressionSeeds`.
enum FuzzBudget {
    static var scale: Int {
        let value = ProcessInfo.processInfo.environment["INSPECTOR_SYNC_FUZZ_CASES"].flatMap { Int($0) } ?? 1
        return max(1, value)
    }

    static var trace: Bool { ProcessInfo.processInfo.environment["INSPECTOR_SYNC_FUZZ_TRACE"] == "1" }

    /// The seeds to run: the regression seeds first, then `count × scale` generated ones; or only
    /// `INSPECTOR_SYNC_FUZZ_SEED` when it is set (to replay one case).
    static func seeds(base: UInt64, count: Int, regressions: [UInt64]) -> [UInt64] {
        if let only = ProcessInfo.processInfo.environment["INSPECTOR_SYNC_FUZZ_SEED"].flatMap({ UInt64($0) }) { return [only] }
        return regressions + (0..<UInt64(count * scale)).map { base &+ $0 }
    }

    static func announce(_ test: String, _ seed: UInt64) {
        if trace { print("fuzz \(test) seed \(seed)") }
    }
}
