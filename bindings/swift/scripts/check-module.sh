#!/usr/bin/env bash
# Checks, on any machine with clang, what the Swift package relies on without needing
# Swift or Xcode:
#  1. the module map compiles include/imsdk.h as the clang module CIMSDK, laid out as
#     scripts/build-xcframework.sh lays out each xcframework slice (Headers/CIMSDK/),
#     found both by clang's implicit lookup (what Xcode does with the slice's Headers
#     folder) and by an explicit -fmodule-map-file;
#  2. a program that imports the module uses it the way the Swift layer does (the
#     callback signatures, the structs, the constants), with warnings as errors;
#  3. Package.swift, the build script and the Swift sources name the module and the
#     xcframework alike;
#  4. every im_*, Im* and IM_* name the Swift sources use (the package, its tests and the
#     uni-app plugin's iOS bridge) is declared by the header, and so is every C struct
#     field they use, so a renamed C item cannot leave the Swift layer behind unnoticed.
# Exits non-zero on the first failure; a missing clang is a failure, never a skip.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
header="$root/include/imsdk.h"
modulemap="$here/CIMSDK/module.modulemap"
CLANG="${CLANG:-clang}"

if ! command -v "$CLANG" >/dev/null 2>&1; then
  echo "check-module: $CLANG not found (install clang; .ci/run does)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The slice layout: Headers/CIMSDK/{module.modulemap, imsdk.h}.
mkdir -p "$work/Headers/CIMSDK"
cp "$header" "$modulemap" "$work/Headers/CIMSDK/"

cat >"$work/uses_module.m" <<'EOF'
@import CIMSDK;

/* The Swift layer's trampolines have exactly these C types. */
static void on_login_result(void *ud, int32_t code, bool is_relogin) { (void)ud; (void)code; (void)is_relogin; }
static void on_link_closed(void *ud, int32_t reason) { (void)ud; (void)reason; }
static void on_message(void *ud, const ImMessage *m) { (void)ud; (void)m->content_len; (void)m->server_time; }
static void on_server_error(void *ud, int32_t code, const char *text) { (void)ud; (void)code; (void)text; }
static void on_messages_lost(void *ud, const ImLostMessage *m, size_t n) { (void)ud; (void)m; (void)n; }
static void on_message_acked(void *ud, const char *fp) { (void)ud; (void)fp; }
static void on_kicked(void *ud, int32_t code, const char *reason) { (void)ud; (void)code; (void)reason; }
static void on_state_changed(void *ud, int32_t s, int32_t r, uint32_t a, uint64_t d) { (void)ud; (void)s; (void)r; (void)a; (void)d; }
static void on_echo(void *ud, const char *text) { (void)ud; (void)text; }
static void on_release(void *ud) { (void)ud; }

int main(void) {
    ImOptions o;
    if (im_options_init(&o, sizeof o) != IM_OK) return 1;
    o.url = "ws://127.0.0.1:7901/ws";
    o.dialect = IM_DIALECT_MOBILEIMSDK;
    ImCallbacks cb = {0};
    cb.struct_size = sizeof cb;
    cb.on_login_result = on_login_result;
    cb.on_link_closed = on_link_closed;
    cb.on_message = on_message;
    cb.on_server_error = on_server_error;
    cb.on_messages_lost = on_messages_lost;
    cb.on_message_acked = on_message_acked;
    cb.on_kicked = on_kicked;
    cb.on_state_changed = on_state_changed;
    cb.on_echo = on_echo;
    cb.on_release = on_release;
    ImClient *c = 0;
    o.max_callback_backlog = 1000;
    o.max_callback_backlog_bytes = 4194304;
    o.max_outbound_bytes = 4194304;
    (void)im_init(&o, &cb, &c);
    ImSendRequest r;
    (void)im_send_request_init(&r, sizeof r);
    r.typeu = IM_TYPEU_DEFAULT;
    char fp[IM_FP_BUF_LEN];
    (void)im_send(c, &r, fp);
    ImStats st = {0};
    st.struct_size = sizeof st;
    (void)im_get_stats(c, &st);
    uint64_t gauges = st.pending_qos + st.callback_backlog + st.callback_backlog_bytes
        + st.outbound_bytes + st.outbound_peak_bytes;
    (void)gauges;
    (void)im_strerror(IM_ERR_INVALID_HANDLE);
    return im_release(c) == IM_OK && im_abi_version() == IMSDK_ABI_VERSION ? 0 : 1;
}
EOF

