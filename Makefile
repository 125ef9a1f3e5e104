# imsdk — the commands of the README.
CARGO ?= cargo

.PHONY: test fmt-check clippy cargo-test header demo

## make test: format check, lints with warnings as errors, every test of the workspace.
test: fmt-check clippy cargo-test

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

cargo-test:
	$(CARGO) test --workspace

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
