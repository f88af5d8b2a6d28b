// swift-tools-version:6.0
// rkt in Swift, KVM first. Module map: ../shared/design.md and docs/design.md.
import PackageDescription

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "rkt",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rkt", targets: ["Stage0"]),
        .executable(name: "rkt-vmm", targets: ["VMMCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C shims: constants and fixed-arity wrappers only, no logic.
        .target(name: "CLinux"),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        .systemLibrary(name: "CCap", pkgConfig: "libcap", providers: [.apt(["libcap-dev"])]),
        .systemLibrary(name: "CFDT", providers: [.apt(["libfdt-dev"])]),

        // Libraries.
        .target(name: "LinuxSupport", dependencies: ["CLinux"]),
        .testTarget(name: "LinuxSupportTests", dependencies: ["LinuxSupport"]),
        // appc 0.8.11 schema: names, manifests, isolators, image IDs and references (Foundation only).
        .target(name: "AppC"),
        .testTarget(name: "AppCTests", dependencies: ["AppC"]),
        // ACI archives: decompression + image ID hashing, manifest reading, hostile-safe rendering.
        .systemLibrary(name: "CXattr"),
        .target(name: "ImageArchive", dependencies: ["CArchive", "CCrypto", "CXattr", "LinuxSupport"]),
        .testTarget(name: "ImageArchiveTests", dependencies: ["ImageArchive", "ImageTestSupport"]),
        // The image store: CAS blobs, SQLite index, tree store, locks, GC.
        .target(name: "ImageStore", dependencies: ["AppC", "ImageArchive", "CSQLite", "LinuxSupport"]),
        .target(name: "ImageTestSupport", path: "Sources/ImageTestSupport"),
        .testTarget(name: "ImageStoreTests", dependencies: ["ImageStore", "ImageTestSupport", "LinuxSupport"]),
        // Image signatures: trusted keys in rkt's layout, detached-signature checks through GnuPG's gpgv.
        .target(name: "ImageTrust", dependencies: ["AppC", "LinuxSupport"]),
        .testTarget(name: "ImageTrustTests", dependencies: ["ImageTrust", "ImageTestSupport"]),
        // Stage0: the `rkt` command.
        .executableTarget(name: "Stage0", dependencies: ["ImageStore", "ImageTrust", "AppC", "LinuxSupport", argumentParser]),
        .testTarget(name: "Stage0Tests", dependencies: ["Stage0", "ImageStore", "ImageTestSupport", "LinuxSupport"]),

        // The micro-VM: virtio devices see only guest memory and an interrupt line (no KVM).
        .target(name: "Virtio", dependencies: ["CLinux", "LinuxSupport"]),
        .target(name: "VirtioTestSupport", dependencies: ["Virtio"]),
        .testTarget(name: "VirtioTests", dependencies: ["Virtio", "VirtioTestSupport", "CStage1"]),

        // The VMM: KVM system -> VM -> vCPU, x86_64 boot, legacy devices, event loop; `rkt-vmm` drives it.
        .target(name: "CKVM"),
        .target(name: "VMM", dependencies: ["CKVM", "CLinux", "LinuxSupport", "Virtio", "CSeccomp", "CCap"]),
        .executableTarget(name: "VMMCLI", dependencies: ["VMM", argumentParser]),
        .testTarget(name: "VMMTests", dependencies: ["VMM", "CSeccomp"]),
    ]
)

// Pods (issue 3): pod state directories and locks, pod manifests from the command line, the stage1 contract
// shared by stage0 and every stage1 flavor, and the `fly` stage1 (chroot + exec in a private mount namespace).
package.products.append(.executable(name: "stage1-fly", targets: ["Stage1Fly"]))
package.targets.append(contentsOf: [
    .target(name: "CStage1"),
    .target(name: "Pods", dependencies: ["AppC", "LinuxSupport"]),
    .testTarget(name: "PodsTests", dependencies: ["Pods", "AppC", "LinuxSupport"]),
    .executableTarget(name: "Stage1Fly", dependencies: ["Pods", "AppC", "LinuxSupport", "CStage1"]),
])
package.targets.first { $0.name == "Stage0" }?.dependencies += ["Pods", "CArchive"]
package.targets.first { $0.name == "Stage0Tests" }?.dependencies.append("Stage1Fly") // e2e tests pack .build/*/stage1-fly

