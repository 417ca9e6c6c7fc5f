#!/usr/bin/env bash
# Does two-stage beat full and feature extraction when its head stage stops at the first
# validation plateau? On three public text sets (SpamAssassin, State of the Union passages,
# Debian fortunes), each split once (bench/split_text.py: at most MAX rows, 80 % train / 20 %
# test, seed 7), graft fit runs feature-extraction, two-stage:2, two-stage and full with the same
# epoch budget per backbone stage, tested on the same rows. Prints test accuracy / macro-F1, wall
# time, and the head stage's last train and validation loss (from the epoch log).
# Writes bench/results/two-stage/summary.md.
# Usage: bench/two-stage.sh [SETS=spam-assassin,sotu,fortunes] [MAX=2000] [EPOCHS=2] [STRATEGIES]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SETS="${1:-spam-assassin,sotu,fortunes}"; MAX="${2:-2000}"; EPOCHS="${3:-2}"
STRATEGIES="${4:-feature-extraction,two-stage:2,two-stage,full}"
OUT="$ROOT/bench/results/two-stage"; mkdir -p "$OUT"
PY=/usr/bin/python3
source "$ROOT/bench/snapshot.sh"
snapshot "$OUT/bin"
echo "# $(date -u +%FT%TZ) at most $MAX rows per set (80 % train / 20 % test), $EPOCHS epochs per backbone stage" \
  | tee -a "$OUT/summary.md"
echo "| set | strategy | test accuracy | test macro-F1 | wall s | head stage: last train / validation loss |" | tee -a "$OUT/summary.md"
echo "|---|---|---|---|---|---|" | tee -a "$OUT/summary.md"
for set in ${SETS//,/ }; do
  work="$OUT/$set"; mkdir -p "$work"
  "$PY" "$ROOT/bench/split_text.py" "$(graft datasets fetch "$set")" "$work" "$MAX"
  for strategy in ${STRATEGIES//,/ }; do
    name="${strategy//:/-}"
    rm -rf "$work/$name.graft" "$work/$name.graft.checkpoint"
    start=$(date +%s.%N)
    graft fit --data "$work/train.jsonl" --test "$work/test.jsonl" --strategy "$strategy" --epochs "$EPOCHS" \
      --out "$work/$name.graft" --metrics-json "$work/$name.json" > "$work/$name.log" 2>&1 \
      || { tail -5 "$work/$name.log" >&2; exit 1; }
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    "$PY" - "$set" "$strategy" "$work/$name.json" "$work/$name.graft.log.jsonl" "$wall" <<'PY' | tee -a "$OUT/summary.md"
import json, os, sys
name, strategy, metrics, log, wall = sys.argv[1:]
m = json.load(open(metrics))
head = [json.loads(l) for l in open(log)] if os.path.exists(log) else []
head = [e for e in head if e.get("stage") == "head"]
stage = "%.4f / %.4f (%d epochs)" % (head[-1]["trainLoss"], head[-1]["validationLoss"], len(head)) if head else "–"
print(f"| {name} | {strategy} | {m['accuracy']:.4f} | {m['macro_f1']:.4f} | {float(wall):.0f} | {stage} |")
PY
  done
done
