import Foundation

/// Filters (SUPPRESS filters really suppress), findings reports and tags.
extension EmulatorState {
    func filterJSON(_ f: Filter) -> JSONValue {
        var m: [(String, JSONValue)] = [("action", .string(f.action)), ("arn", .string(f.arn)), ("createdAt", .number(f.createdAt)), ("criteria", f.criteria)]
        if let d = f.description { m.append(("description", .string(d))) }
        m += [("name", .string(f.name)), ("ownerId", .string(f.ownerId))]
        if let r = f.reason { m.append(("reason", .string(r))) }
        m += [("tags", FindingEncoder.tagsJSON(tags[f.arn] ?? [])), ("updatedAt", .number(f.updatedAt))]
        return .object(m)
    }

    mutating func filterAction(_ action: String, _ body: JSONValue, _ caller: Caller) throws -> JSONValue {
        let now = clock.now
        switch action {
        case "CreateFilter":
            let name = try FilterParsing.requiredString(body, "name", "")
            let act = try FilterParsing.requiredString(body, "action", "")
            guard act == "NONE" || act == "SUPPRESS" else { throw AWSError.fieldValidation("action", "Member must satisfy enum value set: [NONE, SUPPRESS]", value: act) }
            guard let criteria = body["filterCriteria"] else { throw AWSError.fieldValidation("filterCriteria", "Member must not be null") }
            _ = try FindingFilter(criteria)
            if filters.values.contains(where: { $0.name == name && $0.ownerId == caller.accountId && $0.region == caller.region }) {
                throw AWSError(.badRequest, "A filter named \(name) already exists")
            }
            var rng = SplitMix64(seed: configuration.seed, stream: "filter/\(nextSerial())")
            let arn = "arn:aws:inspector2:\(caller.region):\(caller.accountId):owner/\(caller.accountId)/filter/\(rng.hex(16))"
            filters[arn] = Filter(arn: arn, name: name, ownerId: caller.accountId, region: caller.region, action: act, criteria: criteria,
                                  description: body["description"]?.stringValue, reason: body["reason"]?.stringValue, createdAt: now, updatedAt: now)
            if let t = body["tags"]?.objectValue { tags[arn] = t.compactMap { k, v in v.stringValue.map { (k, $0) } } }
            _ = applySuppression()
            return ["arn": .string(arn)]
        case "UpdateFilter":
            let arn = try FilterParsing.requiredString(body, "filterArn", "")
            guard var f = filters[arn], f.ownerId == caller.accountId else { throw AWSError(.resourceNotFound, "Filter \(arn) not found") }
            if let c = body["filterCriteria"] { _ = try FindingFilter(c); f.criteria = c }
            if let a = body["action"]?.stringValue {
                guard a == "NONE" || a == "SUPPRESS" else { throw AWSError.fieldValidation("action", "Member must satisfy enum value set: [NONE, SUPPRESS]", value: a) }
                f.action = a
            }
            if let n = body["name"]?.stringValue { f.name = n }
            if let d = body["description"]?.stringValue { f.description = d }
            if let r = body["reason"]?.stringValue { f.reason = r }
            f.updatedAt = now
            filters[arn] = f
            _ = applySuppression()
            return ["arn": .string(arn)]
        case "DeleteFilter":
            let arn = try FilterParsing.requiredString(body, "arn", "")
            guard let f = filters[arn], f.ownerId == caller.accountId else { throw AWSError(.resourceNotFound, "Filter \(arn) not found") }
            filters[arn] = nil
            tags[arn] = nil
            _ = applySuppression()
            return ["arn": .string(arn)]
        default:  // ListFilters
            let limit = try Self.maxResults(body, max: 100, default: 100)
            let hash = PageToken.queryHash(action: action, region: caller.region, caller: caller.accountId, request: body)
            let offset = try PageToken.decode(try Self.nextToken(body), expecting: hash)
            let arns = body["arns"]?.arrayValue?.compactMap(\.stringValue)
            let act = body["action"]?.stringValue
            let list = filters.values
                .filter { $0.region == caller.region && $0.ownerId == caller.accountId && (arns?.contains($0.arn) ?? true) && (act == nil || $0.action == act) }
                .sorted { $0.createdAt == $1.createdAt ? $0.arn < $1.arn : $0.createdAt < $1.createdAt }
                .map(filterJSON)
            return Self.page(list, key: "filters", limit: limit, offset: offset, hash: hash)
        }
    }

