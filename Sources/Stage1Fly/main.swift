import Glibc
import Pods

// The fly stage1: one binary serving every entrypoint of the stage1 contract. Stage0 runs it through the
// links /fly/run, /fly/enter, /fly/gc and /fly/stop in the stage1 image, so the entrypoint is the name it
// was started as; `stage1-fly ENTRYPOINT ARGS…` works too (tests, debugging).
let invocation = Stage1Invocation<FlyEntrypoint>(CommandLine.arguments)
guard let selected = invocation.entrypoint else {
    FlyFailure.exit("unknown entrypoint \(invocation.name.debugDescription); expected run, enter, gc or stop")
}
do {
    exit(try selected.run(invocation.arguments))
} catch {
    FlyFailure.exit("\(error)")
}
