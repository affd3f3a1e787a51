import Foundation
import NIOSSL
import PostgresNIO

/// A libpq-style connection URL: `postgres://user:password@host:port/database?sslmode=...`.
///
/// Supported query parameters: `sslmode` (disable, allow, prefer, require, verify-ca, verify-full),
/// `sslrootcert` (a PEM file), `host` (a Unix socket directory, as libpq allows), `application_name`,
/// `connect_timeout` (seconds). Its `description` never shows the password.
public struct DatabaseURL: Sendable, CustomStringConvertible {
    public enum SSLMode: String, Sendable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String?
    public var sslMode: SSLMode
    public var sslRootCert: String?
    public var socketDirectory: String?
    public var applicationName: String?
    public var connectTimeout: Duration?

    public init(_ string: String) throws {
        guard let components = URLComponents(string: string),
              let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql"
        else {
            throw StoreError(.invalidDatabaseURL, "database url must look like postgres://user@host:5432/database")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }

        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = components.password.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? nil : path.removingPercentEncoding
        if let mode = query["sslmode"] {
            guard let parsed = SSLMode(rawValue: mode) else {
                throw StoreError(.invalidDatabaseURL, "database url: unknown sslmode '\(mode)' (disable, prefer, require, verify-ca, verify-full)")
            }
            sslMode = parsed
        } else {
            sslMode = .prefer
        }
        sslRootCert = query["sslrootcert"]
        if let socketHost = query["host"], socketHost.hasPrefix("/") { socketDirectory = socketHost }
        applicationName = query["application_name"]
        if let timeout = query["connect_timeout"] {
            guard let seconds = Int(timeout), seconds > 0 else {
                throw StoreError(.invalidDatabaseURL, "database url: connect_timeout must be a positive number of seconds")
            }
            connectTimeout = .seconds(seconds)
        }
        if let user = query["user"] { username = user }
        if let pass = query["password"] { password = pass }
        if let db = query["dbname"] { database = db }
    }

    /// The same URL with the password replaced, for logs and status output.
    public var description: String {
        var text = "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)"
        if let database { text += "/\(database)" }
        if let socketDirectory { text += "?host=\(socketDirectory)" }
        return text
    }

    /// The postgres-nio client configuration for this URL.
    public func clientConfiguration() throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketDirectory {
            configuration = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)",
                username: username, password: password, database: database
            )
        } else {
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: try tls())
        }
        if let applicationName {
            configuration.options.additionalStartupParameters.append(("application_name", applicationName))
        }
        if let connectTimeout { configuration.options.connectTimeout = connectTimeout }
        return configuration
    }

    /// Whether and how TLS is used, as libpq's `sslmode` means it.
    enum TLSSetting {
        case disable
        case prefer(TLSConfiguration)
        case require(TLSConfiguration)
    }

    func tlsSetting() -> TLSSetting {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let sslRootCert {
            tls.trustRoots = .file(sslRootCert)
        }
        switch sslMode {
        case .disable:
            return .disable
        case .allow, .prefer:
            // libpq does not verify certificates in these modes either.
            tls.certificateVerification = .none
            return .prefer(tls)
        case .require:
            // libpq's `require` verifies the CA only when a root certificate is given.
            tls.certificateVerification = sslRootCert == nil ? .none : .noHostnameVerification
            return .require(tls)
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return .require(tls)
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            return .require(tls)
        }
    }

    private func tls() throws -> PostgresClient.Configuration.TLS {
        switch tlsSetting() {
        case .disable: return .disable
        case .prefer(let config): return .prefer(config)
        case .require(let config): return .require(config)
        }
    }
}
