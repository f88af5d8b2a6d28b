import Foundation

/// The example manifests of the appc spec (aci.md, pods.md), with the spec's `sha512-...` placeholders
/// replaced by real IDs (the placeholder is not a valid image ID) and 0.8.11 fields added to the app.
enum SpecExamples {
    static let idA = "sha512-" + String(repeating: "ab", count: 64)
    static let idB = "sha512-" + String(repeating: "0f", count: 64)
    static let idC = "sha512-" + String(repeating: "9e", count: 32)

    static let imageManifest = """
    {
        "acKind": "ImageManifest",
        "acVersion": "0.8.11",
        "name": "example.com/reduce-worker",
        "labels": [
            { "name": "version", "value": "1.0.0" },
            { "name": "arch", "value": "amd64" },
            { "name": "os", "value": "linux" }
        ],
        "app": {
            "exec": ["/usr/bin/reduce-worker", "--quiet"],
            "user": "100",
            "group": "300",
            "supplementaryGIDs": [400, 500],
            "eventHandlers": [
                { "exec": ["/usr/bin/data-downloader"], "name": "pre-start" },
                { "exec": ["/usr/bin/deregister-worker", "--verbose"], "name": "post-stop" }
            ],
            "workingDirectory": "/opt/work",
            "environment": [
                { "name": "REDUCE_WORKER_DEBUG", "value": "true" }
            ],
            "isolators": [
                { "name": "resource/cpu", "value": { "request": "250", "limit": "500" } },
                { "name": "resource/memory", "value": { "request": "1G", "limit": "2G" } },
                { "name": "os/linux/capabilities-retain-set", "value": { "set": ["CAP_NET_BIND_SERVICE"] } }
            ],
            "mountPoints": [
                { "name": "work", "path": "/var/lib/work", "readOnly": false }
            ],
            "ports": [
                { "name": "health", "port": 4000, "protocol": "tcp", "socketActivated": true },
                { "name": "ftp-data", "port": 20000, "count": 1000, "protocol": "tcp" }
            ]
        },
        "dependencies": [
            {
                "imageName": "example.com/reduce-worker-base",
                "imageID": "\(idA)",
                "labels": [
                    { "name": "os", "value": "linux" },
                    { "name": "env", "value": "canary" }
                ],
                "size": 22017258
            }
        ],
        "pathWhitelist": [
            "/etc/ca/example.com/crt",
            "/usr/bin/map-reduce-worker",
            "/opt/libs/reduce-toolkit.so",
            "/etc/reduce-worker.conf",
            "/etc/systemd/system/"
        ],
        "annotations": [
            { "name": "authors", "value": "Carly Container <carly@example.com>, Nat Network <[nat@example.com](mailto:nat@example.com)>" },
            { "name": "created", "value": "2014-10-27T19:32:27.67021798Z" },
            { "name": "documentation", "value": "https://example.com/docs" },
            { "name": "homepage", "value": "https://example.com" }
        ]
    }
    """

    static let podManifest = """
    {
        "acVersion": "0.8.11",
        "acKind": "PodManifest",
        "apps": [
            {
                "name": "reduce-worker",
                "image": {
                    "name": "example.com/reduce-worker",
                    "id": "\(idA)",
                    "labels": [ { "name": "version", "value": "1.0.0" } ]
                },
                "app": {
                    "exec": ["/bin/reduce-worker", "--debug=true", "--data-dir=/mnt/foo"],
                    "group": "0",
                    "user": "0",
                    "mountPoints": [ { "name": "work", "path": "/mnt/foo" } ]
                },
                "mounts": [ {"volume": "work", "path": "/mnt/foo"} ]
            },
            {
                "name": "backup",
                "image": {
                    "name": "example.com/worker-backup",
                    "id": "\(idB)",
                    "labels": [ { "name": "version", "value": "1.0.0" } ]
                },
                "app": {
                    "exec": ["/bin/reduce-backup"],
                    "group": "0",
                    "user": "0",
                    "mountPoints": [ { "name": "backup", "path": "/mnt/bar" } ],
                    "isolators": [ { "name": "resource/memory", "value": {"limit": "1G"} } ]
                },
                "mounts": [ {"volume": "work", "path": "/mnt/bar"} ],
                "annotations": [ { "name": "foo", "value": "baz" } ]
            },
            {
                "name": "register",
                "image": {
                    "name": "example.com/reduce-worker-register",
                    "id": "\(idC)",
                    "labels": [ { "name": "version", "value": "1.0.0" } ]
                }
            }
        ],
        "volumes": [
            { "name": "work", "kind": "host", "source": "/opt/tenant1/work", "readOnly": true },
            { "name": "scratch", "kind": "empty", "mode": "0700", "uid": 1000 }
        ],
        "isolators": [
            { "name": "resource/memory", "value": { "limit": "4G" } }
        ],
        "annotations": [
            { "name": "ip-address", "value": "10.1.2.3" }
        ],
        "ports": [
            { "name": "ftp", "hostPort": 2121 },
            { "name": "health", "hostPort": 8080, "hostIP": "127.0.0.1",
              "podPort": { "name": "health", "protocol": "tcp", "port": 4000 } }
        ],
        "userAnnotations": { "owner": "ops" },
        "userLabels": { "tier": "batch" }
    }
    """
}
