// swift-tools-version:6.0
// rkt in Swift, KVM first. Module map: ../shared/design.md and docs/design.md.
import PackageDescription

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "rkt",
    platforms: [.macOS(.v13)],
    products: [
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

        // The micro-VM: virtio devices see only guest memory and an interrupt line (no KVM).
        .target(name: "Virtio", dependencies: ["CLinux", "LinuxSupport"]),
        .target(name: "VirtioTestSupport", dependencies: ["Virtio"]),
        .testTarget(name: "VirtioTests", dependencies: ["Virtio", "VirtioTestSupport"]),

        // The VMM: KVM system -> VM -> vCPU, x86_64 boot, legacy devices, event loop; `rkt-vmm` drives it.
        .target(name: "CKVM"),
        .target(name: "VMM", dependencies: ["CKVM", "CLinux", "LinuxSupport", "Virtio", "CSeccomp", "CCap"]),
        .executableTarget(name: "VMMCLI", dependencies: ["VMM", argumentParser]),
        .testTarget(name: "VMMTests", dependencies: ["VMM", "CSeccomp"]),
    ]
)
