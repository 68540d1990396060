#!/usr/bin/env bash
# Stop exactly what deploy/testbed/up.sh started (PIDs under $TESTBED_DIR/pids, plus ejabberd's helpers).
# Idempotent: exit 0 when nothing runs. --purge also deletes the state directory (certificates included).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export TESTBED_DIR="${TESTBED_DIR:-/tmp/xmppscan-testbed}"
export TESTBED_NET="${TESTBED_NET:-127.1.0}"
purge=0
for a in "$@"; do
  case "$a" in
    --purge) purge=1 ;;
    *) echo "usage: down.sh [--purge]" >&2; exit 2 ;;
  esac
done

[[ -d "$TESTBED_DIR" ]] || exit 0
exec 9>"$TESTBED_DIR/.lock"
flock -w 120 9 || { echo "down.sh: could not take $TESTBED_DIR/.lock" >&2; exit 1; }

python3 "$here/lib/testbed.py" stop
rm -f "$TESTBED_DIR/testbed.env"
if ((purge)); then
  case "$TESTBED_DIR" in
    /|/tmp|/root|/home|"") echo "down.sh: refusing to purge $TESTBED_DIR" >&2; exit 1 ;;
  esac
  rm -rf "$TESTBED_DIR"
  echo "down.sh: purged $TESTBED_DIR" >&2
fi
