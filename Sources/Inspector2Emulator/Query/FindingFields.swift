/// Maps FilterCriteria / SortCriteria member names onto a finding and its resource.
enum FindingFields {
    static let stringFields: Set<String> = [
        "findingArn", "awsAccountId", "findingType", "severity", "findingStatus", "title", "resourceType", "resourceId",
        "ec2InstanceImageId", "ec2InstanceVpcId", "ec2InstanceSubnetId", "ecrImageArchitecture", "ecrImageRegistry",
        "ecrImageRepositoryName", "ecrImageTags", "ecrImageHash", "networkProtocol", "componentId", "componentType",
        "vulnerabilityId", "vulnerabilitySource", "vendorSeverity", "relatedVulnerabilities", "fixAvailable",
        "lambdaFunctionName", "lambdaFunctionLayers", "lambdaFunctionRuntime", "lambdaFunctionExecutionRoleArn",
        "exploitAvailable", "codeVulnerabilityDetectorName", "codeVulnerabilityDetectorTags", "codeVulnerabilityFilePath",
        "codeRepositoryProjectName", "codeRepositoryProviderType",
    ]
    static let dateFields: Set<String> = [
        "firstObservedAt", "lastObservedAt", "updatedAt", "ecrImagePushedAt", "ecrImageLastInUseAt", "lambdaFunctionLastModifiedAt",
    ]
    static let numberFields: Set<String> = ["inspectorScore", "epssScore", "ecrImageInUseCount"]
    static let mapFields: Set<String> = ["resourceTags"]

    /// All values of a string field (list fields give several; an absent field gives none).
    static func strings(_ field: String, _ f: FindingRecord, _ r: ResourceRecord) -> [String] {
        func one(_ s: String) -> [String] { s.isEmpty ? [] : [s] }
        let isEC2 = r.type == "AWS_EC2_INSTANCE", isECR = r.type == "AWS_ECR_CONTAINER_IMAGE", isLambda = r.type == "AWS_LAMBDA_FUNCTION"
        switch field {
        case "findingArn": return [f.arn]
        case "awsAccountId": return [f.accountId]
        case "findingType": return [f.type]
        case "severity": return [f.severity]
        case "findingStatus": return [f.status]
        case "title": return [f.title]
        case "resourceType": return [r.type]
        case "resourceId": return [r.id]
        case "ec2InstanceImageId": return isEC2 ? one(r.imageId) : []
        case "ec2InstanceVpcId": return isEC2 ? one(r.vpcId) : []
        case "ec2InstanceSubnetId": return isEC2 ? one(r.subnetId) : []
        case "ecrImageArchitecture": return isECR ? one(r.architecture) : []
        case "ecrImageRegistry": return isECR ? [r.accountId] : []
        case "ecrImageRepositoryName": return isECR ? one(r.repositoryName) : []
        case "ecrImageTags": return isECR ? r.imageTags : []
        case "ecrImageHash": return isECR ? one(r.imageHash) : []
        case "networkProtocol": return one(f.networkProtocol)
        case "componentId": return f.steps.map(\.componentId)
        case "componentType": return f.steps.map(\.componentType)
        case "vulnerabilityId": return one(f.vulnerabilityId)
        case "vulnerabilitySource": return one(f.vulnerabilitySource)
        case "vendorSeverity": return one(f.vendorSeverity)
        case "relatedVulnerabilities": return f.relatedVulnerabilities
        case "fixAvailable": return f.fixAvailable.map { [$0] } ?? []
        case "lambdaFunctionName": return isLambda ? one(r.functionName) : []
        case "lambdaFunctionLayers": return isLambda ? r.layers : []
        case "lambdaFunctionRuntime": return isLambda ? one(r.runtime) : []
        case "lambdaFunctionExecutionRoleArn": return isLambda ? one(r.executionRoleArn) : []
        case "exploitAvailable": return f.exploitAvailable.map { [$0] } ?? []
        case "codeVulnerabilityDetectorName": return one(f.detectorName)
        case "codeVulnerabilityDetectorTags": return f.detectorTags
        case "codeVulnerabilityFilePath": return one(f.codeFilePath)
        default: return []
        }
    }

