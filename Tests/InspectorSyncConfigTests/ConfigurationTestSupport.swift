import Foundation
@testable import InspectorSyncConfig

/// A minimal valid file; tests append to it or replace parts.
let minimalTOML = """
    # The smallest valid file: 7 lines, so appended text starts at line 8.
    [database]
    url = "postgres://sync@db.internal:5432/inspector"

    [[accounts]]
    id = "111122223333"
    role_arn = "arn:aws:iam::111122223333:role/InspectorSyncReader"

    """

let validSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

/// Loads from text with an injected environment and file system (path → contents).
func load(
    _ toml: String?, environment: [String: String] = [:], files: [String: String] = [:]
) -> Result<InspectorSyncConfiguration, ConfigurationError> {
    Result { () throws(ConfigurationError) in
        try InspectorSyncConfiguration.load(toml: toml, filePath: "config.toml", environment: environment, readFile: { files[$0] })
    }
}

/// The problems' rendered lines, or [] when the load succeeded.
func problems(_ toml: String?, environment: [String: String] = [:], files: [String: String] = [:]) -> [String] {
    switch load(toml, environment: environment, files: files) {
    case .success: []
    case .failure(let error): error.problems.map(\.description)
    }
}

func loaded(_ toml: String?, environment: [String: String] = [:], files: [String: String] = [:]) throws -> InspectorSyncConfiguration {
    try load(toml, environment: environment, files: files).get()
}
