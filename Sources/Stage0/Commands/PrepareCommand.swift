import ArgumentParser
import Pods

/// `rkt prepare [flags] IMAGE …`: create a pod ready for `rkt run-prepared`; prints its UUID.
struct PrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Prepare a pod to run later with run-prepared.",
        discussion: "Takes the same pod flags, images and app flags as run.")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var pod: PodOptions

    @Flag(help: "Print only the UUID (the default; kept for compatibility).")
    var quiet = false

    @Argument(parsing: .captureForPassthrough, help: "Images, each followed by its app flags and arguments.")
    var images: [String] = []

    func validate() throws {
        try ImageArgumentsHelp.check(images, for: Self.self)
    }

    func run() throws {
        let store = try globals.openStore()
        let repository = try globals.openPodRepository()
        let prepared = try PodCreator(store: store, repository: repository, globals: globals, options: pod)
            .create(imageArguments: images)
        do {
            try prepared.pod.move(to: .prepared)
        } catch {
            try? PodReaper(store: store, globals: globals).discard(prepared.pod)
            throw CommandFailure(message: "pod \(prepared.pod.uuid): \(error)")
        }
        print(prepared.pod.uuid)
    }
}
