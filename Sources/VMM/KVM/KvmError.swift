/// Failures of the KVM layer that are not a plain failed system call (those are `SystemError`s naming the
/// ioctl and the device).
public enum KvmError: Error, Equatable, CustomStringConvertible, Sendable {
    case unsupportedApiVersion(Int32)
    case missingCapability(String)
    case runMappingTooSmall(Int)
    case malformedExit(String)
    case tooManyEntries(kind: String, count: Int, limit: Int)

    public var description: String {
        switch self {
        case let .unsupportedApiVersion(version):
            return "/dev/kvm: KVM API version \(version) is not the supported version \(Kvm.requiredApiVersion)"
        case let .missingCapability(name):
            return "/dev/kvm: required capability \(name) is not available"
        case let .runMappingTooSmall(size):
            return "/dev/kvm: vCPU mmap size \(size) is smaller than struct kvm_run"
        case let .malformedExit(reason):
            return "vCPU exit is malformed: \(reason)"
        case let .tooManyEntries(kind, count, limit):
            return "\(count) \(kind) entries exceed the limit of \(limit)"
        }
    }
}
