#!/usr/bin/env bash
# Disk full, simulated with small tmpfs mounts (needs root): the bundle's disk fills, then the
# feature cache's. Each must end with exit 2, one clear line, and no bundle left behind.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"; FULL="$WORK/full"; mkdir -p "$FULL"
trap 'umount "$FULL" 2> /dev/null; rm -rf "$WORK"' EXIT
python3 - "$WORK/topics.csv" <<'PY'
import random, sys
r = random.Random(3); w = ["rain", "snow", "fog", "wind"]; f = ["pasta", "soup", "bread", "rice"]
rows = ["text,label"] + [f'"The forecast says {r.choice(w)} on day {i}.",weather' for i in range(30)] \
     + [f'"I am cooking {r.choice(f)} on day {i}.",food' for i in range(30)]
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
check() {  # $1 = what, $2 = size, then the graft arguments
  local what="$1" size="$2"; shift 2
  mount -t tmpfs -o "size=$size" tmpfs "$FULL" || { echo "cannot mount a tmpfs (root needed)"; exit 1; }
  "$ROOT/graft" "$@" 2> "$WORK/err" > /dev/null; local status=$?
  local line; line="$(tr '\r' '\n' < "$WORK/err" | grep -a -o 'graft: .*' | tail -1)"
  local left; left="$(find "$FULL" "$WORK" -maxdepth 1 -name '*.graft' | wc -l)"
  printf '%-28s exit %d, bundles left %d: %s\n' "$what" "$status" "$left" "$line"
  umount "$FULL"
}
check "bundle on a full disk" 200k fit --data "$WORK/topics.csv" --strategy feature-extraction --max-length 32 --out "$FULL/m.graft"
GRAFT_CACHE="$FULL/cache" check "feature cache on a full disk" 40k fit --data "$WORK/topics.csv" --strategy feature-extraction \
  --max-length 32 --out "$WORK/m.graft"
