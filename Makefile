# imsdk — the commands of the README.
CARGO ?= cargo

.PHONY: test fmt-check clippy cargo-test header demo swift-module-check uniapp-js-test

## make test: format check, lints with warnings as errors, every test of the workspace,
## the Swift package's module map (clang) and the uni-app plugin's JS mapping (node).
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
