import ArgumentParser

/// rkt's flags choosing the stage1 image of a pod. At most one may be given; without any, the stage1 comes
/// from the `stage1.d` configuration, else from the images built next to `rkt` (see `Stage1Selector`).
struct Stage1Options: ParsableArguments {
    @Option(help: "Image name of the stage1 image to use (NAME[:VERSION]), looked up in the store, then in the stage1 images directory.")
    var stage1Name: String?

    @Option(help: "Path to the stage1 image to use.")
    var stage1Path: String?

    @Option(help: "Image hash (sha512-…) of a stage1 image in the store.")
    var stage1Hash: String?

    @Option(help: "URL of the stage1 image to use (file:// only for now).")
    var stage1Url: String?

    @Option(help: "File name of a stage1 image in the stage1 images directory.")
    var stage1FromDir: String?

    func validate() throws {
        let given = [stage1Name, stage1Path, stage1Hash, stage1Url, stage1FromDir].compactMap { $0 }
        guard given.count <= 1 else {
            throw ValidationError("--stage1-name, --stage1-path, --stage1-hash, --stage1-url and --stage1-from-dir are mutually exclusive")
        }
    }
}
