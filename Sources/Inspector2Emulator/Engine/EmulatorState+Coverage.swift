/// ListCoverage and ListCoverageStatistics: one covered resource per (resource, scan type) of every
/// resource that still exists, so coverage stays consistent with the findings' resources.
extension EmulatorState {
    struct CoverageFilter {
        var strings: [StringClause] = []
        var dates: [RangeClause] = []
        var numbers: [RangeClause] = []
        var maps: [MapClause] = []

        init(_ criteria: JSONValue?) throws {
            guard let criteria, criteria != .null else { return }
            guard let members = criteria.objectValue else { throw AWSError.cannotParse("Expected structure at 'filterCriteria'") }
            for (name, value) in members {
                let p = "filterCriteria.\(name)"
                switch name {
                case "ec2InstanceTags", "lambdaFunctionTags": maps.append(try MapClause.parse(p, field: name, value))
                case "lastScannedAt", "imagePulledAt", "ecrImageLastInUseAt": dates.append(try RangeClause.parseDates(p, field: name, value))
                case "ecrImageInUseCount": numbers.append(try RangeClause.parseNumbers(p, field: name, value))
                default: strings.append(try StringClause.parse(p, field: name, value, comparisons: ["EQUALS", "NOT_EQUALS"]))
                }
            }
        }

        func matches(_ r: ResourceRecord, scanType: String) -> Bool {
            for c in strings {
                let v: [String]
                switch c.field {
                case "scanStatusCode": v = [r.scanStatusCode]
                case "scanStatusReason": v = [r.scanStatusReason]
                case "accountId": v = [r.accountId]
                case "resourceId": v = [r.id]
                case "resourceType": v = [r.type]
                case "scanType": v = [scanType]
                case "ecrRepositoryName": v = r.repositoryName.isEmpty ? [] : [r.repositoryName]
                case "ecrImageTags": v = r.imageTags
                case "lambdaFunctionName": v = r.functionName.isEmpty ? [] : [r.functionName]
                case "lambdaFunctionRuntime": v = r.runtime.isEmpty ? [] : [r.runtime]
                case "scanMode": v = r.type == "AWS_EC2_INSTANCE" ? ["EC2_SSM_AGENT_BASED"] : []
                default: v = []
                }
                if !c.matches(v) { return false }
            }
            for c in dates {
                let d: Double? = c.field == "lastScannedAt" ? r.lastScannedAt : r.type == "AWS_ECR_CONTAINER_IMAGE" ? r.lastInUseAt : nil
                if !c.matches(d) { return false }
            }
            for c in numbers where !c.matches(r.type == "AWS_ECR_CONTAINER_IMAGE" ? Double(r.inUseCount) : nil) { return false }
            for c in maps {
                let applies = c.field == "ec2InstanceTags" ? r.type == "AWS_EC2_INSTANCE" : r.type == "AWS_LAMBDA_FUNCTION"
                if !applies || !c.matches(r.tags) { return false }
            }
            return true
        }
    }

    func coverage(_ caller: Caller, _ filter: CoverageFilter) -> [(ResourceRecord, String)] {
        let visible = visibleAccounts(caller: caller.accountId)
        var out: [(ResourceRecord, String)] = []
        for r in regions[caller.region]?.resources ?? [] where r.isCovered && visible.contains(r.accountId) {
            for scanType in r.scanTypes where filter.matches(r, scanType: scanType) { out.append((r, scanType)) }
        }
        return out
    }

    mutating func listCoverage(_ body: JSONValue, _ caller: Caller) throws -> [UInt8] {
        let limit = try Self.maxResults(body, max: 200, default: 100)
        let filter = try CoverageFilter(body["filterCriteria"])
        let hash = PageToken.queryHash(action: "ListCoverage", region: caller.region, caller: caller.accountId, request: body)
        let offset = try PageToken.decode(try Self.nextToken(body), expecting: hash)
        let all = coverage(caller, filter)
        let end = min(all.count, offset + limit)
        let items = offset < end ? all[offset..<end].map { FindingEncoder.coveredResourceJSON($0.0, scanType: $0.1) } : []
        var members: [(String, JSONValue)] = [("coveredResources", .array(items))]
        if end < all.count { members.append(("nextToken", .string(PageToken(offset: end, queryHash: hash).encoded))) }
        return JSONValue.object(members).serialized()
    }

    mutating func listCoverageStatistics(_ body: JSONValue, _ caller: Caller) throws -> [UInt8] {
        let filter = try CoverageFilter(body["filterCriteria"])
        let hash = PageToken.queryHash(action: "ListCoverageStatistics", region: caller.region, caller: caller.accountId, request: body)
        let offset = try PageToken.decode(try Self.nextToken(body), expecting: hash)
        let all = coverage(caller, filter)
        var members: [(String, JSONValue)] = []
        if let groupBy = body["groupBy"]?.stringValue {
            let keyOf: (ResourceRecord) -> String?
            switch groupBy {
            case "SCAN_STATUS_CODE": keyOf = { $0.scanStatusCode }
            case "SCAN_STATUS_REASON": keyOf = { $0.scanStatusReason }
            case "ACCOUNT_ID": keyOf = { $0.accountId }
            case "RESOURCE_TYPE": keyOf = { $0.type }
            case "ECR_REPOSITORY_NAME": keyOf = { $0.repositoryName.isEmpty ? nil : $0.repositoryName }
            default:
                throw AWSError.fieldValidation("groupBy", "Member must satisfy enum value set: [SCAN_STATUS_CODE, SCAN_STATUS_REASON, ACCOUNT_ID, RESOURCE_TYPE, ECR_REPOSITORY_NAME]", value: groupBy)
            }
            var counts: [String: Int] = [:]
            for (r, _) in all { if let k = keyOf(r) { counts[k, default: 0] += 1 } }
            let items: [JSONValue] = counts.keys.sorted().map { ["count": .number(Double(counts[$0]!)), "groupKey": .string($0)] }
            let page = Self.page(items, key: "countsByGroup", limit: 100, offset: offset, hash: hash)
            members = page.objectValue ?? []
        }
        members.append(("totalCounts", .number(Double(all.count))))
        return JSONValue.object(members).serialized()
    }
}
