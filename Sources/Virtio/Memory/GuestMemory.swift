import CLinux

/// The guest's RAM as a set of non-overlapping regions. All access goes through bounds-checked reads and
/// writes: an address range that is not wholly inside one region throws `GuestMemoryError.outOfBounds`.
/// Integers are little-endian, as on x86 and in virtio 1.x.
public final class GuestMemory: @unchecked Sendable {
    public let regions: [GuestMemoryRegion]

    public init(regions: [GuestMemoryRegion]) throws {
        let sorted = regions.sorted { $0.guestAddress < $1.guestAddress }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.endAddress > b.guestAddress {
            throw GuestMemoryError.overlappingRegions(a.guestAddress, b.guestAddress)
        }
        self.regions = sorted
    }

    /// A single region of `size` bytes starting at guest-physical address 0.
    public convenience init(size: Int) throws {
        try self.init(regions: [GuestMemoryRegion(guestAddress: 0, size: size)])
    }

    public var totalSize: Int { regions.reduce(0) { $0 + $1.size } }

    /// Whether the whole range is backed by guest RAM.
    public func contains(_ address: UInt64, length: Int) -> Bool {
        region(for: address, length: length) != nil
    }

    /// Runs `body` over the host bytes of `[address, address + count)`, which must lie in one region.
    /// The buffer is valid only inside `body`; use it for bulk I/O (pread/pwrite straight into guest RAM).
    public func withHostBuffer<R>(
        at address: UInt64, count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> R
    ) throws -> R {
        guard let region = region(for: address, length: count) else {
            throw GuestMemoryError.outOfBounds(address: address, length: count)
        }
        let start = region.host + Int(address - region.guestAddress)
        return try body(UnsafeMutableRawBufferPointer(start: start, count: count))
    }

    public func read<T: FixedWidthInteger>(_ type: T.Type, at address: UInt64) throws -> T {
        try withHostBuffer(at: address, count: MemoryLayout<T>.size) { buffer in
            T(littleEndian: buffer.loadUnaligned(as: T.self))
        }
    }

    public func write<T: FixedWidthInteger>(_ value: T, at address: UInt64) throws {
        try withHostBuffer(at: address, count: MemoryLayout<T>.size) { buffer in
            buffer.storeBytes(of: value.littleEndian, as: T.self)
        }
    }

    public func readBytes(at address: UInt64, count: Int) throws -> [UInt8] {
        try withHostBuffer(at: address, count: count) { Array($0) }
    }

    public func write<Bytes: Collection>(bytes: Bytes, at address: UInt64) throws where Bytes.Element == UInt8 {
        try withHostBuffer(at: address, count: bytes.count) { buffer in
            // Arrays and slices (kernel images of many MiB) go in one copy: the element-wise copy of this
            // unspecialised generic costs ~50 ns a byte (0.8 s for a 17 MB vmlinux).
            let copied: Void? = bytes.withContiguousStorageIfAvailable { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(source))
            }
            if copied == nil { _ = buffer.initializeMemory(as: UInt8.self, from: bytes) }
        }
    }

    /// Fills `[address, address + count)` with zero bytes.
    public func zero(at address: UInt64, count: Int) throws {
        try withHostBuffer(at: address, count: count) { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) }
    }

    /// Orders earlier loads from guest memory before later loads and stores (after reading an index the
    /// guest published).
    public func acquireFence() { clinux_fence_acquire() }

    /// Orders earlier stores to guest memory before later stores (before publishing an index to the guest).
    public func releaseFence() { clinux_fence_release() }

    /// A full barrier, for the notification-suppression checks of virtio.
    public func fullFence() { clinux_fence_sequential() }

    private func region(for address: UInt64, length: Int) -> GuestMemoryRegion? {
        regions.first { $0.contains(address, length: length) }
    }
}
