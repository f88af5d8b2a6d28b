extension BlockDevice {
    /// Runs one request and returns the used length (bytes written into the chain: data plus status byte).
    /// Layout (virtio 1.2 §5.2.6): readable header {type u32, reserved u32, sector u64}, then readable data
    /// (OUT) or writable data (IN, GET_ID), then one writable status byte, the chain's last writable byte.
    func handle(_ chain: DescriptorChain, in memory: GuestMemory) -> UInt32 {
        let writableLength = chain.writableLength
        guard writableLength >= 1 else {
            reportFault("virtio-blk \(backend.path): request \(chain.head) has no writable status byte")
            return 0
        }
        let status: UInt8
        var dataWritten = 0
        do {
            (status, dataWritten) = try execute(chain, in: memory)
        } catch {
            reportFault("virtio-blk \(backend.path): request \(chain.head): \(error)")
            status = VirtioBlock.statusIOError
            dataWritten = 0
        }
        do {
            try chain.writeWritable([status], to: memory, offset: writableLength - 1)
        } catch {
            reportFault("virtio-blk \(backend.path): request \(chain.head): status byte: \(error)")
            return 0
        }
        return UInt32(dataWritten + 1)
    }

    /// Returns the status and the number of data bytes written into the chain.
    private func execute(_ chain: DescriptorChain, in memory: GuestMemory) throws -> (UInt8, Int) {
        let header = try chain.readReadable(from: memory, count: VirtioBlock.headerSize)
        guard header.count == VirtioBlock.headerSize else {
            reportFault("virtio-blk \(backend.path): request \(chain.head) header is \(header.count) bytes, not 16")
            return (VirtioBlock.statusIOError, 0)
        }
        let type = header.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) }
        let sector = header.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        let readableData = chain.readableLength - VirtioBlock.headerSize
        let writableData = chain.writableLength - 1
        switch type {
        case VirtioBlock.requestIn:
            guard let offset = try checkedRange(sector: sector, byteCount: writableData, chain: chain) else {
                return (VirtioBlock.statusIOError, 0)
            }
            var fileOffset = offset
            for piece in DescriptorChain.segments(of: chain.writable, offset: 0, count: writableData) {
                try backend.read(into: piece, of: memory, fileOffset: fileOffset)
                fileOffset += UInt64(piece.length)
            }
            return (VirtioBlock.statusOK, writableData)
        case VirtioBlock.requestOut:
            guard !backend.isReadOnly else {
                reportFault("virtio-blk \(backend.path): write to read-only disk refused")
                return (VirtioBlock.statusIOError, 0)
            }
            guard let offset = try checkedRange(sector: sector, byteCount: readableData, chain: chain) else {
                return (VirtioBlock.statusIOError, 0)
            }
            var fileOffset = offset
            for piece in DescriptorChain.segments(of: chain.readable, offset: VirtioBlock.headerSize, count: readableData) {
                try backend.write(from: piece, of: memory, fileOffset: fileOffset)
                fileOffset += UInt64(piece.length)
            }
            return (VirtioBlock.statusOK, 0)
        case VirtioBlock.requestFlush:
            if !backend.isReadOnly { try backend.flush() }
            return (VirtioBlock.statusOK, 0)
        case VirtioBlock.requestGetID:
            let padded = identifier + [UInt8](repeating: 0, count: VirtioBlock.identifierLength - identifier.count)
            let written = try chain.writeWritable(padded.prefix(writableData), to: memory)
            return (VirtioBlock.statusOK, written)
        default:
            return (VirtioBlock.statusUnsupported, 0)
        }
    }

    /// The file offset for `byteCount` bytes at `sector`, or nil (reported) when the length is not whole
    /// sectors or the range runs past the disk's end.
    private func checkedRange(sector: UInt64, byteCount: Int, chain: DescriptorChain) throws -> UInt64? {
        guard byteCount % VirtioBlock.sectorSize == 0 else {
            reportFault("virtio-blk \(backend.path): request \(chain.head) length \(byteCount) is not whole sectors")
            return nil
        }
        let sectors = UInt64(byteCount / VirtioBlock.sectorSize)
        guard sector <= backend.sectorCount, sectors <= backend.sectorCount - sector else {
            reportFault("virtio-blk \(backend.path): sectors \(sector)+\(sectors) beyond capacity \(backend.sectorCount)")
            return nil
        }
        return sector * UInt64(VirtioBlock.sectorSize)
    }
}
