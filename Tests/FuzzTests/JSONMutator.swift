import Foundation
import Inspector2Emulator

/// Malformed variants of a real API response body: structural mutations of the parsed document
/// (wrong types, huge strings, unknown enum values and members, missing members, deep nesting,
/// extreme numbers, NUL and lone-surrogate escapes) and byte mutations of its text (truncation,
/// invalid UTF-8, flipped bytes). One case applies one to four mutations, all drawn from the seed.
struct JSONMutator {
    /// Members whose values are enums in the API: an unknown value must not lose the element.
    static let enumKeys: Set<String> = [
        "status", "severity", "type", "fixAvailable", "exploitAvailable", "resourceType", "scanType", "statusCode",
        "reason", "scanMode", "packageManager", "protocol", "platform", "architecture",
    ]
    /// Members the model (or the store) requires: losing one must be a clear error or a stored finding.
    static let requiredKeys = [
        "findingArn", "awsAccountId", "status", "severity", "type", "updatedAt", "resources", "firstObservedAt",
        "accountId", "resourceId", "scanType", "scanStatus", "id", "remediation", "description",
    ]

    /// Raw JSON text put in place of a placeholder string after serialization: what `JSONValue` cannot hold.
    private var raws: [String] = []

    static func mutate(_ body: [UInt8], using random: inout SplitMix64) -> [UInt8] {
        var mutator = JSONMutator()
        guard var document = try? JSONValue.parse(body) else { return body }
        var bytes: [UInt8]?
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            if bytes == nil && random.chance(0.8) {
                mutator.mutateStructure(&document, using: &random)
            } else {
                var text = bytes ?? mutator.serialize(document)
                Self.mutateBytes(&text, using: &random)
                bytes = text
            }
        }
        return bytes ?? mutator.serialize(document)
    }

    func serialize(_ document: JSONValue) -> [UInt8] {
        var text = document.serialized()
        for (index, raw) in raws.enumerated() {
            let placeholder = Array("\"\u{1}raw\(index)\u{1}\"".utf8)
            let escaped = Array("\"\\u0001raw\(index)\\u0001\"".utf8)
            for pattern in [placeholder, escaped] {
                if let range = text.firstRange(of: pattern) { text.replaceSubrange(range, with: Array(raw.utf8)) }
            }
        }
        return text
    }

    private mutating func rawValue(_ text: String) -> JSONValue {
        raws.append(text)
        return .string("\u{1}raw\(raws.count - 1)\u{1}")
    }

    // MARK: structure

    mutating func mutateStructure(_ document: inout JSONValue, using random: inout SplitMix64) {
        // Paths to every value, so a mutation can hit the page, an element, or something deep inside one.
        var paths: [[PathStep]] = []
        Self.collect(document, path: [], into: &paths)
        guard !paths.isEmpty else { return }
        let path = random.pick(paths)
        let kind = Int.random(in: 0..<9, using: &random)
        Self.update(&document, at: path[...]) { value in
            switch kind {
            case 0: value = wrongType(for: value, using: &random)
            case 1: value = .string(String(repeating: random.pick(["A", "é", "\"\\", "\u{10FFFF}"]), count: random.pick([4096, 9000, 70_000])))
            case 2: if case .string = value { value = .string(random.pick(["SOME_FUTURE_VALUE", "", "active", "CRITICAL\u{0}", "🙂"])) }
                else { value = wrongType(for: value, using: &random) }
            case 3: if case .object(var members) = value {
                    members.append((random.pick(["zzUnknownMember", "findingArn", "status", ""]), wrongType(for: .null, using: &random)))
                    value = .object(members)
                }
            case 4: if case .object(var members) = value, !members.isEmpty {
                    let required = members.indices.filter { Self.requiredKeys.contains(members[$0].0) }
                    members.remove(at: required.isEmpty || random.chance(0.3) ? Int.random(in: 0..<members.count, using: &random) : random.pick(required))
                    value = .object(members)
                }
            case 5:
                let depth = random.pick([3, 100, 255, 257, 2000])
                value = rawValue(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
            case 6: value = rawValue(random.pick(["1e400", "-1e400", "1e-400", "-0", "123456789012345678901234567890", "0.1e1", "1E+2", "9007199254740993", "-9223372036854775809"]))
            case 7: value = rawValue(random.pick([#""\u0000""#, #""a\u0000b\\u0000""#, #""\ud800""#, #""\udc00x""#, #""\ud83d\ude00""#, #""\/\b\f\n\r\t""#]))
            default: if case .array(var items) = value {
                    if items.isEmpty || random.chance(0.5) { items.append(wrongType(for: .null, using: &random)) }
                    else { items.append(items[Int.random(in: 0..<items.count, using: &random)]) }
                    value = .array(items)
                } else if case .object(let members) = value {
                    value = .object(members.shuffled(using: &random))
                }
            }
        }
    }

    mutating func wrongType(for value: JSONValue, using random: inout SplitMix64) -> JSONValue {
        var choices: [JSONValue] = [.null, .bool(true), .number(-1), .number(1.5e300), .string("1700000000"), .string("x"), .array([]), .array([.null]), .object([]), .object([("a", .number(1))])]
        choices.removeAll { Self.sameType($0, value) }
        return random.pick(choices)
    }

    static func sameType(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null), (.bool, .bool), (.number, .number), (.string, .string), (.array, .array), (.object, .object): true
        default: false
        }
    }

    enum PathStep { case index(Int), key(Int) }

    static func collect(_ value: JSONValue, path: [PathStep], into paths: inout [[PathStep]]) {
        paths.append(path)
        switch value {
        case .array(let items): for (i, item) in items.enumerated() { collect(item, path: path + [.index(i)], into: &paths) }
        case .object(let members): for (i, member) in members.enumerated() { collect(member.1, path: path + [.key(i)], into: &paths) }
        default: break
        }
    }

    static func update(_ value: inout JSONValue, at path: ArraySlice<PathStep>, _ change: (inout JSONValue) -> Void) {
        guard let step = path.first else { return change(&value) }
        switch (step, value) {
        case (.index(let i), .array(var items)):
            update(&items[i], at: path.dropFirst(), change)
            value = .array(items)
        case (.key(let i), .object(var members)):
            update(&members[i].1, at: path.dropFirst(), change)
            value = .object(members)
        default: break
        }
    }

    // MARK: bytes

    static func mutateBytes(_ bytes: inout [UInt8], using random: inout SplitMix64) {
        guard !bytes.isEmpty else { return }
        let index = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: bytes.removeSubrange(index...)  // truncated body
        case 1: bytes.insert(contentsOf: random.pick([[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]]), at: index)
        case 2: bytes[index] = UInt8.random(in: 0...255, using: &random)
        case 3: bytes[index] = random.pick(Array("{}[]\":,\\ 0e-".utf8))
        case 4: bytes.insert(contentsOf: bytes[index..<min(bytes.count, index + 40)], at: index)
        default: bytes.append(contentsOf: random.pick([Array(" ".utf8), Array("{}".utf8), Array("\0".utf8), Array(",".utf8)]))
        }
    }
}
