/// Encodes findings and covered resources in the shape real AWS sends today (botocore's model).
enum FindingEncoder {
    static func encode(_ f: FindingRecord, resource r: ResourceRecord) -> [UInt8] {
        var m: [(String, JSONValue)] = [
            ("awsAccountId", .string(f.accountId)),
            ("description", .string(f.description)),
        ]
        if let e = f.exploitAvailable { m.append(("exploitAvailable", .string(e))) }
        if let t = f.lastKnownExploitAt { m.append(("exploitabilityDetails", ["lastKnownExploitAt": .number(t)])) }
        if let epss = f.epss { m.append(("epss", ["score": .number(epss)])) }
        m.append(("findingArn", .string(f.arn)))
        m.append(("firstObservedAt", .number(f.firstObservedAt)))
        if let fix = f.fixAvailable { m.append(("fixAvailable", .string(fix))) }
        if let s = f.inspectorScore {
            m.append(("inspectorScore", .number(s)))
            if f.type == "PACKAGE_VULNERABILITY" {
                m.append(("inspectorScoreDetails", ["adjustedCvss": .object([
                    ("adjustments", []), ("cvssSource", .string(f.vulnerabilitySource)), ("score", .number(s)),
                    ("scoreSource", .string(f.vulnerabilitySource)), ("scoringVector", .string(f.cvssVector)), ("version", "3.1"),
                ])]))
            }
        }
        m.append(("lastObservedAt", .number(f.lastObservedAt)))
        switch f.type {
        case "PACKAGE_VULNERABILITY":
            var details: [(String, JSONValue)] = [
                ("cvss", .array([.object([("baseScore", .number(f.cvssScore)), ("scoringVector", .string(f.cvssVector)), ("source", .string(f.vulnerabilitySource)), ("version", "3.1")])])),
                ("referenceUrls", .array([.string("https://nvd.nist.gov/vuln/detail/\(f.vulnerabilityId)")])),
                ("relatedVulnerabilities", .array(f.relatedVulnerabilities.map { .string($0) })),
                ("source", .string(f.vulnerabilitySource)),
                ("sourceUrl", .string("https://nvd.nist.gov/vuln/detail/\(f.vulnerabilityId)")),
                ("vendorSeverity", .string(f.vendorSeverity)),
                ("vulnerabilityId", .string(f.vulnerabilityId)),
            ]
            details.append(("vulnerablePackages", .array(f.packages.map { p in
                var pm: [(String, JSONValue)] = [("name", .string(p.name)), ("version", .string(p.version)), ("epoch", .number(Double(p.epoch)))]
                if !p.release.isEmpty { pm.append(("release", .string(p.release))) }
                if !p.arch.isEmpty { pm.append(("arch", .string(p.arch))) }
                pm.append(("packageManager", .string(p.packageManager)))
                if !p.filePath.isEmpty { pm.append(("filePath", .string(p.filePath))) }
                pm.append(("fixedInVersion", .string(p.fixedInVersion)))
                pm.append(("remediation", .string(p.fixedInVersion == "NotAvailable" ? "None Provided" : "Upgrade \(p.name) to \(p.fixedInVersion)")))
                if !p.sourceLayerHash.isEmpty { pm.append(("sourceLayerHash", .string(p.sourceLayerHash))) }
                if !p.sourceLambdaLayerArn.isEmpty { pm.append(("sourceLambdaLayerArn", .string(p.sourceLambdaLayerArn))) }
                return .object(pm)
            })))
            m.append(("packageVulnerabilityDetails", .object(details)))
            m.append(("remediation", ["recommendation": ["text": .string(f.remediationText)]]))
        case "NETWORK_REACHABILITY":
            m.append(("networkReachabilityDetails", .object([
                ("networkPath", ["steps": .array(f.steps.map { ["componentId": .string($0.componentId), "componentType": .string($0.componentType)] })]),
                ("openPortRange", ["begin": .number(Double(f.portBegin)), "end": .number(Double(f.portEnd))]),
                ("protocol", .string(f.networkProtocol)),
            ])))
            m.append(("remediation", ["recommendation": ["text": "You can restrict access to your instance by modifying the Security Groups or ACLs in the network path."]]))
        default:
            m.append(("codeVulnerabilityDetails", .object([
                ("cwes", .array(f.cwes.map { .string($0) })),
                ("detectorId", .string(f.detectorId)),
                ("detectorName", .string(f.detectorName)),
                ("detectorTags", .array(f.detectorTags.map { .string($0) })),
                ("filePath", .object([("endLine", .number(Double(f.codeStartLine + 3))), ("fileName", .string(f.codeFileName)), ("filePath", .string(f.codeFilePath)), ("startLine", .number(Double(f.codeStartLine)))])),
                ("referenceUrls", .array([.string("https://cwe.mitre.org/data/definitions/\(f.cwes.first?.dropFirst(4) ?? "").html")])),
                ("ruleId", .string(f.ruleId)),
            ])))
            m.append(("remediation", ["recommendation": ["text": "Validate and sanitize untrusted input before use."]]))
        }
        m.append(("resources", .array([resourceJSON(r)])))
        m.append(("severity", .string(f.severity)))
        m.append(("status", .string(f.status)))
        m.append(("title", .string(f.title)))
        m.append(("type", .string(f.type)))
        m.append(("updatedAt", .number(f.updatedAt)))
        return JSONValue.object(m).serialized()
    }

