import ArgumentParser

/// `--net TAP[,mac=XX:XX:XX:XX:XX:XX]`: a virtio-net interface on the host tap device TAP. Without a MAC the
/// interface gets a random locally administered one (02:…).
struct NetArgument: ExpressibleByArgument, Equatable {
    let tapName: String
    let mac: [UInt8]

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let name = parts.first, !name.isEmpty, name.utf8.count < 16 else { return nil }
        var mac: [UInt8]?
        for option in parts.dropFirst() {
            guard option.hasPrefix("mac="), mac == nil else { return nil }
            let octets = option.dropFirst(4).split(separator: ":", omittingEmptySubsequences: false).compactMap { UInt8($0, radix: 16) }
            guard octets.count == 6, option.count == 4 + 17, octets[0] & 1 == 0 else { return nil }  // unicast only
            mac = octets
        }
        tapName = name
        self.mac = mac ?? [0x02] + (0..<5).map { _ in UInt8.random(in: 0...255) }
    }
}
