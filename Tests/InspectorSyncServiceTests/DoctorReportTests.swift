import InspectorSyncService
import Testing

@Suite struct DoctorReportTests {
    @Test func rendersAlignedLinesWithFixesAndASummary() {
        let report = DoctorReport(checks: [
            DoctorCheck("config", .ok, "loaded"),
            DoctorCheck("region us-east-1", .failed, "AccessDeniedException", fix: "attach deploy/iam-policy.json"),
            DoctorCheck("database", .warning, "old"),
        ])
        #expect(report.failed)
        #expect(report.rendered() == """
            ok    config            loaded
            FAIL  region us-east-1  AccessDeniedException
                                    fix: attach deploy/iam-policy.json
            WARN  database          old

            1 of 3 checks failed

            """)
    }

    @Test func warningsDoNotFail() {
        let report = DoctorReport(checks: [DoctorCheck("a", .ok, "x"), DoctorCheck("b", .warning, "y")])
        #expect(!report.failed)
        #expect(report.rendered().hasSuffix("all 2 checks passed (1 warning)\n"))
    }
}
