import ArgumentParser
import Foundation
import ImageStore

/// `rkt fetch IMAGE…`: imports images into the store and prints each one's ID.
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch image(s) and store them in the local store.",
        discussion: """
            IMAGE is an ACI file path, a file:// URL, the name of an image already in the store \
            (example.com/app:1.0), a docker registry image docker://[REGISTRY/]NAME[:TAG|@DIGEST], or a local \
            OCI image oci-layout:DIR[:TAG] (or oci:DIR[:TAG]), oci-archive:FILE[:TAG], docker-archive:FILE. An image found in the \
            store is not fetched again. OCI and docker images carry no signature and need \
            --insecure-options=image; a registry on plain HTTP also needs --insecure-options=http; registry \
            credentials come from auth.d (rktKind dockerAuth). HTTPS servers must present a certificate from a CA \
            in the system store or in certs.d (PEM files in the config directories); --insecure-options=tls skips \
            the check. Images must be signed: \
            the detached OpenPGP signature (IMAGE.asc beside the file, or --signature) is checked with gpgv \
            against the keys trusted for the image name (see `rkt trust`) before anything is stored; \
            --insecure-options=image skips the check with a warning. The ID printed is the store key: sha512- followed by the \
            first 64 hex digits of the SHA-512 of the uncompressed image.
            """)

    @OptionGroup var globals: GlobalOptions

    @Flag(help: "Print the full image hash after fetching (the default already prints the store key in full).")
    var full = false

    @Option(help: "When to pull an image: never (store only), new (if not in the store), update (always).")
    var pullPolicy = "new"

    @Option(help: ArgumentHelp(
        "Detached signature of a file image (default: IMAGE.asc); repeat it for several images, in order.",
        valueName: "file"))
    var signature: [String] = []

    @Argument(help: "Images to fetch.")
    var images: [String]

    func validate() throws {
        guard ["never", "new", "update"].contains(pullPolicy) else {
            throw ValidationError("--pull-policy: unknown value \"\(pullPolicy)\"; allowed: never, new, update")
        }
        guard signature.count <= images.count else {
            throw ValidationError("--signature: \(signature.count) signatures given for \(images.count) image(s)")
        }
    }

    func run() throws {
        let store = try globals.openStore()
        let fetcher = ImageFetcher(store: store, globals: globals, pullPolicy: pullPolicy)
        for (index, image) in images.enumerated() {
            let record = try fetcher.fetch(image, signature: index < signature.count ? signature[index] : nil)
            print(record.key)
        }
    }
}
