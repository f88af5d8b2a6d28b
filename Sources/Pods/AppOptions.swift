/// What the user said about one app on rkt's command line: the image argument and the app flags that
/// follow it (`--exec`, arguments after `--`, `--name`, `--user`, `--group`, `--working-dir`,
/// `--environment`, `--mount`, and the isolator flags).
public struct AppOptions: Equatable, Sendable {
    public var image: String
    public var exec: String?
    /// Arguments given after `--`; nil when there was no `--`.
    public var arguments: [String]?
    public var name: String?
    public var user: String?
    public var group: String?
    public var workingDirectory: String?
    public var environmentPairs: [NameValue] = []
    public var mounts: [MountOption] = []
    /// `--memory`, `--cpu`, `--caps-retain`, `--seccomp`, `--readonly-rootfs`, … (see `IsolatorOptions`).
    public var isolators = IsolatorOptions()

    public init(image: String) {
        self.image = image
    }

    public struct NameValue: Equatable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        /// Parses `NAME=VALUE` (the value may be empty or contain `=`).
        public init(parsing text: String, flag: String) throws {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw RunArgumentError("\(flag) \(text.debugDescription): expected NAME=VALUE")
            }
            name = String(text[..<equals])
            value = String(text[text.index(after: equals)...])
        }
    }

    /// rkt's `--mount volume=NAME,target=PATH`.
    public struct MountOption: Equatable, Sendable {
        public var volume: String
        public var target: String

        public init(volume: String, target: String) {
            self.volume = volume
            self.target = target
        }

        public init(parsing text: String) throws {
            var volume: String?
            var target: String?
            for part in text.split(separator: ",") {
                let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2 else { throw RunArgumentError("--mount \(text.debugDescription): expected volume=NAME,target=PATH") }
                switch pair[0] {
                case "volume": volume = pair[1]
                case "target": target = pair[1]
                default: throw RunArgumentError("--mount \(text.debugDescription): unknown key \(pair[0].debugDescription)")
                }
            }
            guard let volume, let target else {
                throw RunArgumentError("--mount \(text.debugDescription): both volume= and target= are required")
            }
            self.init(volume: volume, target: target)
        }
    }
}
