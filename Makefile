# The front door. `make` builds everything into build/; `make test` runs the whole suite;
# `make demo` builds and runs a real pod (for now: fetches and lists a real image).
PREFIX ?= /usr/local
BUILD  := $(CURDIR)/build
SWIFT  ?= swift
SWIFT_RELEASE := $(SWIFT) build -c release

.PHONY: all deps rkt stage1-fly test demo install clean

all: rkt stage1-fly

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

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: all
	scripts/demo.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BUILD)/bin/rkt $(DESTDIR)$(PREFIX)/bin/rkt
	install -d $(DESTDIR)$(PREFIX)/lib/rkt/stage1-images
	install -m 0644 $(STAGE1_IMAGES)/stage1-fly.aci $(DESTDIR)$(PREFIX)/lib/rkt/stage1-images/stage1-fly.aci

clean:
	rm -rf .build $(BUILD)
