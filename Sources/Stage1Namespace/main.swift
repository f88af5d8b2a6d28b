import Glibc
import Pods

// The namespace stage1 (coreos.com/rkt/stage1-coreos): one binary serving every entrypoint of the stage1
// contract. Stage0 runs it through the links /ns/run, /ns/enter, /ns/gc and /ns/stop in the stage1 image, so
// the entrypoint is the name it was started as; `stage1-coreos ENTRYPOINT ARGS…` works too.
let invocation = Stage1Invocation<NamespaceEntrypoint>(CommandLine.arguments)
guard let selected = invocation.entrypoint else {
    NamespaceFailure.exit("unknown entrypoint \(invocation.name.debugDescription); expected run, enter, gc or stop")
}
do {
    exit(try selected.run(invocation.arguments))
} catch {
    NamespaceFailure.exit("\(error)")
}
