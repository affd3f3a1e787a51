import Testing
@testable import WebhookDelivery

@Suite struct AddressPolicyTests {
    @Test(arguments: [
        "127.0.0.1", "127.1.2.3", "169.254.169.254", "169.254.1.1", "10.0.0.1", "172.16.0.1", "172.31.255.255",
        "192.168.1.1", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1",
        "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "ff02::1", "[::1]",
    ])
    func refused(_ address: String) throws {
        let bytes = try #require(AddressPolicy.parse(address))
        #expect(AddressPolicy.refusal(bytes) != nil)
    }

    @Test(arguments: ["8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1", "192.169.0.1", "2606:4700::1111", "::ffff:8.8.8.8", "1.1.1.1"])
    func allowed(_ address: String) throws {
        let bytes = try #require(AddressPolicy.parse(address))
        #expect(AddressPolicy.refusal(bytes) == nil)
    }

    @Test func metadataServiceNamedAndAllowSwitch() async throws {
        await #expect(throws: WebhookError.self) {
            try await AddressPolicy.check(host: "169.254.169.254", allowPrivateNetworks: false) { _ in [] }
        }
        do {
            try await AddressPolicy.check(host: "169.254.169.254", allowPrivateNetworks: false) { _ in [] }
        } catch let error as WebhookError {
            #expect(error.code == .addressRefused)
            #expect(error.message.contains("metadata"))
            #expect(error.message.contains("allow_private_networks"))
        }
        try await AddressPolicy.check(host: "127.0.0.1", allowPrivateNetworks: true) { _ in [] }
    }

    /// The resolved addresses count, not the name: a public-looking name that resolves to a private
    /// address (or to several, one of them private) is refused.
    @Test func resolvedAddressesAreChecked() async throws {
        await #expect(throws: WebhookError.self) {
            try await AddressPolicy.check(host: "hooks.example.com", allowPrivateNetworks: false) { _ in [[93, 184, 216, 34], [10, 1, 2, 3]] }
        }
        try await AddressPolicy.check(host: "hooks.example.com", allowPrivateNetworks: false) { _ in [[93, 184, 216, 34]] }
        await #expect(throws: WebhookError.self) {
            try await AddressPolicy.check(host: "nowhere.invalid", allowPrivateNetworks: false) { _ in [] }
        }
        // The real resolver: localhost is loopback.
        await #expect(throws: WebhookError.self) {
            try await AddressPolicy.check(host: "localhost", allowPrivateNetworks: false, resolve: HostResolver.resolve)
        }
    }
}
