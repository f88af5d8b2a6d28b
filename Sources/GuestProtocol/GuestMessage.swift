/// The control channel over virtio-vsock, one `GuestRecordLine` per message.
///
/// Guest → host: GuestInit connects to the host's port `GuestPorts.host` once per stream and names the
/// stream in its first line: `control`, or `stdout APP` / `stderr APP` (the app's output follows raw, the
/// app itself writes into that socket). On `control` it then sends `ready`, `started APP PID`,
/// `exited APP STATUS`, `failed APP REASON` (could not start), `error TEXT` (GuestInit's own trouble) and
/// `poweroff` last.
///
/// Host → guest: the host connects to the guest's port `GuestPorts.guest` and sends one request line:
/// `stop SECONDS` (SIGTERM to every app, SIGKILL after SECONDS), `enter TOKEN APP ARG…` (the connection
/// becomes the command's stdin/stdout/stderr), or `wait TOKEN` (answered with `exit STATUS` when that
/// command ends, or `error TEXT`).
public enum GuestMessage: Equatable, Sendable {
    case control
    case stdout(app: String)
    case stderr(app: String)
    case ready
    case started(app: String, pid: Int32)
    case exited(app: String, status: Int32)
    case failed(app: String, reason: String)
    case error(String)
    case poweroff
    case stop(graceSeconds: Int)
    case enter(token: String, app: String, command: [String])
    case wait(token: String)
    case exit(status: Int32)

    public var fields: [String] {
        switch self {
        case .control: ["control"]
        case .stdout(let app): ["stdout", app]
        case .stderr(let app): ["stderr", app]
        case .ready: ["ready"]
        case .started(let app, let pid): ["started", app, String(pid)]
        case .exited(let app, let status): ["exited", app, String(status)]
        case .failed(let app, let reason): ["failed", app, reason]
        case .error(let text): ["error", text]
        case .poweroff: ["poweroff"]
        case .stop(let seconds): ["stop", String(seconds)]
        case .enter(let token, let app, let command): ["enter", token, app] + command
        case .wait(let token): ["wait", token]
        case .exit(let status): ["exit", String(status)]
        }
    }

    /// The message as one line, newline included.
    public var line: String { GuestRecordLine.encode(fields) + "\n" }

    public init(line: some Collection<UInt8>) throws(GuestProtocolError) {
        let fields = try GuestRecordLine.decode(line)
        guard let keyword = fields.first else { throw .malformed("empty message") }
        let values = Array(fields.dropFirst())
        func name(_ index: Int) throws(GuestProtocolError) -> String {
            guard index < values.count, GuestNames.isName(values[index]) else { throw .malformed("\(keyword): bad app name") }
            return values[index]
        }
        func number(_ index: Int) throws(GuestProtocolError) -> Int32 {
            guard index < values.count, let value = Int32(values[index]) else { throw .malformed("\(keyword): bad number") }
            return value
        }
        func count(_ expected: Int) throws(GuestProtocolError) {
            guard values.count == expected else { throw .malformed("\(keyword): expected \(expected) values, got \(values.count)") }
        }
        switch keyword {
        case "control": try count(0); self = .control
        case "stdout": try count(1); self = .stdout(app: try name(0))
        case "stderr": try count(1); self = .stderr(app: try name(0))
        case "ready": try count(0); self = .ready
        case "started": try count(2); self = .started(app: try name(0), pid: try number(1))
        case "exited": try count(2); self = .exited(app: try name(0), status: try number(1))
        case "failed": try count(2); self = .failed(app: try name(0), reason: values[1])
        case "error": try count(1); self = .error(values[0])
        case "poweroff": try count(0); self = .poweroff
        case "stop":
            try count(1)
            let seconds = try number(0)
            guard seconds >= 0 else { throw .malformed("stop: negative timeout") }
            self = .stop(graceSeconds: Int(seconds))
        case "enter":
            guard values.count >= 3, GuestNames.isConfigWord(values[0]), GuestNames.isAbsolutePath(values[2]) else {
                throw .malformed("enter: expected TOKEN APP /PROGRAM [ARG…]")
            }
            self = .enter(token: values[0], app: try name(1), command: Array(values.dropFirst(2)))
        case "wait":
            try count(1)
            guard GuestNames.isConfigWord(values[0]) else { throw .malformed("wait: bad token") }
            self = .wait(token: values[0])
        case "exit": try count(1); self = .exit(status: try number(0))
        default: throw .malformed("unknown message \(keyword)")
        }
    }
}

/// vsock addressing of the pod VM.
public enum GuestPorts {
    /// The guest's context id (the host is always 2).
    public static let guestCID: UInt32 = 3
    /// The port on the host that GuestInit connects to (the host's Unix socket is `<vsock path>_1024`).
    public static let host: UInt32 = 1024
    /// The port GuestInit listens on for `stop`, `enter` and `wait`.
    public static let guest: UInt32 = 1024
}
