# The front door. `make` builds everything into build/; `make test` runs the whole suite;
# `make demo` builds everything, fetches a real busybox image and runs it as a pod (fly flavor, as root).
PREFIX ?= /usr/local
BUILD  := $(CURDIR)/build
SWIFT  ?= swift
SWIFT_RELEASE := $(SWIFT) build -c release

.PHONY: all deps rkt rkt-vmm stage1-fly stage1-kvm stage1-coreos bench-ns bench-fetch test test-unit test-boot bench-boot demo install clean

all: rkt rkt-vmm stage1-fly stage1-kvm stage1-coreos kernel

deps:
	@scripts/deps.sh

rkt: deps
	$(SWIFT_RELEASE) --product rkt
	install -d $(BUILD)/bin
	install -m 0755 "$$($(SWIFT_RELEASE) --show-bin-path)/rkt" $(BUILD)/bin/rkt

# The fly stage1 image (issue 3): Stage1Fly built with the Swift runtime linked in statically (it runs on the
# host, needing only libc), packed as coreos.com/rkt/stage1-fly where `rkt` looks for it: ../lib/rkt/stage1-images.
STAGE1_IMAGES := $(BUILD)/lib/rkt/stage1-images
STAGE1_SCRATCH := .build/stage1-static
RKT_VERSION = $(shell sed -n 's/.*static let version = "\(.*\)"/\1/p' Sources/Stage0/Support/RktVersion.swift)

stage1-fly: deps
	$(SWIFT_RELEASE) --scratch-path $(STAGE1_SCRATCH) --static-swift-stdlib --product stage1-fly
	scripts/make-stage1-fly-aci.sh "$$($(SWIFT_RELEASE) --scratch-path $(STAGE1_SCRATCH) --show-bin-path)/stage1-fly" \
		$(STAGE1_IMAGES)/stage1-fly.aci $(RKT_VERSION)

# The kvm stage1 image (issue 7), the default flavor: Stage1Kvm and rkt-vmm with the Swift runtime linked in
# statically (they run on the host from the pod's stage1 rootfs), GuestInit as a fully static executable (PID 1
# in the guest), and the guest kernel, packed as coreos.com/rkt/stage1-kvm.
stage1-kvm: deps kernel
	$(SWIFT_RELEASE) --scratch-path $(STAGE1_SCRATCH) --static-swift-stdlib --product stage1-kvm
	$(SWIFT_RELEASE) --scratch-path $(STAGE1_SCRATCH) --static-swift-stdlib --product rkt-vmm
	$(SWIFT_RELEASE) --scratch-path $(STAGE1_SCRATCH) --static-swift-stdlib --product rkt-guest-init
	bin="$$($(SWIFT_RELEASE) --scratch-path $(STAGE1_SCRATCH) --show-bin-path)"; \
	scripts/make-stage1-kvm-aci.sh "$$bin/stage1-kvm" "$$bin/rkt-vmm" "$$bin/rkt-guest-init" $(BUILD)/vmlinux \
		$(STAGE1_IMAGES)/stage1-kvm.aci $(RKT_VERSION)

# The namespace stage1 image (issue 4), built like stage1-fly: coreos.com/rkt/stage1-coreos.
stage1-coreos: deps
	$(SWIFT_RELEASE) --scratch-path $(STAGE1_SCRATCH) --static-swift-stdlib --product stage1-coreos
	scripts/make-stage1-coreos-aci.sh "$$($(SWIFT_RELEASE) --scratch-path $(STAGE1_SCRATCH) --show-bin-path)/stage1-coreos" \
		$(STAGE1_IMAGES)/stage1-coreos.aci $(RKT_VERSION)

# Median time of `rkt run` of a trivial busybox app, fly and namespace flavors, beside runc, crun and
# systemd-nspawn on the same rootfs (as root; see scripts/bench-ns.sh).
bench-ns: rkt stage1-fly stage1-coreos
	@scripts/deps.sh bench
	scripts/bench-ns.sh

rkt-vmm: deps
	$(SWIFT_RELEASE) --product rkt-vmm
	install -d $(BUILD)/bin
	install -m 0755 "$$($(SWIFT_RELEASE) --show-bin-path)/rkt-vmm" $(BUILD)/bin/rkt-vmm

# The whole suite: unit and integration tests (those needing root or /dev/kvm skip with a reason when they
# are unavailable), then a real guest kernel booted by our VMM from a busybox disk, then the kvm flavor under
# emulated AMD SVM (test-hwvirt). Around it, the leak check
# (scripts/host-state.sh): the machine's mounts, netns, links, routes, iptables rules, rkt cgroups and rkt
# processes must be as before the suite, or `make test` fails naming what was left.
test: deps kernel
	@scripts/host-state.sh save $(BUILD)/host-state.before
	@status=0; $(MAKE) --no-print-directory test-unit test-boot test-hwvirt || status=$$?; \
	scripts/host-state.sh check $(BUILD)/host-state.before || status=1; \
	exit $$status

