import Foundation
import Inspector2Emulator
import Testing

@Suite struct TenancyTests {
    func assumeRole(_ e: Inspector2Emulator, account: String) throws -> String {
        let body = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A\(account)%3Arole%2FInspectorSync&RoleSessionName=test"
        let r = e.handle(EmulatorRequest(method: "POST", path: "/", headers: [
            ("authorization", "AWS4-HMAC-SHA256 Credential=\(EmulatorConfiguration.defaultAccessKey)/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0"),
            ("content-type", "application/x-www-form-urlencoded"),
        ], body: Array(body.utf8)))
        let xml = String(decoding: r.body, as: UTF8.self)
        #expect(r.status == 200, "\(xml)")
        #expect(xml.contains("<Arn>arn:aws:sts::\(account):assumed-role/InspectorSync/test</Arn>"))
        let start = try #require(xml.range(of: "<AccessKeyId>")), end = try #require(xml.range(of: "</AccessKeyId>"))
        return String(xml[start.upperBound..<end.lowerBound])
    }

    @Test func memberSeesOnlyItsOwnFindings() throws {
        let e = makeEmulator(accounts: 3, findings: 50)
        let admin = try e.listAll([:], pageSize: 100)
        let accounts = Set(admin.findings.compactMap { $0["awsAccountId"]?.stringValue })
        #expect(accounts == Set([e.adminAccountId] + e.memberAccountIds))
        for member in e.memberAccountIds {
            let key = try assumeRole(e, account: member)
            let own = try e.listAll([:], pageSize: 100, accessKey: key)
            #expect(own.findings.count == 50)
            #expect(Set(own.findings.compactMap { $0["awsAccountId"]?.stringValue }) == [member])
            // A member's coverage and aggregations are its own too.
            let coverage = e.post("/coverage/list", ["maxResults": 200], accessKey: key).json?["coveredResources"]?.arrayValue ?? []
            #expect(!coverage.isEmpty && coverage.allSatisfy { $0["accountId"]?.stringValue == member })
            let agg = e.post("/findings/aggregation/list", ["aggregationType": "ACCOUNT"], accessKey: key).json?["responses"]?.arrayValue ?? []
            #expect(agg.count == 1)
            // Members cannot manage members.
            #expect(e.post("/members/associate", ["accountId": .string(e.adminAccountId)], accessKey: key).status == 403)
        }
    }

    @Test func regionComesFromCredentialScope() throws {
        let e = makeEmulator(findings: 20)
        let eu = try e.listAll([:], pageSize: 100, region: "eu-west-1")
        #expect(eu.findings.allSatisfy { $0["findingArn"]?.stringValue?.contains(":eu-west-1:") == true })
        #expect(eu.findings.count == 60)
    }

    @Test func assumeRoleOutsideOrganizationIsDenied() {
        let body = "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A999999999999%3Arole%2FX&RoleSessionName=s"
        let r = makeEmulator(findings: 5).handle(EmulatorRequest(method: "POST", path: "/", body: Array(body.utf8)))
        #expect(r.status == 403)
        #expect(String(decoding: r.body, as: UTF8.self).contains("<Code>AccessDenied</Code>"))
    }

    @Test func suppressFilterSuppressesAndRestores() throws {
        let e = makeEmulator(findings: 100)
        let criteria: JSONValue = ["severity": [["comparison": "EQUALS", "value": "LOW"]], "findingStatus": [["comparison": "EQUALS", "value": "ACTIVE"]]]
        let targets = try e.listAll(["filterCriteria": criteria], pageSize: 100).findings.compactMap { $0["findingArn"]?.stringValue }
        #expect(!targets.isEmpty)
        e.control("/_emulator/clock", ["advanceSeconds": 60])
        let arn = try #require(e.post("/filters/create", ["name": "low", "action": "SUPPRESS", "filterCriteria": criteria]).json?["arn"]?.stringValue)
        let now = e.now.rounded(.down)
        let byArn = { (arn: String) in e.post("/findings/list", ["filterCriteria": ["findingArn": [["comparison": "EQUALS", "value": .string(arn)]]]]).json?["findings"]?.arrayValue?.first }
        for t in targets {
            let f = byArn(t)
            #expect(f?["status"] == "SUPPRESSED")
            #expect((f?["updatedAt"]?.doubleValue ?? 0) >= now)
        }
        #expect(e.post("/filters/delete", ["arn": .string(arn)]).status == 200)
        for t in targets { #expect(byArn(t)?["status"] == "ACTIVE") }
    }

    @Test func stateFileRoundTrip() throws {
        let path = NSTemporaryDirectory() + "emulator-state-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var config = EmulatorConfiguration()
        config.findingsPerAccountRegion = 60
        config.accounts = 1
        config.regions = ["us-east-1"]
        config.startTime = 1_790_000_000
        config.stateFile = path
        let e = Inspector2Emulator(configuration: config, monotonic: { 0 })
        e.control("/_emulator/clock", ["advanceSeconds": 600])
        _ = e.post("/filters/create", ["name": "n", "action": "SUPPRESS", "filterCriteria": ["severity": [["comparison": "EQUALS", "value": "HIGH"]]]])
        e.control("/_emulator/drift", ["fraction": 0.1, "seed": 4])
        try e.saveState()
        let reloaded = try Inspector2Emulator.loadOrCreate(configuration: config)
        #expect(reloaded.allFindings(region: "us-east-1") == e.allFindings(region: "us-east-1"))
        #expect(reloaded.now >= e.now)
    }
}
