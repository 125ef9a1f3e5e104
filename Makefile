# imsdk — the commands of the README.
CARGO ?= cargo

.PHONY: test fmt-check clippy cargo-test header demo swift-module-check uniapp-js-test lib install uninstall symbols cross

## make test: format check, lints with warnings as errors, every test of the workspace
## (among them capi/c-tests: the C examples, `make install` + pkg-config, the symbol
## checks; bindings/kotlin/jvm-tests: the JNI binding on the JVM), the Swift package's
## module map (clang) and the uni-app plugin's JS mapping (node).
test: fmt-check clippy cargo-test swift-module-check uniapp-js-test

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

cargo-test:
	$(CARGO) test --workspace

## make swift-module-check: include/imsdk.h as the clang module CIMSDK, laid out as in
## the xcframework, and every C name the Swift sources use (needs clang, not Swift).
swift-module-check:
	bindings/swift/scripts/check-module.sh

## make uniapp-js-test: the uni-app plugin's JS API (option, callback, code and
## dataContent mapping) under `node --test` with a fake native bridge (needs Node >= 18).
uniapp-js-test:
	node --test bindings/uniapp/test/*.test.mjs

## make header: regenerate include/imsdk.h from src/ffi/ (commit the result).
header:
	IMSDK_UPDATE_HEADER=1 $(CARGO) test --test header_drift committed_header_matches_generated_header

## make demo: build the library and the C examples, run the scripted demo against a
## local dev server (both dialects).
demo:
	examples-c/run-demo.sh

.PHONY: android-check

## make android-check: cargo check of the JNI library for the three Android targets and
## the AAR layout check (bindings/kotlin/android/check.sh; not part of make test: it adds
## Rust targets and needs clang and llvm). The AAR itself: bindings/kotlin/android/build-aar.sh
## on a machine with the Android NDK.
android-check:
	bindings/kotlin/android/check.sh

.PHONY: bench

## make bench: release build of the libraries, the dev server and the benchmark program,
## then B1–B5 side by side with a raw tokio-tungstenite baseline; writes bench-results.json
## and the table of BENCHMARKS.md. BENCH_ARGS=--quick tries the harness with small counts.
bench:
	$(CARGO) build --release -p imsdk-capi
	$(CARGO) build --release -p imsdk-devserver --bin imsdk-devserver
	$(CARGO) bench -p imsdk --bench suite -- --out $(CURDIR) $(BENCH_ARGS)

.PHONY: soak

## make soak: release build, then a flooding server against a slow application (small and
## 60 KB messages), release with a 100 000-message backlog and a server that stops
## reading; prints peak RSS and release time (BENCHMARKS.md, "Soak"). SOAK_ARGS="--secs N"
## sets each flood's length. Its functional bounds also run in make test (tests/soak_bounds.rs).
soak:
	$(CARGO) bench -p imsdk --bench soak -- $(SOAK_ARGS)

## make lib: the C library as shipped (release profile): target/release/libimsdk.{a,so}.
lib:
	$(CARGO) build --release -p imsdk-capi

# make install [PREFIX=/usr/local] [DESTDIR=] [LIBDIR=] [INCLUDEDIR=] [PKGCONFIGDIR=]:
# builds the library (`make lib`; NO_BUILD=1 skips it and installs what LIB_FROM holds),
# then installs imsdk.h, libimsdk.a, libimsdk.so.<ABI> (its SONAME) with the libimsdk.so
# link for the linker, and the pkg-config files imsdk.pc (shared) and imsdk-static.pc.
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
LIB_FROM ?= $(or $(CARGO_TARGET_DIR),target)/release
STRIP ?= strip
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
ABI := $(shell sed -n 's/^abi_version *= *\([0-9][0-9]*\).*/\1/p' Cargo.toml)
# What the Rust standard library needs from the system (`rustc --print native-static-libs`
# on linux-gnu, less -lc).
NATIVE_LIBS ?= -lgcc_s -lutil -lrt -lpthread -lm -ldl
PC_SUBST = -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	-e 's|@NATIVE_LIBS@|$(NATIVE_LIBS)|'

install: $(if $(NO_BUILD),,lib)
	@test -f $(LIB_FROM)/libimsdk.so -a -f $(LIB_FROM)/libimsdk.a || \
	  { echo "no libimsdk.so/libimsdk.a in $(LIB_FROM): run make lib"; exit 1; }
	install -d $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 644 include/imsdk.h $(DESTDIR)$(INCLUDEDIR)/imsdk.h
	install -m 644 $(LIB_FROM)/libimsdk.a $(DESTDIR)$(LIBDIR)/libimsdk.a
	$(STRIP) --strip-debug $(DESTDIR)$(LIBDIR)/libimsdk.a
	install -m 755 $(LIB_FROM)/libimsdk.so $(DESTDIR)$(LIBDIR)/libimsdk.so.$(ABI)
	ln -sf libimsdk.so.$(ABI) $(DESTDIR)$(LIBDIR)/libimsdk.so
	sed $(PC_SUBST) packaging/imsdk.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/imsdk.pc
	sed $(PC_SUBST) packaging/imsdk-static.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/imsdk-static.pc
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then ldconfig; fi

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/imsdk.h $(DESTDIR)$(LIBDIR)/libimsdk.a \
	  $(DESTDIR)$(LIBDIR)/libimsdk.so $(DESTDIR)$(LIBDIR)/libimsdk.so.$(ABI) \
	  $(DESTDIR)$(PKGCONFIGDIR)/imsdk.pc $(DESTDIR)$(PKGCONFIGDIR)/imsdk-static.pc

## make symbols: the symbol checks of `make test` on the shipped (release) library, with
## the report of what libimsdk.a defines besides im_* (docs/packaging.md).
symbols: lib
	IMSDK_LIB_DIR=$(CURDIR)/$(LIB_FROM) $(CARGO) test -p imsdk-capi-tests --test symbols -- --nocapture

## make cross: compile-checks the static library for Android (aarch64, armv7, x86_64) and
## iOS (aarch64), and runs the Rust tests for aarch64 Linux under qemu-user; installs its
## tools (docs/packaging.md). Slow (about 15 minutes), so not part of `make test`.
cross:
	CARGO=$(CARGO) packaging/cross.sh
