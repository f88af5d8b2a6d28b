/// An AC Version: a Semantic Versioning 2.0.0 string (`0.8.11`, `1.0.0-rc.1+build.5`).
/// Precedence follows semver: build metadata is ignored, a pre-release sorts before its release.
public struct ACVersion: Hashable, Comparable, CustomStringConvertible, Sendable {
    public let major: UInt64
    public let minor: UInt64
    public let patch: UInt64
    public let preRelease: [String]
    public let build: [String]

    /// The schema version this library implements and writes.
    public static let current = ACVersion(major: 0, minor: 8, patch: 11)

    public init(major: UInt64, minor: UInt64, patch: UInt64, preRelease: [String] = [], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.preRelease = preRelease
        self.build = build
    }

    public init(_ string: String) throws {
        try self.init(string, at: "")
    }

    init(_ string: String, at path: String) throws {
        let invalid = ValidationError(path: path, message: "\(quoted(string)) is not a valid semantic version")
        var rest = Substring(string)
        var build: [String] = []
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            rest = rest[..<plus]
            guard build.allSatisfy(Self.isIdentifier) else { throw invalid }
        }
        var preRelease: [String] = []
        if let dash = rest.firstIndex(of: "-") {
            preRelease = rest[rest.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            rest = rest[..<dash]
            guard preRelease.allSatisfy({ Self.isIdentifier($0) && !Self.hasLeadingZero($0) }) else { throw invalid }
        }
        let core = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3 else { throw invalid }
        var numbers: [UInt64] = []
        for part in core {
            guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), !Self.hasLeadingZero(String(part)),
                  let number = UInt64(part) else { throw invalid }
            numbers.append(number)
        }
        self.init(major: numbers[0], minor: numbers[1], patch: numbers[2], preRelease: preRelease, build: build)
    }

    private static func isIdentifier(_ part: String) -> Bool {
        !part.isEmpty && part.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D
        }
    }

    private static func isNumeric(_ part: String) -> Bool {
        part.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private static func hasLeadingZero(_ part: String) -> Bool {
        isNumeric(part) && part.count > 1 && part.hasPrefix("0")
    }

    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !preRelease.isEmpty { text += "-" + preRelease.joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    public static func < (lhs: ACVersion, rhs: ACVersion) -> Bool {
        if lhs.major != rhs.major { return lhs.major < rhs.major }
        if lhs.minor != rhs.minor { return lhs.minor < rhs.minor }
        if lhs.patch != rhs.patch { return lhs.patch < rhs.patch }
        if lhs.preRelease.isEmpty || rhs.preRelease.isEmpty { return !lhs.preRelease.isEmpty && rhs.preRelease.isEmpty }
        for (a, b) in zip(lhs.preRelease, rhs.preRelease) where a != b {
            switch (isNumeric(a), isNumeric(b)) {
            case (true, true): return a.count != b.count ? a.count < b.count : a < b
            case (true, false): return true
            case (false, true): return false
            case (false, false): return a < b
            }
        }
        return lhs.preRelease.count < rhs.preRelease.count
    }

    /// Semver equality ignores build metadata, as precedence does.
    public static func == (lhs: ACVersion, rhs: ACVersion) -> Bool {
        lhs.major == rhs.major && lhs.minor == rhs.minor && lhs.patch == rhs.patch && lhs.preRelease == rhs.preRelease
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
        hasher.combine(preRelease)
    }
}
