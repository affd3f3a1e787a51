import FindingStore
import Testing

@Suite struct FindingTransitionTests {
    let steady = FindingTransition.Options(isBackfill: false, eventsOnFirstSync: false)

    func state(_ status: String = "ACTIVE", _ severity: String = "HIGH", score: Double? = 7.5, fix: String? = "NO", exploit: String? = "NO", removed: Bool = false) -> FindingState {
        FindingState(status: status, severity: severity, inspectorScore: score, fixAvailable: fix, exploitAvailable: exploit, removed: removed)
    }

    @Test func newFindingIsCreatedExceptInASilentBackfill() {
        #expect(FindingTransition.classify(old: nil, new: state(), options: steady) == [.findingCreated])
        #expect(FindingTransition.classify(old: nil, new: state(), options: .init(isBackfill: true, eventsOnFirstSync: false)) == [])
        #expect(FindingTransition.classify(old: nil, new: state(), options: .init(isBackfill: true, eventsOnFirstSync: true)) == [.findingCreated])
        #expect(FindingTransition.classify(old: nil, new: state("CLOSED"), options: steady) == [.findingCreated])
    }

    @Test func identicalStateMakesNoEvent() {
        for status in ["ACTIVE", "CLOSED", "SUPPRESSED", "SOMETHING_NEW"] {
            #expect(FindingTransition.classify(old: state(status), new: state(status), options: steady) == [])
        }
    }

    /// Every pair of statuses, including one AWS might add later.
    @Test(arguments: [
        ("ACTIVE", "CLOSED", ChangeEventType.findingClosed),
        ("SUPPRESSED", "CLOSED", .findingClosed),
        ("SOMETHING_NEW", "CLOSED", .findingClosed),
        ("CLOSED", "ACTIVE", .findingReopened),
        ("ACTIVE", "SUPPRESSED", .findingSuppressed),
        ("CLOSED", "SUPPRESSED", .findingSuppressed),
        ("SOMETHING_NEW", "SUPPRESSED", .findingSuppressed),
        ("SUPPRESSED", "ACTIVE", .findingUnsuppressed),
        ("ACTIVE", "SOMETHING_NEW", .findingStatusChanged),
        ("CLOSED", "SOMETHING_NEW", .findingStatusChanged),
        ("SUPPRESSED", "SOMETHING_NEW", .findingStatusChanged),
        ("SOMETHING_NEW", "ACTIVE", .findingStatusChanged),
    ])
    func statusTransitions(from: String, to: String, expected: ChangeEventType) {
        #expect(FindingTransition.classify(old: state(from), new: state(to), options: steady) == [expected])
    }

    @Test func severityChangeWinsOverScoreChange() {
        #expect(FindingTransition.classify(old: state(score: 7.5), new: state("ACTIVE", "CRITICAL", score: 9.8), options: steady) == [.findingSeverityChanged])
        #expect(FindingTransition.classify(old: state(score: 7.5), new: state(score: 8.1), options: steady) == [.findingScoreChanged])
        #expect(FindingTransition.classify(old: state(score: nil), new: state(score: 8.1), options: steady) == [.findingScoreChanged])
        #expect(FindingTransition.classify(old: state(score: 7.5), new: state(score: 7.500000001), options: steady) == [])
        var epssMoved = state()
        epssMoved.epssScore = 0.3
        #expect(FindingTransition.classify(old: state(), new: epssMoved, options: steady) == [.findingScoreChanged])
    }

    @Test func fixAndExploitChangesAreTheirOwnEvents() {
        #expect(FindingTransition.classify(old: state(fix: "NO"), new: state(fix: "YES"), options: steady) == [.findingFixAvailableChanged])
        #expect(FindingTransition.classify(old: state(fix: nil), new: state(fix: "PARTIAL"), options: steady) == [.findingFixAvailableChanged])
        #expect(FindingTransition.classify(old: state(exploit: "NO"), new: state(exploit: "YES"), options: steady) == [.findingExploitAvailableChanged])
    }

    @Test func severalChangesAtOnceComeInAStableOrder() {
        let events = FindingTransition.classify(
            old: state("CLOSED", "LOW", score: 3.1, fix: "NO", exploit: "NO"),
            new: state("ACTIVE", "CRITICAL", score: 9.8, fix: "YES", exploit: "YES"),
            options: steady
        )
        #expect(events == [.findingReopened, .findingSeverityChanged, .findingFixAvailableChanged, .findingExploitAvailableChanged])
    }

    @Test func purgedFindingThatReturnsOpenIsReopened() {
        #expect(FindingTransition.classify(old: state("ACTIVE", removed: true), new: state("ACTIVE"), options: steady) == [.findingReopened])
        #expect(FindingTransition.classify(old: state("CLOSED", removed: true), new: state("CLOSED"), options: steady) == [])
        #expect(FindingTransition.classify(old: state("CLOSED", removed: true), new: state("ACTIVE"), options: steady) == [.findingReopened])
    }

    @Test func lastObservedAtAloneIsNotAnEventBecauseItIsNotInTheState() {
        // FindingState deliberately has no lastObservedAt: a record differing only there maps to equal states.
        #expect(state() == state())
    }
}
