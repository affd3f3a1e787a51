// swift-tools-version:6.2
import PackageDescription

// One module, one job; arrows point one way (see README "Architecture").
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "inspector-sync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "inspector-sync", targets: ["inspector-sync"]),
        .executable(name: "inspector2-emulator", targets: ["inspector2-emulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Migrations, schema access, bulk upserts, change events, NOTIFY, leases.
        .target(
            name: "FindingStore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Wiring: configuration to targets, clients and jobs; the daemon's services.
        .target(
            name: "InspectorSyncService",
            dependencies: [
                "FindingStore", "SyncEngine", "InspectorSyncConfig", "Inspector2Client", "Inspector2Model",
                "AWSSigning", "AWSSigningHTTP", "WebhookDelivery",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "inspector-sync",
            dependencies: [
                "FindingStore", "InspectorSyncService", "InspectorSyncConfig", "SyncEngine", "WebhookDelivery",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Targets, windows, scheduling, coverage snapshots, reconciliation: the sync itself.
        .target(
            name: "SyncEngine",
            dependencies: [
                "FindingStore", "Inspector2Client", "Inspector2Model",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Test support: a fresh PostgreSQL database per test, cloned from a migrated template.
        .target(
            name: "PostgresTestSupport",
            dependencies: [
                "FindingStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/PostgresTestSupport",
            swiftSettings: swiftSettings
        ),
        // SigV4 signing and verification, credentials and the credential provider chain (no HTTP client).
        .target(
            name: "AWSSigning",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AWSSigningTests",
            dependencies: [
                "AWSSigning",
                "AWSSigningHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // AsyncHTTPClient-backed transport for the credential providers (IMDS, ECS, STS).
        .target(
            name: "AWSSigningHTTP",
            dependencies: [
                "AWSSigning",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // A local Inspector v2 (and STS AssumeRole) endpoint with a generated dataset, drift and faults.
        .target(
            name: "Inspector2Emulator",
            dependencies: [
                "Inspector2Model",
                "AWSSigning",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "inspector2-emulator",
            dependencies: [
                "Inspector2Emulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "Inspector2EmulatorTests",
            dependencies: [
                "Inspector2Emulator",
                "Inspector2Model",
                "AWSSigning",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // Codable shapes, operation table, raw-JSON splitter and validator of the Inspector v2 API.
        .target(name: "Inspector2Model", swiftSettings: swiftSettings),
        .testTarget(name: "Inspector2ModelTests", dependencies: ["Inspector2Model"], swiftSettings: swiftSettings),
        // Typed Inspector v2 client: endpoints, retries, rate limiting, paginators.
        .target(
            name: "Inspector2Client",
            dependencies: [
                "Inspector2Model",
                "AWSSigning",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "Inspector2ClientTests",
            dependencies: [
                "Inspector2Client",
                "Inspector2Model",
                "AWSSigning",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Configuration: TOML parser, typed settings from file + environment, validation, reload diff.
        .target(name: "InspectorSyncConfig", swiftSettings: swiftSettings),
        .testTarget(name: "InspectorSyncConfigTests", dependencies: ["InspectorSyncConfig"], swiftSettings: swiftSettings),
        .testTarget(name: "FindingStoreTests", dependencies: ["FindingStore", "PostgresTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SyncEngineTests",
            dependencies: ["SyncEngine", "FindingStore", "PostgresTestSupport", "Inspector2Emulator", "Inspector2Client", "AWSSigning"],
            swiftSettings: swiftSettings
        ),
        // Webhooks: outbox claims, formats, Standard Webhooks signing, retries, SSRF policy, dispatcher.
        .target(
            name: "WebhookDelivery",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                "FindingStore", "InspectorSyncConfig",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WebhookDeliveryTests",
            dependencies: [
                "WebhookDelivery", "FindingStore", "InspectorSyncConfig", "PostgresTestSupport", "SyncEngine", "Inspector2Emulator",
                "Inspector2Client", "AWSSigning",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Malformed API responses, store pages and configuration files, generated from seeds.
        .testTarget(
            name: "FuzzTests",
            dependencies: [
                "Inspector2Model", "Inspector2Emulator", "SyncEngine", "FindingStore", "PostgresTestSupport", "InspectorSyncConfig",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "InspectorSyncServiceTests", dependencies: ["InspectorSyncService"], swiftSettings: swiftSettings),
        // The status page (renderer, served page, headless Chromium) and the Grafana dashboards.
        .testTarget(
            name: "StatusPageTests",
            dependencies: [
                "InspectorSyncService", "FindingStore", "PostgresTestSupport", "Inspector2Emulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "InspectorSyncCLITests",
            dependencies: [
                "FindingStore", "PostgresTestSupport", "Inspector2Emulator",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
