extension DescriptorChain {
    /// The pieces of `buffers` that hold bytes `[offset, offset + count)` of their concatenation, for I/O
    /// straight into or out of guest memory. Requires the range to lie within the buffers' total length.
    public static func segments(of buffers: [GuestBuffer], offset: Int, count: Int) -> [GuestBuffer] {
        precondition(offset >= 0 && count >= 0, "segment range must not be negative")
        var pieces: [GuestBuffer] = []
        var skip = offset
        var remaining = count
        for buffer in buffers where remaining > 0 {
            let length = Int(buffer.length)
            if skip >= length {
                skip -= length
                continue
            }
            let take = min(length - skip, remaining)
            pieces.append(GuestBuffer(address: buffer.address + UInt64(skip), length: UInt32(take)))
            remaining -= take
            skip = 0
        }
        precondition(remaining == 0, "segment range beyond the buffers")
        return pieces
    }

    /// Copies up to `count` bytes of the readable side starting at `offset` (fewer when it ends first).
    public func readReadable(from memory: GuestMemory, offset: Int = 0, count: Int) throws -> [UInt8] {
        let available = max(0, min(count, readableLength - offset))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(available)
        for piece in Self.segments(of: readable, offset: offset, count: available) {
            bytes += try memory.readBytes(at: piece.address, count: Int(piece.length))
        }
        return bytes
    }

    /// Copies `bytes` into the writable side starting at `offset`, as far as it reaches; returns the count written.
    @discardableResult
    public func writeWritable<Bytes: Collection>(
        _ bytes: Bytes, to memory: GuestMemory, offset: Int = 0
    ) throws -> Int where Bytes.Element == UInt8 {
        let count = max(0, min(bytes.count, writableLength - offset))
        var source = bytes.prefix(count)[...]
        for piece in Self.segments(of: writable, offset: offset, count: count) {
            try memory.write(bytes: source.prefix(Int(piece.length)), at: piece.address)
            source = source.dropFirst(Int(piece.length))
        }
        return count
    }
}
