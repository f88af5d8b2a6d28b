import ArgumentParser

/// `--console-device ttyS0|hvc0`.
enum ConsoleDeviceArgument: String, ExpressibleByArgument {
    case ttyS0
    case hvc0
}
