import Logging
import NIOSSL
import PostgresNIO

/// One direct connection and `SELECT 1`, to tell a user quickly and plainly that the database is
/// unreachable, instead of letting a pool retry behind its circuit breaker for a minute.
public enum DatabaseProbe {
    /// Returns the server's version string.
    @discardableResult
    public static func check(_ url: DatabaseURL, logger: Logger) async throws -> String {
        do {
            let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 0, logger: logger)
            do {
                let version = try await connection.query("SHOW server_version", logger: logger).collect().first?.decode(String.self) ?? "?"
                try await connection.close()
                return version
            } catch {
                try? await connection.close()
                throw error
            }
        } catch let error as PSQLError {
            throw StoreError(.databaseUnavailable, "cannot use the database at \(url): \(error.redactedSummary)")
        }
    }
}

extension DatabaseURL {
    /// The single-connection configuration (the pool has its own type with the same content).
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketDirectory {
            configuration = .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch tlsSetting() {
            case .disable: tls = .disable
            case .prefer(let config): tls = .prefer(try NIOSSLContext(configuration: config))
            case .require(let config): tls = .require(try NIOSSLContext(configuration: config))
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        if let connectTimeout {
            configuration.options.connectTimeout = .seconds(connectTimeout.components.seconds)
        }
        return configuration
    }
}