    /// Re-evaluates every SUPPRESS filter: findings newly matched become SUPPRESSED, findings no filter
    /// matches any more get their previous status back; both bump updatedAt. Returns changed ARNs.
    mutating func applySuppression() -> (suppressed: [String], unsuppressed: [String]) {
        let now = (clock.now * 1000).rounded() / 1000
        var suppressed: [String] = [], unsuppressed: [String] = []
        let active = filters.values.filter { $0.action == "SUPPRESS" }.sorted { $0.arn < $1.arn }
        let parsed = active.compactMap { f in (try? FindingFilter(f.criteria)).map { (f, $0) } }
        for region in regions.keys.sorted() {
            let data = regions[region]!
            for i in data.findings.indices {
                let f = data.findings[i]
                let r = data.resources[f.resourceIndex]
                let match = parsed.first { filter, criteria in
                    filter.region == region && visibleAccounts(caller: filter.ownerId).contains(f.accountId) && criteria.matches(f, r)
                }
                if let match, f.suppressedBy == nil, f.status != "SUPPRESSED", f.status != "CLOSED" {
                    regions[region]!.findings[i].statusBeforeSuppression = f.status
                    regions[region]!.findings[i].status = "SUPPRESSED"
                    regions[region]!.findings[i].suppressedBy = match.0.arn
                    regions[region]!.findings[i].updatedAt = now
                    touch(region: region, index: i)
                    suppressed.append(f.arn)
                } else if match == nil, f.suppressedBy != nil {
                    regions[region]!.findings[i].status = f.statusBeforeSuppression ?? "ACTIVE"
                    regions[region]!.findings[i].suppressedBy = nil
                    regions[region]!.findings[i].statusBeforeSuppression = nil
                    regions[region]!.findings[i].updatedAt = now
                    touch(region: region, index: i)
                    unsuppressed.append(f.arn)
                }
            }
        }
        return (suppressed, unsuppressed)
    }

    var reportsDirectory: String {
        configuration.reportsDirectory ?? (NSTemporaryDirectory() + "inspector2-emulator-reports")
    }