// The kvm flavor (issue 7): GuestProtocol is what the host's stage1 and the guest's init say to each other
// (pod config disk, vsock messages; no Foundation, as GuestInit links it). GuestInit is PID 1 in the
// micro-VM: a static executable without Foundation.
package.products.append(.executable(name: "rkt-guest-init", targets: ["GuestInit"]))
package.targets.append(contentsOf: [
    .target(name: "GuestProtocol"),
    .testTarget(name: "GuestProtocolTests", dependencies: ["GuestProtocol"]),
    .target(name: "CKvmPod"),
    .executableTarget(name: "GuestInit", dependencies: ["GuestProtocol", "LinuxSupport", "CKvmPod", "CLinux"], exclude: ["README.md"],
                      linkerSettings: [.unsafeFlags(["-static-executable"])]),
])
// The kvm stage1 (host side): disks + guest config, the VMM, the guest's streams; entrypoints run/enter/stop/gc.
package.products.append(.executable(name: "stage1-kvm", targets: ["Stage1Kvm"]))
package.targets.append(contentsOf: [
    .executableTarget(name: "Stage1Kvm", dependencies: ["Pods", "AppC", "LinuxSupport", "GuestProtocol", "CKvmPod", "CLinux", "Isolation"]),
    .testTarget(name: "Stage1KvmTests", dependencies: ["Stage1Kvm", "Pods", "AppC", "GuestProtocol"]),
])
// The namespace stage1 (issue 4): coreos.com/rkt/stage1-coreos, multi-app pods in their own mount, PID, UTS,
// IPC and network namespaces with cgroups, capabilities and seccomp (`make stage1-coreos`).
package.products.append(.executable(name: "stage1-coreos", targets: ["Stage1Namespace"]))
package.targets.append(
    .executableTarget(name: "Stage1Namespace", dependencies: ["Pods", "AppC", "LinuxSupport", "CStage1", "CLinux", "CCap", "CSeccomp", "Isolation"]))
// Isolators shared by the namespace and kvm flavors: rkt's capability sets (libcap) and seccomp filters (libseccomp).
package.targets.append(contentsOf: [
    .target(name: "Isolation", dependencies: ["AppC", "LinuxSupport", "CStage1", "CCap", "CSeccomp"]),
    .testTarget(name: "IsolationTests", dependencies: ["Isolation", "AppC"]),
])
package.targets.append(.testTarget(name: "Stage1NamespaceTests", dependencies: ["Stage1Namespace", "Pods", "AppC"]))
package.targets.first { $0.name == "Stage0Tests" }?.dependencies.append("Stage1Namespace") // e2e tests pack .build/*/stage1-coreos
// Remote and OCI images (issue 9): the OCI/docker image model and its mapping to appc.
package.targets.append(contentsOf: [
    .target(name: "OCI", dependencies: ["AppC", "CCrypto"]),
    .testTarget(name: "OCITests", dependencies: ["OCI", "AppC"]),
])
package.targets.first { $0.name == "ImageStore" }?.dependencies.append("OCI")
package.targets.first { $0.name == "ImageStoreTests" }?.dependencies.append("OCI")
package.targets.first { $0.name == "ImageTestSupport" }?.dependencies.append("OCI")
// Fetching OCI / docker images: OCI layouts and archives, docker registries (API v2).
package.targets.append(contentsOf: [
    .target(name: "ImageFetch", dependencies: ["OCI", "ImageStore", "ImageArchive", "AppC", "LinuxSupport"]),
    .testTarget(name: "ImageFetchTests", dependencies: ["ImageFetch", "OCI", "ImageStore", "ImageTestSupport", "LinuxSupport"]),
])
package.targets.first { $0.name == "Stage0" }?.dependencies += ["ImageFetch", "OCI"]
package.targets.first { $0.name == "Stage0Tests" }?.dependencies += ["ImageFetch", "OCI"]
// CNI networking (issue 5): network configs (built-in default/default-restricted, net.d), the plugin invoker
// (ADD/DEL per the CNI spec, chains, portMappings), results and the pod's net-info.json record.
package.targets.append(contentsOf: [
    .target(name: "CNI"),
    .testTarget(name: "CNITests", dependencies: ["CNI"]),
])
// The pod's network namespace and CNI networks, shared by the namespace and kvm stage1s.
package.targets.append(.target(name: "PodNetworking", dependencies: ["CNI", "Pods", "AppC", "LinuxSupport", "CStage1"]))
package.targets.first { $0.name == "Stage1Namespace" }?.dependencies += ["CNI", "PodNetworking"] // --net: CNI ADD in run, DEL in gc
package.targets.first { $0.name == "Stage1Kvm" }?.dependencies += ["CNI", "PodNetworking", "CStage1"] // CNI in the pod's netns, taps joined by tc
package.targets.first { $0.name == "Stage1KvmTests" }?.dependencies.append("CNI")
package.targets.first { $0.name == "Stage0" }?.dependencies.append("CNI") // rkt list/status read net-info.json
package.targets.first { $0.name == "Stage1NamespaceTests" }?.dependencies += ["CNI", "PodNetworking", "LinuxSupport"]
// The VMM's jail (issue 8): namespaces and pivot_root through the stage1 shim (unshare, pivot_root).
package.targets.first { $0.name == "VMM" }?.dependencies.append("CStage1")
// TLS for remote images: libcurl carries every HTTP(S) request of stage0 (extra CAs from certs.d, --insecure-options=tls).
package.targets.append(.systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]))
package.targets.first { $0.name == "ImageFetch" }?.dependencies += ["CCurl", "CCrypto"]
// Host state of their own for tests (issue 27): network + mount namespaces entered by the commands a test runs,
// snapshots of what pods' networks leave there, and a cgroup parent per harness (RKT_CGROUP_PARENT).
package.targets.append(.target(name: "HostTestSupport", dependencies: ["Pods"]))
package.targets.append(.testTarget(name: "HostTestSupportTests", dependencies: ["HostTestSupport"]))
package.targets.first { $0.name == "Stage0Tests" }?.dependencies.append("HostTestSupport")
