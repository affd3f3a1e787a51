import FindingStore
import NIOCore
import Testing

@Suite struct CopyTextEncoderTests {
    func rendered(_ build: (inout CopyTextEncoder) -> Void) -> String {
        var encoder = CopyTextEncoder()
        build(&encoder)
        return String(buffer: encoder.buffer)
    }

    @Test func fieldsAreTabSeparatedAndNullIsBackslashN() {
        let text = rendered {
            $0.text("a"); $0.int(1); $0.double(2.5); $0.bool(true); $0.text(nil); $0.endRow()
            $0.text("b"); $0.endRow()
        }
        #expect(text == "a\t1\t2.5\tt\t\\N\nb\n")
    }

    @Test func specialCharactersAreEscaped() {
        let text = rendered { $0.text("back\\slash\ttab\nnewline\rcr \"quoted\""); $0.endRow() }
        #expect(text == "back\\\\slash\\ttab\\nnewline\\rcr \"quoted\"\n")
    }

    @Test func jsonBytesKeepTheirEscapesForPostgres() {
        let json = Array(#"{"t":"a\"b\\c\n"}"#.utf8)
        let text = rendered { $0.bytes(json); $0.endRow() }
        #expect(text == #"{"t":"a\\"b\\\\c\\n"}"# + "\n")
    }

    @Test func nonFiniteDoublesAreNull() {
        #expect(rendered { $0.double(.nan); $0.double(.infinity); $0.endRow() } == "\\N\t\\N\n")
    }
}
