import CKVM

/// A segment descriptor of the boot GDT, and the `kvm_segment` that describes the same segment to KVM.
public struct GdtEntry: Equatable, Sendable {
    public let raw: UInt64

    /// `flags` packs the access byte (bits 0-7) and the G/DB/L/AVL nibble (bits 12-15), as Linux's GDT_ENTRY.
    public init(flags: UInt16, base: UInt32, limit: UInt32) {
        let b = UInt64(base), l = UInt64(limit), f = UInt64(flags)
        raw = ((b & 0xff00_0000) << (56 - 24)) | ((f & 0xf0ff) << 40) | ((l & 0x000f_0000) << (48 - 16))
            | ((b & 0x00ff_ffff) << 16) | (l & 0x0000_ffff)
    }

    public init(raw: UInt64) { self.raw = raw }

    /// Null, 64-bit code, data, and TSS: the boot GDT (selectors 0x0, 0x8, 0x10, 0x18).
    public static let bootTable: [GdtEntry] = [
        GdtEntry(flags: 0, base: 0, limit: 0),
        GdtEntry(flags: 0xa09b, base: 0, limit: 0xfffff),
        GdtEntry(flags: 0xc093, base: 0, limit: 0xfffff),
        GdtEntry(flags: 0x808b, base: 0, limit: 0xfffff),
    ]
    public static let codeSelector: UInt16 = 0x8
    public static let dataSelector: UInt16 = 0x10
    public static let tssSelector: UInt16 = 0x18

    var base: UInt64 { ((raw >> 16) & 0xff_ffff) | (((raw >> 56) & 0xff) << 24) }
    var limit: UInt32 { UInt32(truncatingIfNeeded: (raw & 0xffff) | (((raw >> 48) & 0xf) << 16)) }
    var type: UInt8 { UInt8((raw >> 40) & 0xf) }
    var present: UInt8 { UInt8((raw >> 47) & 1) }
    var granularity: UInt8 { UInt8((raw >> 55) & 1) }

    /// The segment register contents for this descriptor loaded with `selector`.
    public func segment(selector: UInt16) -> kvm_segment {
        var s = kvm_segment()
        s.base = base
        s.limit = granularity == 1 ? (limit << 12) | 0xfff : limit
        s.selector = selector
        s.type = type
        s.present = present
        s.dpl = UInt8((raw >> 45) & 3)
        s.db = UInt8((raw >> 54) & 1)
        s.s = UInt8((raw >> 44) & 1)
        s.l = UInt8((raw >> 53) & 1)
        s.g = granularity
        s.avl = UInt8((raw >> 52) & 1)
        s.unusable = present == 0 ? 1 : 0
        return s
    }

    /// The table's bytes, as written to `X86Layout.gdtAddress`.
    public static func bytes(of table: [GdtEntry]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: table.count * 8)
        for (i, e) in table.enumerated() { bytes.storeLE(e.raw, at: i * 8) }
        return bytes
    }
}