    static func tagsJSON(_ tags: [(String, String)]) -> JSONValue { .object(tags.map { ($0.0, .string($0.1)) }) }

    static func resourceJSON(_ r: ResourceRecord) -> JSONValue {
        let details: JSONValue
        switch r.type {
        case "AWS_EC2_INSTANCE":
            details = ["awsEc2Instance": .object([
                ("iamInstanceProfileArn", .string("arn:aws:iam::\(r.accountId):instance-profile/ec2-default")),
                ("imageId", .string(r.imageId)), ("ipV4Addresses", [.string(r.ipV4)]), ("ipV6Addresses", []),
                ("launchedAt", .number(r.launchedAt)), ("platform", .string(r.platform)),
                ("subnetId", .string(r.subnetId)), ("type", .string(r.instanceType)), ("vpcId", .string(r.vpcId)),
            ])]
        case "AWS_ECR_CONTAINER_IMAGE":
            details = ["awsEcrContainerImage": .object([
                ("architecture", .string(r.architecture)), ("imageHash", .string(r.imageHash)),
                ("imageTags", .array(r.imageTags.map { .string($0) })), ("inUseCount", .number(Double(r.inUseCount))),
                ("lastInUseAt", .number(r.lastInUseAt)), ("platform", "LINUX"), ("pushedAt", .number(r.pushedAt)),
                ("registry", .string(r.accountId)), ("repositoryName", .string(r.repositoryName)),
            ])]
        default:
            details = ["awsLambdaFunction": .object([
                ("architectures", ["X86_64"]), ("codeSha256", .string(r.codeSha256)),
                ("executionRoleArn", .string(r.executionRoleArn)), ("functionName", .string(r.functionName)),
                ("lastModifiedAt", .number(r.lastModifiedAt)), ("layers", .array(r.layers.map { .string($0) })),
                ("packageType", "ZIP"), ("runtime", .string(r.runtime)), ("version", "$LATEST"),
            ])]
        }
        return .object([
            ("details", details), ("id", .string(r.id)), ("partition", "aws"), ("region", .string(r.region)),
            ("tags", tagsJSON(r.tags)), ("type", .string(r.type)),
        ])
    }

    /// One ListCoverage entry for a resource and scan type.
    static func coveredResourceJSON(_ r: ResourceRecord, scanType: String) -> JSONValue {
        var metadata: JSONValue
        switch r.type {
        case "AWS_EC2_INSTANCE":
            metadata = ["ec2": .object([("amiId", .string(r.imageId)), ("platform", .string(r.platform.hasPrefix("WINDOWS") ? "WINDOWS" : "LINUX")), ("tags", tagsJSON(r.tags))])]
        case "AWS_ECR_CONTAINER_IMAGE":
            metadata = .object([
                ("ecrImage", .object([("imagePulledAt", .number(r.lastInUseAt)), ("inUseCount", .number(Double(r.inUseCount))), ("lastInUseAt", .number(r.lastInUseAt)), ("tags", .array(r.imageTags.map { .string($0) }))])),
                ("ecrRepository", .object([("name", .string(r.repositoryName)), ("scanFrequency", "SCAN_ON_PUSH")])),
            ])
        default:
            metadata = ["lambdaFunction": .object([("functionName", .string(r.functionName)), ("functionTags", tagsJSON(r.tags)), ("layers", .array(r.layers.map { .string($0) })), ("runtime", .string(r.runtime))])]
        }
        var m: [(String, JSONValue)] = [
            ("accountId", .string(r.accountId)), ("lastScannedAt", .number(r.lastScannedAt)),
            ("resourceId", .string(r.id)), ("resourceMetadata", metadata), ("resourceType", .string(r.type)),
        ]
        if r.type == "AWS_EC2_INSTANCE" { m.append(("scanMode", "EC2_SSM_AGENT_BASED")) }
        m.append(("scanStatus", .object([("reason", .string(r.scanStatusReason)), ("statusCode", .string(r.scanStatusCode))])))
        m.append(("scanType", .string(scanType)))
        return .object(m)
    }
}
