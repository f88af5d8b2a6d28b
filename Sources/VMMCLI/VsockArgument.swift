import ArgumentParser

/// `--vsock CID,PATH`: the guest's CID (3 ... 4294967294) and the host Unix socket path of the hybrid vsock.
struct VsockArgument: ExpressibleByArgument, Equatable {
    let guestCID: UInt64
    let socketPath: String

    init?(argument: String) {
        guard let comma = argument.firstIndex(of: ",") else { return nil }
        let path = String(argument[argument.index(after: comma)...])
        guard let cid = UInt64(argument[..<comma]), cid > 2, cid < 0xFFFF_FFFF, !path.isEmpty else { return nil }
        self.guestCID = cid
        self.socketPath = path
    }
}
