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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // Migrations, schema access, bulk upserts, change events, NOTIFY, leases.
        .target(
            name: "FindingStore",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "inspector-sync",
            dependencies: [
                "FindingStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
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
        // Configuration: TOML parser, typed settings from file + environment, validation, reload diff.
        .target(name: "InspectorSyncConfig", swiftSettings: swiftSettings),
        .testTarget(name: "InspectorSyncConfigTests", dependencies: ["InspectorSyncConfig"], swiftSettings: swiftSettings),
        .testTarget(name: "FindingStoreTests", dependencies: ["FindingStore", "PostgresTestSupport"], swiftSettings: swiftSettings),
    ]
)
