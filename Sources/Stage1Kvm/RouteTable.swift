import GuestProtocol

/// The IPv4 routes of the pod's network namespace as `/proc/self/net/route` lists them (the kernel's table
/// for the reading thread's namespace): what the CNI plugins set up, to be set up the same way in the guest.
/// Fields are hexadecimal in the kernel's (little-endian) byte order.
enum RouteTable {
    static let routeGateway: UInt32 = 0x2  // RTF_GATEWAY

    /// The routes through `interface`, link (directly connected) routes first, as the guest must add them
    /// before the routes whose gateway they reach. Lines that do not parse are skipped.
    static func routes(of interface: String, procNetRoute text: String) -> [GuestInterface.Route] {
        var link: [GuestInterface.Route] = [], viaGateway: [GuestInterface.Route] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 8, fields[0] == interface,
                  let destination = UInt32(fields[1], radix: 16), let gateway = UInt32(fields[2], radix: 16),
                  let flags = UInt32(fields[3], radix: 16), let mask = UInt32(fields[7], radix: 16) else { continue }
            let prefix = mask.nonzeroBitCount
            // A mask must be contiguous ones from the top (little-endian here: from the low byte).
            guard mask.byteSwapped == (prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)) else { continue }
            let route = GuestInterface.Route(destination: dotted(destination), prefixLength: prefix,
                                             gateway: flags & routeGateway != 0 ? dotted(gateway) : "0.0.0.0")
            if flags & routeGateway != 0 { viaGateway.append(route) } else { link.append(route) }
        }
        return link + viaGateway
    }

    /// A little-endian IPv4 word as `a.b.c.d`.
    static func dotted(_ word: UInt32) -> String {
        (0..<4).map { String((word >> (8 * UInt32($0))) & 0xff) }.joined(separator: ".")
    }
}
