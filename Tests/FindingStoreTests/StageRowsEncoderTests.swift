import FindingStore
import Foundation
import Testing

@Suite struct StageRowsEncoderTests {
    @Test func writesOneObjectPerRowWithEmbeddedDocuments() throws {
        var encoder = StageRowsEncoder(columns: ["a", "n", "d", "raw"])
        #expect(encoder.isEmpty)
        #expect(encoder.json == "[]")
        encoder.text("tab\there \"quoted\" \\ and\nnewline é")
        encoder.int(nil)
        encoder.double(.nan)
        encoder.bytes(Array(#"{"x":[1,2,{"y":null}]}"#.utf8))
        encoder.endRow()
        encoder.text(nil)
        encoder.int(42)
        encoder.double(1.5)
        encoder.bytes(nil)
        encoder.endRow()
        let parsed = try JSONSerialization.jsonObject(with: Data(encoder.json.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 2)
        #expect(parsed?[0]["a"] as? String == "tab\there \"quoted\" \\ and\nnewline é")
        #expect(parsed?[0]["n"] is NSNull && parsed?[0]["d"] is NSNull, "NaN becomes NULL")
        #expect((parsed?[0]["raw"] as? [String: Any])?["x"] is [Any], "documents are embedded, not quoted")
        #expect(parsed?[1]["n"] as? Int == 42 && parsed?[1]["d"] as? Double == 1.5 && parsed?[1]["raw"] is NSNull)
    }
}
