/// Checks for paths inside an app's root that the host side resolves (mount targets): absolute, and
/// without `..` components that could climb out of the root.
enum AppPath {
    static func validateContained(_ path: String, at fieldPath: String) throws {
        guard path.hasPrefix("/") else {
            throw ValidationError(path: fieldPath, message: "\(quoted(path)) must be an absolute path")
        }
        if path.split(separator: "/").contains("..") {
            throw ValidationError(path: fieldPath, message: "\(quoted(path)) must not contain \"..\" components")
        }
        if path.utf8.contains(0) {
            throw ValidationError(path: fieldPath, message: "must not contain NUL bytes")
        }
    }
}
