import Glibc

// The fly stage1: one binary serving every entrypoint of the stage1 contract. Stage0 runs it through the
// links /fly/run, /fly/enter, /fly/gc and /fly/stop in the stage1 image, so the entrypoint is the name it
// was started as; `stage1-fly ENTRYPOINT ARGS…` works too (tests, debugging).
let invocation = Array(CommandLine.arguments)
var entrypoint = String(invocation[0].split(separator: "/").last ?? "")
var arguments = Array(invocation.dropFirst())
if FlyEntrypoint(rawValue: entrypoint) == nil, let first = arguments.first, FlyEntrypoint(rawValue: first) != nil {
    entrypoint = first
    arguments.removeFirst()
}
guard let selected = FlyEntrypoint(rawValue: entrypoint) else {
    FlyFailure.exit("unknown entrypoint \(entrypoint.debugDescription); expected run, enter, gc or stop")
}
do {
    let status = try selected.run(arguments)
    exit(status)
} catch {
    FlyFailure.exit("\(error)")
}
