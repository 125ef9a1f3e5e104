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
