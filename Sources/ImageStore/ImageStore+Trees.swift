import AppC
import Foundation
import ImageArchive
import LinuxSupport

extension ImageStore {
    /// A rendered image tree: the image's rootfs layered over its dependencies', in the tree store.
    public struct RenderedTree: Sendable {
        public let id: String
        public let directory: String
        public var rootfs: String { directory + "/rootfs" }
    }

    /// One image of a render, with the path whitelists that restrict it (its own and its dependents').
    struct RenderLayer {
        let record: ImageRecord
        let whitelists: [[String]]
    }

    /// Renders the image and its dependencies into the tree store, once: a tree already rendered for the same
    /// image set is reused. Concurrent renders of one tree serialise on its lock; the tree appears by rename.
    public func renderTree(for record: ImageRecord) throws -> RenderedTree {
        let layers = try renderLayers(for: record)
        let id = Self.treeID(for: layers.map(\.record.key))
        let tree = RenderedTree(id: id, directory: layout.treeDirectory(id: id))
        let lock = try FileLock(path: layout.treeLock(id: id))
        try lock.lock(.exclusive)
        if try index.hasTree(id: id), FileSystem.isDirectory(tree.rootfs) {
            try markUsed(record)
            return tree
        }

        let staging = temporaryPath("tree")
        defer { try? FileSystem.removeTree(staging) }
        try FileSystem.makeDirectories(staging + "/rootfs", mode: 0o755)
        try renderLayers(layers, intoRootfs: staging + "/rootfs")
        try AtomicFile.write(Array(record.manifestJSON.utf8), to: staging + "/manifest", mode: 0o644)
        try FileSystem.removeTree(tree.directory)
        try retryingOnInterrupt("rename", path: tree.directory) { rename(staging, tree.directory) }
        try AtomicFile.syncDirectory(containing: tree.directory)

        let size = try FileSystem.diskUsage(tree.directory)
        try index.addTree(id: id, imageKey: record.key, size: size, at: Self.now())
        try index.setTreeSize(key: record.key, bytes: size)
        try markUsed(record)
        return tree
    }

    /// Renders the image with its dependencies into `directory` (`directory/manifest` + `directory/rootfs`, or
    /// the rootfs contents alone). A failure removes what was written.
    public func render(_ record: ImageRecord, into directory: String, rootfsOnly: Bool) throws {
        try writeTree(of: record, into: directory, rootfsOnly: rootfsOnly, layers: renderLayers(for: record))
    }

    /// Extracts only the image's own files (no dependencies), like `rkt image extract`.
    public func extract(_ record: ImageRecord, into directory: String, rootfsOnly: Bool) throws {
        let whitelist = try manifest(of: record).pathWhitelist
        let layer = RenderLayer(record: record, whitelists: whitelist.isEmpty ? [] : [whitelist])
        try writeTree(of: record, into: directory, rootfsOnly: rootfsOnly, layers: [layer])
    }

    private func writeTree(of record: ImageRecord, into directory: String, rootfsOnly: Bool,
                           layers: [RenderLayer]) throws {
        let rootfs = rootfsOnly ? directory : directory + "/rootfs"
        do {
            try FileSystem.makeDirectories(rootfs, mode: 0o755)
            try renderLayers(layers, intoRootfs: rootfs)
            if !rootfsOnly {
                try AtomicFile.write(Array(record.manifestJSON.utf8), to: directory + "/manifest", mode: 0o644)
            }
        } catch {
            try? FileSystem.removeTree(directory)
            throw error
        }
        try markUsed(record)
    }

    /// Lowest layer first: later layers overwrite earlier ones, as appc's rendering order requires.
    private func renderLayers(_ layers: [RenderLayer], intoRootfs rootfs: String) throws {
        for layer in layers.reversed() {
            try renderStoredLayers(of: layer.record, intoRootfs: rootfs)
            let include = Self.whitelistFilter(layer.whitelists)
            try withBlob(of: layer.record) { blob in
                try renderArchive(of: layer.record, layer: nil) {
                    try TreeRenderer().render(aci: blob, into: rootfs, include: include)
                }
            }
        }
    }

    /// The image followed by its dependencies, depth first in manifest order (appc's precedence order: an
    /// earlier entry's files win over a later one's).
    func renderLayers(for record: ImageRecord) throws -> [RenderLayer] {
        var layers: [RenderLayer] = []
        func visit(_ record: ImageRecord, chain: [String], whitelists: [[String]]) throws {
            if chain.contains(record.key) {
                throw StoreError.dependencyCycle((chain + [record.key]).joined(separator: " -> "))
            }
            let manifest = try manifest(of: record)
            let whitelist = manifest.pathWhitelist
            let applicable = whitelist.isEmpty ? whitelists : whitelists + [whitelist]
            layers.append(RenderLayer(record: record, whitelists: applicable))
            for dependency in manifest.dependencies {
                let resolved = try resolveDependency(dependency, of: record)
                try visit(resolved, chain: chain + [record.key], whitelists: applicable)
            }
        }
        try visit(record, chain: [], whitelists: [])
        return layers
    }

    private func resolveDependency(_ dependency: Dependency, of record: ImageRecord) throws -> ImageRecord {
        let described = dependency.imageName.description
        if let id = dependency.imageID {
            guard let hex = ImageKey.hexPrefix(of: id.description),
                  let found = try index.records(keyHexPrefix: hex).first
            else { throw StoreError.dependencyNotFound(image: record.name, dependency: "\(described) (\(id))") }
            return found
        }
        guard let found = try find(name: described, labels: dependency.labels) else {
            throw StoreError.dependencyNotFound(image: record.name, dependency: described)
        }
        return found
    }

    /// A path (relative to rootfs) is kept when every whitelist names it or a path below it.
    static func whitelistFilter(_ whitelists: [[String]]) -> ((String) -> Bool)? {
        guard !whitelists.isEmpty else { return nil }
        let sets = whitelists.map { Set($0.map { $0.hasPrefix("/") ? $0 : "/" + $0 }) }
        return { relative in
            let path = "/" + relative.split(separator: "/").joined(separator: "/")
            return sets.allSatisfy { allowed in
                allowed.contains(path) || allowed.contains { $0.hasPrefix(path + "/") }
            }
        }
    }

    /// `deps-sha512-` + 64 hex of the SHA-512 over the keys of every layer, in order.
    static func treeID(for keys: [String]) -> String {
        let hasher = SHA512Hasher()
        hasher.update(Array(keys.joined(separator: "\n").utf8))
        return "deps-" + ImageKey.key(fromSHA512Hex: hasher.finalize())
    }
}
