/// rkt's two built-in networks. `default`: a veth pair per pod (ptp), host-local IPAM in 172.16.28.0/24,
/// a default route through the host and masquerading to the outside, with the portmap plugin chained after
/// ptp so that `--port` forwards reach the pod. `default-restricted`: the same without masquerading and
/// without a default route, in 172.17.0.0/16 (reachable from the host only).
public enum BuiltinNetworks {
    public static let defaultName = "default"
    public static let restrictedName = "default-restricted"
    public static let cniVersion = "0.4.0"

    public static func config(named name: String) -> NetworkConfigList? {
        switch name {
        case defaultName:
            let ptp: [String: Any] = [
                "type": "ptp", "ipMasq": true,
                "ipam": ["type": "host-local", "subnet": "172.16.28.0/24", "routes": [["dst": "0.0.0.0/0"]]] as [String: Any],
            ]
            let portmap: [String: Any] = ["type": "portmap", "snat": true, "capabilities": ["portMappings": true]]
            return try? NetworkConfigList(name: name, cniVersion: cniVersion, plugins: [ptp, portmap], source: "builtin:" + name)
        case restrictedName:
            let ptp: [String: Any] = [
                "type": "ptp", "ipMasq": false,
                "ipam": ["type": "host-local", "subnet": "172.17.0.0/16"] as [String: Any],
            ]
            let portmap: [String: Any] = ["type": "portmap", "snat": true, "capabilities": ["portMappings": true]]
            return try? NetworkConfigList(name: name, cniVersion: cniVersion, plugins: [ptp, portmap], source: "builtin:" + name)
        default:
            return nil
        }
    }
}