    static func date(_ field: String, _ f: FindingRecord, _ r: ResourceRecord) -> Double? {
        switch field {
        case "firstObservedAt": return f.firstObservedAt
        case "lastObservedAt": return f.lastObservedAt
        case "updatedAt": return f.updatedAt
        case "ecrImagePushedAt": return r.type == "AWS_ECR_CONTAINER_IMAGE" ? r.pushedAt : nil
        case "ecrImageLastInUseAt": return r.type == "AWS_ECR_CONTAINER_IMAGE" ? r.lastInUseAt : nil
        case "lambdaFunctionLastModifiedAt": return r.type == "AWS_LAMBDA_FUNCTION" ? r.lastModifiedAt : nil
        default: return nil
        }
    }

    static func number(_ field: String, _ f: FindingRecord, _ r: ResourceRecord) -> Double? {
        switch field {
        case "inspectorScore": return f.inspectorScore
        case "epssScore": return f.epss
        case "ecrImageInUseCount": return r.type == "AWS_ECR_CONTAINER_IMAGE" ? Double(r.inUseCount) : nil
        default: return nil
        }
    }

    /// SortField -> a key; strings and numbers sort separately, absent values sort first.
    enum SortKey: Comparable {
        case absent
        case number(Double)
        case string(String)
    }

    static let sortFields = [
        "AWS_ACCOUNT_ID", "FINDING_TYPE", "SEVERITY", "FIRST_OBSERVED_AT", "LAST_OBSERVED_AT", "FINDING_STATUS",
        "RESOURCE_TYPE", "ECR_IMAGE_PUSHED_AT", "ECR_IMAGE_REPOSITORY_NAME", "ECR_IMAGE_REGISTRY", "NETWORK_PROTOCOL",
        "COMPONENT_TYPE", "VULNERABILITY_ID", "VULNERABILITY_SOURCE", "INSPECTOR_SCORE", "VENDOR_SEVERITY", "EPSS_SCORE",
    ]

    static func sortKey(_ field: String, _ f: FindingRecord, _ r: ResourceRecord) -> SortKey {
        func s(_ values: [String]) -> SortKey { values.first.map { .string($0) } ?? .absent }
        func n(_ v: Double?) -> SortKey { v.map { .number($0) } ?? .absent }
        switch field {
        case "AWS_ACCOUNT_ID": return .string(f.accountId)
        case "FINDING_TYPE": return .string(f.type)
        case "SEVERITY": return .number(Double(FindingRecord.severityRank[f.severity] ?? 0))
        case "FIRST_OBSERVED_AT": return .number(f.firstObservedAt)
        case "LAST_OBSERVED_AT": return .number(f.lastObservedAt)
        case "FINDING_STATUS": return .string(f.status)
        case "RESOURCE_TYPE": return .string(r.type)
        case "ECR_IMAGE_PUSHED_AT": return n(date("ecrImagePushedAt", f, r))
        case "ECR_IMAGE_REPOSITORY_NAME": return s(strings("ecrImageRepositoryName", f, r))
        case "ECR_IMAGE_REGISTRY": return s(strings("ecrImageRegistry", f, r))
        case "NETWORK_PROTOCOL": return s(strings("networkProtocol", f, r))
        case "COMPONENT_TYPE": return s(strings("componentType", f, r))
        case "VULNERABILITY_ID": return s(strings("vulnerabilityId", f, r))
        case "VULNERABILITY_SOURCE": return s(strings("vulnerabilitySource", f, r))
        case "INSPECTOR_SCORE": return n(f.inspectorScore)
        case "VENDOR_SEVERITY": return s(strings("vendorSeverity", f, r))
        case "EPSS_SCORE": return n(f.epss)
        default: return .absent
        }
    }
}
