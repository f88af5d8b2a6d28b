import Glibc

/// Exit statuses as rkt records them: the exit code, or 128 + the signal number that killed the process.
public enum ExitStatus {
    public static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        if signal == 0 { return (status >> 8) & 0xff }
        return 128 + signal
    }

    /// Waits for `pid` (retrying on EINTR); its decoded status, or 255 when it cannot be waited for.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 255 }
        }
        return decode(status)
    }
}
