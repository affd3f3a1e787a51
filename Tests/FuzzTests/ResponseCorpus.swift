import Foundation
import Inspector2Emulator

/// Real response bodies to mutate: ListFindings and ListCoverage pages from the emulator (every
/// finding type: packages, network paths, code vulnerabilities), made once per process.
enum ResponseCorpus {
    static let findingPages: [[UInt8]] = pages(path: "/findings/list", pageSize: 8, count: 6)
    static let coveragePages: [[UInt8]] = pages(path: "/coverage/list", pageSize: 8, count: 4)

    private static func pages(path: String, pageSize: Int, count: Int) -> [[UInt8]] {
        var configuration = EmulatorConfiguration()
        configuration.seed = 2026
        configuration.accounts = 1
        configuration.regions = ["us-east-1"]
        configuration.findingsPerAccountRegion = 60
        let emulator = Inspector2Emulator(configuration: configuration)
        var bodies: [[UInt8]] = []
        var token: String?
        for _ in 0..<count {
            var request: [(String, JSONValue)] = [("maxResults", .number(Double(pageSize)))]
            if let token { request.append(("nextToken", .string(token))) }
            let response = emulator.handle(EmulatorRequest(method: "POST", path: path, body: JSONValue.object(request).serialized()))
            precondition(response.status == 200, "the emulator refused \(path)")
            bodies.append(response.body)
            token = (try? JSONValue.parse(response.body))?["nextToken"]?.stringValue
            if token == nil { break }
        }
        return bodies
    }
}
