/// One `key: value` entry of an `os/unix/sysctl` isolator.
public struct SysctlSetting: Hashable, Sendable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
