#!/usr/bin/env bash
# `make demo`: builds the library, the dev server and the C examples, then runs the
# scripted demo (examples-c/demo.c) against a dev server on a free loopback port, once
# for each dialect. Exits non-zero if anything the demo expects does not happen.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO=${CARGO:-cargo}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN="$TARGET_DIR/debug"
WORK=$(mktemp -d)
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== Building libimsdk.a, the dev server and the C examples (examples-c/)"
$CARGO build --quiet -p imsdk-capi
$CARGO build --quiet -p imsdk-devserver --bin imsdk-devserver
make --quiet -C examples-c LIB="$PWD/$BIN/libimsdk.a"

# Starts the dev server for $1 on a free port; sets SERVER_PID and URL.
start_server() {
  : > "$WORK/server.out"
  "$BIN/imsdk-devserver" --dialect "$1" --listen 127.0.0.1:0 \
    > "$WORK/server.out" 2> "$WORK/server.err" &
  SERVER_PID=$!
  URL=""
  for _ in $(seq 100); do
    URL=$(sed -n 's/^listening on //p' "$WORK/server.out")
    [ -n "$URL" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "the dev server did not start:" >&2
  cat "$WORK/server.err" >&2
  return 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

status=0
for dialect in seed mobileimsdk; do
  echo
  echo "################################################################################"
  echo "# Dialect '$dialect': a local imsdk-devserver plays the IM server."
  start_server "$dialect"
  echo "# Server: $URL"
  echo "# Running: examples-c/build/demo $URL $dialect"
  echo "################################################################################"
  examples-c/build/demo "$URL" "$dialect" || status=1
  stop_server
done

echo
if [ "$status" -eq 0 ]; then
  echo "make demo: both dialects behaved as expected."
else
  echo "make demo: something expected did not happen (see FAILED lines above)." >&2
fi
exit "$status"
