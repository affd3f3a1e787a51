/// Builds the table tree while enforcing TOML's rules against defining anything twice.
///
/// Each table remembers how it came to exist, because that decides what may extend it later:
/// - `[a.b.c]` makes `a` and `a.b` *implicit*; a later `[a]` may define an implicit table once.
/// - a *header* table cannot be defined again, nor reached with dotted keys from another section.
/// - tables made by dotted keys (`a.b = 1`) can gain keys only from the same section, can get
///   sub-tables by header (`[a.x]`), but cannot themselves be named in a header.
/// - inline tables and static arrays are values: nothing may add to them.
struct TOMLTableBuilder {
    struct Location {
        var line: Int
        var column: Int
    }

    final class Node {
        enum Origin: Equatable {
            case root, implicit, header, dotted(section: Int), inline, arrayElement
        }

        enum Entry {
            case value(TOMLValue)
            case table(Node)
            case arrayOfTables([Node], line: Int)
        }

        var origin: Origin
        let line: Int
        var keys: [String] = []
        var entries: [String: Entry] = [:]

        init(origin: Origin, line: Int) {
            self.origin = origin
            self.line = line
        }

        func set(_ key: String, _ entry: Entry) {
            if entries.updateValue(entry, forKey: key) == nil { keys.append(key) }
        }

        func table() -> TOMLTable {
            var result = TOMLTable()
            for key in keys {
                switch entries[key]! {
                case .value(let value): result[key] = value
                case .table(let node): result[key] = TOMLValue(.table(node.table()), line: node.line)
                case .arrayOfTables(let nodes, let line):
                    result[key] = TOMLValue(.array(nodes.map { TOMLValue(.table($0.table()), line: $0.line) }), line: line)
                }
            }
            return result
        }
    }

    let root = Node(origin: .root, line: 1)
    private(set) var current: Node
    /// Identifies the header section (or inline table) being filled, for the dotted-key rule.
    private(set) var section = 0
    private var lastSectionID = 0

    init() {
        current = root
    }

    /// A fresh section id (for a header or an inline table); never reused.
    mutating func newSection() -> Int {
        lastSectionID += 1
        return lastSectionID
    }

    private func error(_ message: String, _ location: Location) -> TOMLParseError {
        TOMLParseError(code: .redefinition, line: location.line, column: location.column, message: message)
    }

    /// Walks the parent part of a header's key, creating implicit tables; arrays of tables lead
    /// to their last element.
    private func walkHeaderParents(_ path: [String], header: String, at location: Location) throws(TOMLParseError) -> Node {
        var node = root
        for (index, key) in path.dropLast().enumerated() {
            switch node.entries[key] {
            case nil:
                let child = Node(origin: .implicit, line: location.line)
                node.set(key, .table(child))
                node = child
            case .table(let child):
                node = child
            case .arrayOfTables(let elements, _):
                node = elements[elements.count - 1]
            case .value(let value):
                let name = TOMLKey.render(Array(path[...index]))
                if value.table != nil {
                    throw error("cannot define \(header): \(name) is an inline table (line \(value.line)), which cannot be extended", location)
                }
                throw error("cannot define \(header): \(name) already holds a value (line \(value.line))", location)
            }
        }
        return node
    }

    mutating func openTable(_ path: [String], line: Int, at location: Location) throws(TOMLParseError) {
        let header = "[\(TOMLKey.render(path))]"
        let parent = try walkHeaderParents(path, header: header, at: location)
        let key = path[path.count - 1]
        switch parent.entries[key] {
        case nil:
            let node = Node(origin: .header, line: line)
            parent.set(key, .table(node))
            current = node
        case .table(let node):
            switch node.origin {
            case .implicit:
                node.origin = .header
                current = node
            case .dotted:
                throw error("cannot define table \(header): it was already created by dotted keys (line \(node.line))", location)
            default:
                throw error("table \(header) is defined twice (first at line \(node.line))", location)
            }
        case .arrayOfTables(_, let arrayLine):
            throw error("cannot define table \(header): it is an array of tables (line \(arrayLine))", location)
        case .value(let value):
            throw error("cannot define table \(header): the key already holds a value (line \(value.line))", location)
        }
        section = newSection()
    }

    mutating func openArrayOfTables(_ path: [String], line: Int, at location: Location) throws(TOMLParseError) {
        let header = "[[\(TOMLKey.render(path))]]"
        let parent = try walkHeaderParents(path, header: header, at: location)
        let key = path[path.count - 1]
        let element = Node(origin: .arrayElement, line: line)
        switch parent.entries[key] {
        case nil:
            parent.set(key, .arrayOfTables([element], line: line))
        case .arrayOfTables(let elements, let arrayLine):
            parent.set(key, .arrayOfTables(elements + [element], line: arrayLine))
        case .table(let node):
            throw error("cannot define array of tables \(header): it is already a table (line \(node.line))", location)
        case .value(let value):
            if value.array != nil {
                throw error("cannot append to \(header): the key is a static array (line \(value.line)), which cannot be extended", location)
            }
            throw error("cannot define array of tables \(header): the key already holds a value (line \(value.line))", location)
        }
        current = element
        section = newSection()
    }

    /// Inserts `key = value` (key possibly dotted) into `table` from the given section.
    func insert(_ value: TOMLValue, at path: [String], in table: Node, section: Int, at location: Location) throws(TOMLParseError) {
        var node = table
        for (index, key) in path.dropLast().enumerated() {
            let name = TOMLKey.render(Array(path[...index]))
            switch node.entries[key] {
            case nil:
                let child = Node(origin: .dotted(section: section), line: location.line)
                node.set(key, .table(child))
                node = child
            case .table(let child):
                switch child.origin {
                case .dotted(let owner) where owner == section:
                    node = child
                case .implicit:
                    // Created as the parent of a header only; dotted keys may fill it in.
                    child.origin = .dotted(section: section)
                    node = child
                default:
                    throw error("cannot add \(TOMLKey.render(path)) with dotted keys: table \(name) was already defined (line \(child.line))", location)
                }
            case .arrayOfTables(_, let arrayLine):
                throw error("cannot add \(TOMLKey.render(path)) with dotted keys: \(name) is an array of tables (line \(arrayLine))", location)
            case .value(let existing):
                if existing.table != nil {
                    throw error("cannot add \(TOMLKey.render(path)): \(name) is an inline table (line \(existing.line)), which cannot be extended", location)
                }
                throw error("cannot add \(TOMLKey.render(path)): \(name) already holds a value (line \(existing.line))", location)
            }
        }
        let key = path[path.count - 1]
        switch node.entries[key] {
        case nil:
            node.set(key, .value(value))
        case .value(let existing):
            throw error("duplicate key \(TOMLKey.render(path)) (first defined at line \(existing.line))", location)
        case .table(let child):
            throw error("duplicate key \(TOMLKey.render(path)): it is already a table (line \(child.line))", location)
        case .arrayOfTables(_, let arrayLine):
            throw error("duplicate key \(TOMLKey.render(path)): it is already an array of tables (line \(arrayLine))", location)
        }
    }
}
