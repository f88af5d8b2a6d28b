import ArgumentParser
import Foundation
import Pods

/// `rkt gc [--grace-period=30m] [--expire-prepared=24h] [--mark-only]`: move exited pods to exited-garbage;
/// expired prepared pods, aborted prepares and stale embryos to garbage; then delete garbage (exited pods once
/// their grace period has passed). Pods another process holds locked are skipped and left for a later run.
struct GarbageCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gc", abstract: "Garbage collect pods exited for longer than a given duration.")

    @OptionGroup var globals: GlobalOptions

    /// Embryos (and aborted prepares) left by a crashed `rkt` are collected once they are this old.
    static let embryoGrace: Double = 600

    @Option(help: "Duration to wait before discarding exited pods.")
    var gracePeriod = "30m"

    @Option(help: "Duration to wait before expiring prepared pods.")
    var expirePrepared = "24h"

    @Flag(help: "Move pods to garbage only, do not delete them.")
    var markOnly = false

    func validate() throws {
        guard GoDuration.seconds(gracePeriod) != nil else { throw ValidationError("--grace-period=\(gracePeriod): not a duration") }
        guard GoDuration.seconds(expirePrepared) != nil else { throw ValidationError("--expire-prepared=\(expirePrepared): not a duration") }
    }

    func run() throws {
        let store = try globals.openStore()
        let repository = try globals.openPodRepository()
        let grace = GoDuration.seconds(gracePeriod) ?? 1800
        let expiry = GoDuration.seconds(expirePrepared) ?? 86400
        let now = Date()

        for uuid in try repository.uuids(in: .run) {
            guard let pod = try? repository.find(uuid), try pod.tryLock(.exclusive) else { continue }
            defer { try? pod.unlock() }
            guard (try? pod.refresh()) != nil, pod.location == .run else { continue }
            Console.error("Moving pod \"\(uuid)\" to garbage")
            try pod.move(to: .exitedGarbage)
            try pod.touch()
        }
        for directory in [PodLayout.Directory.embryo, .prepare, .prepared] {
            for uuid in try repository.uuids(in: directory) {
                guard let pod = try? repository.find(uuid), try pod.tryLock(.exclusive) else { continue }
                defer { try? pod.unlock() }
                guard (try? pod.refresh()) != nil, pod.location == directory else { continue }
                if directory == .prepared, now.timeIntervalSince(try pod.modificationTime()) < expiry { continue }
                // An embryo is locked only after its mkdir: leave young ones to their creator.
                if directory == .embryo, now.timeIntervalSince(try pod.modificationTime()) < Self.embryoGrace { continue }
                Console.error("Moving pod \"\(uuid)\" to garbage")
                try pod.move(to: .garbage)
            }
        }
        if markOnly { return }

        let reaper = PodReaper(store: store, globals: globals)
        var failed = false
        for directory in [PodLayout.Directory.exitedGarbage, .garbage] {
            for uuid in try repository.uuids(in: directory) {
                guard let pod = try? repository.find(uuid), try pod.tryLock(.exclusive) else { continue }
                guard (try? pod.refresh()) != nil, pod.location == directory else { continue }
                if directory == .exitedGarbage, Date().timeIntervalSince(try pod.modificationTime()) < grace { continue }
                print("Garbage collecting pod \"\(uuid)\"")
                do {
                    try reaper.delete(pod)
                } catch {
                    failed = true
                    Console.error("rkt: gc: pod \(uuid): \(error)")
                }
            }
        }
        if failed { throw CommandFailure(message: "") }
    }
}
