#!/usr/bin/env bash
# Accuracy cost of int8 frozen features: feature extraction (every default) with --precision fp32
# and --precision int8 on the same split of each public text set (bench/split_text.py: stratified,
# seed 7, at most MAX rows, 80 % train / 20 % test), MiniLM. Prints test accuracy and macro-F1 of
# both and the difference in points, plus the feature time of each (cold feature cache).
# Usage: bench/int8-accuracy.sh [SETS=spam-assassin,sotu,fortunes] [MAX=7500]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SETS="${1:-spam-assassin,sotu,fortunes}"; MAX="${2:-7500}"
OUT="$ROOT/bench/results/int8-accuracy"; mkdir -p "$OUT"
source "$ROOT/bench/snapshot.sh"
snapshot "$OUT/bin"
REAL_CACHE="${GRAFT_CACHE:-$HOME/.cache/graft}"; mkdir -p "$REAL_CACHE"/{models,datasets,downloads}
export GRAFT_CACHE="$OUT/cache"; rm -rf "$GRAFT_CACHE"; mkdir -p "$GRAFT_CACHE"
for entry in "$REAL_CACHE"/*; do [[ "$(basename "$entry")" == features ]] || ln -s "$entry" "$GRAFT_CACHE/"; done

printf '| set (train / test, classes) | fp32 test accuracy / macro-F1 | int8 test accuracy / macro-F1 | int8 − fp32 macro-F1 (points) | features fp32 / int8 |\n|---|---|---|---|---|\n' > "$OUT/summary.md"
for set in ${SETS//,/ }; do
  work="$OUT/$set"; mkdir -p "$work"
  python3 bench/split_text.py "$(graft datasets fetch "$set")" "$work" "$MAX"
  for precision in fp32 int8; do
    echo "== $set: graft fit --precision $precision" >&2
    rm -rf "$work/$precision.graft"
    graft fit --data "$work/train.jsonl" --test "$work/test.jsonl" --strategy feature-extraction --precision "$precision" \
      --out "$work/$precision.graft" --metrics-json "$work/$precision.json" > "$work/$precision.log" 2>&1 \
      || { tail -5 "$work/$precision.log" >&2; exit 1; }
  done
  python3 - "$work" "$set" >> "$OUT/summary.md" <<'PY'
import json, re, sys
work, name = sys.argv[1], sys.argv[2]
m = {p: json.load(open(f"{work}/{p}.json")) for p in ("fp32", "int8")}
def seconds(p):
    found = re.findall(r"^features: .*\(([0-9.]+) s\)$", open(f"{work}/{p}.log").read(), re.M)
    return found[-1] if found else "?"
rows = lambda f: sum(1 for _ in open(f"{work}/{f}.jsonl"))
classes = len(m["fp32"]["per_class"])
t = m
print(f"| {name} ({rows('train'):,} / {rows('test'):,}, {classes}) | {t['fp32']['accuracy']:.4f} / {t['fp32']['macro_f1']:.4f} | "
      f"{t['int8']['accuracy']:.4f} / {t['int8']['macro_f1']:.4f} | {100 * (t['int8']['macro_f1'] - t['fp32']['macro_f1']):+.2f} | "
      f"{seconds('fp32')} s / {seconds('int8')} s |")
PY
done
cat "$OUT/summary.md"
