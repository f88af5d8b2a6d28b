import Glibc
import Pods

// The kvm stage1: one binary serving every entrypoint of the stage1 contract through the links
// /kvm/{run,enter,gc,stop} in the stage1 image; `stage1-kvm ENTRYPOINT ARGS…` works too.
let invocation = Stage1Invocation<KvmEntrypoint>(CommandLine.arguments)
guard let selected = invocation.entrypoint else {
    KvmFailure.exit("unknown entrypoint \(invocation.name.debugDescription); expected run, enter, gc or stop")
}
do {
    exit(try selected.run(invocation.arguments, program: CommandLine.arguments[0]))
} catch {
    KvmFailure.exit("\(error)")
}
