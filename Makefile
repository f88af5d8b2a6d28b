# The front door. `make` builds everything into build/; `make test` runs the whole suite;
# `make demo` builds and runs a real pod (for now: fetches and lists a real image).
PREFIX ?= /usr/local
BUILD  := $(CURDIR)/build
SWIFT  ?= swift
SWIFT_RELEASE := $(SWIFT) build -c release

.PHONY: all deps rkt test demo install clean

all: rkt

deps:
	@scripts/deps.sh

rkt: deps
	$(SWIFT_RELEASE) --product rkt
	install -d $(BUILD)/bin
	install -m 0755 "$$($(SWIFT_RELEASE) --show-bin-path)/rkt" $(BUILD)/bin/rkt

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Guest kernel for the kvm flavor: build/vmlinux, build/bzImage (cached; see kernel/README.md).
.PHONY: kernel
kernel: deps
	kernel/build.sh

demo: all
	scripts/demo.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BUILD)/bin/rkt $(DESTDIR)$(PREFIX)/bin/rkt

clean:
	rm -rf .build $(BUILD)
