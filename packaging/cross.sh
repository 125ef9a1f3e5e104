#!/usr/bin/env bash
# make cross: compile-checks the C library for the mobile targets and runs the test suite
# for aarch64 Linux under qemu-user. Installs what it needs (rustup targets, clang, llvm,
# qemu-user-static, gcc-aarch64-linux-gnu) on a Debian machine.
#
# Mobile targets: there is no Android NDK or Apple SDK here, so ring's C and assembly are
# compiled by Debian's clang for the target without system headers (ring needs none with
# RING_CORE_NOSTDLIBINC) and only the static library is built: linking an app (or the
# shared library) needs the NDK or Xcode. This proves the library compiles for them.
#
# aarch64-unknown-linux-gnu: every Rust test of the workspace, built with the cross gcc
# and run under qemu-aarch64-static, except capi/c-tests (they build and run C programs
# with the host's compiler), bindings/kotlin/jvm-tests (they load the JNI library into
# the host's JVM) and, where binfmt_misc does not start aarch64 programs
# through qemu (containers), the dev server's CLI tests, which start its binary.
#
#   CROSS_TARGETS="aarch64-linux-android ..."  the mobile targets (default: all four; "" none)
#   CROSS_QEMU=0                               skip the aarch64 Linux test run
#   CARGO_PROFILE_ARGS=--release               compile-check the release profile
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO=${CARGO:-cargo}
MOBILE_TARGETS=${CROSS_TARGETS-aarch64-linux-android armv7-linux-androideabi x86_64-linux-android aarch64-apple-ios}
QEMU=${CROSS_QEMU:-1}
PROFILE_ARGS=${CARGO_PROFILE_ARGS:-}

# Tools.
need_apt=()
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
command -v llvm-ar >/dev/null 2>&1 || need_apt+=(llvm)
if [ "$QEMU" = 1 ]; then
  command -v qemu-aarch64-static >/dev/null 2>&1 || need_apt+=(qemu-user-static)
  command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need_apt+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}"
fi
targets=($MOBILE_TARGETS)
[ "$QEMU" = 1 ] && targets+=(aarch64-unknown-linux-gnu)
installed=$(rustup target list --installed)
for t in "${targets[@]}"; do
  grep -qx "$t" <<<"$installed" || rustup target add "$t"
done

target_dir=$($CARGO metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')

# ring's C for a target without its SDK: clang for the target, no system headers.
# $1 = Rust target, $2 = clang target, $3 = extra flags.
set_c_compiler() {
  local var=${1//-/_}
  export "CC_$var=clang" "AR_$var=llvm-ar"
  export "CFLAGS_$var=--target=$2 -nostdlibinc -DRING_CORE_NOSTDLIBINC=1 ${3:-}"
}

# iOS: ring includes <TargetConditionals.h> from the SDK; a stub says "iOS device".
ios_stub="$target_dir/cross-ios-sdk"
mkdir -p "$ios_stub"
cat > "$ios_stub/TargetConditionals.h" <<'H'
/* Stand-in for the Apple SDK header (compile checks only): an iOS device. */
#define TARGET_OS_MAC 1
#define TARGET_OS_OSX 0
#define TARGET_OS_IPHONE 1
#define TARGET_OS_IOS 1
#define TARGET_OS_SIMULATOR 0
#define TARGET_OS_TV 0
#define TARGET_OS_WATCH 0
#define TARGET_OS_VISION 0
H

for t in $MOBILE_TARGETS; do
  case "$t" in
    aarch64-linux-android) set_c_compiler "$t" aarch64-linux-android21 ;;
    armv7-linux-androideabi) set_c_compiler "$t" armv7a-linux-androideabi21 ;;
    x86_64-linux-android) set_c_compiler "$t" x86_64-linux-android21 -ffreestanding ;;
    aarch64-apple-ios)
      set_c_compiler "$t" arm64-apple-ios13.0 "-isystem $ios_stub"
      export SDKROOT="$ios_stub" IPHONEOS_DEPLOYMENT_TARGET=13.0 ;;
    *) echo "cross: unknown target $t" >&2; exit 2 ;;
  esac
  echo "== $t: libimsdk.a"
  $CARGO rustc -p imsdk-capi --lib --target "$t" $PROFILE_ARGS --crate-type staticlib
  unset SDKROOT
done

if [ "$QEMU" = 1 ]; then
  echo "== aarch64-unknown-linux-gnu: tests under qemu-user"
  export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
  export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64-static -L /usr/aarch64-linux-gnu"
  export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
  skip=()
  if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    echo "(no binfmt_misc entry for qemu-aarch64: the dev server's cli_* tests are skipped)"
    skip=(--skip cli_)
  fi
  $CARGO test --workspace --exclude imsdk-capi-tests --exclude imsdk-jni-tests --target aarch64-unknown-linux-gnu \
    $PROFILE_ARGS --no-fail-fast -- "${skip[@]}"
fi
echo "cross: OK"
