#!/usr/bin/env bash
# Stops the federation up.sh started in DIR: exactly the PIDs it wrote to DIR/pids (TERM, then KILL after 5 s).
set -uo pipefail
dir=${1:?usage: down.sh DIR}
[[ -f $dir/pids ]] || exit 0
mapfile -t pids <"$dir/pids"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
for _ in $(seq 50); do
  alive=0
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
  ((alive)) || break
  sleep 0.1
done
for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
rm -f "$dir/pids"
