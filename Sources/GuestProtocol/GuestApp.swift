/// One app of the pod as GuestInit runs it: everything already resolved by the host against the image
/// (program path inside the root, numeric ids, environment with defaults), so the guest looks nothing up.
public struct GuestApp: Equatable, Sendable {
    public var name: String
    /// Index of the read-only disk holding the app's image tree (see `GuestDisks`).
    public var imageDisk: Int
    /// The program to exec: an absolute path inside the app's root.
    public var program: String
    /// Its argv, argv[0] included (the image's exec as written, e.g. `sh` for a program found through PATH).
    public var arguments: [String]
    public var environment: [String] = []
    public var uid: UInt32 = 0
    public var gid: UInt32 = 0
    public var supplementaryGIDs: [UInt32] = []
    public var workingDirectory = "/"
    public var readOnlyRootfs = false
    public var mounts: [GuestAppMount] = []
    /// The capabilities the app keeps (numbers); every other one leaves the bounding set before exec.
    /// nil: no restriction (`--insecure-options=capabilities`).
    public var retainedCapabilities: [Int32]?
    /// A classic BPF seccomp program (`struct sock_filter` array, 8 bytes per instruction) the app's process
    /// loads just before exec, with no_new_privs; compiled on the host. nil: no filter.
    public var seccompFilter: [UInt8]?

    public init(name: String, imageDisk: Int, program: String, arguments: [String]) {
        self.name = name
        self.imageDisk = imageDisk
        self.program = program
        self.arguments = arguments
    }
}

/// A pod volume mounted into an app's root.
public struct GuestAppMount: Equatable, Sendable {
    public var volume: String
    /// Absolute path inside the app's root.
    public var target: String
    public var readOnly: Bool

    public init(volume: String, target: String, readOnly: Bool) {
        self.volume = volume
        self.target = target
        self.readOnly = readOnly
    }
}

/// A pod volume: a directory on the scratch disk (`kind=empty`) or a disk of its own (`kind=host`).
public struct GuestVolume: Equatable, Sendable {
    public enum Source: Equatable, Sendable {
        case empty
        case disk(Int)
    }

    public var name: String
    public var source: Source
    /// A `disk` volume whose disk is attached read-only (`readOnly=true`): the guest mounts its filesystem
    /// read-only (ext4 refuses a read-write mount of a read-only device).
    public var readOnly: Bool

    public init(name: String, source: Source, readOnly: Bool = false) {
        self.name = name
        self.source = source
        self.readOnly = readOnly
    }
}
