import Foundation

/// Makes resources and findings from a PRNG stream. Pure: same generator state in, same records out.
struct FindingFactory: Sendable {
    let catalog: VulnerabilityCatalog

    static let amis = ["ami-0c55b159cbfafe1f0", "ami-0a887e401f7654935", "ami-08f3d892de259504d", "ami-0dba2cb6798deb6d8", "ami-07ebfd5b3428b6f4d", "ami-0b898040803850657"]
    static let repositories = ["payments-api", "web-frontend", "auth-service", "orders-worker", "search-indexer", "billing", "notification-service", "reporting", "gateway", "ml-inference"]
    static let runtimes = ["python3.12", "python3.11", "nodejs20.x", "nodejs18.x", "java17", "java21", "go1.x", "provided.al2023"]
    static let teams = ["payments", "platform", "identity", "data", "growth", "security"]
    static let ports: [(Int, Int, String)] = [(22, 22, "TCP"), (3389, 3389, "TCP"), (80, 80, "TCP"), (443, 443, "TCP"), (5432, 5432, "TCP"), (3306, 3306, "TCP"), (6379, 6379, "TCP"), (53, 53, "UDP"), (8000, 8999, "TCP"), (1024, 65535, "TCP"), (123, 123, "UDP"), (27017, 27017, "TCP")]
    static let detectors: [(String, String, String, [String])] = [
        ("python/sql-injection@v1.0", "SQL injection", "CWE-89", ["injection", "sql", "python"]),
        ("python/os-command-injection@v1.0", "OS command injection", "CWE-77", ["injection", "subprocess", "python"]),
        ("javascript/cross-site-scripting@v1.0", "Cross-site scripting", "CWE-79", ["xss", "javascript", "owasp-top10"]),
        ("java/hardcoded-credentials@v1.0", "Hardcoded credentials", "CWE-798", ["secrets", "java"]),
        ("python/insecure-cryptography@v1.0", "Insecure cryptography", "CWE-327", ["cryptography", "python"]),
        ("javascript/path-traversal@v1.0", "Path traversal", "CWE-22", ["injection", "javascript"]),
    ]

    func makeResource(_ rng: inout SplitMix64, accountId: String, region: String, now: Double) -> ResourceRecord {
        let kind = rng.weighted([("AWS_EC2_INSTANCE", 0.5), ("AWS_ECR_CONTAINER_IMAGE", 0.3), ("AWS_LAMBDA_FUNCTION", 0.2)])
        let team = rng.pick(Self.teams)
        let tags = [("team", team), ("env", rng.pick(["prod", "staging", "dev"]))]
        var r: ResourceRecord
        switch kind {
        case "AWS_EC2_INSTANCE":
            r = ResourceRecord(type: kind, id: "i-0" + rng.hex(16), accountId: accountId, region: region, tags: tags + [("Name", "\(team)-\(rng.hex(4))")])
            r.instanceType = rng.pick(["t3.micro", "t3.large", "m5.xlarge", "c6i.2xlarge", "r6g.large"])
            r.imageId = rng.pick(Self.amis)
            r.vpcId = "vpc-0" + rng.hex(16)
            r.subnetId = "subnet-0" + rng.hex(16)
            r.platform = rng.weighted([("AMAZON_LINUX_2", 0.4), ("UBUNTU_22_04", 0.3), ("WINDOWS_SERVER_2019", 0.1), ("RHEL_8", 0.1), ("DEBIAN_12", 0.1)])
            r.ipV4 = "10.\(rng.int(0...255)).\(rng.int(0...255)).\(rng.int(1...254))"
            r.launchedAt = (now - Double(rng.int(3_600...86_400 * 300))).rounded()
            r.scanTypes = ["PACKAGE", "NETWORK"]
        case "AWS_ECR_CONTAINER_IMAGE":
            r = ResourceRecord(type: kind, id: "", accountId: accountId, region: region, tags: [])
            r.repositoryName = rng.pick(Self.repositories)
            r.imageHash = "sha256:" + rng.hex(64)
            r.id = "arn:aws:ecr:\(region):\(accountId):repository/\(r.repositoryName)/\(r.imageHash)"
            r.imageTags = rng.chance(0.7) ? ["v\(rng.int(1...9)).\(rng.int(0...40)).\(rng.int(0...9))", "latest"] : ["build-\(rng.int(100...9999))"]
            r.architecture = rng.pick(["amd64", "arm64"])
            r.pushedAt = (now - Double(rng.int(3_600...86_400 * 200))).rounded()
            r.lastInUseAt = (now - Double(rng.int(60...86_400 * 10))).rounded()
            r.inUseCount = rng.int(0...12)
            r.scanTypes = ["PACKAGE"]
        default:
            r = ResourceRecord(type: kind, id: "", accountId: accountId, region: region, tags: tags)
            r.functionName = "\(team)-\(rng.pick(["ingest", "notify", "resize", "export", "webhook", "cron"]))-\(rng.hex(4))"
            r.id = "arn:aws:lambda:\(region):\(accountId):function:\(r.functionName):$LATEST"
            r.runtime = rng.pick(Self.runtimes)
            r.layers = rng.chance(0.4) ? ["arn:aws:lambda:\(region):\(accountId):layer:\(team)-deps:\(rng.int(1...30))"] : []
            r.executionRoleArn = "arn:aws:iam::\(accountId):role/\(r.functionName)-role"
            r.codeSha256 = rng.hex(43) + "="
            r.lastModifiedAt = (now - Double(rng.int(3_600...86_400 * 200))).rounded()
            r.scanTypes = rng.chance(0.5) ? ["PACKAGE", "CODE"] : ["PACKAGE"]
        }
        r.lastScannedAt = (now - Double(rng.int(60...86_400 * 2))).rounded()
        r.scanStatusCode = "ACTIVE"
        r.scanStatusReason = "SUCCESSFUL"
        return r
    }

