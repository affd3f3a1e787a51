/// Account, member, delegated-admin, organization, trial, usage and permission actions.
extension EmulatorState {
    static func accountId(_ value: JSONValue?, _ name: String) throws -> String {
        guard let value else { throw AWSError.fieldValidation(name, "Member must not be null") }
        guard let s = value.stringValue else { throw AWSError.cannotParse("Expected string at '\(name)'") }
        guard s.count == 12, s.allSatisfy(\.isNumber) else {
            throw AWSError.fieldValidation(name, "Member must satisfy regular expression pattern: [0-9]{12}", value: s)
        }
        return s
    }

    static func accountIds(_ value: JSONValue?, _ name: String) throws -> [String]? {
        guard let value, value != .null else { return nil }
        guard let items = value.arrayValue else { throw AWSError.cannotParse("Expected list at '\(name)'") }
        return try items.enumerated().map { try accountId($0.element, "\(name).\($0.offset + 1).member") }
    }

    func requireAdmin(_ caller: Caller, _ action: String) throws {
        guard caller.accountId == adminAccountId else {
            throw AWSError(.accessDenied, "User: arn:aws:sts::\(caller.accountId):assumed-role/member is not authorized to perform: inspector2:\(action)")
        }
    }

    func statusJSON(_ account: String, region: String) -> (JSONValue, JSONValue) {
        let s = scanStates["\(account)|\(region)"] ?? ScanState(ec2: "DISABLED", ecr: "DISABLED", lambda: "DISABLED", lambdaCode: "DISABLED")
        let all = [s.ec2, s.ecr, s.lambda, s.lambdaCode]
        let overall = all.contains("ENABLED") ? "ENABLED" : "DISABLED"
        func state(_ v: String) -> JSONValue { ["errorCode": "ALREADY_ENABLED", "errorMessage": .string(v == "ENABLED" ? "Already enabled" : "Disabled"), "status": .string(v)] }
        let accountState: JSONValue = .object([
            ("accountId", .string(account)),
            ("resourceState", .object([("ec2", state(s.ec2)), ("ecr", state(s.ecr)), ("lambda", state(s.lambda)), ("lambdaCode", state(s.lambdaCode))])),
            ("state", state(overall)),
        ])
        let resourceStatus: JSONValue = .object([
            ("accountId", .string(account)),
            ("resourceStatus", .object([("ec2", .string(s.ec2)), ("ecr", .string(s.ecr)), ("lambda", .string(s.lambda)), ("lambdaCode", .string(s.lambdaCode))])),
            ("status", .string(overall)),
        ])
        return (accountState, resourceStatus)
    }

    func memberJSON(_ m: Member) -> JSONValue {
        ["accountId": .string(m.accountId), "delegatedAdminAccountId": .string(adminAccountId), "relationshipStatus": .string(m.relationshipStatus), "updatedAt": .number(m.updatedAt)]
    }

