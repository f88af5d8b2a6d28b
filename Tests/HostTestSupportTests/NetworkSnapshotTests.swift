import Foundation
import HostTestSupport
import XCTest

/// The exception the network snapshots name: portmap's shared chains, and nothing a pod owns.
final class NetworkSnapshotTests: XCTestCase {
    func testPortmapsSharedChainsAreKeptByDesignButAPodsRulesAreNot() {
        let kept = [
            "nat -N CNI-HOSTPORT-DNAT", "nat -N CNI-HOSTPORT-SETMARK", "nat -N CNI-HOSTPORT-MASQ",
            "nat -A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT",
            "nat -A OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT",
            "nat -A POSTROUTING -m comment --comment \"CNI portfwd requiring masquerade\" -j CNI-HOSTPORT-MASQ",
            "nat -A CNI-HOSTPORT-SETMARK -m comment --comment \"CNI portfwd masquerade mark\" -j MARK --set-xmark 0x2000/0x2000",
            "nat -A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE",
        ]
        for rule in kept { XCTAssertTrue(NetworkSnapshot.keptByDesign(rule), rule) }
        let owned = [
            "nat -A CNI-HOSTPORT-DNAT -p tcp -m comment --comment \"dnat name: \\\"default\\\" id: \\\"0f5e\\\"\" -m multiport --dports 18080 -j CNI-DN-1a2b",
            "nat -N CNI-DN-1a2b", "nat -A CNI-DN-1a2b -p tcp -m tcp --dport 18080 -j CNI-HOSTPORT-SETMARK",
            "nat -A POSTROUTING -s 172.16.28.2/32 -m comment --comment \"name: \\\"default\\\" id: \\\"0f5e\\\"\" -j CNI-5c6d",
            "nat -N CNI-5c6d", "filter -A FORWARD -j CNI-HOSTPORT-X", "nat -N CNI-HOSTPORT-DNAT-EXTRA", "nat", "",
        ]
        for rule in owned { XCTAssertFalse(NetworkSnapshot.keptByDesign(rule), rule) }
    }
}
