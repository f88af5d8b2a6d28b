# The front door. `make` builds everything into build/; `make test` runs the whole suite;
# `make demo` builds everything, fetches a real busybox image and runs it as a pod (fly flavor, as root).
PREFIX ?= /usr/local
BUILD  := $(CURDIR)/build
SWIFT  ?= swift
SWIFT_RELEASE := $(SWIFT) build -c release

.PHONY: all deps rkt rkt-vmm stage1-fly test test-unit test-boot bench-boot bench-fetch demo install clean

all: rkt rkt-vmm stage1-fly kernel

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

rkt-vmm: deps
	$(SWIFT_RELEASE) --product rkt-vmm
	install -d $(BUILD)/bin
	install -m 0755 "$$($(SWIFT_RELEASE) --show-bin-path)/rkt-vmm" $(BUILD)/bin/rkt-vmm

# The whole suite: unit and integration tests (those needing root or /dev/kvm skip with a reason when they
# are unavailable), then a real guest kernel booted by our VMM from a busybox disk.
test: test-unit test-boot

test-unit: deps kernel
	$(SWIFT) build --build-tests
	RKT_VMM_TEST_KERNEL=$(BUILD)/vmlinux $(SWIFT) test --skip-build

# Boots build/vmlinux in rkt-vmm: busybox root on virtio-blk, /init reads a second disk, writes a marker the
# host checks, reboots. Exit status 77 from the script means /dev/kvm is unusable here: reported, not failed.
test-boot: deps kernel
	$(SWIFT) build --product rkt-vmm
	@status=0; scripts/vmm-boot-test.sh || status=$$?; \
	if [ $$status = 77 ]; then echo "test-boot: SKIPPED (no usable /dev/kvm)"; else exit $$status; fi

# Boot time and peak RSS of rkt-vmm against QEMU microvm on the same kernel and disks (medians of RUNS).
bench-boot: deps rkt-vmm kernel
	@scripts/deps.sh bench
	scripts/bench-boot.sh

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
	install -m 0755 $(BUILD)/bin/rkt-vmm $(DESTDIR)$(PREFIX)/bin/rkt-vmm
	install -d $(DESTDIR)$(PREFIX)/lib/rkt
	install -m 0644 $(BUILD)/vmlinux $(DESTDIR)$(PREFIX)/lib/rkt/vmlinux

clean:
	rm -rf .build $(BUILD)
