#!/usr/bin/env bash
# Builds bindings/swift/build/CIMSDK.xcframework on a Mac with Xcode and rustup:
# libimsdk.a (package imsdk-capi, release profile) for iOS devices, the iOS simulator
# (arm64 + x86_64) and macOS (arm64 + x86_64), each slice with
# Headers/CIMSDK/{imsdk.h, module.modulemap}. Package.swift refers to the result.
#
#   bindings/swift/scripts/build-xcframework.sh            # all slices
#   IMSDK_SLICES="ios sim" bindings/swift/scripts/build-xcframework.sh
#
# It also copies the xcframework into the uni-app plugin
# (bindings/uniapp/uni_modules/imsdk/utssdk/app-ios/Frameworks/, with the Swift sources
# next to the plugin's bridge) unless
# IMSDK_SKIP_UNIAPP=1. It cannot run on Linux (no Apple SDK, lipo or xcodebuild).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/build"
slices="${IMSDK_SLICES:-ios sim macos}"

for tool in cargo rustup xcodebuild lipo; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-xcframework: $tool is required (run on macOS with Xcode)" >&2; exit 1; }
done
# Keep the simulator and device minimums in line with Package.swift (.iOS(.v13)).
export IPHONEOS_DEPLOYMENT_TARGET=13.0
export MACOSX_DEPLOYMENT_TARGET=11.0

build() { # target...
  for t in "$@"; do
    rustup target add "$t" >/dev/null
    (cd "$root" && cargo build --release -p imsdk-capi --target "$t")
  done
}
lib() { echo "$root/target/$1/release/libimsdk.a"; }

rm -rf "$out/CIMSDK.xcframework" "$out/slices"
mkdir -p "$out/slices" "$out/headers/CIMSDK"
cp "$root/include/imsdk.h" "$here/CIMSDK/module.modulemap" "$out/headers/CIMSDK/"

args=()
for slice in $slices; do
  case "$slice" in
    ios)
      build aarch64-apple-ios
      args+=(-library "$(lib aarch64-apple-ios)" -headers "$out/headers")
      ;;
    sim)
      build aarch64-apple-ios-sim x86_64-apple-ios
      mkdir -p "$out/slices/sim"
      lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$out/slices/sim/libimsdk.a"
      args+=(-library "$out/slices/sim/libimsdk.a" -headers "$out/headers")
      ;;
    macos)
      build aarch64-apple-darwin x86_64-apple-darwin
      mkdir -p "$out/slices/macos"
      lipo -create "$(lib aarch64-apple-darwin)" "$(lib x86_64-apple-darwin)" -output "$out/slices/macos/libimsdk.a"
      args+=(-library "$out/slices/macos/libimsdk.a" -headers "$out/headers")
      ;;
    *) echo "build-xcframework: unknown slice '$slice' (ios, sim, macos)" >&2; exit 1 ;;
  esac
done

xcodebuild -create-xcframework "${args[@]}" -output "$out/CIMSDK.xcframework"

# The module map links libiconv; anything else the Rust staticlib needs must be added
# to it. Show the list so a change in the Rust dependencies is noticed.
(cd "$root" && cargo rustc --release -p imsdk-capi --target aarch64-apple-ios --crate-type staticlib \
  -- --print native-static-libs 2>&1 | grep -i 'native-static-libs' || true)

if [ "${IMSDK_SKIP_UNIAPP:-0}" != "1" ]; then
  plugin_ios="$root/bindings/uniapp/uni_modules/imsdk/utssdk/app-ios"
  mkdir -p "$plugin_ios/Frameworks"
  rm -rf "$plugin_ios/Frameworks/CIMSDK.xcframework"
  cp -R "$out/CIMSDK.xcframework" "$plugin_ios/Frameworks/"
  # The plugin's ImsdkBridge.swift drives IMClient: the same sources, compiled into the
  # plugin (listed in bindings/uniapp/.gitignore).
  cp "$here"/Sources/IMSDK/*.swift "$plugin_ios/"
fi

echo "build-xcframework: $out/CIMSDK.xcframework"
echo "then: cd $here && swift build"
