import AppC
import Foundation
import ImageStore

/// Finds the stage1 image of a new pod and makes sure it is in the store, as rkt does: a flag names it
/// (by name, path, hash, URL or file in the stage1 images directory); otherwise the `stage1.d` configuration
/// does; otherwise the first of `buildDefaults` found in the stage1 images directories — next to the `rkt`
/// binary (`../lib/rkt/stage1-images`, where `make` puts them) and the configured `stage1-images` path.
struct Stage1Selector {
    let store: ImageStore
    let globals: GlobalOptions
    let options: Stage1Options

    /// The build's stage1 flavors in order of preference: KVM first, as the project's name says.
    static let buildDefaults = ["stage1-kvm.aci", "stage1-coreos.aci", "stage1-fly.aci"]
    static let namePrefix = "coreos.com/rkt/stage1-"
    static let runAnnotation = "coreos.com/rkt/stage1/run"

    func select() throws -> ImageRecord {
        let record = try locate()
        let manifest = try store.manifest(of: record)
        guard manifest.annotation(Self.runAnnotation) != nil else {
            throw CommandFailure(message: "image \(record.name) is not a stage1 image: it has no \(Self.runAnnotation) annotation")
        }
        globals.debugLog("stage1 image \(record.name) (\(record.key))")
        return record
    }

    private func locate() throws -> ImageRecord {
        if let path = options.stage1Path { return try importFile(path, flag: "--stage1-path") }
        if let hash = options.stage1Hash {
            do { return try store.resolve(hash) } catch {
                throw CommandFailure(message: "--stage1-hash \(hash): \(error)")
            }
        }
        if let url = options.stage1Url {
            guard url.hasPrefix("file://") else {
                throw CommandFailure(message: "--stage1-url \(url): only file:// URLs are supported yet")
            }
            return try importFile(String(url.dropFirst("file://".count)), flag: "--stage1-url")
        }
        if let file = options.stage1FromDir {
            guard !file.contains("/") else {
                throw CommandFailure(message: "--stage1-from-dir \(file): give a file name inside the stage1 images directory")
            }
            guard let path = try imageDirectories().map({ $0 + "/" + file }).first(where: FileManager.default.fileExists) else {
                throw CommandFailure(message: "--stage1-from-dir \(file): not found in \(try imageDirectories().joined(separator: ", "))")
            }
            return try importFile(path, flag: "--stage1-from-dir")
        }
        if let name = options.stage1Name { return try byName(name, flag: "--stage1-name") }

        let configured = try globals.configuration().stage1
        if !configured.name.isEmpty {
            let reference = configured.version.isEmpty ? configured.name : configured.name + ":" + configured.version
            if let record = try? store.resolve(reference) { return record }
        }
        if !configured.location.isEmpty {
            let path = configured.location.hasPrefix("file://")
                ? String(configured.location.dropFirst("file://".count)) : configured.location
            return try importFile(path, flag: "stage1 configuration location")
        }
        for file in Self.buildDefaults {
            for directory in try imageDirectories() where FileManager.default.fileExists(atPath: directory + "/" + file) {
                return try importFile(directory + "/" + file, flag: "default stage1")
            }
        }
        throw CommandFailure(message: """
            no stage1 image: none of \(Self.buildDefaults.joined(separator: ", ")) is in \
            \(try imageDirectories().joined(separator: " or ")); build them (make) or pass --stage1-path
            """)
    }

    /// `coreos.com/rkt/stage1-fly[:VERSION]`: the store first, then `stage1-fly.aci` in the images directories.
    private func byName(_ name: String, flag: String) throws -> ImageRecord {
        if let record = try? store.resolve(name) { return record }
        let bare = String(name.split(separator: ":", maxSplits: 1)[0])
        guard bare.hasPrefix(Self.namePrefix) else {
            throw CommandFailure(message: "\(flag) \(name): no such image in the store")
        }
        let file = "stage1-" + bare.dropFirst(Self.namePrefix.count) + ".aci"
        for directory in try imageDirectories() where FileManager.default.fileExists(atPath: directory + "/" + file) {
            let record = try importFile(directory + "/" + file, flag: flag)
            if record.name == bare { return record }
        }
        throw CommandFailure(message: "\(flag) \(name): not in the store, and no \(file) in \(try imageDirectories().joined(separator: " or "))")
    }

    /// Stage1 images from files are trusted like rkt's configured stage1: no signature is required. A file
    /// already imported and unchanged since (same size, not modified after the import) is not read again.
    private func importFile(_ path: String, flag: String) throws -> ImageRecord {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure(message: "\(flag) \(path): no such file")
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        if let record = try previousImport(of: absolute) {
            globals.debugLog("stage1 \(absolute) unchanged since its import as \(record.key)")
            try store.markUsed(record)
            return record
        }
        do {
            return try store.importACI(path: absolute, origin: "file://" + absolute).record
        } catch {
            throw CommandFailure(message: "\(flag) \(path): \(error)")
        }
    }

    private func previousImport(of path: String) throws -> ImageRecord? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        // The newest image imported from this path; an import of an unchanged file refreshes its last use.
        guard let newest = try store.images().filter({ $0.origin == "file://" + path }).max(by: { $0.importTime < $1.importTime }),
              newest.size == Int64(info.st_size), max(newest.importTime, newest.lastUsed) >= modified else { return nil }
        return newest
    }

    /// `<dir of rkt>/../lib/rkt/stage1-images`, then the configured `stage1-images` directory.
    func imageDirectories() throws -> [String] {
        var directories: [String] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let binDirectory = URL(fileURLWithPath: executable).deletingLastPathComponent()
            directories.append(binDirectory.appendingPathComponent("../lib/rkt/stage1-images").standardizedFileURL.path)
        }
        let configured = try globals.configuration().paths.stage1Images
        if !directories.contains(configured) { directories.append(configured) }
        return directories
    }
}