test-unit: deps kernel
	$(SWIFT) build --build-tests
	RKT_VMM_TEST_KERNEL=$(BUILD)/vmlinux $(SWIFT) test --skip-build

# Boots build/vmlinux in rkt-vmm: busybox root on virtio-blk, /init reads a second disk, writes a marker the
# host checks, reboots; then a guest with virtio-net on a tap pings the host and fetches a file over TCP. Exit status 77 from the script means /dev/kvm is unusable here: reported, not failed.
test-boot: deps kernel
	$(SWIFT) build --product rkt-vmm
	@status=0; scripts/vmm-boot-test.sh || status=$$?; \
	if [ $$status = 77 ]; then echo "test-boot: SKIPPED (no usable /dev/kvm)"; else exit $$status; fi
	@status=0; scripts/vmm-net-test.sh || status=$$?; \
	if [ $$status = 77 ]; then echo "test-boot: net test SKIPPED (needs root, /dev/kvm and /dev/net/tun)"; else exit $$status; fi

# The kvm flavor on hardware-style virtualization, on hosts without any (scripts/hwvirt/, docs/kvm.md): L1 is
# Debian's stock kernel under QEMU TCG, which emulates AMD SVM with nested paging, so L1's /dev/kvm is kvm_amd; in
# it the boot test, a kvm pod and the kvm flavor's XCTest classes; figures beside the host's /dev/kvm. A few
# minutes. Exit status 77 from the script (not root, no QEMU) means the lane cannot run here: reported, not failed.
.PHONY: test-hwvirt
test-hwvirt: deps kernel
	@status=0; reason=$$(scripts/hwvirt/lane.sh --check) || status=$$?; \
	if [ $$status = 77 ]; then echo "test-hwvirt: SKIPPED ($$reason)"; exit 0; fi; \
	set -e; $(SWIFT) build --build-tests; \
	status=0; scripts/hwvirt/lane.sh || status=$$?; \
	if [ $$status = 77 ]; then echo "test-hwvirt: SKIPPED (see the reason above)"; else exit $$status; fi

# Boot time and peak RSS of rkt-vmm against QEMU microvm on the same kernel and disks (medians of RUNS).
bench-boot: deps rkt-vmm kernel
	@scripts/deps.sh bench
	scripts/bench-boot.sh

# Time from `rkt run` to the app's output, and in total, for each stage1 flavor side by side (median of RUNS).
.PHONY: bench-pod
bench-pod: all
	scripts/bench-pod.sh

# Fetch + render of a ~200 MiB multi-layer image from a local docker-registry, beside skopeo copy + umoci unpack.
bench-fetch: deps rkt
	@scripts/deps.sh bench
	scripts/bench-fetch.sh $(BUILD)/bin/rkt

# Guest kernel for the kvm flavor: build/vmlinux, build/bzImage (cached; see kernel/README.md).
.PHONY: kernel
kernel: deps
	kernel/build.sh

demo: all
	scripts/demo.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BUILD)/bin/rkt $(DESTDIR)$(PREFIX)/bin/rkt
	install -d $(DESTDIR)$(PREFIX)/lib/rkt/stage1-images
	install -m 0644 $(STAGE1_IMAGES)/stage1-fly.aci $(DESTDIR)$(PREFIX)/lib/rkt/stage1-images/stage1-fly.aci
	install -m 0644 $(STAGE1_IMAGES)/stage1-kvm.aci $(DESTDIR)$(PREFIX)/lib/rkt/stage1-images/stage1-kvm.aci
	install -m 0644 $(STAGE1_IMAGES)/stage1-coreos.aci $(DESTDIR)$(PREFIX)/lib/rkt/stage1-images/stage1-coreos.aci
	install -m 0755 $(BUILD)/bin/rkt-vmm $(DESTDIR)$(PREFIX)/bin/rkt-vmm
	install -d $(DESTDIR)$(PREFIX)/lib/rkt
	install -m 0644 $(BUILD)/vmlinux $(DESTDIR)$(PREFIX)/lib/rkt/vmlinux

clean:
	rm -rf .build $(BUILD)

# A stock Debian nginx image with --port, kvm and namespace flavors side by side: rkt run to the first HTTP 200,
# and wrk requests/s (in network and mount namespaces of its own; scripts/bench-web.sh).
.PHONY: bench-web
bench-web: all
	@scripts/deps.sh bench
	scripts/bench-web.sh

# TCP throughput host↔pod on the default CNI network (iperf3), kvm and namespace flavors side by side.
.PHONY: bench-net
bench-net: all
	@scripts/deps.sh bench
	scripts/bench-net.sh
