import Foundation
import Testing

@testable import Inspector2Model

@Suite struct ResponseSampleTests {
    let decoder = Inspector2JSON.makeDecoder()

    @Test func listFindingsDecodesAllThreeFindingTypes() throws {
        let response = try decoder.decode(ListFindingsResponse.self, from: Data(Fixtures.listFindings.utf8))
        let findings = try #require(response.findings)
        #expect(findings.count == 3)
        #expect(response.nextToken == "eyJ0b2tlbiI6IDF9+/==")

        let package = findings[0]
        #expect(package.type == .packageVulnerability)
        #expect(package.description == "In the OpenSSL \"ossl\" library, a \\ path\nbug.")
        #expect(package.severity == .high)
        #expect(package.fixAvailable == .yes)
        #expect(package.exploitAvailable == .yes)
        #expect(package.epss?.score == 0.00912)
        #expect(package.exploitabilityDetails?.lastKnownExploitAt == Date(timeIntervalSince1970: 1_699_000_000))
        #expect(package.firstObservedAt == Date(timeIntervalSince1970: 1_700_000_000.123))
        #expect(package.updatedAt == Date(timeIntervalSince1970: 1_700_003_600.5))
        let vuln = try #require(package.packageVulnerabilityDetails)
        #expect(vuln.vulnerabilityId == "CVE-2023-0286")
        #expect(vuln.vulnerablePackages?.first?.fixedInVersion == "1.0.2k-25.amzn2.0.3")
        #expect(vuln.vulnerablePackages?.first?.epoch == 1)
        #expect(vuln.vulnerablePackages?.first?.packageManager == .os)
        #expect(vuln.cvss?.first?.baseScore == 7.5)
        #expect(package.inspectorScoreDetails?.adjustedCvss?.scoreSource == "NVD")
        let resource = try #require(package.resources.first)
        #expect(resource.type == .awsEc2Instance)
        #expect(resource.tags == ["Name": "web-1"])
        #expect(resource.details?.awsEc2Instance?.platform == "AMAZON_LINUX_2")
        #expect(resource.details?.awsEc2Instance?.launchedAt == Date(timeIntervalSince1970: 1_690_000_000))

        let network = findings[1]
        #expect(network.type == .networkReachability)
        #expect(network.status == .suppressed)
        #expect(network.updatedAt == nil)
        let reach = try #require(network.networkReachabilityDetails)
        #expect(reach.openPortRange.begin == 22)
        #expect(reach.protocol == .tcp)
        #expect(reach.networkPath.steps?.map(\.componentType) == ["AWS::EC2::InternetGateway", "AWS::EC2::SecurityGroup"])

        let code = findings[2]
        #expect(code.type == .codeVulnerability)
        #expect(code.status == .closed)
        #expect(code.fixAvailable == .partial)
        #expect(code.exploitAvailable == .no)
        #expect(code.title == nil)
        #expect(code.severity.rawValue == "SOME_FUTURE_SEVERITY")
        #expect(!code.severity.isKnown)
        #expect(code.remediation.recommendation?.url == "https://cwe.mitre.org/data/definitions/117.html")
        let details = try #require(code.codeVulnerabilityDetails)
        #expect(details.cwes == ["CWE-117", "CWE-93"])
        #expect(details.filePath.startLine == 10)
        let lambda = try #require(code.resources.first?.details?.awsLambdaFunction)
        #expect(lambda.runtime == "PYTHON_3_12")  // newer than the model: kept as is
        #expect(lambda.version == "$LATEST")
        #expect(lambda.architectures == [.arm64])

        // What we decoded encodes and decodes to the same value.
        try RoundTrip.value(response)
    }

    @Test func listCoverageDecodesScanModeAndLastScannedAt() throws {
        let response = try decoder.decode(ListCoverageResponse.self, from: Data(Fixtures.listCoverage.utf8))
        let resources = try #require(response.coveredResources)
        #expect(resources.count == 2)
        #expect(response.nextToken == nil)
        #expect(resources[0].scanMode == .ec2Agentless)
        #expect(resources[0].lastScannedAt == Date(timeIntervalSince1970: 1_700_000_000.5))
        #expect(resources[0].scanStatus?.statusCode == .active)
        #expect(resources[0].resourceMetadata?.ec2?.amiId == "ami-0123456789abcdef0")
        #expect(resources[1].resourceType == .awsLambdaFunction)
        #expect(resources[1].scanType == .code)
        #expect(resources[1].scanMode == nil)
        #expect(resources[1].lastScannedAt == Date(timeIntervalSince1970: 1_700_000_001))
        #expect(resources[1].scanStatus?.reason.rawValue == "SOME_NEW_REASON")
        try RoundTrip.value(response)
    }
}
