/// ListFindingAggregations for every aggregation type; counts cover ACTIVE findings, as AWS's do.
extension EmulatorState {
    static let aggregationKeys: [String: String] = [
        "ACCOUNT": "accountAggregation", "AMI": "amiAggregation", "AWS_ECR_CONTAINER": "awsEcrContainerAggregation",
        "AWS_EC2_INSTANCE": "ec2InstanceAggregation", "FINDING_TYPE": "findingTypeAggregation", "IMAGE_LAYER": "imageLayerAggregation",
        "PACKAGE": "packageAggregation", "REPOSITORY": "repositoryAggregation", "TITLE": "titleAggregation",
        "LAMBDA_LAYER": "lambdaLayerAggregation", "AWS_LAMBDA_FUNCTION": "lambdaFunctionAggregation",
        "CODE_REPOSITORY": "codeRepositoryAggregation",
    ]

    private struct Group {
        var base: [(String, JSONValue)]
        var all = 0, medium = 0, high = 0, critical = 0, exploit = 0, fix = 0, network = 0
        var affected = Set<String>()
    }

    mutating func listFindingAggregations(_ body: JSONValue, _ caller: Caller) throws -> [UInt8] {
        guard let type = body["aggregationType"]?.stringValue else {
            throw AWSError.fieldValidation("aggregationType", "Member must not be null")
        }
        guard let key = Self.aggregationKeys[type] else {
            throw AWSError.fieldValidation("aggregationType", "Member must satisfy enum value set: [\(Self.aggregationKeys.keys.sorted().joined(separator: ", "))]", value: type)
        }
        let limit = try Self.maxResults(body, max: 100, default: 50)
        let hash = PageToken.queryHash(action: "ListFindingAggregations", region: caller.region, caller: caller.accountId, request: body)
        let offset = try PageToken.decode(try Self.nextToken(body), expecting: hash)
        let accountClause = try body["accountIds"].map { try StringClause.parse("accountIds", field: "awsAccountId", $0) }
        let request = body["aggregationRequest"]?[key] ?? [:]
        func clause(_ name: String) throws -> StringClause? {
            try request[name].map { try StringClause.parse("aggregationRequest.\(key).\(name)", field: name, $0) }
        }
        let findingType = request["findingType"]?.stringValue
        let resourceType = request["resourceType"]?.stringValue
        // Per-type filters: (request member, value extractor).
        let filterSpecs: [(String, (FindingRecord, ResourceRecord) -> [String])] = [
            ("amis", { _, r in [r.imageId] }), ("instanceIds", { _, r in [r.id] }), ("operatingSystems", { _, r in [r.platform] }),
            ("resourceIds", { _, r in [r.id] }), ("imageShas", { _, r in [r.imageHash] }), ("repositories", { _, r in [r.repositoryName] }),
            ("architectures", { _, r in [r.architecture] }), ("imageTags", { _, r in r.imageTags }),
            ("packageNames", { f, _ in f.packages.map(\.name) }), ("titles", { f, _ in [f.title] }),
            ("vulnerabilityIds", { f, _ in [f.vulnerabilityId] }), ("functionNames", { _, r in [r.functionName] }),
            ("runtimes", { _, r in [r.runtime] }), ("layerArns", { _, r in r.layers }),
            ("layerHashes", { f, _ in f.packages.map(\.sourceLayerHash) }),
        ]
        var active: [(StringClause, (FindingRecord, ResourceRecord) -> [String])] = []
        for (name, extract) in filterSpecs { if let c = try clause(name) { active.append((c, extract)) } }

        var groups: [String: Group] = [:]
        var order: [String] = []
        let visible = visibleAccounts(caller: caller.accountId)
        let data = regions[caller.region] ?? RegionData()
        for f in data.findings where f.status == "ACTIVE" && visible.contains(f.accountId) {
            let r = data.resources[f.resourceIndex]
            if let accountClause, !accountClause.matches([f.accountId]) { continue }
            if let findingType, f.type != findingType { continue }
            if let resourceType, r.type != resourceType { continue }
            if active.contains(where: { !$0.0.matches($0.1(f, r)) }) { continue }
            for (groupKey, base) in Self.groups(type, f, r) {
                if groups[groupKey] == nil { groups[groupKey] = Group(base: base); order.append(groupKey) }
                groups[groupKey]!.all += 1
                switch f.severity {
                case "MEDIUM": groups[groupKey]!.medium += 1
                case "HIGH": groups[groupKey]!.high += 1
                case "CRITICAL": groups[groupKey]!.critical += 1
                default: break
                }
                if f.exploitAvailable == "YES" { groups[groupKey]!.exploit += 1 }
                if f.fixAvailable == "YES" { groups[groupKey]!.fix += 1 }
                if f.type == "NETWORK_REACHABILITY" { groups[groupKey]!.network += 1 }
                groups[groupKey]!.affected.insert(r.id)
            }
        }
        let sortBy = request["sortBy"]?.stringValue ?? "ALL"
        let descending = (request["sortOrder"]?.stringValue ?? "DESC") == "DESC"
        func metric(_ g: Group) -> Int {
            switch sortBy {
            case "CRITICAL": return g.critical
            case "HIGH": return g.high
            case "NETWORK_FINDINGS": return g.network
            case "AFFECTED_INSTANCES", "AFFECTED_IMAGES": return g.affected.count
            default: return g.all
            }
        }
        let sorted = order.sorted { a, b in
            let ma = metric(groups[a]!), mb = metric(groups[b]!)
            if ma != mb { return descending ? ma > mb : ma < mb }
            return a < b
        }
        let items: [JSONValue] = sorted.map { k in
            let g = groups[k]!
            var m = g.base
            m.append(("severityCounts", .object([("all", .number(Double(g.all))), ("medium", .number(Double(g.medium))), ("high", .number(Double(g.high))), ("critical", .number(Double(g.critical)))])))
            switch type {
            case "ACCOUNT", "FINDING_TYPE":
                m.append(("exploitAvailableCount", .number(Double(g.exploit))))
                m.append(("fixAvailableCount", .number(Double(g.fix))))
            case "AMI": m.append(("affectedInstances", .number(Double(g.affected.count))))
            case "REPOSITORY": m.append(("affectedImages", .number(Double(g.affected.count))))
            case "AWS_EC2_INSTANCE": m.append(("networkFindings", .number(Double(g.network))))
            default: break
            }
            return .object([(key, .object(m))])
        }
        return Self.page(items, key: "responses", limit: limit, offset: offset, hash: hash, extra: [("aggregationType", .string(type))]).serialized()
    }

