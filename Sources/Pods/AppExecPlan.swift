import AppC
import Foundation

/// Everything needed to exec an app inside its rootfs, resolved against the image's files: the program
/// (PATH lookup inside the root for bare names), user and groups from the image's passwd/group, the
/// environment with rkt's defaults, and the working directory. Stage0 builds one to refuse a pod before it
/// runs; the stage1 builds it again to exec.
public struct AppExecPlan: Equatable, Sendable {
    public var appName: String
    /// The program's path inside the rootfs.
    public var program: String
    public var arguments: [String]
    public var environment: [String]
    public var uid: UInt32
    public var gid: UInt32
    public var supplementaryGIDs: [UInt32]
    public var workingDirectory: String

    public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    public init(app: App, appName: String, rootfs: String) throws {
        func fail(_ message: String) -> Failure { Failure(description: "app \(appName): \(message)") }
        self.appName = appName
        guard let first = app.exec.first, !first.isEmpty else { throw fail("exec is empty") }

        let users: UserDatabase
        do {
            users = try UserDatabase(rootfs: rootfs)
            uid = try users.uid(for: app.user, rootfs: rootfs)
            gid = try users.gid(for: app.group, rootfs: rootfs)
        } catch {
            throw fail("\(error)")
        }
        supplementaryGIDs = app.supplementaryGIDs.map { UInt32($0) }

        var variables = app.environment
        func setDefault(_ name: String, _ value: String) {
            if variables.value(of: name) == nil { variables.append(EnvironmentVariable(name: name, value: value)) }
        }
        setDefault("PATH", Self.defaultPath)
        setDefault("AC_APP_NAME", appName)
        if let user = users.user(uid: uid) {
            setDefault("HOME", user.home.isEmpty ? "/" : user.home)
            setDefault("USER", user.name)
            setDefault("LOGNAME", user.name)
        } else {
            setDefault("HOME", "/")
        }
        environment = variables.map { "\($0.name)=\($0.value)" }

        workingDirectory = app.workingDirectory ?? "/"
        do {
            let hostDirectory = try ContainedPath.resolve(workingDirectory, in: rootfs)
            var info = stat()
            guard stat(hostDirectory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw fail("working directory \(workingDirectory) does not exist in the image")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw fail("working directory \(workingDirectory): \(error)")
        }

        let path = variables.value(of: "PATH") ?? Self.defaultPath
        program = try Self.findProgram(first, path: path, workingDirectory: workingDirectory, rootfs: rootfs, fail: fail)
        arguments = app.exec
    }

    /// exec(3)'s rules inside the root: a name with `/` is a path (relative to the working directory),
    /// a bare name is searched in PATH. The result must be an executable regular file.
    public static func findProgram(_ name: String, path: String, workingDirectory: String, rootfs: String,
                            fail: (String) -> Failure) throws -> String {
        let candidates: [String]
        if name.contains("/") {
            candidates = [name.hasPrefix("/") ? name : workingDirectory + "/" + name]
        } else {
            candidates = path.split(separator: ":").map { ($0.isEmpty ? "." : String($0)) + "/" + name }
        }
        for candidate in candidates {
            guard let host = try? ContainedPath.resolve(candidate, in: rootfs) else { continue }
            var info = stat()
            if stat(host, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, (info.st_mode & 0o111) != 0 {
                return candidate
            }
        }
        if name.contains("/") { throw fail("executable \(name) not found in the image (or not executable)") }
        throw fail("executable \(name) not found in PATH \(path) of the image")
    }
}
