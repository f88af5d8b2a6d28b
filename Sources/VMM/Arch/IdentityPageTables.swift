import Virtio

/// Identity-mapped page tables for entering the kernel in long mode: one PML4 entry → one PDPT whose first
/// `X86Layout.pageDirectoryCount` entries point at page directories of 2 MiB pages, mapping the first
/// 4 GiB virtual = physical (the kernel only needs the first GiB; the rest covers a high initrd or zero page).
public enum IdentityPageTables {
    static let present: UInt64 = 1 << 0
    static let writable: UInt64 = 1 << 1
    static let pageSize: UInt64 = 1 << 7
    static let twoMiB: UInt64 = 2 << 20

    /// The bytes of each table page, keyed by guest-physical address.
    public static func pages() -> [(address: UInt64, bytes: [UInt8])] {
        var pml4 = [UInt8](repeating: 0, count: 4096)
        pml4.storeLE(X86Layout.pdptAddress | present | writable, at: 0)
        var pdpt = [UInt8](repeating: 0, count: 4096)
        var result: [(UInt64, [UInt8])] = [(X86Layout.pml4Address, pml4)]
        var directories: [(UInt64, [UInt8])] = []
        for d in 0..<X86Layout.pageDirectoryCount {
            let address = X86Layout.pageDirectoryAddress + UInt64(d) * 4096
            pdpt.storeLE(address | present | writable, at: d * 8)
            var directory = [UInt8](repeating: 0, count: 4096)
            for e in 0..<512 {
                let physical = (UInt64(d) * 512 + UInt64(e)) * twoMiB
                directory.storeLE(physical | present | writable | pageSize, at: e * 8)
            }
            directories.append((address, directory))
        }
        result.append((X86Layout.pdptAddress, pdpt))
        return result + directories
    }

    public static func write(into memory: GuestMemory) throws {
        for page in pages() { try memory.write(bytes: page.bytes, at: page.address) }
    }
}