    /// The groups a finding counts towards for an aggregation type, with each group's identifying fields.
    private static func groups(_ type: String, _ f: FindingRecord, _ r: ResourceRecord) -> [(String, [(String, JSONValue)])] {
        let account: (String, JSONValue) = ("accountId", .string(f.accountId))
        switch type {
        case "ACCOUNT", "FINDING_TYPE": return [(f.accountId, [account])]
        case "AMI": return r.type == "AWS_EC2_INSTANCE" ? [("\(f.accountId)|\(r.imageId)", [("ami", .string(r.imageId)), account])] : []
        case "AWS_EC2_INSTANCE":
            guard r.type == "AWS_EC2_INSTANCE" else { return [] }
            return [(r.id, [("instanceId", .string(r.id)), ("ami", .string(r.imageId)), ("operatingSystem", .string(r.platform)), ("instanceTags", FindingEncoder.tagsJSON(r.tags)), account])]
        case "AWS_ECR_CONTAINER":
            guard r.type == "AWS_ECR_CONTAINER_IMAGE" else { return [] }
            return [(r.id, [("resourceId", .string(r.id)), ("imageSha", .string(r.imageHash)), ("repository", .string(r.repositoryName)), ("architecture", .string(r.architecture)), ("imageTags", .array(r.imageTags.map { .string($0) })), account, ("lastInUseAt", .number(r.lastInUseAt)), ("inUseCount", .number(Double(r.inUseCount)))])]
        case "IMAGE_LAYER":
            guard r.type == "AWS_ECR_CONTAINER_IMAGE" else { return [] }
            return Set(f.packages.map(\.sourceLayerHash).filter { !$0.isEmpty }).sorted().map { h in
                ("\(r.id)|\(h)", [("repository", .string(r.repositoryName)), ("resourceId", .string(r.id)), ("layerHash", .string(h)), account])
            }
        case "PACKAGE":
            return Set(f.packages.map(\.name)).sorted().map { ("\(f.accountId)|\($0)", [("packageName", .string($0)), account]) }
        case "REPOSITORY":
            guard r.type == "AWS_ECR_CONTAINER_IMAGE" else { return [] }
            return [("\(f.accountId)|\(r.repositoryName)", [("repository", .string(r.repositoryName)), account])]
        case "TITLE":
            return [("\(f.accountId)|\(f.title)", [("title", .string(f.title)), ("vulnerabilityId", .string(f.vulnerabilityId)), account])]
        case "AWS_LAMBDA_FUNCTION":
            guard r.type == "AWS_LAMBDA_FUNCTION" else { return [] }
            return [(r.id, [("resourceId", .string(r.id)), ("functionName", .string(r.functionName)), ("runtime", .string(r.runtime)), ("lambdaTags", FindingEncoder.tagsJSON(r.tags)), account, ("lastModifiedAt", .number(r.lastModifiedAt))])]
        case "LAMBDA_LAYER":
            guard r.type == "AWS_LAMBDA_FUNCTION" else { return [] }
            return r.layers.map { ("\(r.id)|\($0)", [("functionName", .string(r.functionName)), ("resourceId", .string(r.id)), ("layerArn", .string($0)), account]) }
        default:
            return []  // CODE_REPOSITORY: the generated organization has no code repositories.
        }
    }
}

import Foundation
