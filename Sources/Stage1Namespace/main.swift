import Glibc

// The namespace stage1 (coreos.com/rkt/stage1-coreos): one binary serving every entrypoint of the stage1
// contract. Stage0 runs it through the links /ns/run, /ns/enter, /ns/gc and /ns/stop in the stage1 image, so
// the entrypoint is the name it was started as; `stage1-coreos ENTRYPOINT ARGS…` works too.
let invocation = Array(CommandLine.arguments)
var entrypoint = String(invocation[0].split(separator: "/").last ?? "")
var arguments = Array(invocation.dropFirst())
if NamespaceEntrypoint(rawValue: entrypoint) == nil, let first = arguments.first, NamespaceEntrypoint(rawValue: first) != nil {
    entrypoint = first
    arguments.removeFirst()
}
guard let selected = NamespaceEntrypoint(rawValue: entrypoint) else {
    NamespaceFailure.exit("unknown entrypoint \(entrypoint.debugDescription); expected run, enter, gc or stop")
}
do {
    let status = try selected.run(arguments)
    exit(status)
} catch {
    NamespaceFailure.exit("\(error)")
}
