import Foundation
import InspectorSyncService
import Testing

@Suite struct ReportTableTests {
    let table = ReportTable(columns: ["account", "note", "n"], rows: [["111122223333", "plain", "3"], ["444455556666", "has, comma \"and\" quote\nline", nil]])

    @Test func tableIsAlignedAndCounted() {
        let text = table.render(.table)
        let lines = text.split(separator: "\n")
        #expect(lines[0].hasPrefix("account       note"))
        #expect(lines.last == "(2 rows)")
    }

    @Test func csvQuotesWhatNeedsQuotingAndLeavesNullEmpty() {
        #expect(table.render(.csv) == "account,note,n\r\n111122223333,plain,3\r\n444455556666,\"has, comma \"\"and\"\" quote\nline\",\r\n")
    }

    @Test func jsonIsAnArrayOfObjectsThatParses() throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(table.render(.json).utf8)) as? [[String: Any]]
        #expect(parsed?.count == 2)
        #expect(parsed?[1]["note"] as? String == "has, comma \"and\" quote\nline")
        #expect(parsed?[1]["n"] is NSNull)
    }
}
