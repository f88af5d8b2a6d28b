/// A lifecycle hook of an app: a command run before the app starts or after it stops.
public struct EventHandler: Hashable, Sendable {
    public enum Event: String, Sendable, CaseIterable {
        case preStart = "pre-start"
        case postStop = "post-stop"
    }

    public var name: Event
    public var exec: [String]

    public init(name: Event, exec: [String]) {
        self.name = name
        self.exec = exec
    }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        let nameText = try reader.requiredString("name")
        guard let event = Event(rawValue: nameText) else {
            throw ValidationError(path: reader.fieldPath("name"),
                                  message: "\(quoted(nameText)) is not one of \"pre-start\", \"post-stop\"")
        }
        name = event
        exec = try reader.list("exec", JSONObjectReader.string)
    }

    var json: JSONValue {
        .object([("exec", .array(exec.map { .string($0) })), ("name", .string(name.rawValue))])
    }

    static func validate(_ handlers: [EventHandler], at path: String) throws {
        var seen = Set<Event>()
        for (index, handler) in handlers.enumerated() {
            let element = FieldPath.element(path, index)
            guard seen.insert(handler.name).inserted else {
                throw ValidationError(path: FieldPath.member(element, "name"),
                                      message: "only one \(quoted(handler.name.rawValue)) event handler is allowed")
            }
            try App.validateExec(handler.exec, at: FieldPath.member(element, "exec"), required: true)
        }
    }
}
