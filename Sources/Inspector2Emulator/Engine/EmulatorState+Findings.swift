/// ListFindings and ListFindingAggregations.
extension EmulatorState {
    static func maxResults(_ body: JSONValue, max: Int, default def: Int) throws -> Int {
        guard let v = body["maxResults"], v != .null else { return def }
        guard let n = v.intValue else { throw AWSError.cannotParse("Expected integer at 'maxResults'") }
        if n < 1 { throw AWSError.fieldValidation("maxResults", "Member must have value greater than or equal to 1", value: String(n)) }
        if n > max { throw AWSError.fieldValidation("maxResults", "Member must have value less than or equal to \(max)", value: String(n)) }
        return n
    }

    static func nextToken(_ body: JSONValue) throws -> String? {
        guard let v = body["nextToken"], v != .null else { return nil }
        guard let s = v.stringValue else { throw AWSError.cannotParse("Expected string at 'nextToken'") }
        return s
    }

    /// Indices of the caller's findings in `region` matching `filter`, in sort order; cached per query
    /// and state version so paging through 100k findings does not re-filter for every page.
    mutating func matchingIndices(region: String, caller: String, filter: FindingFilter, sort: (field: String, descending: Bool)?, cacheKey: String) -> [Int] {
        if let cached = queryCache[cacheKey], cached.version == version { return cached.indices }
        guard let data = regions[region] else { return [] }
        let visible = visibleAccounts(caller: caller)
        var out: [Int] = []
        for (i, f) in data.findings.enumerated() where visible.contains(f.accountId) {
            if filter.isEmpty || filter.matches(f, data.resources[f.resourceIndex]) { out.append(i) }
        }
        if let sort {
            let keys = out.map { FindingFields.sortKey(sort.field, data.findings[$0], data.resources[data.findings[$0].resourceIndex]) }
            let order = keys.indices.sorted { a, b in
                if keys[a] != keys[b] { return sort.descending ? keys[a] > keys[b] : keys[a] < keys[b] }
                return out[a] < out[b]
            }
            out = order.map { out[$0] }
        }
        if queryCache.count > 64 { queryCache.removeAll() }
        queryCache[cacheKey] = (version, out)
        return out
    }

    static func sortCriteria(_ body: JSONValue) throws -> (field: String, descending: Bool)? {
        guard let sc = body["sortCriteria"], sc != .null else { return nil }
        guard sc.objectValue != nil else { throw AWSError.cannotParse("Expected structure at 'sortCriteria'") }
        let field = try FilterParsing.requiredString(sc, "field", "sortCriteria")
        let order = try FilterParsing.requiredString(sc, "sortOrder", "sortCriteria")
        guard FindingFields.sortFields.contains(field) else {
            throw AWSError.fieldValidation("sortCriteria.field", "Member must satisfy enum value set: [\(FindingFields.sortFields.joined(separator: ", "))]", value: field)
        }
        guard order == "ASC" || order == "DESC" else {
            throw AWSError.fieldValidation("sortCriteria.sortOrder", "Member must satisfy enum value set: [ASC, DESC]", value: order)
        }
        return (field, order == "DESC")
    }

    mutating func listFindings(_ body: JSONValue, _ caller: Caller) throws -> [UInt8] {
        let limit = try Self.maxResults(body, max: 100, default: 50)
        let filter = try FindingFilter(body["filterCriteria"])
        let sort = try Self.sortCriteria(body)
        let hash = PageToken.queryHash(action: "ListFindings", region: caller.region, caller: caller.accountId, request: body)
        let offset = try PageToken.decode(try Self.nextToken(body), expecting: hash)
        let indices = matchingIndices(region: caller.region, caller: caller.accountId, filter: filter, sort: sort, cacheKey: hash)
        var w = JSONWriter(capacity: 4096 * limit)
        w.raw("{\"findings\":[")
        let end = min(indices.count, offset + limit)
        if offset < end, let data = regions[caller.region] {
            for (n, i) in indices[offset..<end].enumerated() {
                if n > 0 { w.raw(",") }
                w.raw(data.findings[i].json)
            }
        }
        w.raw("]")
        if end < indices.count {
            w.raw(",\"nextToken\":")
            w.string(PageToken(offset: end, queryHash: hash).encoded)
        }
        w.raw("}")
        return w.bytes
    }

    /// Pages an already-built list of JSON items under `key`.
    static func page(_ items: [JSONValue], key: String, limit: Int, offset: Int, hash: String, extra: [(String, JSONValue)] = []) -> JSONValue {
        let end = min(items.count, offset + limit)
        var members = extra
        members.append((key, .array(offset < end ? Array(items[offset..<end]) : [])))
        if end < items.count { members.append(("nextToken", .string(PageToken(offset: end, queryHash: hash).encoded))) }
        return .object(members)
    }
}
