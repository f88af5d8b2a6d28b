import AppC
import CNI
import CStage1
import Foundation
import GuestProtocol
import LinuxSupport
import PodNetworking
import Pods

/// The pod's networks for the VM. `--net=none`: a new, empty network namespace (the VM gets only its own
/// `lo`). CNI networks: the same CNI ADD as the namespace flavor (PodNetwork: namespace bound to POD/netns,
/// net-info.json, rollback), then each CNI interface `ethN` is joined to a tap `tapN` in that namespace
/// (TapRedirect) and described to the guest as the CNI plugins left it: the veth's MAC, IPv4 address and the
/// namespace's routes through it. The calling thread stays in the pod's namespace, so the VMM it starts
/// lives there too and reaches nothing but the pod's networks.
struct KvmNetwork {
    /// A virtio-net device of the VM: the tap it is attached to, the MAC it shows, how the guest configures it.
    struct Device: Equatable {
        var tap: String
        var mac: [UInt8]
        var interface: GuestInterface

        /// rkt-vmm's `--net` value.
        var vmmArgument: String { "\(tap),mac=\(NetnsInterface.macText(mac))" }
    }

    var devices: [Device] = []
    var dns: CNIResult.DNS?
    var rollback: NetworkRollback?

    /// The rkt-vmm `--net` arguments, one per device.
    var vmmArguments: [String] { devices.flatMap { ["--net", $0.vmmArgument] } }

    static func setUp(options: Stage1Arguments, pod: PodFiles, manifest: PodManifest) throws -> KvmNetwork {
        let selection = try NetworkSelection(parsing: options.net)
        let ports = try PortForwards.mappings(exposed: manifest.ports, declared: manifest.apps.flatMap { $0.app?.ports ?? [] })
        if !ports.isEmpty && selection.requests.isEmpty {
            throw KvmError("--port needs a CNI network (--net=\(options.net) has none)")
        }
        guard !selection.requests.isEmpty else {
            guard cstage1_unshare(cstage1_clone_newnet) == 0 else { throw SystemError.current("unshare network namespace") }
            return KvmNetwork()
        }
        let podNetwork = PodNetwork(files: pod, uuid: options.uuid)
        let entered = try podNetwork.enter(selection, options: options, ports: ports)
        var network = KvmNetwork(rollback: entered.rollback)
        do {
            let attachments = try podNetwork.recorded()
            let routes = try String(contentsOfFile: "/proc/thread-self/net/route", encoding: .utf8)
            for (index, attachment) in attachments.enumerated() {
                network.devices.append(try attach(attachment.ifName, tap: "tap\(index)", guestName: "eth\(index)", routes: routes))
            }
            network.dns = attachments.compactMap { $0.result?.dns }.first { !$0.isEmpty }
        } catch {
            entered.rollback?.rollBack()
            throw error
        }
        return network
    }

    private static func attach(_ veth: String, tap: String, guestName: String, routes: String) throws -> Device {
        let device = try NetnsInterface(veth)
        guard let address = try device.ipv4Address() else {
            throw KvmError("CNI interface \(veth) has no IPv4 address; the kvm flavor passes IPv4 networks to the VM")
        }
        try TapRedirect(veth: veth, tap: tap).install(mtu: try device.mtu())
        var interface = GuestInterface(name: guestName, address: address.address, prefixLength: address.prefixLength)
        interface.routes = RouteTable.routes(of: veth, procNetRoute: routes)
        return Device(tap: tap, mac: try device.macAddress(), interface: interface)
    }
}
