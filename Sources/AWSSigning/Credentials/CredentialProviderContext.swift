import Foundation
import Logging

/// Everything the credential sources read from the outside world, injectable so tests run with a
/// temporary HOME, fake variables, a fake clock and local HTTP servers.
public struct CredentialProviderContext: Sendable {
    /// Environment variables (`AWS_*`, `HOME`).
    public var variables: [String: String]
    /// Used when `HOME` is not in `variables`.
    public var homeDirectory: String?
    public var fileReader: any CredentialFileReader
    public var processRunner: any CredentialProcessRunner
    /// Needed by the IMDS, container and STS sources; without it they report `notLoaded`/fail.
    public var transport: (any CredentialHTTPTransport)?
    public var now: @Sendable () -> Date
    public var logger: Logger

    public init(
        variables: [String: String],
        homeDirectory: String? = nil,
        fileReader: any CredentialFileReader = LocalFileReader(),
        processRunner: any CredentialProcessRunner = ShellProcessRunner(),
        transport: (any CredentialHTTPTransport)?,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "aws.credentials")
    ) {
        self.variables = variables
        self.homeDirectory = homeDirectory
        self.fileReader = fileReader
        self.processRunner = processRunner
        self.transport = transport
        self.now = now
        self.logger = logger
    }

    /// The process's real environment and files.
    public static func live(transport: (any CredentialHTTPTransport)?, logger: Logger = Logger(label: "aws.credentials")) -> CredentialProviderContext {
        CredentialProviderContext(
            variables: ProcessInfo.processInfo.environment,
            homeDirectory: NSHomeDirectory(),
            transport: transport,
            logger: logger
        )
    }

    /// A non-empty variable, or nil.
    func variable(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    var home: String? { variable("HOME") ?? homeDirectory }

    /// Expands a leading `~/` with the home directory.
    func expandPath(_ path: String) -> String {
        if path == "~" { return home ?? path }
        if path.hasPrefix("~/"), let home { return home + path.dropFirst(1) }
        return path
    }

    /// The region from `AWS_REGION` / `AWS_DEFAULT_REGION`.
    var environmentRegion: String? { variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION") }
}

/// Reads whole files; nil when the file does not exist.
public protocol CredentialFileReader: Sendable {
    func read(path: String) throws -> [UInt8]?
}

public struct LocalFileReader: CredentialFileReader {
    public init() {}

    public func read(path: String) throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
