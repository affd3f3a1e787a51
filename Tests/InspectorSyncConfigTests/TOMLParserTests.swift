import Testing
@testable import InspectorSyncConfig

@Suite struct TOMLParserTests {
    @Test func keysBareQuotedDotted() throws {
        #expect(try parse("a = 1\n\"b c\" = 2\n'd.e' = 3\nf . g = 4\n1234 = 5\n\"\" = 6") == #"{a:1,b c:2,d.e:3,f:{g:4},1234:5,:6}"#)
        #expect(try parse("3.14 = 1") == "{3:{14:1}}")
        #expect(try parse("site.\"google.com\" = true") == #"{site:{google.com:true}}"#)
    }

    @Test func comments() throws {
        #expect(try parse("# top\na = 1 # trailing\n  # indented\nb = \"# not a comment\"") == ##"{a:1,b:"# not a comment"}"##)
    }

    @Test func basicStringEscapes() throws {
        #expect(try parse(#"s = "a\tb\nc\"d\\e\u00E9\U0001F600\b\f\r""#) == "{s:\"a\tb\nc\"d\\eé😀\u{08}\u{0C}\r\"}")
    }

    @Test func literalStrings() throws {
        #expect(try parse(#"s = 'C:\Users\nodejs\templates'"#) == #"{s:"C:\Users\nodejs\templates"}"#)
    }

    @Test func multilineStrings() throws {
        #expect(try parse("s = \"\"\"\nRoses\nViolets\"\"\"") == "{s:\"Roses\nViolets\"}")
        #expect(try parse("s = \"\"\"\\\n   The quick \\\n\n   brown\"\"\"") == "{s:\"The quick brown\"}")
        #expect(try parse("s = \"\"\"Here are two quotes: \"\". Simple.\"\"\"") == "{s:\"Here are two quotes: \"\". Simple.\"}")
        #expect(try parse("s = \"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"") == "{s:\"\"This,\" she said, \"is just a pointless statement.\"\"}")
        #expect(try parse("s = '''\nfirst\n  second\\n'''") == "{s:\"first\n  second\\n\"}")
        #expect(try parse("s = ''''That,' she said.''''") == "{s:\"'That,' she said.'\"}")
        #expect(try parse("s = \"\"\"a\r\nb\"\"\"") == "{s:\"a\nb\"}")
    }

    @Test func integers() throws {
        #expect(try parse("a = +99\nb = 42\nc = 0\nd = -17\ne = 1_000\nf = 5_349_221") == "{a:99,b:42,c:0,d:-17,e:1000,f:5349221}")
        #expect(try parse("h = 0xDEAD_beef\no = 0o755\nb = 0b1101_0110") == "{h:3735928559,o:493,b:214}")
        #expect(try parse("max = 9223372036854775807\nmin = -9223372036854775808") == "{max:9223372036854775807,min:-9223372036854775808}")
        #expect(try parse("z = -0\np = +0") == "{z:0,p:0}")
    }

