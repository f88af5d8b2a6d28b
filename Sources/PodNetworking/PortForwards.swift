import AppC
import CNI

/// The pod's `--port=NAME:[HOSTIP:]HOSTPORT` forwards (the pod manifest's exposed ports) resolved against the
/// ports the apps' image manifests name: each becomes a CNI port mapping (a range of `count` ports maps
/// onto consecutive host ports). An exposed port no app declares is an error naming it.
public enum PortForwards {
    public static func mappings(exposed: [ExposedPort], declared: [Port]) throws -> [PortMapping] {
        var mappings: [PortMapping] = []
        for forward in exposed {
            guard let port = forward.podPort ?? declared.first(where: { $0.name == forward.name }) else {
                let known = Set(declared.map(\.name.value)).sorted()
                throw CNIError("--port=\(forward.name.value): no app of the pod declares a port named \(forward.name.value)"
                                     + (known.isEmpty ? " (the images name no ports)" : " (declared: \(known.joined(separator: ", ")))"))
            }
            guard forward.hostPort > 0 else { throw CNIError("--port=\(forward.name.value): host port 0 cannot be forwarded") }
            let count = max(port.count, 1)
            guard forward.hostPort + count - 1 <= 65535 else {
                throw CNIError("--port=\(forward.name.value): \(count) ports from \(forward.hostPort) run past 65535")
            }
            for offset in 0..<count {
                mappings.append(PortMapping(hostPort: forward.hostPort + offset, containerPort: port.port + offset,
                                            protocol: port.protocol, hostIP: forward.hostIP))
            }
        }
        return mappings
    }
}
