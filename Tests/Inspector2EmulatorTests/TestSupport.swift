import Inspector2Emulator

/// A small emulator with a frozen clock (time moves only through /_emulator/clock).
func makeEmulator(seed: UInt64 = 7, accounts: Int = 2, findings: Int = 300, regions: [String] = ["us-east-1", "eu-west-1"]) -> Inspector2Emulator {
    var config = EmulatorConfiguration()
    config.seed = seed
    config.accounts = accounts
    config.findingsPerAccountRegion = findings
    config.regions = regions
    config.startTime = 1_790_000_000
    return Inspector2Emulator(configuration: config, monotonic: { 0 })
}

extension Inspector2Emulator {
    func post(_ path: String, _ body: JSONValue = [:], accessKey: String = EmulatorConfiguration.defaultAccessKey, region: String = "us-east-1") -> EmulatorResponse {
        handle(.json(path, body, accessKey: accessKey, region: region))
    }

    @discardableResult
    func control(_ path: String, _ body: JSONValue = [:], method: String = "POST") -> JSONValue {
        handle(EmulatorRequest(method: method, path: path, body: method == "POST" ? body.serialized() : [])).json ?? .null
    }

    /// Pages ListFindings to the end; returns every finding and the number of pages.
    func listAll(_ request: JSONValue, pageSize: Int, accessKey: String = EmulatorConfiguration.defaultAccessKey, region: String = "us-east-1") throws -> (findings: [JSONValue], pages: Int) {
        var out: [JSONValue] = []
        var token: String?
        var pages = 0
        repeat {
            var members = request.objectValue ?? []
            members.append(("maxResults", .number(Double(pageSize))))
            if let token { members.append(("nextToken", .string(token))) }
            let response = post("/findings/list", .object(members), accessKey: accessKey, region: region)
            guard response.status == 200, let json = response.json else { throw TestFailure("status \(response.status): \(String(decoding: response.body, as: UTF8.self))") }
            let page = json["findings"]?.arrayValue ?? []
            if page.count > pageSize { throw TestFailure("page of \(page.count) > \(pageSize)") }
            out += page
            token = json["nextToken"]?.stringValue
            pages += 1
        } while token != nil
        return (out, pages)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
