# imsdk — the commands of the README.
CARGO ?= cargo

.PHONY: test fmt-check clippy cargo-test

## make test: format check, lints with warnings as errors, every test of the workspace.
test: fmt-check clippy cargo-test

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

cargo-test:
	$(CARGO) test --workspace