    @Test func floats() throws {
        #expect(try parse("a = +1.0\nb = 3.1415\nc = -0.01\nd = 5e+22\ne = 1e06\nf = -2E-2\ng = 6.626e-34\nh = 224_617.445_991_228") ==
            "{a:1.0f,b:3.1415f,c:-0.01f,d:5e+22f,e:1000000.0f,f:-0.02f,g:6.626e-34f,h:224617.445991228f}")
        #expect(try parse("a = inf\nb = +inf\nc = -inf") == "{a:inff,b:inff,c:-inff}")
        let table = try TOMLParser.parse("n = nan\nm = -nan\np = +nan")
        #expect(table["n"]?.float?.isNaN == true && table["m"]?.float?.isNaN == true && table["p"]?.float?.isNaN == true)
    }

    @Test func booleansAndDateTimes() throws {
        #expect(try parse("t = true\nf = false") == "{t:true,f:false}")
        #expect(try parse("""
            odt1 = 1979-05-27T07:32:00Z
            odt2 = 1979-05-27T00:32:00-07:00
            odt3 = 1979-05-27T00:32:00.999999+05:30
            odt4 = 1979-05-27 07:32:00z
            ldt = 1979-05-27T00:32:00.5
            ld = 1979-05-27
            lt = 07:32:00
            lt2 = 00:32:00.999999
            leap = 2024-02-29
            """) == "{odt1:@1979-05-27T07:32:00Z,odt2:@1979-05-27T00:32:00-07:00,odt3:@1979-05-27T00:32:00.999999+05:30,"
            + "odt4:@1979-05-27T07:32:00Z,ldt:@1979-05-27T00:32:00.5,ld:@1979-05-27,lt:@07:32:00,lt2:@00:32:00.999999,leap:@2024-02-29}")
        #expect(try parse("d = 1979-05-27 # a date, then a comment") == "{d:@1979-05-27}")
    }

    @Test func arrays() throws {
        #expect(try parse("a = [ 1, 2, 3 ]\nb = [\"a\", 'b']\nc = [ [ 1, 2 ], [\"x\", 1.5] ]\nd = []") ==
            #"{a:[1,2,3],b:["a","b"],c:[[1,2],["x",1.5f]],d:[]}"#)
        #expect(try parse("a = [\n  1, # one\n  2,\n\n  # comment line\n  3,\n]") == "{a:[1,2,3]}")
        #expect(try parse("a = [ { x = 1 }, { y = 2 } ]") == "{a:[{x:1},{y:2}]}")
    }

    @Test func inlineTables() throws {
        #expect(try parse("name = { first = \"Tom\", last = \"Preston-Werner\" }\np = { x = 1, y.z = 2 }\ne = {}") ==
            #"{name:{first:"Tom",last:"Preston-Werner"},p:{x:1,y:{z:2}},e:{}}"#)
    }

    @Test func tablesAndArraysOfTables() throws {
        let document = """
            [table-1]
            key1 = "some string"
            [dog."tater.man"]
            type.name = "pug"
            [a.b.c]
            x = 1
            [a]
            y = 2
            [[products]]
            name = "Hammer"
            [[products]]
            [[products]]
            name = "Nail"
            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits.varieties]]
            name = "red delicious"
            [[fruits]]
            name = "banana"
            """
        #expect(try parse(document) == #"{table-1:{key1:"some string"},dog:{tater.man:{type:{name:"pug"}}},a:{b:{c:{x:1}},y:2},"#
            + #"products:[{name:"Hammer"},{},{name:"Nail"}],"#
            + #"fruits:[{name:"apple",physical:{color:"red"},varieties:[{name:"red delicious"}]},{name:"banana"}]}"#)
        // Sub-tables of tables made by dotted keys are allowed.
        #expect(try parse("[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true") ==
            #"{fruit:{apple:{color:"red",texture:{smooth:true}}}}"#)
    }

    @Test func lineNumbers() throws {
        let table = try TOMLParser.parse("# c\n\n[sync]\ninterval = \"5m\"\nlist = [\n 1,\n 2]\n[[w]]\nn = 1\n[[w]]\n")
        #expect(table["sync"]?.line == 3)
        #expect(table["sync"]?.table?["interval"]?.line == 4)
        #expect(table["sync"]?.table?["list"]?.line == 5)
        #expect(table["sync"]?.table?["list"]?.array?.map(\.line) == [6, 7])
        #expect(table["w"]?.array?.map(\.line) == [8, 10])
        #expect(table["w"]?.array?.first?.table?["n"]?.line == 9)
    }

    @Test func byteOrderMarkAndCRLF() throws {
        #expect(try parse("\u{FEFF}a = 1\r\nb = 2\r\n") == "{a:1,b:2}")
    }

    /// (document, line, column, message fragment)
    static let errors: [(String, Int, Int, String)] = [
        ("a = 1\na = 2", 2, 1, "duplicate key a (first defined at line 1)"),
        ("[a]\n[a]", 2, 1, "table [a] is defined twice (first at line 1)"),
        ("[a]\nb = 1\n[a.b]", 3, 1, "cannot define table [a.b]: the key already holds a value (line 2)"),
        ("[fruit]\napple.color = \"red\"\n[fruit.apple]", 3, 1, "already created by dotted keys"),
        ("a = {x = 1}\n[a.b]", 2, 1, "inline table"),
        ("a = {x = 1}\na.y = 2", 2, 1, "inline table"),
        ("a = [1]\n[[a]]", 2, 1, "static array"),
        ("[[a]]\n[a]", 2, 1, "it is an array of tables"),
        ("[a]\n[[a]]", 2, 1, "already a table"),
        ("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", 4, 1, "table b.c was already defined"),
        ("p = {x.y = 1, x = 2}", 1, 15, "duplicate key x"),
        ("a = ", 1, 5, "expected a value"),
        ("a = 1 b = 2", 1, 7, "expected a newline after the value"),
        ("a = \"unterminated", 1, 18, "unterminated string"),
        ("a = \"x\ny\"", 1, 7, "newline is not allowed"),
        ("a = \"\\q\"", 1, 6, "invalid escape sequence"),
        ("a = \"\\uD800\"", 1, 6, "not a Unicode scalar"),
        ("a = \"\\u12\"", 1, 6, "4 hexadecimal digits"),
        ("a = 01", 1, 5, "leading zeros"),
        ("a = 1__0", 1, 5, "invalid number"),
        ("a = _1", 1, 5, "expected a value"),
        ("a = 1_", 1, 5, "invalid number"),
        ("a = 9223372036854775808", 1, 5, "does not fit in 64 bits"),
        ("a = 0x", 1, 5, "invalid hexadecimal"),
        ("a = -0x1", 1, 5, "cannot have a sign"),
        ("a = 1.", 1, 5, "invalid float"),
        ("a = .5", 1, 5, "expected a value"),
        ("a = 1e", 1, 5, "invalid float"),
        ("a = 03.14", 1, 5, "leading zeros"),
        ("a = TRUE", 1, 5, "expected a value"),
        ("a = yes", 1, 5, "expected a value"),
        ("a = 1979-13-01", 1, 15, "month must be 01 to 12"),
        ("a = 2023-02-29", 1, 15, "no such day"),
        ("a = 07:32", 1, 10, "seconds"),
        ("a = [1, 2", 1, 10, "unterminated array"),
        ("a = [1 2]", 1, 8, "expected ',' or ']'"),
        ("a = [,]", 1, 6, "expected a value"),
        ("a = {x = 1,}", 1, 12, "trailing comma"),
        ("a = {x = 1\n}", 1, 11, "single line"),
        ("[a\nb = 1", 1, 3, "expected ']'"),
        ("[[a]\n", 1, 5, "expected ']]'"),
        ("[]", 1, 2, "expected a key"),
        ("= 1", 1, 1, "expected a key"),
        ("a.= 1", 1, 3, "expected a key"),
        ("key", 1, 4, "expected '=' after the key"),
        ("a = \"\"\"x", 1, 9, "unterminated multi-line string"),
        ("a = \"\"\"x\"\"\"\"\"\"", 1, 15, "too many quotes"),
        ("a = 1\rb = 2", 1, 6, "carriage return"),
        ("a = 'x\u{01}'", 1, 7, "control character U+0001"),
        ("# bad \u{7F} comment", 1, 7, "control character U+007F"),
        ("\"\"\"a\"\"\" = 1", 1, 1, "multi-line string cannot be a key"),
    ]

    @Test(arguments: 0..<errors.count) func errorCases(index: Int) {
        let (document, line, column, message) = Self.errors[index]
        let error = parseError(document)
        #expect(error != nil, "expected an error for \(document.debugDescription)")
        #expect(error?.line == line, "\(document.debugDescription): \(String(describing: error))")
        #expect(error?.column == column, "\(document.debugDescription): \(String(describing: error))")
        #expect(error?.message.contains(message) == true, "\(document.debugDescription): \(String(describing: error))")
    }

    /// Edge cases of the redefinition, string, number and date rules; the verdicts are Python
    /// tomllib's (a conforming TOML 1.0 parser), checked when these tests were written.
    static let verdicts: [(String, Bool)] = [
        ("a = 1\n[a]\n", false),
        ("[a]\nb.c = 1\n[a.b]\n", false),
        ("[a.b.c]\n[a]\nb.d = 1\n", true),
        ("[a.b.c]\n[a]\nb.d = 1\n[a.b]\n", false),
        ("a.b = 1\n[a.c]\n", true),
        ("a.b = 1\n[a]\n", false),
        ("[[a]]\nb.c = 1\n[[a]]\nb.c = 2\n", true),
        ("[a]\n[a.b]\n[a]\n", false),
        ("x = {a.b = 1, a.c = 2}\n", true),
        ("x = {a = {b = 1}, a.c = 2}\n", false),
        ("k = '''a''''\n", true),
        ("k = '''a'''''\n", true),
        ("k = '''a''''''\n", false),
        ("k = \"\"\"\\   \n  x\"\"\"\n", true),
        ("k = \"\"\"\\ x\"\"\"\n", false),
        ("k = 1979-05-27 07:32:00\n", true),
        ("k = 1979-05-27 \n", true),
        ("k = 24:00:00\n", false),
        ("k = 1e1_0\n", true),
        ("k = 1_e10\n", false),
        ("k = 0.1_1\n", true),
        ("k = 0o8\n", false),
        ("k = 0b2\n", false),
        ("k = 0xg\n", false),
        ("k = 0X1\n", false),
        ("k = +nan\n", true),
        ("k = -inf\n", true),
        ("k = nan1\n", false),
        ("\"a\".\"b\" = 1\n\"a\".c = 2\n", true),
        ("'' = 1\n", true),
        ("a.b.c = 1\na.b.d = 2\n", true),
        ("a = [1,\n#c\n2,]\n", true),
        ("a = [\n]\n", true),
        ("a = {}\n[a.b]\n", false),
        ("[a]\nx=1\n[[a.b]]\n[a.b.c]\n[[a.b]]\n", true),
        ("[[a.b]]\n[a]\n", true),
        ("[[a.b]]\n[a]\n[a]\n", false),
        ("a=1#c\n", true),
        ("a=\"\\u0000\"\n", true),
        ("a=\"\\U0010FFFF\"\n", true),
        ("a=\"\\U00110000\"\n", false),
        ("[ a ]\n", true),
        ("[ [a] ]\n", false),
        ("[[ a ]]\n", true),
        ("a = 1979-05-27T07:32:00.123456789123Z\n", true),
        ("a = 1979-05-27t07:32:00z\n", true),
        ("a = 2000-02-30\n", false),
        ("a = 1900-02-29\n", false),
        ("a = -0.0\n", true),
        ("a = 1E+2\n", true),
        ("a=true\n", true),
        ("a =\ttrue\n", true),
        ("\ta = 1\n", true),
        ("a = \"x\" # \t tab ok\n", true),
        ("a\t.\tb = 1\n", true),
        ("a = [[1], {b = 1}]\n", true),
        ("[tbl]\n[tbl.x]\n[tbl]\n", false),
        ("k = \"\"\"\"\"\"\"\n", true),
        ("k = \"\"\"a\"\"\"\"\"\"\n", false),
        ("k = \"\"\"a\"\"\"\"\"\n", true),
        ("a = {b = 1}\nb = {a = 1}\n[c]\n", true),
        ("a.b = 1\n[a.b.c]\n", false),
    ]

    @Test(arguments: 0..<verdicts.count) func agreesWithReferenceParser(index: Int) {
        let (document, valid) = Self.verdicts[index]
        let error = parseError(document)
        #expect((error == nil) == valid, "\(document.debugDescription): \(String(describing: error))")
    }

    @Test func invalidUTF8() {
        let error: TOMLParseError?
        do { _ = try TOMLParser.parse(bytes: Array("a = 1\nb = \"".utf8) + [0xC3, 0x28, 0x22]); error = nil } catch let caught { error = caught }
        #expect(error?.code == .encoding)
        #expect(error?.line == 2)
    }

    @Test func columnsCountCharactersNotBytes() {
        #expect(parseError("\"é\" = 1 x")?.column == 9)
    }

    @Test func errorsDoNotQuoteValues() {
        // A secret with a bad escape must not appear in the message.
        let error = parseError("secret = \"whsec_abc\\qdef\"")
        #expect(error != nil)
        #expect(error?.description.contains("whsec") == false)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        #expect(parseError("a = " + String(repeating: "[", count: 10_000))?.message.contains("nested too deeply") == true)
        #expect(parseError("a = " + String(repeating: "{b = ", count: 10_000))?.message.contains("nested too deeply") == true)
    }
}
