import Glibc

// The kvm stage1: one binary serving every entrypoint of the stage1 contract through the links
// /kvm/{run,enter,gc,stop} in the stage1 image; `stage1-kvm ENTRYPOINT ARGS…` works too.
let invocation = Array(CommandLine.arguments)
var entrypoint = String(invocation[0].split(separator: "/").last ?? "")
var arguments = Array(invocation.dropFirst())
if KvmEntrypoint(rawValue: entrypoint) == nil, let first = arguments.first, KvmEntrypoint(rawValue: first) != nil {
    entrypoint = first
    arguments.removeFirst()
}
guard let selected = KvmEntrypoint(rawValue: entrypoint) else {
    KvmFailure.exit("unknown entrypoint \(entrypoint.debugDescription); expected run, enter, gc or stop")
}
do {
    exit(try selected.run(arguments, program: invocation[0]))
} catch {
    KvmFailure.exit("\(error)")
}
