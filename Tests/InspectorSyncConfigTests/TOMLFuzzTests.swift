import Testing
@testable import InspectorSyncConfig

/// Deterministic pseudo-random numbers so a failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct TOMLFuzzTests {
    static let seedDocument = """
        # comment
        [database]
        url = "postgres://u@h/db"
        a.b."c" = [1, 2.5, -inf, 0x1F, "s", 'l', { x = true }, 1979-05-27T07:32:00Z]
        m = \"\"\"multi\\
            line \\u00E9\"\"\"
        [[webhooks]]
        name = 'x'
        retry = ["0s",
          "5s", # c
        ]
        [a.b.d]
        t = 07:32:00.5
        """

    /// Random bytes, biased toward TOML's punctuation so the parser gets past the first token.
    @Test func randomBytesNeverCrash() {
        var random = SplitMix64(state: 42)
        let alphabet = Array("[]{}=\"'.,#\n\r\t -+_:0123456789abcdefxoeEinftruTZ\\uU".utf8)
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<80, using: &random)
            let bytes: [UInt8] = (0..<length).map { _ in
                Bool.random(using: &random) ? alphabet.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
            }
            _ = try? TOMLParser.parse(bytes: bytes)
        }
    }

    /// A valid document with random bytes replaced, inserted, deleted or duplicated.
    @Test func mutatedDocumentsNeverCrash() throws {
        _ = try TOMLParser.parse(Self.seedDocument)
        var random = SplitMix64(state: 7)
        let original = Array(Self.seedDocument.utf8)
        let interesting = Array("[]{}=\"'.,#\n\\\r".utf8)
        var accepted = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[index] = interesting.randomElement(using: &random)!
                case 1: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
                case 2: bytes.remove(at: index)
                default: bytes.insert(contentsOf: bytes[index..<min(bytes.count, index + 8)], at: index)
                }
            }
            if (try? TOMLParser.parse(bytes: bytes)) != nil { accepted += 1 }
        }
        // Some mutations (inside comments or strings) keep the document valid; most do not.
        #expect(accepted > 0 && accepted < 3000)
    }
}
