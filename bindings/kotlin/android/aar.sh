# Shared by build-aar.sh and check.sh (sourced): the ABIs, their Rust targets, and how an
# AAR is assembled and checked. Needs a JDK (javac, jar).

# Android ABI and Rust target, one pair a line.
ANDROID_ABIS="arm64-v8a:aarch64-linux-android
armeabi-v7a:armv7-linux-androideabi
x86_64:x86_64-linux-android"
MIN_SDK=21
# 16 KB pages (Android 15+ devices): every LOAD segment aligned to 16 KB.
PAGE_SIZE_LINK_ARG="-Wl,-z,max-page-size=16384"

BINDING_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# compile_classes OUT_DIR: the Java API (no android.* imports) as Java 8 bytecode.
compile_classes() {
  local out="$1"
  if grep -rl '^import android\.' "$BINDING_DIR/java" >/dev/null; then
    echo "the Java API must not import android.*: $(grep -rl '^import android\.' "$BINDING_DIR/java")" >&2
    return 1
  fi
  mkdir -p "$out"
  javac -Xlint:all,-options -Werror --release 8 -d "$out" $(find "$BINDING_DIR/java" -name '*.java')
}

# assemble_aar STAGE_DIR AAR: STAGE_DIR holds jni/<abi>/libimsdk_jni.so; adds the
# manifest, classes.jar, proguard.txt, R.txt and zips it all into AAR.
assemble_aar() {
  local stage="$1" aar="$2"
  compile_classes "$stage/classes"
  jar --create --file "$stage/classes.jar" -C "$stage/classes" .
  rm -rf "$stage/classes"
  cp "$BINDING_DIR/android/AndroidManifest.xml" "$BINDING_DIR/android/proguard.txt" "$stage/"
  : > "$stage/R.txt"
  rm -f "$aar"
  (cd "$stage" && jar --create --no-manifest --file "$aar" AndroidManifest.xml classes.jar proguard.txt R.txt jni)
}

# check_aar_layout AAR: the entries an Android build needs, for every ABI.
check_aar_layout() {
  local aar="$1" listing abi pair
  listing="$(jar --list --file "$aar")"
  for entry in AndroidManifest.xml classes.jar proguard.txt R.txt; do
    grep -qx "$entry" <<<"$listing" || { echo "$aar lacks $entry" >&2; return 1; }
  done
  while read -r pair; do
    abi="${pair%%:*}"
    grep -qx "jni/$abi/libimsdk_jni.so" <<<"$listing" || { echo "$aar lacks jni/$abi/libimsdk_jni.so" >&2; return 1; }
  done <<<"$ANDROID_ABIS"
  if grep -v -e '^AndroidManifest.xml$' -e '^classes.jar$' -e '^proguard.txt$' -e '^R.txt$' \
      -e '^jni/$' -e '^jni/[a-z0-9_-]*/$' -e '^jni/[a-z0-9_-]*/libimsdk_jni.so$' <<<"$listing"; then
    echo "$aar has unexpected entries (above)" >&2
    return 1
  fi
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && jar --extract --file "$aar" AndroidManifest.xml classes.jar)
  grep -q "android:minSdkVersion=\"$MIN_SDK\"" "$tmp/AndroidManifest.xml" || { echo "minSdk is not $MIN_SDK" >&2; return 1; }
  for class in ImClient ImListener ImOptions ImMessage ImLostMessage ImStats ImException Im NativeLib NativeBridge; do
    jar --list --file "$tmp/classes.jar" | grep -qx "io/imsdk/$class.class" || { echo "classes.jar lacks io/imsdk/$class.class" >&2; return 1; }
  done
  rm -rf "$tmp"
}

# check_page_alignment SO: every LOAD segment of a real library aligned to 16 KB or more.
check_page_alignment() {
  local so="$1" readelf="${READELF:-llvm-readelf}" aligns
  command -v "$readelf" >/dev/null || readelf=readelf
  aligns="$("$readelf" -lW "$so" | awk '$1 == "LOAD" { print $NF }')"
  [ -n "$aligns" ] || { echo "$so: no LOAD segments" >&2; return 1; }
  for a in $aligns; do
    if [ $((a)) -lt 16384 ]; then
      echo "$so: a LOAD segment is aligned to $a, not 16 KB" >&2
      return 1
    fi
  done
}
