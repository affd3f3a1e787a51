import Foundation

/// Hand-written response bodies shaped like what AWS sends today (botocore's current model).
enum Fixtures {
    static let listFindings = #"""
        {
          "findings": [
            {
              "awsAccountId": "111122223333",
              "description": "In the OpenSSL \"ossl\" library, a \\ path\nbug.",
              "epss": {"score": 0.00912},
              "exploitAvailable": "YES",
              "exploitabilityDetails": {"lastKnownExploitAt": 1699000000},
              "findingArn": "arn:aws:inspector2:eu-west-1:111122223333:finding/0123456789abcdef0123456789abcdef",
              "firstObservedAt": 1.700000000123E9,
              "fixAvailable": "YES",
              "inspectorScore": 7.5,
              "inspectorScoreDetails": {"adjustedCvss": {"adjustments": [], "cvssSource": "NVD", "score": 7.5,
                "scoreSource": "NVD", "scoringVector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "version": "3.1"}},
              "lastObservedAt": 1700003600.5,
              "packageVulnerabilityDetails": {
                "cvss": [{"baseScore": 7.5, "scoringVector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "source": "NVD", "version": "3.1"}],
                "referenceUrls": ["https://www.openssl.org/news/secadv/20230207.txt"],
                "relatedVulnerabilities": [],
                "source": "NVD",
                "sourceUrl": "https://nvd.nist.gov/vuln/detail/CVE-2023-0286",
                "vendorCreatedAt": 1675814400,
                "vendorSeverity": "HIGH",
                "vulnerabilityId": "CVE-2023-0286",
                "vulnerablePackages": [{"arch": "X86_64", "epoch": 1, "fixedInVersion": "1.0.2k-25.amzn2.0.3",
                  "name": "openssl-libs", "packageManager": "OS", "release": "24.amzn2.0.6",
                  "remediation": "yum update openssl-libs", "version": "1.0.2k"}]
              },
              "remediation": {"recommendation": {"text": "None Provided"}},
              "resources": [{
                "details": {"awsEc2Instance": {"iamInstanceProfileArn": "arn:aws:iam::111122223333:instance-profile/app",
                  "imageId": "ami-0123456789abcdef0", "ipV4Addresses": ["10.0.1.12"], "ipV6Addresses": [],
                  "launchedAt": 1690000000, "platform": "AMAZON_LINUX_2", "subnetId": "subnet-0123456789abcdef0",
                  "type": "t3.medium", "vpcId": "vpc-0123456789abcdef0"}},
                "id": "i-0123456789abcdef0", "partition": "aws", "region": "eu-west-1", "tags": {"Name": "web-1"},
                "type": "AWS_EC2_INSTANCE"}],
              "severity": "HIGH",
              "status": "ACTIVE",
              "title": "CVE-2023-0286 - openssl-libs",
              "type": "PACKAGE_VULNERABILITY",
              "updatedAt": 1700003600.5,
              "aNewMemberAwsAddedLater": {"nested": [1, 2, {"x": "y"}]}
            },
            {
              "awsAccountId": "111122223333",
              "description": "On the instance, port range 22 - 22 is reachable from an Internet Gateway.",
              "findingArn": "arn:aws:inspector2:eu-west-1:111122223333:finding/fedcba9876543210fedcba9876543210",
              "firstObservedAt": 1700000000,
              "fixAvailable": "NO",
              "lastObservedAt": 1700000100,
              "networkReachabilityDetails": {
                "networkPath": {"steps": [
                  {"componentId": "igw-0123456789abcdef0", "componentType": "AWS::EC2::InternetGateway"},
                  {"componentId": "sg-0123456789abcdef0", "componentType": "AWS::EC2::SecurityGroup"}]},
                "openPortRange": {"begin": 22, "end": 22},
                "protocol": "TCP"
              },
              "remediation": {"recommendation": {"text": "Restrict access."}},
              "resources": [{"id": "i-0123456789abcdef0", "type": "AWS_EC2_INSTANCE"}],
              "severity": "MEDIUM",
              "status": "SUPPRESSED",
              "title": "Port 22 is reachable from an Internet Gateway",
              "type": "NETWORK_REACHABILITY"
            },
            {
              "awsAccountId": "111122223333",
              "codeVulnerabilityDetails": {
                "cwes": ["CWE-117", "CWE-93"],
                "detectorId": "python/log-injection@v1.0",
                "detectorName": "Log injection",
                "detectorTags": ["data-integrity", "injection"],
                "filePath": {"endLine": 12, "fileName": "app.py", "filePath": "src/app.py", "startLine": 10},
                "referenceUrls": [],
                "ruleId": "python-log-injection"
              },
              "description": "User-provided inputs must be sanitized before they are logged.",
              "epss": {"score": 0.1},
              "exploitAvailable": "NO",
              "findingArn": "arn:aws:inspector2:eu-west-1:111122223333:finding/00000000000000000000000000000001",
              "firstObservedAt": 1700000000.25,
              "fixAvailable": "PARTIAL",
              "lastObservedAt": 1700000000.25,
              "remediation": {"recommendation": {"Url": "https://cwe.mitre.org/data/definitions/117.html", "text": "Sanitize."}},
              "resources": [{
                "details": {"awsLambdaFunction": {"architectures": ["ARM64"], "codeSha256": "abc=",
                  "executionRoleArn": "arn:aws:iam::111122223333:role/fn", "functionName": "handler",
                  "lastModifiedAt": 1699999999, "packageType": "ZIP", "runtime": "PYTHON_3_12", "version": "$LATEST"}},
                "id": "arn:aws:lambda:eu-west-1:111122223333:function:handler:$LATEST",
                "type": "AWS_LAMBDA_FUNCTION"}],
              "severity": "SOME_FUTURE_SEVERITY",
              "status": "CLOSED",
              "type": "CODE_VULNERABILITY"
            }
          ],
          "nextToken": "eyJ0b2tlbiI6IDF9\u002B\/=="
        }
        """#

    static let listCoverage = #"""
        {"coveredResources": [
          {"accountId": "111122223333", "lastScannedAt": 1700000000.5,
           "resourceId": "i-0123456789abcdef0", "resourceType": "AWS_EC2_INSTANCE", "scanMode": "EC2_AGENTLESS",
           "resourceMetadata": {"ec2": {"amiId": "ami-0123456789abcdef0", "platform": "LINUX", "tags": {}}},
           "scanStatus": {"reason": "SUCCESSFUL", "statusCode": "ACTIVE"}, "scanType": "PACKAGE"},
          {"accountId": "111122223333", "lastScannedAt": 1700000001,
           "resourceId": "arn:aws:lambda:eu-west-1:111122223333:function:handler", "resourceType": "AWS_LAMBDA_FUNCTION",
           "resourceMetadata": {"lambdaFunction": {"functionName": "handler", "runtime": "PYTHON_3_12"}},
           "scanStatus": {"reason": "SOME_NEW_REASON", "statusCode": "INACTIVE"}, "scanType": "CODE"}
        ]}
        """#
}
