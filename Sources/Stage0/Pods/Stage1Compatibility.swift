import AppC

/// What a stage1 flavor would refuse at once, checked by stage0 before a pod exists (or, for `run-prepared`,
/// before the pod runs), so a refused pod leaves nothing in `rkt list`. The flavor is known from the stage1
/// image's name (`coreos.com/rkt/stage1-fly`, `-kvm`, `-coreos`); a stage1 of another name gets the checks
/// every appc stage1 makes (port names).
enum Stage1Compatibility {
    enum Flavor {
        case fly, kvm, namespace, other
    }

    static func flavor(ofStage1Named name: String) -> Flavor {
        switch name {
        case Stage1Selector.namePrefix + "fly": return .fly
        case Stage1Selector.namePrefix + "kvm": return .kvm
        case Stage1Selector.namePrefix + "coreos": return .namespace
        default: return .other
        }
    }

    /// Throws (exit 254) what the flavor's stage1 would refuse in `manifest` run with `--net=net`.
    static func check(_ manifest: PodManifest, net: String, stage1Name: String) throws {
        let flavor = flavor(ofStage1Named: stage1Name)
        let networks = net.split(separator: ",").map(String.init)
        if flavor == .kvm, networks.contains("host") {
            throw CommandFailure(message: "--net=host is not available in the kvm flavor: the VM has its own kernel and network stack; "
                + "use --net=none, or the namespace flavor (--stage1-name=coreos.com/rkt/stage1-coreos) for the host's network")
        }
        guard let first = manifest.ports.first else { return }
        if flavor == .fly {
            throw CommandFailure(message: "--port=\(first.name.value) is not available in the fly flavor: its apps share the host's "
                + "network, so they listen on host ports already; drop --port, or use the namespace or kvm flavor "
                + "(--stage1-name=coreos.com/rkt/stage1-coreos or stage1-kvm)")
        }
        let declared = manifest.apps.flatMap { $0.app?.ports ?? [] }
        for forward in manifest.ports where forward.podPort == nil && !declared.contains(where: { $0.name == forward.name }) {
            let known = Set(declared.map(\.name.value)).sorted()
            throw CommandFailure(message: "--port=\(forward.name.value): no app of the pod declares a port named \(forward.name.value)"
                + (known.isEmpty ? " (the images name no ports)" : " (declared: \(known.joined(separator: ", ")))"))
        }
        if flavor != .other, !networks.isEmpty, networks.allSatisfy({ $0 == "none" || $0 == "host" }) {
            throw CommandFailure(message: "--port needs a CNI network (--net=\(net) has none)")
        }
    }
}
