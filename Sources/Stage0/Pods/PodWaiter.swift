import Foundation
import Pods

/// Waits for a pod to reach a state. Waiting for an exit without a limit blocks on the pod lock itself
/// (released when stage1 exits); with a limit, or for readiness, the pod is polled every 50 ms.
struct PodWaiter {
    let pod: Pod

    func waitUntilExited(limit: Double) throws {
        let deadline = Date().addingTimeInterval(limit.isFinite ? limit : 365 * 86400)
        while true {
            let state = try pod.state()
            if state.hasExited || state == .garbage || state == .deleting { return }
            if !limit.isFinite, state == .running {
                try pod.lock(.shared)
                try pod.unlock()
                continue
            }
            try pause(until: deadline, waitingFor: "exit")
        }
    }

    func waitUntilReady(limit: Double) throws {
        let deadline = Date().addingTimeInterval(limit.isFinite ? limit : 365 * 86400)
        while true {
            let state = try pod.state()
            if state == .running, FileManager.default.fileExists(atPath: pod.files.pid) { return }
            if state.hasExited || state == .garbage || state == .deleting {
                throw CommandFailure(message: "pod \(pod.uuid) is \(state.rawValue); it will not become ready")
            }
            try pause(until: deadline, waitingFor: "be ready")
        }
    }

    private func pause(until deadline: Date, waitingFor what: String) throws {
        guard Date() < deadline else {
            throw CommandFailure(message: "timed out waiting for pod \(pod.uuid) to \(what)")
        }
        usleep(50_000)
    }
}