    mutating func reportAction(_ action: String, _ body: JSONValue, _ caller: Caller) throws -> JSONValue {
        switch action {
        case "CreateFindingsReport":
            let format = try FilterParsing.requiredString(body, "reportFormat", "")
            guard format == "CSV" || format == "JSON" else { throw AWSError.fieldValidation("reportFormat", "Member must satisfy enum value set: [CSV, JSON]", value: format) }
            guard let dest = body["s3Destination"], let bucket = dest["bucketName"]?.stringValue, dest["kmsKeyArn"]?.stringValue != nil else {
                throw AWSError.fieldValidation("s3Destination", "Member must not be null")
            }
            let filter = try FindingFilter(body["filterCriteria"])
            var rng = SplitMix64(seed: configuration.seed, stream: "report/\(nextSerial())")
            let id = "\(rng.hex(8))-\(rng.hex(4))-\(rng.hex(4))-\(rng.hex(4))-\(rng.hex(12))"
            let data = regions[caller.region] ?? RegionData()
            let visible = visibleAccounts(caller: caller.accountId)
            let matching = data.findings.filter { visible.contains($0.accountId) && filter.matches($0, data.resources[$0.resourceIndex]) }
            let dir = "\(reportsDirectory)/\(bucket)/\(dest["keyPrefix"]?.stringValue ?? "")"
            var bytes: [UInt8]
            if format == "JSON" {
                bytes = Array("{\"findings\":[".utf8)
                for (n, f) in matching.enumerated() { if n > 0 { bytes.append(UInt8(ascii: ",")) }; bytes += f.json }
                bytes += Array("]}".utf8)
            } else {
                var csv = "AWS Account Id,Severity,Fix Available,Finding Type,Title,Description,Finding ARN,First Seen,Last Seen,Last Updated,Resource ID,Resource Type,Status,Vulnerability Id,Inspector Score,Epss Score\n"
                func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
                for f in matching {
                    let r = data.resources[f.resourceIndex]
                    csv += [f.accountId, f.severity, f.fixAvailable ?? "", f.type, f.title, f.description, f.arn, HTTPDate.iso8601(f.firstObservedAt), HTTPDate.iso8601(f.lastObservedAt), HTTPDate.iso8601(f.updatedAt), r.id, r.type, f.status, f.vulnerabilityId, f.inspectorScore.map { String($0) } ?? "", f.epss.map { String($0) } ?? ""].map(q).joined(separator: ",") + "\n"
                }
                bytes = Array(csv.utf8)
            }
            var status = "IN_PROGRESS"
            var errorCode: String?
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/\(id).\(format.lowercased())"))
            } catch {
                status = "FAILED"
                errorCode = "BUCKET_NOT_FOUND"
            }
            if matching.isEmpty, status != "FAILED" { status = "FAILED"; errorCode = "NO_FINDINGS_FOUND" }
            reports[id] = Report(id: id, status: status, errorCode: errorCode, errorMessage: errorCode.map { "Report failed: \($0)" }, destination: dest, filterCriteria: body["filterCriteria"] ?? [:])
            return ["reportId": .string(id)]
        case "GetFindingsReportStatus":
            guard let id = body["reportId"]?.stringValue else {
                // Without an id AWS reports the most recent report.
                return reports.values.sorted { $0.id < $1.id }.last.map(reportJSON) ?? [:]
            }
            guard var r = reports[id] else { throw AWSError(.resourceNotFound, "Report \(id) not found") }
            let json = reportJSON(r)
            // The report was written at creation; the first status read sees it in progress, the next done.
            if r.status == "IN_PROGRESS" { r.status = "SUCCEEDED"; reports[id] = r }
            return json
        default:  // CancelFindingsReport
            let id = try FilterParsing.requiredString(body, "reportId", "")
            guard var r = reports[id] else { throw AWSError(.resourceNotFound, "Report \(id) not found") }
            if r.status == "IN_PROGRESS" { r.status = "CANCELLED"; reports[id] = r }
            return ["reportId": .string(id)]
        }
    }

    func reportJSON(_ r: Report) -> JSONValue {
        var m: [(String, JSONValue)] = [("destination", r.destination)]
        if let e = r.errorCode { m.append(("errorCode", .string(e))) }
        if let e = r.errorMessage { m.append(("errorMessage", .string(e))) }
        m += [("filterCriteria", r.filterCriteria), ("reportId", .string(r.id)), ("status", .string(r.status))]
        return .object(m)
    }

    mutating func tagAction(_ action: String, _ body: JSONValue, _ request: EmulatorRequest, _ caller: Caller) throws -> [UInt8] {
        let raw = String(request.path.dropFirst("/tags/".count))
        let arn = raw.removingPercentEncoding ?? raw
        guard arn.hasPrefix("arn:aws:inspector2:") else {
            throw AWSError.fieldValidation("resourceArn", "Member must satisfy regular expression pattern: ^arn:(aws[a-zA-Z-]*)?:inspector2:[a-z]{2}(-gov)?-[a-z]+-\\d{1}:\\d{12}:(.+)$", value: arn)
        }
        if arn.contains(":owner/"), filters[arn] == nil { throw AWSError(.resourceNotFound, "Resource \(arn) not found") }
        switch action {
        case "TagResource":
            guard let t = body["tags"]?.objectValue else { throw AWSError.fieldValidation("tags", "Member must not be null") }
            var current = tags[arn] ?? []
            for (k, v) in t {
                guard let s = v.stringValue else { continue }
                current.removeAll { $0.0 == k }
                current.append((k, s))
            }
            tags[arn] = current
            return Array("{}".utf8)
        case "UntagResource":
            let keys = Set(request.query.filter { $0.0 == "tagKeys" }.map(\.1))
            guard !keys.isEmpty else { throw AWSError.fieldValidation("tagKeys", "Member must not be null") }
            tags[arn]?.removeAll { keys.contains($0.0) }
            return Array("{}".utf8)
        default:
            return JSONValue.object([("tags", FindingEncoder.tagsJSON(tags[arn] ?? []))]).serialized()
        }
    }
}
