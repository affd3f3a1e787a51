import ArgumentParser
import Inspector2Emulator
import Logging
import ServiceLifecycle

/// `inspector2-emulator`: flags -> EmulatorConfiguration -> EmulatorServer under a ServiceGroup.
@main
struct Inspector2EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspector2-emulator",
        abstract: "A local Amazon Inspector v2 (and STS AssumeRole) endpoint with a generated organization, drift and faults.")

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind (0: a free port, printed at start).") var port = 4566
    @Option(help: "Seed of the generated dataset.") var seed: UInt64 = 42
    @Option(help: "Member accounts besides the delegated administrator.") var accounts = 3
    @Option(help: "Comma-separated regions.") var regions = "us-east-1,eu-west-1"
    @Option(help: "Findings per account (administrator included) and region.") var findings = 1000
    @Flag(help: "Reject requests without a valid SigV4 signature.") var requireSigv4 = false
    @Option(help: "Administrator access key id.") var accessKey = EmulatorConfiguration.defaultAccessKey
    @Option(help: "Administrator secret access key.") var secretKey = EmulatorConfiguration.defaultSecretKey
    @Option(help: "Persist state to this file and reload it at start.") var stateFile: String?
    @Option(help: "Directory standing in for S3 (CreateFindingsReport).") var reportsDir: String?
    @Option(help: "Simulated start time, epoch seconds (default: today 00:00 UTC).") var startTime: Double?
    @Option(help: "Log level.") var logLevel = "info"

    func run() async throws {
        var config = EmulatorConfiguration()
        config.host = host
        config.port = port
        config.seed = seed
        config.accounts = accounts
        config.regions = regions.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        config.findingsPerAccountRegion = findings
        config.requireSigV4 = requireSigv4
        config.accessKey = accessKey
        config.secretKey = secretKey
        config.stateFile = stateFile
        config.reportsDirectory = reportsDir
        config.startTime = startTime
        var logger = Logger(label: "inspector2-emulator")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info

        let emulator = try Inspector2Emulator.loadOrCreate(configuration: config)
        let host = config.host
        let server = EmulatorServer(emulator: emulator, host: host, port: port, logger: logger) { port in
            print("inspector2-emulator listening on http://\(host):\(port) admin=\(emulator.adminAccountId) members=\(emulator.memberAccountIds.joined(separator: ","))")
        }
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        try emulator.saveState()
    }
}

import Foundation
