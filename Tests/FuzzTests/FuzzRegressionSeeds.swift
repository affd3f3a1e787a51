/// Seeds of fuzz cases that once failed, run first by every `swift test`. Add a case's seed here
/// (with a line saying what it found) when a fuzz test reports or traps on it, then fix the code.
enum FuzzRegressionSeeds {
    /// ListFindings and ListCoverage bodies through the splitter, the typed decoder and the normalizers.
    /// (`"awsAccountId": ""` stored as account "": found at INSPECTOR_SYNC_FUZZ_CASES=10 before the
    /// message named its seed; pinned by FuzzFindingsRegressionTests.anEmptyAccountIdFallsBackToTheArn.)
    static let responses: [UInt64] = []
    /// Pages through the normalizer into `FindingPageWriter` and a real database. These must store.
    static let store: [UInt64] = [
        // Unpaired surrogate escapes ("\ud800", "\udc00x"): valid JSON, refused by jsonb, so the page
        // failed on every retry. The normalizers now replace them with \ufffd (JSONNulEscapes).
        805_306_375, 805_306_404, 805_306_406, 805_306_422,
        // Bytes ED A0 80 (an encoded surrogate) inside a string passed the splitter and failed COPY.
        // The splitter now checks UTF-8 by Unicode's table 3-7.
        805_306_433,
        // A 70 KB severity made the NOTIFY hint longer than PostgreSQL's 8000-byte payload limit.
        // ChangeEventWriter now sends only the id and type (and "truncated": true) for such a hint.
        805_306_448, 805_306_480,
    ]
    /// Generated configuration files through the TOML parser and the loader.
    static let config: [UInt64] = [
        // A mangled `secret = "whsec_…"` line: the syntax error quoted the secret as the bare key
        // ("expected '=' after key whsec_…"). The parser no longer names the key there.
        1_073_747_396,
    ]
}
