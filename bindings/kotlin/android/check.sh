#!/usr/bin/env bash
# What can be checked for Android on a machine without the NDK (it is not part of
# `make test`: it installs Rust targets and compiles the library three more times;
# run it by hand or with `make android-check`, about 3-5 minutes on 2 cores):
#
# 1. `cargo check -p imsdk-jni` for aarch64-linux-android, armv7-linux-androideabi and
#    x86_64-linux-android (ring's C code compiled with Debian clang for API 21);
# 2. the AAR that build-aar.sh assembles, with placeholder libraries in place of the real
#    ones (linking them needs the NDK): its zip layout, manifest (minSdk 21), classes.jar
#    (the Java API, no android.* imports) and the consumer ProGuard rules;
# 3. the 16 KB page check of build-aar.sh, on a library linked with the same flag here.
#
# Needs: rustup, clang and llvm (apt-get install clang llvm), a JDK.
set -euo pipefail
source "$(dirname "$0")/aar.sh"
for tool in rustup clang llvm-ar cc javac jar; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install clang llvm gcc openjdk-17-jdk-headless; rustup)" >&2; exit 1; }
done
ROOT="$(cd "$BINDING_DIR/../.." && pwd)"
WORK="$ROOT/target/android-check"
mkdir -p "$WORK"

while read -r pair; do
  abi="${pair%%:*}"
  target="${pair##*:}"
  clang_target="$target"
  [ "$target" = armv7-linux-androideabi ] && clang_target=armv7a-linux-androideabi
  extra=""
  [ "$target" = x86_64-linux-android ] && extra="-ffreestanding"
  env_target="${target//-/_}"
  rustup target add "$target" >/dev/null
  echo "cargo check --target $target ($abi)"
  (cd "$ROOT" && env "CC_$env_target=clang" "AR_$env_target=llvm-ar" \
    "CFLAGS_$env_target=--target=${clang_target}${MIN_SDK} -nostdlibinc -DRING_CORE_NOSTDLIBINC=1 $extra" \
    cargo check --quiet -p imsdk-jni --target "$target")
done <<<"$ANDROID_ABIS"

echo "AAR layout with placeholder libraries"
stage="$WORK/aar"
rm -rf "$stage"
while read -r pair; do
  mkdir -p "$stage/jni/${pair%%:*}"
  echo "placeholder: linking needs the Android NDK (build-aar.sh)" > "$stage/jni/${pair%%:*}/libimsdk_jni.so"
done <<<"$ANDROID_ABIS"
assemble_aar "$stage" "$WORK/imsdk-layout-check.aar"
check_aar_layout "$WORK/imsdk-layout-check.aar"

echo "16 KB page check on a host library linked with $PAGE_SIZE_LINK_ARG"
cat > "$WORK/page.c" <<'C'
int imsdk_page_check(void) { return 1; }
C
cc -shared -fPIC "-Wl,-z,max-page-size=16384" -o "$WORK/page16k.so" "$WORK/page.c"
cc -shared -fPIC "-Wl,-z,max-page-size=4096" -o "$WORK/page4k.so" "$WORK/page.c"
check_page_alignment "$WORK/page16k.so"
if check_page_alignment "$WORK/page4k.so" 2>/dev/null; then
  echo "the page check accepted a library aligned to 4 KB" >&2
  exit 1
fi
echo "android check: OK"