    mutating func accountAction(_ action: String, _ body: JSONValue, _ caller: Caller) throws -> JSONValue {
        let now = clock.now
        let region = caller.region
        let known = Set(allAccountIds)
        switch action {
        case "BatchGetAccountStatus":
            let ids = try Self.accountIds(body["accountIds"], "accountIds") ?? [caller.accountId]
            var ok: [JSONValue] = [], failed: [JSONValue] = []
            for id in ids {
                if visibleAccounts(caller: caller.accountId).contains(id) || (caller.accountId == adminAccountId && known.contains(id)) {
                    ok.append(statusJSON(id, region: region).0)
                } else {
                    failed.append(["accountId": .string(id), "errorCode": "ACCESS_DENIED", "errorMessage": "You do not have access to this account's status"])
                }
            }
            return ["accounts": .array(ok), "failedAccounts": .array(failed)]
        case "Enable", "Disable":
            let ids = try Self.accountIds(body["accountIds"], "accountIds") ?? [caller.accountId]
            let types = (body["resourceTypes"]?.arrayValue ?? []).compactMap(\.stringValue)
            if action == "Enable", types.isEmpty { throw AWSError.fieldValidation("resourceTypes", "Member must have length greater than or equal to 1") }
            var ok: [JSONValue] = [], failed: [JSONValue] = []
            for id in ids {
                guard known.contains(id), caller.accountId == adminAccountId || id == caller.accountId else {
                    failed.append(["accountId": .string(id), "errorCode": "ACCESS_DENIED", "errorMessage": "Account is not a member of this organization"])
                    continue
                }
                var s = scanStates["\(id)|\(region)"] ?? ScanState(ec2: "DISABLED", ecr: "DISABLED", lambda: "DISABLED", lambdaCode: "DISABLED")
                let value = action == "Enable" ? "ENABLED" : "DISABLED"
                for t in types.isEmpty ? ["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"] : types {
                    switch t {
                    case "EC2": s.ec2 = value
                    case "ECR": s.ecr = value
                    case "LAMBDA": s.lambda = value
                    case "LAMBDA_CODE": s.lambdaCode = value
                    default: throw AWSError.fieldValidation("resourceTypes", "Member must satisfy enum value set: [EC2, ECR, LAMBDA, LAMBDA_CODE, CODE_REPOSITORY]", value: t)
                    }
                }
                scanStates["\(id)|\(region)"] = s
                ok.append(statusJSON(id, region: region).1)
            }
            return ["accounts": .array(ok), "failedAccounts": .array(failed)]
        case "ListMembers":
            let limit = try Self.maxResults(body, max: 50, default: 50)
            let hash = PageToken.queryHash(action: action, region: region, caller: caller.accountId, request: body)
            let offset = try PageToken.decode(try Self.nextToken(body), expecting: hash)
            let onlyAssociated = body["onlyAssociated"]?.boolValue ?? true
            let list = caller.accountId == adminAccountId
                ? members.filter { !onlyAssociated || $0.relationshipStatus == "ENABLED" }.map(memberJSON) : []
            return Self.page(list, key: "members", limit: limit, offset: offset, hash: hash)
        case "GetMember":
            let id = try Self.accountId(body["accountId"], "accountId")
            try requireAdmin(caller, action)
            guard let m = members.first(where: { $0.accountId == id }) else {
                throw AWSError(.resourceNotFound, "Member account \(id) is not associated with this administrator account")
            }
            return ["member": memberJSON(m)]
        case "AssociateMember", "DisassociateMember":
            let id = try Self.accountId(body["accountId"], "accountId")
            try requireAdmin(caller, action)
            if let i = members.firstIndex(where: { $0.accountId == id }) {
                members[i].relationshipStatus = action == "AssociateMember" ? "ENABLED" : "REMOVED"
                members[i].updatedAt = now
            } else if action == "AssociateMember" {
                members.append(Member(accountId: id, relationshipStatus: "ENABLED", updatedAt: now))
            } else {
                throw AWSError(.resourceNotFound, "Member account \(id) is not associated with this administrator account")
            }
            version += 1
            return ["accountId": .string(id)]
        case "EnableDelegatedAdminAccount", "DisableDelegatedAdminAccount":
            let id = try Self.accountId(body["delegatedAdminAccountId"], "delegatedAdminAccountId")
            guard id == adminAccountId else {
                throw AWSError(.conflict, "Account \(id) cannot be the delegated administrator: \(adminAccountId) is already the delegated administrator")
            }
            delegatedAdminEnabled = action == "EnableDelegatedAdminAccount"
            return ["delegatedAdminAccountId": .string(id)]
        case "GetDelegatedAdminAccount":
            return delegatedAdminEnabled ? ["delegatedAdmin": ["accountId": .string(adminAccountId), "relationshipStatus": "ENABLED"]] : [:]
        case "ListDelegatedAdminAccounts":
            let limit = try Self.maxResults(body, max: 5, default: 5)
            let hash = PageToken.queryHash(action: action, region: region, caller: caller.accountId, request: body)
            let offset = try PageToken.decode(try Self.nextToken(body), expecting: hash)
            let list: [JSONValue] = delegatedAdminEnabled ? [["accountId": .string(adminAccountId), "status": "ENABLED"]] : []
            return Self.page(list, key: "delegatedAdminAccounts", limit: limit, offset: offset, hash: hash)
        case "DescribeOrganizationConfiguration":
            try requireAdmin(caller, action)
            return ["autoEnable": .object(["ec2", "ecr", "lambda", "lambdaCode"].map { ($0, .bool(autoEnable[$0] ?? false)) }), "maxAccountLimitReached": false]
        case "UpdateOrganizationConfiguration":
            try requireAdmin(caller, action)
            guard let auto = body["autoEnable"]?.objectValue else { throw AWSError.fieldValidation("autoEnable", "Member must not be null") }
            for (k, v) in auto { if let b = v.boolValue { autoEnable[k] = b } }
            return ["autoEnable": .object(["ec2", "ecr", "lambda", "lambdaCode"].map { ($0, .bool(autoEnable[$0] ?? false)) })]
        case "BatchGetFreeTrialInfo":
            guard let ids = try Self.accountIds(body["accountIds"], "accountIds"), !ids.isEmpty else {
                throw AWSError.fieldValidation("accountIds", "Member must have length greater than or equal to 1")
            }
            var ok: [JSONValue] = [], failed: [JSONValue] = []
            for id in ids {
                if known.contains(id) {
                    let start = clock.start - 86_400 * 200
                    ok.append(["accountId": .string(id), "freeTrialInfo": .array(["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"].map {
                        ["end": .number(start + 86_400 * 15), "start": .number(start), "status": "INACTIVE", "type": .string($0)]
                    })])
                } else {
                    failed.append(["accountId": .string(id), "code": "ACCESS_DENIED", "message": "Account is not part of this organization"])
                }
            }
            return ["accounts": .array(ok), "failedAccounts": .array(failed)]
        case "ListUsageTotals":
            let limit = try Self.maxResults(body, max: 500, default: 100)
            let hash = PageToken.queryHash(action: action, region: region, caller: caller.accountId, request: body)
            let offset = try PageToken.decode(try Self.nextToken(body), expecting: hash)
            let ids = try Self.accountIds(body["accountIds"], "accountIds") ?? Array(visibleAccounts(caller: caller.accountId)).sorted()
            let data = regions[region] ?? RegionData()
            let totals: [JSONValue] = ids.filter(known.contains).map { id in
                let res = data.resources.filter { $0.accountId == id && $0.isCovered }
                let ec2 = Double(res.filter { $0.type == "AWS_EC2_INSTANCE" }.count) * 720
                let ecr = Double(res.filter { $0.type == "AWS_ECR_CONTAINER_IMAGE" }.count)
                let lambda = Double(res.filter { $0.type == "AWS_LAMBDA_FUNCTION" }.count) * 720
                func usage(_ type: String, _ total: Double, _ price: Double) -> JSONValue {
                    ["currency": "USD", "estimatedMonthlyCost": .number((total * price * 100).rounded() / 100), "total": .number(total), "type": .string(type)]
                }
                return ["accountId": .string(id), "usage": [usage("EC2_INSTANCE_HOURS", ec2, 0.01725), usage("ECR_INITIAL_SCAN", ecr, 0.09), usage("ECR_RESCAN", ecr * 2, 0.01), usage("LAMBDA_FUNCTION_HOURS", lambda, 0.0004167)]]
            }
            return Self.page(totals, key: "totals", limit: limit, offset: offset, hash: hash)
        case "ListAccountPermissions":
            let limit = try Self.maxResults(body, max: 1024, default: 100)
            let hash = PageToken.queryHash(action: action, region: region, caller: caller.accountId, request: body)
            let offset = try PageToken.decode(try Self.nextToken(body), expecting: hash)
            let service = body["service"]?.stringValue
            var list: [JSONValue] = []
            for s in ["EC2", "ECR", "LAMBDA"] where service == nil || service == s {
                let ops = s == "ECR" ? ["ENABLE_SCANNING", "DISABLE_SCANNING", "ENABLE_REPOSITORY", "DISABLE_REPOSITORY"] : ["ENABLE_SCANNING", "DISABLE_SCANNING"]
                for op in ops where caller.accountId == adminAccountId || op.hasSuffix("REPOSITORY") {
                    list.append(["operation": .string(op), "service": .string(s)])
                }
            }
            return Self.page(list, key: "permissions", limit: limit, offset: offset, hash: hash)
        case "CreateFilter", "UpdateFilter", "DeleteFilter", "ListFilters":
            return try filterAction(action, body, caller)
        case "CreateFindingsReport", "GetFindingsReportStatus", "CancelFindingsReport":
            return try reportAction(action, body, caller)
        default:
            throw AWSError(.unknownOperation, "Unknown operation \(action)")
        }
    }
}
