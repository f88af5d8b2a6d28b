/// What `--net` asks for (rkt's forms): `host` (the host's network namespace), `none` (a namespace with only
/// `lo`), or a comma list of networks, each optionally with CNI arguments: `default`, `default-restricted`,
/// `NAME`, `NAME:K=V;K2=V2`. `default` alone is what an empty value means.
public enum NetworkSelection: Equatable, Sendable {
    case host
    case none
    case networks([Request])

    /// One network of the list and the CNI_ARGS given for it.
    public struct Request: Equatable, Sendable {
        public let name: String
        public let args: [(key: String, value: String)]

        public init(name: String, args: [(key: String, value: String)] = []) {
            self.name = name
            self.args = args
        }

        /// CNI_ARGS as the plugins read it: `K=V;K2=V2`.
        public var cniArgs: String { args.map { "\($0.key)=\($0.value)" }.joined(separator: ";") }

        public static func == (lhs: Request, rhs: Request) -> Bool {
            lhs.name == rhs.name && lhs.args.map(\.key) == rhs.args.map(\.key) && lhs.args.map(\.value) == rhs.args.map(\.value)
        }
    }

    /// The CNI networks asked for (none for `host` and `none`).
    public var requests: [Request] {
        if case .networks(let requests) = self { return requests }
        return []
    }

    /// The most networks one pod may join (interfaces eth0…eth15).
    public static let maximumNetworks = 16

    public init(parsing text: String) throws {
        let value = text.isEmpty ? "default" : text
        if value == "host" { self = .host; return }
        if value == "none" { self = .none; return }
        var requests: [Request] = []
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard NetworkName.isValid(name) else {
                throw CNIError("--net=\(text): \(name.debugDescription) is not a network name (letters, digits, '-', '_' and '.')")
            }
            guard name != "host", name != "none" else {
                throw CNIError("--net=\(text): \(name) cannot be combined with other networks")
            }
            guard !requests.contains(where: { $0.name == name }) else {
                throw CNIError("--net=\(text): network \(name) is given twice")
            }
            var args: [(key: String, value: String)] = []
            if parts.count > 1 {
                for pair in parts[1].split(separator: ";") {
                    let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    guard keyValue.count == 2, !keyValue[0].isEmpty,
                          keyValue[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                        throw CNIError("--net=\(text): argument \(String(pair).debugDescription) of network \(name) is not KEY=VALUE")
                    }
                    args.append((String(keyValue[0]), String(keyValue[1])))
                }
            }
            requests.append(Request(name: name, args: args))
        }
        guard requests.count <= Self.maximumNetworks else {
            throw CNIError("--net=\(text): at most \(Self.maximumNetworks) networks per pod")
        }
        self = .networks(requests)
    }
}

/// Network names as file and chain names may carry them.
public enum NetworkName {
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && !name.hasPrefix(".") && !name.hasPrefix("-")
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }
}
