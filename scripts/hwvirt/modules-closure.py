#!/usr/bin/env python3
"""Copies kernel modules and everything they depend on out of an unpacked Debian kernel package, decompressed
(busybox insmod reads only plain .ko files), and writes the order to load them in (dependencies first).

usage: modules-closure.py MODULES_DIR LIST_FILE OUT_DIR
  MODULES_DIR  lib/modules/VERSION of the unpacked package (holds kernel/, modules.builtin)
  LIST_FILE    module names, one a line (# comments; NAME [PARAM=VALUE...] passes parameters to insmod)
  OUT_DIR      receives NAME.ko for each module and `load-order` ("NAME.ko [PARAM=VALUE...]" lines)
Names that are built into the kernel (modules.builtin) are skipped; an unknown name fails, naming it.
The dependencies are read from each module's .modinfo `depends=` entry (the package has no modules.dep:
depmod runs in its postinst)."""
import lzma
import os
import sys


def canonical(name):
    return name.replace("-", "_")


def main(modules_dir, list_file, out_dir):
    paths = {}
    for root, _, files in os.walk(os.path.join(modules_dir, "kernel")):
        for file in files:
            if file.endswith(".ko.xz") or file.endswith(".ko"):
                paths[canonical(file.split(".ko")[0])] = os.path.join(root, file)
    builtin = set()
    with open(os.path.join(modules_dir, "modules.builtin")) as f:
        for line in f:
            builtin.add(canonical(os.path.basename(line.strip()).split(".ko")[0]))

    wanted = []
    with open(list_file) as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].split()
            if not line:
                continue
            name = canonical(line[0])
            if name not in paths and name not in builtin:
                sys.exit(f"modules-closure: {list_file}:{number}: no module '{line[0]}' in {modules_dir}")
            wanted.append((name, line[1:]))

    os.makedirs(out_dir, exist_ok=True)
    contents = {}
    order = []
    parameters = {name: params for name, params in wanted}

    def visit(name, chain):
        if name in builtin or name in order:
            return
        if name in chain:
            sys.exit(f"modules-closure: dependency cycle: {' -> '.join(chain + [name])}")
        if name not in paths:
            sys.exit(f"modules-closure: '{chain[-1]}' needs '{name}', which is not in {modules_dir}")
        path = paths[name]
        with open(path, "rb") as f:
            data = f.read()
        if path.endswith(".xz"):
            data = lzma.decompress(data)
        contents[name] = data
        depends = []
        marker = b"\0depends="
        at = data.find(marker)
        if at >= 0:
            end = data.index(b"\0", at + 1)
            value = data[at + len(marker):end].decode()
            depends = [canonical(d) for d in value.split(",") if d]
        for dependency in depends:
            visit(dependency, chain + [name])
        order.append(name)

    for name, _ in wanted:
        visit(name, [])
    for name in order:
        with open(os.path.join(out_dir, name + ".ko"), "wb") as f:
            f.write(contents[name])
    with open(os.path.join(out_dir, "load-order"), "w") as f:
        for name in order:
            f.write(" ".join([name + ".ko"] + parameters.get(name, [])) + "\n")
    print(f"modules-closure: {len(order)} modules ({len(wanted)} asked for) in {out_dir}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
