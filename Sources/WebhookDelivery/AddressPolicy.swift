import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SSRF rule: by default no delivery to loopback, link-local (the metadata service at
/// 169.254.169.254), private, shared, unique-local, multicast or unspecified addresses. Pure: it
/// judges addresses; `HostResolver` finds them.
public enum AddressPolicy {
    /// Why `address` (IPv4 4 bytes or IPv6 16 bytes) is not public, nil when it is.
    public static func refusal(_ bytes: [UInt8]) -> String? {
        if bytes.count == 4 { return refusalV4(bytes) }
        guard bytes.count == 16 else { return "not an IP address" }
        if bytes.allSatisfy({ $0 == 0 }) { return "the unspecified address" }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return "a loopback address" }
        // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address: judge that.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff { return refusalV4(Array(bytes[12...])) }
        if bytes[0..<12] == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return refusalV4(Array(bytes[12...])) }
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return "a link-local address" }
        if bytes[0] & 0xfe == 0xfc { return "a unique-local (private) address" }
        if bytes[0] == 0xff { return "a multicast address" }
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0xc0 { return "a site-local (private) address" }
        return nil
    }

    static func refusalV4(_ b: [UInt8]) -> String? {
        switch (b[0], b[1]) {
        case (0, _): return "an unspecified (0.0.0.0/8) address"
        case (127, _): return "a loopback address"
        case (169, 254): return b[2] == 169 && b[3] == 254 ? "the cloud metadata service (link-local)" : "a link-local address"
        case (10, _), (192, 168): return "a private address"
        case (172, let x) where (16...31).contains(x): return "a private address"
        case (100, let x) where (64...127).contains(x): return "a shared (carrier-grade NAT) address"
        case (192, 0) where b[2] == 0: return "an IETF protocol address"
        case (198, let x) where x == 18 || x == 19: return "a benchmarking address"
        case (let x, _) where x >= 224: return "a multicast or reserved address"
        default: return nil
        }
    }

    /// Parses a literal IPv4 or IPv6 address (brackets allowed), nil when `text` is not one.
    public static func parse(_ text: String) -> [UInt8]? {
        let host = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    public static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var out = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        inet_ntop(AF_INET6, &address, &out, socklen_t(out.count))
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Checks every address `host` resolves to (a name that resolves to one private address among
    /// public ones is refused too) and returns them (empty when private networks are allowed: nothing
    /// to pin). Throws `addressRefused` or `unresolvableHost`.
    @discardableResult
    public static func check(
        host: String, allowPrivateNetworks: Bool, resolve: (String) async throws -> [[UInt8]],
        refusal: ([UInt8]) -> String? = AddressPolicy.refusal
    ) async throws -> [[UInt8]] {
        guard !allowPrivateNetworks else { return [] }
        let addresses: [[UInt8]]
        if let literal = parse(host) {
            addresses = [literal]
        } else {
            addresses = try await resolve(host)
        }
        guard !addresses.isEmpty else { throw WebhookError(.unresolvableHost, "\(host) did not resolve") }
        for address in addresses {
            if let reason = refusal(address) {
                let shown = parse(host) == nil ? "\(host) resolves to \(format(address)), " : "\(format(address)) is "
                throw WebhookError(.addressRefused, "refused: \(shown)\(reason); set allow_private_networks = true on the endpoint to allow it")
            }
        }
        return addresses
    }
}
