#if canImport(Glibc)
import Glibc
#endif

/// Puts a terminal into raw mode (keys go to the guest unprocessed: Ctrl-C reaches the guest's shell) and
/// restores the saved settings when released. Does nothing when the descriptor is not a terminal.
final class TerminalRawMode {
    private let descriptor: Int32
    private var saved = termios()
    private var active = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
        guard isatty(descriptor) == 1, tcgetattr(descriptor, &saved) == 0 else { return }
        var raw = saved
        cfmakeraw(&raw)
        raw.c_oflag = saved.c_oflag  // keep output processing (\n -> \r\n) for the guest's console text
        active = tcsetattr(descriptor, TCSANOW, &raw) == 0
    }

    deinit { restore() }

    func restore() {
        guard active else { return }
        tcsetattr(descriptor, TCSANOW, &saved)
        active = false
    }
}
