import Foundation

/// One case of the official AWS SigV4 test suite (as shipped in botocore's sdist), read from the
/// `.req`, `.creq`, `.sts` and `.authz` files under `Resources/aws4_testsuite`.
struct AWS4TestCase: CustomStringConvertible, Sendable {
    static let accessKeyId = "AKIDEXAMPLE"
    static let secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let region = "us-east-1"
    static let service = "service"
    static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z

    let name: String
    let method: String
    let rawPath: String
    let rawQuery: String
    let headers: [(name: String, value: String)]
    let body: [UInt8]
    let canonicalRequest: String
    let stringToSign: String
    let authorization: String
    /// The suite's session token, when the canonical request signs one.
    let sessionToken: String?

    var description: String { name }

    static var suiteDirectory: URL {
        testResourcesDirectory.appendingPathComponent("aws4_testsuite")
    }

    /// Every case directory (one holding a `.req` file), named by its path under the suite.
    static func all() throws -> [AWS4TestCase] {
        let root = suiteDirectory
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var cases: [AWS4TestCase] = []
        for case let url as URL in enumerator where url.pathExtension == "req" {
            let directory = url.deletingLastPathComponent()
            let name = String(directory.path.dropFirst(root.path.count + 1))
            cases.append(try AWS4TestCase(name: name, directory: directory))
        }
        return cases.sorted { $0.name < $1.name }
    }

    init(name: String, directory: URL) throws {
        let base = directory.appendingPathComponent(directory.lastPathComponent)
        func read(_ ext: String) throws -> String {
            try String(contentsOf: base.appendingPathExtension(ext), encoding: .utf8).replacingOccurrences(of: "\r", with: "")
        }
        self.name = name
        canonicalRequest = try read("creq")
        stringToSign = try read("sts")
        authorization = try read("authz")
        sessionToken = canonicalRequest.split(separator: "\n")
            .first { $0.hasPrefix("x-amz-security-token:") }
            .map { String($0.dropFirst("x-amz-security-token:".count)) }

        let raw = try read("req")
        let (head, body) = raw.range(of: "\n\n").map { (String(raw[..<$0.lowerBound]), String(raw[$0.upperBound...])) } ?? (raw, "")
        self.body = Array(body.utf8)
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines.removeFirst()
        // The path may hold spaces (normalize-path/get-space): take what lies between the method and " HTTP/".
        let firstSpace = requestLine.firstIndex(of: " ")!
        method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<requestLine.range(of: " HTTP/", options: .backwards)!.lowerBound])
        if let mark = target.firstIndex(of: "?") {
            rawPath = String(target[..<mark])
            rawQuery = String(target[target.index(after: mark)...])
        } else {
            rawPath = target
            rawQuery = ""
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line  // obs-fold continuation line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        self.headers = headers
    }
}