cat >"$work/includes_header.c" <<'EOF'
#include <imsdk.h>
int main(void) { return im_abi_version() == IMSDK_ABI_VERSION ? IM_OK : IM_ERR_UNKNOWN; }
EOF

flags=(-fmodules "-fmodules-cache-path=$work/cache" -fsyntax-only -Wall -Wextra -Werror)

echo "check-module: @import CIMSDK found through Headers/ (implicit lookup, as Xcode does)"
"$CLANG" "${flags[@]}" -x objective-c -I "$work/Headers" "$work/uses_module.m"

echo "check-module: #include <imsdk.h> becomes an import of CIMSDK (-fmodule-map-file)"
remarks="$("$CLANG" "${flags[@]}" -Rmodule-import \
  "-fmodule-map-file=$work/Headers/CIMSDK/module.modulemap" \
  -I "$work/Headers/CIMSDK" "$work/includes_header.c" 2>&1)"
if ! grep -q "importing module 'CIMSDK'" <<<"$remarks"; then
  echo "check-module: the header was not imported as module CIMSDK:" >&2
  echo "$remarks" >&2
  exit 1
fi

echo "check-module: every C name the Swift sources use is declared in imsdk.h"
swift_sources=("$here"/Sources/IMSDK/*.swift "$here"/Tests/IMSDKTests/*.swift)
bridge="$root/bindings/uniapp/uni_modules/imsdk/utssdk/app-ios"
if [ -d "$bridge" ]; then
  while IFS= read -r f; do swift_sources+=("$f"); done < <(find "$bridge" -name '*.swift' | sort)
fi
missing=0
# Names: C functions im_*, types Im* (e.g. ImOptions), constants IM_*/IMSDK_*. Swift's own
# types are spelled IM* (IMClient, IMEvent) and are not matched.
for name in $(grep -ohE '\b(im_[a-z_]+|Im[A-Z][A-Za-z]+|IMSDK_[A-Z_]+|IM_[A-Z_0-9]+)\b' "${swift_sources[@]}" | sort -u); do
  if ! grep -qE "\b$name\b" "$header"; then
    echo "  $name is used by the Swift sources but not declared in include/imsdk.h" >&2
    missing=1
  fi
done
[ "$missing" -eq 0 ] || exit 1

echo "check-module: every C struct field the Swift sources use is declared in imsdk.h"
# Swift's own members are camelCase; a snake_case member after a dot is a field of a C
# struct (o.max_outbound_bytes, stats.callback_backlog, m.content_len).
for name in $(grep -ohE '\.[a-z][a-z0-9]*(_[a-z0-9]+)+\b' "${swift_sources[@]}" | sed 's/^\.//' | sort -u); do
  if ! grep -qE "\b$name\b" "$header"; then
    echo "  .$name is used by the Swift sources but is no field of include/imsdk.h" >&2
    missing=1
  fi
done
[ "$missing" -eq 0 ] || exit 1

echo "check-module: Package.swift, the build script and the Swift imports agree on CIMSDK"
module_name="$(sed -n 's/^module \([A-Za-z_]*\) {.*/\1/p' "$modulemap")"
[ "$module_name" = "CIMSDK" ] || { echo "  the module map declares '$module_name', not CIMSDK" >&2; exit 1; }
grep -q 'binaryTarget(name: "CIMSDK", path: "build/CIMSDK.xcframework")' "$here/Package.swift" \
  || { echo "  Package.swift does not use build/CIMSDK.xcframework as binaryTarget CIMSDK" >&2; exit 1; }
grep -q '"$out/CIMSDK.xcframework"' "$here/scripts/build-xcframework.sh" \
  || { echo "  build-xcframework.sh does not write \$out/CIMSDK.xcframework" >&2; exit 1; }
for f in "$here"/Sources/IMSDK/*.swift; do
  grep -q '^import CIMSDK$' "$f" || { echo "  $f does not import CIMSDK" >&2; exit 1; }
done

echo "check-module: ok"