    /// A finding on `resource`, observed some time before `now` (`fresh` makes it first seen at `now`).
    func makeFinding(_ rng: inout SplitMix64, resource: ResourceRecord, resourceIndex: Int, now: Double, fresh: Bool) -> FindingRecord {
        let type: String
        switch resource.type {
        case "AWS_EC2_INSTANCE": type = rng.chance(0.2) ? "NETWORK_REACHABILITY" : "PACKAGE_VULNERABILITY"
        case "AWS_LAMBDA_FUNCTION": type = resource.scanTypes.contains("CODE") && rng.chance(0.3) ? "CODE_VULNERABILITY" : "PACKAGE_VULNERABILITY"
        default: type = "PACKAGE_VULNERABILITY"
        }
        let ms = { (x: Double) in (x * 1000).rounded() / 1000 }
        let first = fresh ? ms(now) : ms(now - Double(rng.int(3_600...86_400 * 180)) - rng.unit())
        let last = fresh ? first : ms(first + (now - first) * rng.unit())
        let updated = fresh ? first : ms(last + (now - last) * rng.unit() * 0.5)
        var status = fresh ? "ACTIVE" : rng.weighted([("ACTIVE", 0.82), ("CLOSED", 0.13), ("SUPPRESSED", 0.05)])
        var closedAt: Double?
        var updatedAt = updated
        if status == "CLOSED" {
            // Keep generated closes inside the retention window so a fresh dataset holds no purgeable rows.
            updatedAt = ms(now - Double(rng.int(60...86_400 * 2)) - rng.unit())
            if updatedAt < last { status = "ACTIVE"; updatedAt = updated } else { closedAt = updatedAt }
        }
        var f = FindingRecord(
            arn: "arn:aws:inspector2:\(resource.region):\(resource.accountId):finding/\(rng.hex(32))",
            accountId: resource.accountId, region: resource.region, resourceIndex: resourceIndex,
            type: type, status: status, severity: "MEDIUM", title: "", description: "",
            firstObservedAt: first, lastObservedAt: last, updatedAt: updatedAt)
        f.closedAt = closedAt
        switch type {
        case "NETWORK_REACHABILITY":
            let (b, e, proto) = rng.pick(Self.ports)
            f.portBegin = b; f.portEnd = e; f.networkProtocol = proto
            f.severity = (b == 22 || b == 3389) ? "HIGH" : rng.pick(["MEDIUM", "LOW", "MEDIUM"])
            f.steps = [
                .init(componentId: "igw-0" + rng.hex(16), componentType: "AWS::EC2::InternetGateway"),
                .init(componentId: "acl-0" + rng.hex(16), componentType: "AWS::EC2::NetworkAcl"),
                .init(componentId: "sg-0" + rng.hex(16), componentType: "AWS::EC2::SecurityGroup"),
                .init(componentId: "eni-0" + rng.hex(16), componentType: "AWS::EC2::NetworkInterface"),
            ]
            f.title = b == e ? "Port \(b) is reachable from an Internet Gateway - \(proto)" : "Port range \(b)-\(e) is reachable from an Internet Gateway - \(proto)"
            f.description = "On the instance \(resource.id), the port range \(b) to \(e) is reachable from the InternetGateway \(f.steps[0].componentId) from an attached ENI \(f.steps[3].componentId)."
        case "CODE_VULNERABILITY":
            let (detectorId, name, cwe, tags) = rng.pick(Self.detectors)
            f.detectorId = detectorId; f.detectorName = name; f.detectorTags = tags; f.cwes = [cwe]
            f.ruleId = "\(detectorId.split(separator: "@")[0])-\(rng.hex(6))"
            f.codeFileName = rng.pick(["handler.py", "app.js", "index.js", "Main.java", "utils.py", "db.py"])
            f.codeFilePath = "src/\(rng.pick(["api", "lib", "handlers", "core"]))/\(f.codeFileName)"
            f.codeStartLine = rng.int(1...400)
            f.severity = rng.weighted([("CRITICAL", 0.1), ("HIGH", 0.4), ("MEDIUM", 0.4), ("LOW", 0.1)])
            f.title = "\(cwe) - \(name)"
            f.description = "\(name) detected in \(f.codeFilePath) of \(resource.functionName)."
            f.inspectorScore = f.severity == "CRITICAL" ? 9.5 : f.severity == "HIGH" ? 7.5 : f.severity == "MEDIUM" ? 5.0 : 2.0
        default:
            let v = catalog.entries[Int(rng.next() % UInt64(catalog.entries.count))]
            f.vulnerabilityId = v.id
            f.vulnerabilitySource = v.source
            f.vendorSeverity = v.severity
            f.relatedVulnerabilities = v.related
            f.severity = v.severity
            f.cvssScore = v.cvss
            f.cvssVector = v.vector
            f.inspectorScore = v.cvss
            f.epss = v.epss
            f.exploitAvailable = v.exploitAvailable ? "YES" : "NO"
            f.lastKnownExploitAt = v.lastKnownExploitAt
            let count = rng.chance(0.2) ? 2 : 1
            for i in 0..<count {
                let name = i == 0 ? v.package : v.package + "-libs"
                f.packages.append(.init(
                    name: name, version: v.version, epoch: v.manager == "OS" && rng.chance(0.2) ? 1 : 0,
                    release: v.manager == "OS" ? "\(rng.int(1...30)).amzn2" : "",
                    arch: v.manager == "OS" ? (resource.architecture == "arm64" ? "aarch64" : "x86_64") : "",
                    packageManager: v.manager,
                    filePath: v.manager == "OS" ? "" : resource.type == "AWS_LAMBDA_FUNCTION" ? "/var/task/\(name)" : "/app/node_modules/\(name)/package.json",
                    fixedInVersion: v.fixedIn,
                    sourceLayerHash: resource.type == "AWS_ECR_CONTAINER_IMAGE" ? "sha256:" + rng.hex(64) : "",
                    sourceLambdaLayerArn: resource.layers.first ?? ""))
            }
            let fixes = f.packages.filter { $0.fixedInVersion != "NotAvailable" }.count
            f.fixAvailable = fixes == 0 ? "NO" : fixes == f.packages.count ? "YES" : "PARTIAL"
            f.title = "\(v.id) - \(f.packages.map(\.name).joined(separator: ", "))"
            f.description = v.description
            f.remediationText = "Upgrade your installed software packages to the proposed fixed in version and release.\n\n"
                + f.packages.map { "\($0.name): version \($0.version) -> \($0.fixedInVersion)" }.joined(separator: "\n")
        }
        return f
    }
}
