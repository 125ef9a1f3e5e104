#!/usr/bin/env bash
# Builds imsdk-release.aar: libimsdk_jni.so for arm64-v8a, armeabi-v7a and x86_64
# (minSdk 21, 16 KB page alignment) with the Java API in classes.jar.
#
# Needs, on the build machine: the Android NDK (ANDROID_NDK_HOME; r25 or later), cargo-ndk
# (cargo install cargo-ndk), the Rust targets (rustup target add aarch64-linux-android
# armv7-linux-androideabi x86_64-linux-android) and a JDK 17.
#
#   bindings/kotlin/android/build-aar.sh [OUT_DIR]      # default target/android
set -euo pipefail
source "$(dirname "$0")/aar.sh"
ROOT="$(cd "$BINDING_DIR/../.." && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/target/android}" && cd "${1:-$ROOT/target/android}" && pwd)"

command -v cargo-ndk >/dev/null || { echo "cargo-ndk is missing: cargo install cargo-ndk" >&2; exit 1; }
[ -n "${ANDROID_NDK_HOME:-}" ] || { echo "set ANDROID_NDK_HOME to the NDK" >&2; exit 1; }

stage="$OUT/aar"
rm -rf "$stage"
mkdir -p "$stage/jni"
targets=()
while read -r pair; do targets+=(-t "${pair%%:*}"); done <<<"$ANDROID_ABIS"

# The release profile of the workspace (size-optimised, fat LTO, stripped).
(cd "$ROOT" && RUSTFLAGS="-C link-arg=$PAGE_SIZE_LINK_ARG ${RUSTFLAGS:-}" \
  cargo ndk "${targets[@]}" --platform "$MIN_SDK" -o "$stage/jni" build --release -p imsdk-jni)

export READELF="${READELF:-$(ls "$ANDROID_NDK_HOME"/toolchains/llvm/prebuilt/*/bin/llvm-readelf 2>/dev/null | head -n1)}"
while read -r pair; do
  check_page_alignment "$stage/jni/${pair%%:*}/libimsdk_jni.so"
done <<<"$ANDROID_ABIS"

assemble_aar "$stage" "$OUT/imsdk-release.aar"
check_aar_layout "$OUT/imsdk-release.aar"
echo "built $OUT/imsdk-release.aar"
